"""Reads: statuses and stages derived as of dates, counts, ordinals from the registry."""

import datetime as dt

import pytest

from secretariat.initiatives import selectors, services
from secretariat.registry.selectors import ordinals_for

from .conftest import event

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_status_is_the_latest_event_certainly_past(world):
    """A month-precise event counts only once its month is over."""
    event(world, "proposed", "2022-10-12")
    event(world, "concept_circulated", "2023-02")
    event(world, "adopted", "2024")
    i = selectors.initiative_get("pnlu")
    assert selectors.status_at(i, D(2022, 10, 11)) is None
    assert selectors.status_at(i, D(2022, 10, 12)) == "proposed"
    assert selectors.status_at(i, D(2023, 2, 15)) == "proposed"
    assert selectors.status_at(i, D(2023, 3, 1)) == "concept_circulated"
    assert selectors.status_at(i, D(2024, 12, 31)) == "adopted"


def test_meetings_held_are_counted_from_meeting_records(world):
    """A planned meeting is not held; a held one counts from its day on."""
    by_slug = lambda at: {i.body_at.body.slug: i for i in selectors.institutions_at(at)}  # noqa: E731
    assert by_slug(D(2021, 5, 31))["think-tank-forum"].meetings_held == 0
    assert by_slug(D(2022, 6, 1))["think-tank-forum"].meetings_held == 2
    assert by_slug(D(2040, 1, 1))["think-tank-forum"].meetings_held == 3
    assert "soc" not in by_slug(D(2040, 1, 1))


def test_a_reported_count_is_shown_beside_the_computed_one(world):
    services.reported_count_upsert(body=world.ttf, as_of="2022", value=11, sources=world.src)
    services.reported_count_upsert(body=world.ttf, as_of="2024-10", value=12, sources=world.src)
    ttf = {i.body_at.body.slug: i for i in selectors.institutions_at(D(2023, 1, 1))}[
        "think-tank-forum"
    ]
    assert (ttf.meetings_held, ttf.reported.value) == (2, 11)


def test_the_partner_ordinal_comes_from_the_registry(world):
    """The stage is derived from events; the ordinal is the registry's, shown for partners."""
    p, _ = services.partnership_upsert(actor=world.sco, sources=world.src)
    for kind, date in [("contacts", "2005"), ("mou_signed", "2008-04-02"), ("partner", "2010")]:
        services.partnership_event_upsert(partnership=p, kind=kind, date=date, sources=world.src)
    stages = lambda at: selectors.relations_at(at).partnerships[0]  # noqa: E731
    assert (stages(D(2008, 4, 1)).stage, stages(D(2008, 4, 1)).ordinal) == ("contacts", None)
    assert stages(D(2009, 1, 1)).stage == "mou_signed"
    later = stages(D(2011, 1, 1))
    status = world.sco.statuses.get(kind="partner")
    assert later.stage == "partner"
    assert later.ordinal == ordinals_for(["partner"])[status.pk]
    assert later.ordinal.label == "1st Partner Organization"


def test_pending_applicants_are_listed_beside_partnerships(world):
    relations = selectors.relations_at(D(2024, 1, 1))
    assert [s.status.actor.slug for s in relations.applicants] == ["morocco"]
    assert selectors.relations_at(D(2023, 1, 1)).applicants == []


def test_who_has_not_responded(world):
    """All member states on the date are asked; each response is a record."""
    exp, _ = services.expectation_upsert(
        initiative=world.initiative,
        position=1,
        text_en="Nominate universities",
        sources=world.src,
    )
    for date, name in [("2023-01", "University A"), ("2023-02", "University B")]:
        services.expectation_response_upsert(
            expectation=exp, actor=world.kz, date=date, text_en=name, sources=world.src
        )
    [item] = selectors.expectations_at(selectors.initiative_get("pnlu"), D(2024, 1, 1))
    assert [r.text_en for r in item.responses] == ["University A", "University B"]
    assert [a.slug for a in item.not_responded] == ["china"]
    [before] = selectors.expectations_at(selectors.initiative_get("pnlu"), D(2022, 1, 1))
    assert [a.slug for a in before.not_responded] == ["china", "kazakhstan"]
