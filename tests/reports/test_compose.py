"""The report composed from the record: each section filled from the period's records, every
statement linked to its records, nothing restricted for the public, and a fixed number of
queries whatever the period's size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secretariat.accounts.policy import SYSTEM
from secretariat.documents import services as documents
from secretariat.reports.compose import AudienceRefused, report_build
from secretariat.reports.model import Audience
from secretariat.reports.period import period_between, period_for

pytestmark = pytest.mark.django_db

KEYS = [
    "chairs", "meetings", "transformation", "founding", "cbm", "institutions",
    "summit-outcomes", "initiatives", "treaties", "expansion", "other",
]  # fmt: skip


def build(period, audience=Audience.PUBLIC, language="en", user=None):
    return report_build(period=period, audience=audience, language=language, user=user)


def beta(language="en"):
    return period_for(chairmanship="beta-2021-2023", language=language)


def walk(items):
    for item in items:
        yield item
        yield from walk(item.children)


def texts(report, key: str) -> list[str]:
    section = next(s for s in report.sections if s.key == key)
    return [i.text for i in walk(section.items)]


def everything(report) -> str:
    return "\n".join(
        " ".join([i.text, i.note, *(link.label for link in i.links)])
        for s in report.sections
        for i in walk(s.items)
    )


def test_every_section_is_there_in_order(small):
    report = build(beta())
    assert [s.key for s in report.sections] == KEYS
    assert report.title == "Achievements 2021-2023"
    assert report.organization == "EXO"


def test_the_chairs_previous_current_and_next_with_the_handover(small):
    """The next chair takes over at a meeting held online, not where it was first planned:
    both are said."""
    chairs = texts(build(beta()), "chairs")
    assert chairs[0] == "Previous chairs: Alpha (2019-2021)"
    assert chairs[1] == "Current chair: Beta (2021-2023)"
    assert "Next chair: Gamma (from 2023), decided on 10 May 2022" in chairs
    assert (
        "Took over at Council meeting 2023: held online, 10 January 2023 "
        "(earlier planned: Harbour, 20 January 2023)"
    ) in chairs


def test_meetings_held_in_the_period_only(small):
    small.build.meeting(
        "summit-1", small.summit_body, title_en="First Summit",
        schedule=[{"kind": "held", "start": "2019-05-01"}],
    )  # fmt: skip
    meetings = texts(build(beta()), "meetings")
    # The handover meeting is the outgoing chairmanship's last: it is in the period.
    assert meetings == [
        "Council meeting 2021 (online)",
        "Second Summit (Capital)",
        "Council meeting 2023 (online)",
    ]


def test_the_public_report_holds_nothing_restricted(small):
    report = build(beta())
    text = everything(report)
    assert "Open Declaration" in text
    assert "Zanzibarquartz" not in text
    assert "Xylophonequill" not in text
    assert not any(i.restricted for s in report.sections for i in walk(s.items))


@pytest.mark.parametrize("who", ["member", "officer", "system"])
def test_the_internal_report_marks_restricted_items_and_leaves_confidential_out(small, who):
    """Restricted papers appear, marked; a confidential paper never enters a report."""
    user = SYSTEM if who == "system" else getattr(small, who)
    report = build(beta(), Audience.INTERNAL, user=user)
    items = [i for s in report.sections for i in walk(s.items)]
    restricted = [i for i in items if "Zanzibarquartz" in i.text]
    assert restricted and all(i.restricted for i in restricted)
    assert not any(i.restricted for i in items if "Open Declaration" in i.text)
    assert "Xylophonequill" not in everything(report)


@pytest.mark.parametrize("who", ["anonymous", "reader", "observer"])
def test_the_internal_report_is_refused_to_those_who_may_not_read_restricted_papers(small, who):
    user = None if who == "anonymous" else getattr(small, who)
    with pytest.raises(AudienceRefused, match="only the Secretariat and delegates"):
        build(beta(), Audience.INTERNAL, user=user)


def test_the_summit_outcomes(small):
    outcomes = texts(build(beta()), "summit-outcomes")
    assert outcomes == ["Second Summit (Capital)", "Open Declaration: adopted"]


def section_items(report, key: str):
    return list(walk(next(s for s in report.sections if s.key == key).items))


@pytest.mark.parametrize(
    ("language", "held_day", "adopted_day"),
    [("en", "1 June 2021", "10 May 2022"), ("ru", "1 июня 2021", "10 мая 2022")],
)
def test_every_statement_carries_the_date_of_its_own_event(small, language, held_day, adopted_day):
    """An adoption recorded only as "June 2021", at the council meeting held on 1 June 2021,
    is dated that day (the record holds it, through the meeting); one recorded as "July
    2021" at the same meeting keeps its own date; each outcome of the summit carries the day
    it was adopted, not only the summit's heading."""
    src = [small.build.source]
    for key, date in (("june-paper", "2021-06"), ("july-paper", "2021-07")):
        doc = documents.document_create(
            type="decision", title_en=f"Paper {key}", key=key, access="public", sources=src,
            symbol=f"EXO/{key.upper()}",
        )  # fmt: skip
        documents.document_event_upsert(
            document=doc, kind="adopted", date=date, meeting=small.council_meeting, sources=src
        )
    report = build(beta(language), language=language)
    other = {i.text.split(":")[0]: i.date for i in section_items(report, "other")}
    assert other["Paper june-paper"] == held_day
    assert other["Paper july-paper"] == {"en": "July 2021", "ru": "июль 2021"}[language]
    (_summit, outcome) = section_items(report, "summit-outcomes")
    assert outcome.date == adopted_day


