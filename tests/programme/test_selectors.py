"""Reads: the catalogue in force on a day, a state's roles, derived counts and progress."""

from __future__ import annotations

import datetime as dt

import pytest

from secretariat.documents import services as documents
from secretariat.programme import selectors
from secretariat.programme import services as programme

pytestmark = pytest.mark.django_db


def test_the_edition_in_force_follows_the_adoption_dates(world):
    """Before 2004 none; 2004 edition until October 2021 is certainly over; then 2021's."""
    assert selectors.edition_in_force(dt.date(2003, 1, 1)) is None
    assert selectors.edition_in_force(dt.date(2010, 1, 1)) == world.edition_2004
    # "October 2021" is not certainly past until its last day
    assert selectors.edition_in_force(dt.date(2021, 10, 15)) == world.edition_2004
    assert selectors.edition_in_force(dt.date(2021, 11, 1)) == world.edition


def test_the_edition_in_force_follows_the_documents_lifecycle(world):
    """An edition is in force from its document's adoption until its supersession: the 2004
    edition until the 2021 one, that one until 17 December 2024, then the 2024 edition."""
    world.lifecycle()
    for day, edition in [
        (dt.date(2004, 10, 21), None),
        (dt.date(2004, 10, 22), world.edition_2004),
        (dt.date(2021, 10, 15), world.edition_2004),
        (dt.date(2021, 10, 31), world.edition),
        (dt.date(2024, 12, 16), world.edition),
        (dt.date(2024, 12, 17), world.edition_2024),
        (dt.date(2026, 11, 28), world.edition_2024),
    ]:
        assert selectors.edition_in_force(day) == edition, day


def test_a_superseded_edition_is_not_served_even_without_a_successor(world):
    """The 2021 edition superseded and no later edition on record: nothing is in force, the
    superseded edition is not served in its place."""
    documents.document_event_upsert(
        document=world.old, kind="superseded", date="2021-10", sources=world.src
    )
    documents.document_event_upsert(
        document=world.new, kind="superseded", date="2024-12-17", sources=world.src
    )
    assert selectors.edition_in_force(dt.date(2024, 12, 16)) == world.edition
    assert selectors.edition_in_force(dt.date(2025, 1, 1)) is None


def test_the_superseding_edition_wins_while_a_partial_date_blurs_the_old_ones_end(world):
    """The new edition adopted on a day of the month the old one's supersession is dated to:
    both are in force by their statuses that day; the one that supersedes the other is served."""
    newer = world.document("catalogue-2030", "catalogue", adopted="2030-05-10")
    documents.relation_add(
        from_document=newer, kind="supersedes", to_document=world.new, sources=world.src
    )
    documents.document_event_upsert(
        document=world.new, kind="superseded", date="2030-05", sources=world.src
    )
    edition_2030, _ = programme.edition_upsert(document=newer, sources=world.src)
    assert selectors.edition_in_force(dt.date(2030, 5, 9)) == world.edition
    assert selectors.edition_in_force(dt.date(2030, 5, 12)) == edition_2030


def test_edition_spans_come_from_the_documents_events(world):
    """Each edition with the event that brought it into force and the one that ended it."""
    world.lifecycle()
    spans = selectors.edition_spans()
    assert [s.edition for s in spans] == [world.edition_2004, world.edition, world.edition_2024]
    assert [(str(s.start.date), s.end and str(s.end.date)) for s in spans] == [
        ("2004-10-22", "2021-10"),
        ("2021-10", "2024-12-17"),
        ("2024-12-17", None),
    ]
    assert [s.first_day for s in spans] == [
        dt.date(2004, 10, 22),
        dt.date(2021, 10, 31),
        dt.date(2024, 12, 17),
    ]
    assert [s.areas for s in spans] == [1, 2, 0]


def test_the_catalogue_shows_areas_added_by_then_and_coordinators_holding(world):
    world.role(world.trade, world.alpha, "coordinator", "2021-11", "2023")
    world.role(world.trade, world.beta, "co_coordinator", "2023")
    view = selectors.catalogue(world.edition, dt.date(2022, 5, 1))
    assert [d.slug for d in view.dimensions] == ["economic", "human"]
    assert [a.number for a in view.areas] == [1, 2]
    assert [(r.actor.slug, h.value) for r, h in view.current[world.trade.pk]] == [("alpha", "yes")]
    view = selectors.catalogue(world.edition, dt.date(2020, 12, 1))
    assert [a.number for a in view.areas] == [1]  # epidemiological safety came in 2021


def test_a_states_roles_as_of_a_day(world):
    world.role(world.trade, world.alpha, "coordinator", "2018", "2021")
    world.role(world.health, world.alpha, "co_coordinator", "2021-01")
    assert len(selectors.roles_of(world.alpha)) == 2
    now = selectors.roles_of(world.alpha, dt.date(2022, 1, 1))
    assert [(r.area, r.role) for r, _ in now] == [(world.health, "co_coordinator")]


def test_event_counts_per_area_state_and_year(world):
    """Counts are derived from the events, by area, organizing state and year."""
    world.event(world.trade, "Seminar A", "2022-03", organizer=world.alpha)
    world.event(world.trade, "Seminar B", "2022-09-01", organizer=world.alpha)
    world.event(world.trade, "Workshop", "2023", organizer=world.beta, kind="workshop")
    world.event(world.health, "Training", "2023-05", organizer=world.beta, kind="training")
    counts = selectors.event_counts()
    assert counts[(world.trade.pk, world.alpha.pk, 2022)] == 2
    assert selectors.counts_by(counts, 2) == {2022: 2, 2023: 2}
    assert selectors.counts_by(counts, 1) == {world.alpha.pk: 2, world.beta.pk: 2}
    detail = selectors.area_detail(world.trade)
    assert detail.by_year == {2022: 2, 2023: 1}
    assert [(a.slug, n) for a, n in detail.by_state] == [("alpha", 2), ("beta", 1)]


def test_road_map_progress_counts_done_over_planned_tasks(world):
    """Dropped tasks do not count: 2 done of 3 planned (one dropped)."""
    view = selectors.roadmap(world.roadmap())
    assert (view.progress.done, view.progress.total) == (2, 3)
    assert view.progress.label == "2 of 3 tasks done"
    assert selectors.progress(list(world.charter.tasks.all())).label == "1 of 2 tasks done"
    assert [f.cluster.number for f in view.focus_by_year[2024]] == [1, 4]
    assert [s.title_en for s in view.steps[world.charter.pk]] == ["Circulate the draft"]
