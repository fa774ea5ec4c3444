"""Decisions selectors: who takes part, where each state stands, and lists by outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretariat.decisions import selectors, services
from secretariat.decisions.models import Procedure

from .world import T0, WEEK, at, document

pytestmark = pytest.mark.django_db
D = dt.date


def names(actors) -> list[str]:
    return [a.name_en for a in actors]


def test_eligibility_is_taken_on_the_opening_day(world):
    """Members certainly holding that day are eligible; a partial-date member is apart;
    observers and partners may comment; newcomers and leavers are out."""
    b = world.build
    b.status(b.actor("zeta", name_en="Zeta"), "member", "2024-03")  # uncertain that day
    b.status(b.actor("delta", name_en="Delta"), "member", "2024-03-02")  # joined the day after
    b.status(b.actor("eta", name_en="Eta"), "member", "2024-03-01")  # joined that very day
    b.status(b.actor("theta", name_en="Theta"), "member", "2000-01-01", "2024-03-01")  # left
    procedure = world.silence()
    elig = selectors.eligibility(procedure)
    assert elig.day == D(2024, 3, 1)
    assert names(elig.eligible) == ["Alpha", "Beta", "Eta", "Gamma"]
    assert names(elig.uncertain) == ["Zeta"]
    assert names(elig.associates) == ["Omega", "Union"]


def test_a_state_that_is_an_observer_then_a_member_counts_as_member(world):
    """An observer that joins as a member on the opening day is eligible, not an associate."""
    world.build.status(world.observer, "member", "2024-03-01")
    elig = selectors.eligibility(world.silence())
    assert world.observer in elig.eligible
    assert world.observer not in elig.associates


def test_the_opening_day_is_the_projects_local_date(world, settings):
    """Opened at 20:00 UTC on 1 March is 2 March in Tokyo: a member from 2 March is eligible."""
    delta = world.build.actor("delta", name_en="Delta")
    world.build.status(delta, "member", "2024-03-02")
    evening = dt.datetime(2024, 3, 1, 20, 0, tzinfo=dt.UTC)
    procedure = world.silence(opened_at=evening)
    assert delta not in selectors.eligibility(procedure).eligible
    settings.TIME_ZONE = "Asia/Tokyo"
    elig = selectors.eligibility(procedure)
    assert (elig.day, delta in elig.eligible) == (D(2024, 3, 2), True)


ROLLED_BACK = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
partial_dates = st.sampled_from(
    ["2023", "2024-02", "2024-03", "2024-02-29", "2024-03-01", "2024-03-02", "2025"]
)


@ROLLED_BACK
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["member", "observer", "partner", "applicant"]),
            partial_dates,
            st.one_of(st.none(), partial_dates),
        ),
        min_size=1,
        max_size=6,
    ),
    st.dates(D(2023, 12, 1), D(2024, 4, 30)),
)
def test_the_list_path_judges_eligibility_as_statuses_at_does(build, statuses, day):
    """The batch used by lists agrees with the registry's statuses_at on every day."""
    assert build.source.pk  # made once, outside the savepoint each example rolls back
    with transaction.atomic():
        for kind, start, end in statuses:
            extra = {"applied_for": "member", "outcome": "pending"} if kind == "applicant" else {}
            actor = build.actor()
            try:
                with transaction.atomic():
                    build.status(actor, kind, start, end, **extra)
            except ValidationError:  # an end before its start: not a status to compare
                continue
        opened = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        single = selectors.eligibility(Procedure(opened_at=opened))
        batch = selectors.eligibilities([day])[day]
        assert single == batch
        transaction.set_rollback(True)


def test_current_positions_and_pending_states(world):
    """Each eligible state's standing position is its latest; comments leave a state pending."""
    procedure = world.silence()
    world.position(procedure, world.alpha, "support", at(hours=1))
    world.position(procedure, world.alpha, "objection", at(hours=2))
    world.position(procedure, world.beta, "comment", at(hours=3))
    world.position(procedure, world.observer, "comment", at(hours=4))
    state = selectors.procedure_state(Procedure.objects.get(pk=procedure.pk), now=at(hours=5))
    assert {a: p.kind for a, p in state.current.items()} == {world.alpha.pk: "objection"}
    assert names(state.pending) == ["Beta", "Gamma"]
    assert [p.kind for p in state.positions] == ["support", "objection", "comment", "comment"]
    earlier = selectors.procedure_state(state.procedure, now=at(hours=1))
    assert {a: p.kind for a, p in earlier.current.items()} == {world.alpha.pk: "support"}


