"""The record a report reads (record.load): the records dated in its period and those they
name, never the whole record, so that neither its queries nor what it holds grow with what
lies outside the period."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secretariat.documents import services as documents
from secretariat.initiatives import services as initiatives
from secretariat.reports.gathered import gather
from secretariat.reports.model import Audience
from secretariat.reports.period import period_for
from secretariat.treaties import services as treaties

pytestmark = pytest.mark.django_db


def beta():
    """Beta's chairmanship: 1 January 2021 to 10 January 2023."""
    return period_for(chairmanship="beta-2021-2023")


def load(audience=Audience.PUBLIC, user=None):
    return gather(period=beta(), audience=audience, user=user)


def paper(small, key: str, date: str, *, meeting=None, kind="adopted", type="decision"):
    """A public paper with one step (at `meeting`, if given)."""
    src = [small.build.source]
    doc = documents.document_create(
        type=type, title_en=key.replace("-", " ").title(), key=key, access="public",
        symbol=f"EXO/{key.upper()}", sources=src,
    )  # fmt: skip
    documents.document_event_upsert(
        document=doc, kind=kind, date=date, meeting=meeting, sources=src
    )
    return doc


def outside(small, n: int) -> None:
    """`n` years of council meetings before and after the period, each adopting a paper that
    supersedes the one before and has next steps: nothing the period's report says."""
    earlier = None
    for i in range(n):
        for year in (2010 + i % 10, 2024 + i % 10):
            meeting = small.build.meeting(
                f"council-{year}-{i}", small.council,
                schedule=[{"kind": "held", "start": f"{year}-03-{i % 28 + 1:02d}"}],
            )  # fmt: skip
            doc = paper(
                small, f"outside-{year}-{i}", f"{year}-03-{i % 28 + 1:02d}", meeting=meeting
            )
            if earlier is not None:
                documents.relation_add(
                    from_document=doc, kind="supersedes", to_document=earlier,
                    sources=[small.build.source],
                )  # fmt: skip
            earlier = doc


def test_the_record_holds_the_periods_documents_and_meetings(small):
    gathered = load()
    assert set(gathered.documents) == {small.public.pk}  # the restricted one is not the public's
    assert set(gathered.meetings) == {small.summit.pk, small.council_meeting.pk, small.handover.pk}
    internal = load(Audience.INTERNAL, small.officer)
    assert set(internal.documents) == {small.public.pk, small.restricted.pk}


def test_what_lies_outside_the_period_is_not_read(small, django_assert_max_num_queries):
    """Documents and meetings before and after the period add no query and nothing to the
    record, for either audience."""
    readers = ((Audience.PUBLIC, None), (Audience.INTERNAL, small.officer))
    load(*readers[1])  # content types and the like, read once per process
    first = {}
    for audience, user in readers:
        with CaptureQueriesContext(connection) as queries:
            first[audience] = (load(audience, user), len(queries))
    outside(small, 6)
    for audience, user in readers:
        gathered, count = first[audience]
        with django_assert_max_num_queries(count):
            again = load(audience, user)
        assert set(again.documents) == set(gathered.documents)
        assert set(again.meetings) == set(gathered.meetings)
        assert count <= 50


def test_the_records_the_period_names_are_read_whenever_dated(small):
    """A paper of long ago is read when a step of the period names it: a treaty signed in
    the period, an initiative's step, a partnership's; so are the meetings those steps name,
    and a summit's outcome dated before the summit (the year it was held)."""
    src = [small.build.source]
    old_meeting = small.build.meeting(
        "council-2012", small.council, schedule=[{"kind": "held", "start": "2012-04-02"}]
    )
    convention = paper(
        small, "old-convention", "2012-04-02", meeting=old_meeting, type="convention"
    )
    treaty, _ = treaties.treaty_upsert(document=convention, sources=src, eif_instruments=2)
    treaties.treaty_action_upsert(
        treaty=treaty, actor=small.alpha, kind="signature", date="2022-02-01", sources=src
    )
    concept = paper(small, "old-concept", "2013-05-06")
    initiative, _ = initiatives.initiative_upsert(slug="water", title_en="Water", sources=src)
    initiatives.initiative_event_upsert(
        initiative=initiative, kind="proposed", date="2021-09-01", meeting=old_meeting,
        document=concept, sources=src,
    )  # fmt: skip
    mou = paper(small, "old-mou", "2014-06-07", type="mou")
    partner = small.build.actor("un", kind="organization", name_en="United Nations")
    partnership, _ = initiatives.partnership_upsert(actor=partner, sources=src)
    initiatives.partnership_event_upsert(
        partnership=partnership, kind="mou_signed", date="2022-03-04", document=mou, sources=src
    )
    outcome = paper(small, "summit-outcome", "2020", meeting=small.summit)  # held 2022
    later = paper(small, "later-paper", "2024-01-01")

    gathered = load()
    assert {convention.pk, concept.pk, mou.pk, outcome.pk} <= set(gathered.documents)
    assert later.pk not in gathered.documents
    assert old_meeting.pk in gathered.meetings
    assert [t.treaty.pk for t in gathered.treaties] == [treaty.pk]
    assert [i.pk for i in gathered.initiatives] == [initiative.pk]