def test_an_empty_section_says_so_plainly(small):
    report = build(beta())
    treaties = next(s for s in report.sections if s.key == "treaties")
    assert treaties.empty
    assert treaties.empty_note == (
        "No signature, ratification or reported figure is dated in this period."
    )


def test_only_events_dated_in_the_period(small):
    """A period before the summit has no outcomes; the observer admitted in March 2021 is
    the period's news, not the members of 2000."""
    early = build(period_between("2021-01-01", "2021-12-31"))
    assert next(s for s in early.sections if s.key == "summit-outcomes").empty
    expansion = texts(early, "expansion")
    assert expansion == ["2021", "Omega: 1st Observer"]


def test_every_statement_links_to_a_record(small):
    report = build(beta(), Audience.INTERNAL, user=small.officer)
    for section in report.sections:
        for item in walk(section.items):
            assert item.links, f"{section.key}: {item.text!r} links to nothing"
            for link in item.links:
                assert link.url.startswith("/"), link
                if link.at >= 0:
                    assert item.text[link.at :].startswith(link.label)


def test_links_point_at_the_records_pages(small):
    chairs = next(s for s in build(beta()).sections if s.key == "chairs")
    links = {link.label: link.url for item in walk(chairs.items) for link in item.links}
    assert links["Beta"] == "/actors/beta/"
    assert links["Council meeting 2023"] == "/meetings/council-2023/"


def test_names_in_russian_with_english_marked_where_the_record_has_no_russian(small):
    report = build(beta("ru"), language="ru")
    chairs = next(s for s in report.sections if s.key == "chairs")
    assert chairs.title == "Председатели"
    current, nxt = chairs.items[1], chairs.items[2]
    assert current.text == "Действующий председатель: Бета (2021-2023)"
    assert current.fallbacks == []
    assert nxt.text.startswith("Следующий председатель: Gamma (с 2023)")
    assert nxt.fallbacks == ["Gamma"]


def test_the_same_number_of_queries_for_any_period_and_any_amount_of_data(small):
    """Short or long, sparse or full: the report reads the record in fixed queries."""

    def count(period) -> int:
        with CaptureQueriesContext(connection) as queries:
            build(period)
        return len(queries)

    short = count(period_between("2022-05-01", "2022-05-31"))
    for n in range(8):
        small.paper(f"Further decision {n}", access="public", key=f"further-{n}")
        small.build.meeting(
            f"council-extra-{n}", small.council,
            schedule=[{"kind": "held", "start": f"2022-0{n % 9 + 1}-15"}],
        )  # fmt: skip
    long = count(beta())
    assert short == long
    assert long <= 70
