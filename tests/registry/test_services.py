"""Registry services and the rules behind them: what is recorded and what is refused, and why."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from secretariat.core.models import Citation, Variant
from secretariat.core.partial_dates import PartialDate
from secretariat.records.services import Outcome
from secretariat.registry import services
from secretariat.registry.models import Actor, Chairmanship, SecretariatHead, Status

D = dt.date
pytestmark = pytest.mark.django_db


def refused(message: str):
    """pytest.raises for a ValidationError whose text contains `message` verbatim."""
    return pytest.raises(ValidationError, match=re.escape(message))


def counts() -> tuple[int, int, int, int]:
    return (
        Status.objects.count(),
        Chairmanship.objects.count(),
        SecretariatHead.objects.count(),
        Citation.objects.count(),
    )


@pytest.fixture
def kz(build):
    return build.actor("kazakhstan", name_en="Kazakhstan")


# --- Overlapping statuses ------------------------------------------------------------


def test_overlapping_statuses_of_one_kind_are_refused(build, kz):
    """One actor cannot hold the same status twice over the same days."""
    build.status(kz, "member", "2000-01-01", "2010-01-01")
    before = counts()
    with refused(
        "Kazakhstan already holds the status Member State from 2000-01-01 until 2010-01-01, "
        "which overlaps this one."
    ):
        build.status(kz, "member", "2009-12-31")
    assert counts() == before


def test_an_open_ended_status_is_named_without_an_end_in_the_refusal(build, kz):
    """The refusal quotes the status already held; an open one has no 'until'."""
    build.status(kz, "observer", "2000-06")
    with refused("Kazakhstan already holds the status Observer from 2000-06, which overlaps"):
        build.status(kz, "observer", "2005-01-01", "2006-01-01")
    assert Status.objects.filter(actor=kz).count() == 1


def test_adjacent_statuses_are_allowed(build, kz):
    """A status may start on the very day the previous one ended (end is exclusive)."""
    build.status(kz, "member", "2000-01-01", "2010-01-01")
    build.status(kz, "member", "2010-01-01")
    assert Status.objects.filter(actor=kz, kind="member").count() == 2


def test_possibly_overlapping_partial_dates_are_allowed(build, kz):
    """Left "2010", rejoined "2010": the record cannot tell they overlap, so both stand."""
    build.status(kz, "member", "2000-01-01", "2010")
    build.status(kz, "member", "2010")
    assert Status.objects.filter(actor=kz, kind="member").count() == 2


def test_statuses_of_different_kinds_may_overlap(build, kz):
    """An applicant for membership may be an observer over the same days."""
    build.status(kz, "observer", "2000-01-01")
    build.status(kz, "applicant", "2001-01-01", applied_for="member", outcome="pending")
    assert set(Status.objects.filter(actor=kz).values_list("kind", flat=True)) == {
        "observer",
        "applicant",
    }


def test_different_actors_may_hold_the_same_status_at_once(build):
    """The overlap rule is per actor."""
    build.status(build.actor(), "member", "2000-01-01")
    build.status(build.actor(), "member", "2000-01-01")
    assert Status.objects.filter(kind="member").count() == 2


@settings(
    max_examples=20,
    deadline=None,
    # Each example works inside a savepoint that it rolls back.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.dates(D(2000, 1, 1), D(2003, 12, 31)),
            st.integers(min_value=1, max_value=400),
        ),
        min_size=2,
        max_size=2,
    )
)
def test_second_exact_status_is_refused_iff_it_shares_a_day(build, kz, pairs):
    """With exact dates, a second status is refused exactly when some day lies in both."""
    (s1, n1), (s2, n2) = pairs
    assume(s1 != s2)  # the same start names the same status: that is an update
    e1, e2 = s1 + dt.timedelta(days=n1), s2 + dt.timedelta(days=n2)
    days1 = {s1 + dt.timedelta(days=i) for i in range(n1)}
    days2 = {s2 + dt.timedelta(days=i) for i in range(n2)}
    with transaction.atomic():
        build.status(kz, "member", s1, e1)
        try:
            build.status(kz, "member", s2, e2)
        except ValidationError as error:
            assert "which overlaps this one" in str(error)
            accepted = False
        else:
            accepted = True
        assert accepted is not (days1 & days2)
        assert Status.objects.filter(actor=kz).count() == (2 if accepted else 1)
        transaction.set_rollback(True)


# --- Spans and the actor's existence -----------------------------------------------------


def test_end_before_start_is_refused(build, kz):
    """A status cannot end before it starts."""
    with refused("The end (2000-01-01) must come after the start (2005-01-01)."):
        build.status(kz, "member", "2005-01-01", "2000-01-01")
    assert counts()[0] == 0


def test_end_on_the_start_day_is_refused(build, kz):
    """End is the first day no longer held, so an end on the start day is an empty span."""
    with refused("The end (2005-01-01) must come after the start (2005-01-01)."):
        build.status(kz, "member", "2005-01-01", "2005-01-01")
    assert counts()[0] == 0


def test_an_end_that_is_certainly_before_a_partial_start_is_refused(build, kz):
    """An end in 2004 cannot follow a start in 2005, whatever the days."""
    with refused("The end (2004) must come after the start (2005)."):
        build.status(kz, "member", "2005", "2004")
    assert counts()[0] == 0


def test_an_end_the_day_after_the_start_is_allowed(build, kz):
    """The shortest span is one day."""
    status = build.status(kz, "member", "2005-01-01", "2005-01-02")
    assert status.end == PartialDate(2005, 1, 2)


@pytest.mark.parametrize("record", ["status", "chair", "head"])
def test_an_end_year_containing_a_partial_start_is_recorded(build, kz, record):
    """Began February 2020, ended "2020": the rules allow it and the database keeps it."""
    make = {
        "status": lambda: build.status(kz, "member", "2020-02", "2020"),
        "chair": lambda: build.chair(kz, "2020-02", "2020"),
        "head": lambda: build.head("Jane Roe", "2020-02", "2020"),
    }[record]
    term = make()
    term.refresh_from_db()
    assert (term.start, term.end) == (PartialDate(2020, 2), PartialDate(2020))


def test_a_status_before_the_actor_existed_is_refused(build):
    """A state cannot be a member before it existed."""
    state = build.actor("new-state", name_en="New State", exists_from="1991-12-16")
    with refused("New State did not exist on 1990-06-01 (it exists from 1991-12-16)."):
        build.status(state, "member", "1990-06-01")
    with refused("New State did not exist on 1990 (it exists from 1991-12-16)."):
        build.status(state, "member", "1990")
    assert counts()[0] == 0


def test_a_status_possibly_after_the_actor_began_is_allowed(build):
    """A start "1991" may be on or after 16 December 1991, so it is not refused."""
    state = build.actor("new-state", exists_from="1991-12-16")
    build.status(state, "member", "1991")
    build.status(state, "observer", "1991-12-16")
    assert Status.objects.filter(actor=state).count() == 2


def test_a_status_after_the_actor_ceased_is_refused(build):
    """A state that no longer exists cannot take up a status."""
    gone = build.actor("old-state", name_en="Old State", exists_until="1991-12-26")
    with refused("Old State no longer existed on 1991-12-26 (it ceased on 1991-12-26)."):
        build.status(gone, "member", "1991-12-26")
    with refused("Old State no longer existed on 1992 (it ceased on 1991-12-26)."):
        build.status(gone, "member", "1992")
    assert counts()[0] == 0
    build.status(gone, "member", "1991-12-25")
    assert Status.objects.filter(actor=gone).count() == 1


# --- Kinds of actor and status --------------------------------------------------------


def test_an_organization_cannot_be_a_member_state(build):
    """Only states are Member States; an organization may be a partner."""
    org = build.actor("un", kind="organization", name_en="United Nations")
    with refused("United Nations is not a state and cannot be a Member State."):
        build.status(org, "member", "2000-01-01")
    assert counts()[0] == 0
    build.status(org, "partner", "2000-01-01")
    assert Status.objects.get(actor=org).kind == "partner"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"outcome": "pending"}, "Say which status the applicant applied for."),
        (
            {"applied_for": "applicant", "outcome": "pending"},
            "Say which status the applicant applied for.",
        ),
        ({"applied_for": "member"}, "Give the application's outcome (or pending)."),
    ],
)
def test_an_applicant_needs_what_it_applied_for_and_the_outcome(build, kz, values, message):
    """An application records the status sought and how it ended."""
    with refused(message):
        build.status(kz, "applicant", "2000-01-01", **values)
    assert counts()[0] == 0


@pytest.mark.parametrize(
    "values", [{"applied_for": "member"}, {"outcome": "granted"}, {"applied_for": "observer"}]
)
def test_a_non_applicant_cannot_have_application_fields(build, kz, values):
    """Only an applicant has 'applied for' and an outcome."""
    with refused("Only an applicant has 'applied for' and an outcome."):
        build.status(kz, "member", "2000-01-01", **values)
    assert counts()[0] == 0


def test_an_application_is_recorded_with_its_outcome(build, kz):
    """A complete application is saved as given."""
    status = build.status(kz, "applicant", "2000-01-01", applied_for="member", outcome="granted")
    assert (status.applied_for, status.outcome) == ("member", "granted")


# --- Upsert outcomes, sources and variants ---------------------------------------------


def test_status_upsert_reports_created_unchanged_and_updated(build, kz):
    """Loading the same status twice changes nothing; a new end is an update."""
    values = {"actor": kz, "kind": "member", "start": "2000-01-01", "sources": [build.source]}
    first, outcome = services.status_upsert(**values)
    assert outcome is Outcome.CREATED
    again, outcome = services.status_upsert(**values)
    assert (again.pk, outcome) == (first.pk, Outcome.UNCHANGED)
    _, outcome = services.status_upsert(**values, end="2010")
    assert outcome is Outcome.UPDATED
    _, outcome = services.status_upsert(**values, end=PartialDate(2010))
    assert outcome is Outcome.UNCHANGED
    _, outcome = services.status_upsert(**values, end="2010-03")
    assert outcome is Outcome.UPDATED
    assert Status.objects.get().end == PartialDate(2010, 3)


def test_status_upsert_matches_on_actor_kind_and_start(build, kz):
    """The same start given as a string or a date is the same status."""
    build.status(kz, "member", "2000-01-01")
    _, outcome = services.status_upsert(
        actor=kz, kind="member", start=D(2000, 1, 1), sources=[build.source]
    )
    assert outcome is Outcome.UNCHANGED
    assert Status.objects.count() == 1


def test_a_new_source_is_an_update(build, kz):
    """Citing another source changes the record."""
    from secretariat.records.services import source_upsert

    build.status(kz, "member", "2000-01-01")
    other, _ = source_upsert(key="other", title="Other source")
    status, outcome = services.status_upsert(
        actor=kz, kind="member", start="2000-01-01", sources=[build.source, other]
    )
    assert outcome is Outcome.UPDATED
    assert set(services.status_sources(status)) == {build.source, other}


def test_sources_are_required(build, kz):
    """A status without a source is refused and nothing is saved."""
    before = counts()
    with refused("Every record needs at least one source."):
        services.status_upsert(actor=kz, kind="member", start="2000-01-01", sources=[])
    assert counts() == before


def test_removing_every_source_from_an_existing_status_is_refused(build, kz):
    """An existing status cannot be stripped of its sources either."""
    status = build.status(kz, "member", "2000-01-01")
    with refused("Every record needs at least one source."):
        services.status_upsert(actor=kz, kind="member", start="2000-01-01", sources=[], end="2010")
    status.refresh_from_db()
    assert status.end is None
    assert services.status_sources(status) == [build.source]


def test_variants_are_stored_and_replaced(build, kz):
    """Variants record where sources disagree; giving new ones replaces the old."""
    first = [{"field": "start", "value": "2000-02-01", "note": "Press release"}]
    status = build.status(
        kz, "member", "2000-01-01", variants=[{**first[0], "sources": [build.source]}]
    )
    stored = status.variants.all()
    assert [(v.field, v.value, v.note) for v in stored] == [
        ("start", "2000-02-01", "Press release")
    ]
    assert list(stored.get().sources.all()) == [build.source]

    _, outcome = services.status_upsert(
        actor=kz,
        kind="member",
        start="2000-01-01",
        sources=[build.source],
        variants=[{**first[0], "sources": [build.source]}],
    )
    assert outcome is Outcome.UNCHANGED

    _, outcome = services.status_upsert(
        actor=kz,
        kind="member",
        start="2000-01-01",
        sources=[build.source],
        variants=[{"field": "start", "value": "1999", "sources": [build.source]}],
    )
    assert outcome is Outcome.UPDATED
    assert [(v.field, v.value) for v in status.variants.all()] == [("start", "1999")]


def test_a_variant_without_a_source_undoes_the_whole_status(build, kz):
    """A refused variant leaves no half-saved status behind."""
    before = counts()
    with refused("The variant of 'start' needs a source."):
        build.status(kz, "member", "2000-01-01", variants=[{"field": "start", "value": "1999"}])
    assert counts() == before
    assert Variant.objects.count() == 0


def test_a_variant_of_an_unknown_field_is_refused(build, kz):
    """A variant must name a field the status has."""
    with refused("A variant names 'joined', which this record does not have."):
        build.status(
            kz, "member", "2000", variants=[{"field": "joined", "value": "1999", "sources": []}]
        )
    assert counts()[0] == 0


# --- Ending a status --------------------------------------------------------------------


def test_status_end_closes_a_status(build, kz):
    """Ending a status records the end and cites the new source beside the old."""
    from secretariat.records.services import source_upsert

    status = build.status(kz, "member", "2000-01-01")
    withdrawal, _ = source_upsert(key="withdrawal", title="Notice of withdrawal")
    services.status_end(status=status, end="2010-05", sources=[withdrawal])
    status = Status.objects.get(pk=status.pk)
    assert status.end == PartialDate(2010, 5)
    assert set(services.status_sources(status)) == {build.source, withdrawal}


def test_status_end_refuses_a_second_end(build, kz):
    """A status ends once; ending it again is refused and keeps the first end."""
    status = build.status(kz, "member", "2000-01-01")
    services.status_end(status=status, end="2010-01-01", sources=[build.source])
    with refused("This status already ended on 2010-01-01."):
        services.status_end(status=status, end="2012-01-01", sources=[build.source])
    with refused("This status already ended on 2010-01-01."):
        services.status_end(
            status=Status.objects.get(pk=status.pk), end="2012-01-01", sources=[build.source]
        )
    assert Status.objects.get(pk=status.pk).end == PartialDate(2010, 1, 1)


def test_status_end_before_the_start_is_refused(build, kz):
    """An end before the start is refused and the status stays open in the database."""
    status = build.status(kz, "member", "2000-01-01")
    with refused("The end (1999-01-01) must come after the start (2000-01-01)."):
        services.status_end(status=status, end="1999-01-01", sources=[build.source])
    assert Status.objects.get(pk=status.pk).end is None


def test_status_end_can_be_retried_after_a_refusal(build, kz):
    """After a refused end, the same status can still be ended with a valid date."""
    status = build.status(kz, "member", "2000-01-01")
    with refused("must come after the start"):
        services.status_end(status=status, end="1999-01-01", sources=[build.source])
    services.status_end(status=status, end="2010-01-01", sources=[build.source])
    assert Status.objects.get(pk=status.pk).end == PartialDate(2010, 1, 1)


def test_status_end_refuses_a_second_end_from_a_stale_copy(build, kz):
    """Two editors ending the same status: the second is refused, the first end stays."""
    status = build.status(kz, "member", "2000-01-01")
    mine, theirs = Status.objects.get(pk=status.pk), Status.objects.get(pk=status.pk)
    services.status_end(status=mine, end="2010-01-01", sources=[build.source])
    with refused("This status already ended on 2010-01-01."):
        services.status_end(status=theirs, end="2012-01-01", sources=[build.source])
    assert Status.objects.get(pk=status.pk).end == PartialDate(2010, 1, 1)


# --- Chairmanships and heads ------------------------------------------------------------


def test_chairmanships_may_not_overlap(build, kz):
    """Only one state chairs at a time."""
    build.chair(kz, "2018-01-01", "2020-01-01")
    other = build.actor("china", name_en="China")
    before = counts()
    with refused("The term overlaps the chairmanship of Kazakhstan from 2018-01-01 to 2020-01-01."):
        build.chair(other, "2019-06-01")
    assert counts() == before


def test_an_open_chairmanship_blocks_any_later_start(build, kz):
    """A term without an end runs on; a later term must wait for it to be closed."""
    build.chair(kz, "2018-01-01")
    with refused("The term overlaps the chairmanship of Kazakhstan from 2018-01-01."):
        build.chair(build.actor(), "2030-01-01", "2031-01-01")
    assert Chairmanship.objects.count() == 1


def test_consecutive_chairmanships_are_allowed(build, kz):
    """The next chair takes over on the day the previous term ends, also on partial dates."""
    build.chair(kz, "2018-01-01", "2020-01-01")
    build.chair(build.actor(), "2020-01-01", "2022")
    build.chair(build.actor(), "2022")
    assert Chairmanship.objects.count() == 3


def test_a_chair_must_be_a_state(build):
    """An organization cannot chair."""
    org = build.actor("un", kind="organization", name_en="United Nations")
    with refused("Only a state can chair."):
        build.chair(org, "2018-01-01")
    assert Chairmanship.objects.count() == 0


def test_a_chairmanship_must_end_after_it_starts(build, kz):
    """The span rule applies to terms too."""
    with refused("The end (2018-01-01) must come after the start (2018-01-01)."):
        build.chair(kz, "2018-01-01", "2018-01-01")
    assert Chairmanship.objects.count() == 0


def test_heads_may_not_overlap(build):
    """One head of the Secretariat at a time."""
    build.head("Jane Roe", "2015-01-01", "2019-01-01")
    with refused("The term overlaps that of Jane Roe from 2015-01-01 to 2019-01-01."):
        build.head("John Doe", "2018-06-01")
    assert SecretariatHead.objects.count() == 1
    build.head("John Doe", "2019-01-01")
    assert SecretariatHead.objects.count() == 2


def test_a_head_term_must_end_after_it_starts(build):
    """A head cannot leave office before taking it."""
    with refused("The end (2014) must come after the start (2015-01-01)."):
        build.head("Jane Roe", "2015-01-01", "2014")
    assert SecretariatHead.objects.count() == 0


def test_chairmanship_upsert_twice_is_unchanged(build, kz):
    """Reloading a chairmanship reports no change."""
    values = {"actor": kz, "start": "2018", "end": "2020", "sources": [build.source]}
    assert services.chairmanship_upsert(**values)[1] is Outcome.CREATED
    assert services.chairmanship_upsert(**values)[1] is Outcome.UNCHANGED
    assert services.chairmanship_upsert(**{**values, "kind": "renewal"})[1] is Outcome.UPDATED


# --- Database constraints, even when the services are bypassed ----------------------------


# These write raw rows on purpose: the audit check (tests/conftest.py) leaves them alone.
raw_writes = pytest.mark.raw_writes("tests a database constraint by bypassing the services")


def _create_raises_integrity_error(model, **values) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**values)


@raw_writes
def test_database_refuses_an_end_before_the_start(kz):
    """Raw writes cannot store an end before the start."""
    _create_raises_integrity_error(
        Status, actor=kz, kind="member", start_date=D(2005, 1, 1), start_precision="day",
        end_date=D(2000, 1, 1), end_precision="day",
    )  # fmt: skip
    _create_raises_integrity_error(Chairmanship, actor=kz, start=D(2005, 1, 1), end=D(2000, 1, 1))
    assert counts()[:2] == (0, 0)


@raw_writes
def test_database_refuses_a_date_without_precision(kz):
    """A date and its precision are stored together or not at all."""
    _create_raises_integrity_error(
        Status, actor=kz, kind="member", start_date=D(2005, 1, 1), start_precision=""
    )
    _create_raises_integrity_error(
        Status, actor=kz, kind="member", start_date=D(2005, 1, 1), start_precision="week"
    )
    _create_raises_integrity_error(
        Status, actor=kz, kind="member", start="2005", end_date=None, end_precision="day"
    )
    assert counts()[0] == 0


@raw_writes
def test_database_refuses_application_fields_on_a_non_applicant(kz):
    """The applicant columns are checked by the database too."""
    _create_raises_integrity_error(
        Status, actor=kz, kind="member", start="2005", applied_for="member", outcome="granted"
    )
    _create_raises_integrity_error(Status, actor=kz, kind="applicant", start="2005")
    assert counts()[0] == 0


@raw_writes
def test_database_refuses_a_second_status_with_the_same_start(kz):
    """Actor, kind and start identify a status."""
    Status.objects.create(actor=kz, kind="member", start="2005")
    _create_raises_integrity_error(Status, actor=kz, kind="member", start="2005")
    assert Status.objects.count() == 1


@raw_writes
def test_database_refuses_iso_codes_on_an_organization():
    """Only states carry ISO codes."""
    _create_raises_integrity_error(
        Actor, slug="un", kind="organization", name_en="UN", iso2="UN", iso3="UNO"
    )
    _create_raises_integrity_error(Actor, slug="xx", kind="state", name_en="XX", iso2="")
    assert Actor.objects.count() == 0


# --- The officers' verbs: a new actor, a status decision -------------------------------


def test_a_new_actor_gets_a_free_key_and_never_overwrites_another(build):
    from secretariat.registry.services import actor_create

    first = actor_create(kind="state", name_en="Zed Land", iso2="ZL", sources=[build.source])
    second = actor_create(kind="organization", name_en="Zed Land", sources=[build.source])
    assert (first.slug, second.slug) == ("zed-land", "zed-land-2")
    for taken in ({"slug": "zed-land"}, {"iso2": "zl"}):
        with pytest.raises(ValidationError) as refused:
            actor_create(kind="state", name_en="Other", sources=[build.source],
                         **{"iso2": "OT", **taken})  # fmt: skip
        assert set(refused.value.message_dict) == set(taken)
    assert Actor.objects.get(slug="zed-land").name_en == "Zed Land"


def test_a_status_decision_is_not_recorded_twice(build):
    from secretariat.registry.services import status_begin

    alpha = build.actor("alpha")
    status_begin(actor=alpha, kind="member", start="2000", sources=[build.source])
    with pytest.raises(ValidationError) as refused:
        status_begin(actor=alpha, kind="member", start="2000", note="again",
                     sources=[build.source])  # fmt: skip
    assert "start" in refused.value.message_dict
    assert alpha.statuses.get().note == ""


def test_actors_are_offered_by_standing_on_a_date(build):
    from secretariat.registry.selectors import actors_by_standing

    alpha, omega = build.actor("alpha"), build.actor("omega")
    build.actor("union")  # no standing at all
    build.status(alpha, "member", "2000")
    build.status(omega, "observer", "2000", "2010")
    build.status(omega, "applicant", "2009", applied_for="member", outcome="pending")
    groups = {kind: [a.slug for a in actors] for kind, actors in actors_by_standing(
        dt.date(2009, 6, 1))}  # fmt: skip
    assert groups == {"member": ["alpha"], "observer": ["omega"], None: ["union"]}
    later = {kind: [a.slug for a in actors] for kind, actors in actors_by_standing(
        dt.date(2011, 1, 1))}  # fmt: skip
    assert later == {"member": ["alpha"], "applicant": ["omega"], None: ["union"]}