def test_procedures_list_by_outcome_now_and_by_access(world, django_user_model):
    """Lists show the outcome as of now, filter by it, and hide documents one may not read."""
    adopted = world.silence()
    failed = world.silence(version=document("EXO/SOC/2024/2")[1])
    world.position(failed, world.beta, "objection", at(hours=1))
    _, secret_version = document("EXO/SOC/2024/3", access="restricted")
    still_open = world.meeting_procedure(version=secret_version)
    public = AnonymousUser()
    staff = django_user_model.objects.create_user("officer", is_staff=True)
    assert [s.procedure for s in selectors.procedures_list(user=public)] == [failed, adopted]
    assert {s.procedure for s in selectors.procedures_list(user=staff)} == {
        adopted,
        failed,
        still_open,
    }
    by_state = {
        state: [s.procedure for s in selectors.procedures_list(user=staff, state=state)]
        for state in ("open", "adopted", "failed")
    }
    assert by_state == {"open": [still_open], "adopted": [adopted], "failed": [failed]}
    assert selectors.procedure_get(still_open.pk, user=public) is None
    assert selectors.procedure_get(still_open.pk, user=staff) == still_open
    assert selectors.procedure_get(2**70, user=staff) is None


def test_procedures_due_are_final_silence_procedures_not_yet_closed(world):
    """Due: silence procedures adopted or broken by now and without a closing."""
    adopted = world.silence()
    broken = world.silence(version=document("EXO/SOC/2024/2")[1])
    world.position(broken, world.beta, "objection", at(hours=1))
    world.silence(version=document("EXO/SOC/2024/3")[1])
    world.meeting_procedure(version=document("EXO/SOC/2024/4")[1])
    due = selectors.procedures_due(now=T0 + WEEK - dt.timedelta(seconds=1))
    assert [s.procedure for s in due] == [broken]
    due = selectors.procedures_due(now=T0 + WEEK)
    assert [s.procedure.version.document.symbol for s in due] == [  # by deadline, then id
        "EXO/SOC/2024/1",
        "EXO/SOC/2024/2",
        "EXO/SOC/2024/3",
    ]
    assert [s.verdict.state for s in due] == ["adopted", "failed", "adopted"]
    assert due[0].procedure == adopted
    services.procedures_close_due()
    assert selectors.procedures_due(now=T0 + WEEK * 2) == []


def test_the_objections_everyone_may_count(world):
    """Silence: the states that objected in time (a withdrawal does not undo breaking it);
    a meeting: the objections standing now, then at the decision; comments never count."""
    silence = world.silence()
    world.position(silence, world.beta, "objection", at(hours=1))
    world.position(silence, world.beta, "withdrawal", at(hours=2))
    world.position(silence, world.gamma, "objection", at(hours=3))
    world.position(silence, world.observer, "comment", at(hours=4))
    assert selectors.objections(selectors.procedure_state(silence, now=at(hours=1))) == 1
    assert selectors.objections(selectors.procedure_state(silence, now=at(days=9))) == 2
    _, version = document("EXO/SOC/2024/77")
    meeting = world.meeting_procedure(version=version)
    world.position(meeting, world.alpha, "objection", at(hours=1))
    world.position(meeting, world.beta, "objection", at(hours=2))
    world.position(meeting, world.alpha, "withdrawal", at(hours=3))
    assert selectors.objections(selectors.procedure_state(meeting, now=at(hours=2))) == 2
    assert selectors.objections(selectors.procedure_state(meeting, now=at(hours=4))) == 1
    services.procedure_decide(procedure=meeting, decided_at=at(days=4))
    meeting = Procedure.objects.get(pk=meeting.pk)
    assert selectors.objections(selectors.procedure_state(meeting, now=at(days=5))) == 1
