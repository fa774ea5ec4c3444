"""The outcome function alone: silence and meeting rules at every moment, no database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secretariat.decisions.engine import Stance, State, standing, verdict

from .world import SECOND, T0, WEEK

DEADLINE = T0 + WEEK
ELIGIBLE = {"alpha", "beta", "gamma"}


def silence(positions=(), *, now, eligible=ELIGIBLE, deadline=DEADLINE):
    return verdict(
        kind="silence",
        opened_at=T0,
        closes_at=deadline,
        eligible=eligible,
        positions=positions,
        now=now,
    )


def meeting(positions=(), *, now, decided_at=None, eligible=ELIGIBLE):
    return verdict(
        kind="meeting",
        opened_at=T0,
        closes_at=decided_at,
        eligible=eligible,
        positions=positions,
        now=now,
    )


def p(actor, kind, hours):
    return Stance(actor, kind, T0 + dt.timedelta(hours=hours))


# --- Silence ----------------------------------------------------------------------------


def test_silence_adopts_at_the_deadline_not_a_second_before():
    """Without objection the procedure is open one second before the deadline, adopted at it."""
    before = silence(now=DEADLINE - SECOND)
    assert (before.state, before.since, before.final) == (State.OPEN, T0, False)
    on_time = silence(now=DEADLINE)
    assert (on_time.state, on_time.since, on_time.final) == (State.ADOPTED, DEADLINE, True)
    assert silence(now=DEADLINE + WEEK).since == DEADLINE


def test_an_objection_fails_silence_from_the_moment_it_is_stated():
    """Silence is broken at the instant of the objection, not at the deadline."""
    objection = p("beta", "objection", 30)
    assert silence([objection], now=objection.stated_at - SECOND).state == State.OPEN
    failed = silence([objection], now=objection.stated_at)
    assert (failed.state, failed.since, failed.broken_by) == (
        State.FAILED,
        objection.stated_at,
        objection,
    )
    assert silence([objection], now=DEADLINE + WEEK).state == State.FAILED


def test_a_withdrawn_objection_does_not_restore_silence():
    """Withdrawing the objection is on record (withdrawn_at) but the procedure stays failed."""
    objection, withdrawal = p("beta", "objection", 1), p("beta", "withdrawal", 2)
    result = silence([objection, withdrawal], now=DEADLINE + SECOND)
    assert result.state == State.FAILED
    assert result.broken_by == objection
    assert result.withdrawn_at == withdrawal.stated_at
    # Before the withdrawal was stated, it is not yet known.
    assert silence([objection, withdrawal], now=objection.stated_at).withdrawn_at is None


def test_an_objection_at_or_after_the_deadline_does_not_break_silence():
    """Silence is judged on objections stated before the deadline."""
    late = Stance("beta", "objection", DEADLINE)
    assert silence([late], now=DEADLINE + WEEK).state == State.ADOPTED


def test_the_first_objection_breaks_silence_whoever_else_objects():
    """With several objections, the earliest stated broke silence."""
    first, second = p("gamma", "objection", 5), p("alpha", "objection", 9)
    assert silence([second, first], now=DEADLINE).broken_by == first


@pytest.mark.parametrize("kind", ["reservation", "interpretative", "support", "comment"])
def test_reservations_and_statements_join_consensus_in_silence(kind):
    """A reservation or interpretative statement is on record and does not break silence."""
    assert silence([p("alpha", kind, 3)], now=DEADLINE).state == State.ADOPTED


def test_positions_of_states_not_eligible_never_count():
    """An observer's or a newcomer's objection does not break silence."""
    outsiders = [p("observer", "objection", 1), p("newcomer", "objection", 2)]
    assert silence(outsiders, now=DEADLINE).state == State.ADOPTED


def test_positions_stated_after_the_moment_asked_are_not_yet_known():
    """Asked about a past moment, the answer ignores what was stated later."""
    objection = p("beta", "objection", 100)
    assert silence([objection], now=T0 + dt.timedelta(hours=99)).state == State.OPEN


# --- Meeting ----------------------------------------------------------------------------


def test_a_meeting_procedure_is_open_until_the_decision():
    """Without a recorded decision a meeting procedure stays open whatever is said."""
    assert meeting([p("alpha", "support", 1)], now=T0 + WEEK * 10).state == State.OPEN
    decided = T0 + dt.timedelta(hours=5)
    assert meeting(now=decided - SECOND, decided_at=decided).state == State.OPEN
    adopted = meeting(now=decided, decided_at=decided)
    assert (adopted.state, adopted.since) == (State.ADOPTED, decided)


def test_an_objection_standing_at_the_decision_blocks_it():
    """One eligible state's standing objection makes the decision fail; it is named."""
    decided = T0 + dt.timedelta(hours=5)
    objection = p("gamma", "objection", 2)
    result = meeting([p("alpha", "support", 1), objection], now=decided, decided_at=decided)
    assert (result.state, result.blocked_by) == (State.FAILED, (objection,))


def test_an_objection_withdrawn_before_the_decision_does_not_count():
    """Withdrawn before the decision: adopted; the withdrawal came too late if after it."""
    decided = T0 + dt.timedelta(hours=5)
    positions = [p("gamma", "objection", 2), p("gamma", "withdrawal", 4)]
    assert meeting(positions, now=decided, decided_at=decided).state == State.ADOPTED
    late = [p("gamma", "objection", 2), p("gamma", "withdrawal", 6)]
    assert meeting(late, now=decided + WEEK, decided_at=decided).state == State.FAILED


def test_a_new_position_replaces_a_standing_objection():
    """A state that objected and then supports no longer objects."""
    decided = T0 + dt.timedelta(hours=5)
    positions = [p("gamma", "objection", 1), p("gamma", "support", 2)]
    assert meeting(positions, now=decided, decided_at=decided).state == State.ADOPTED


@pytest.mark.parametrize("kind", ["reservation", "interpretative"])
def test_reservations_and_statements_join_consensus_at_a_meeting(kind):
    """A reservation or an interpretative statement joins consensus."""
    decided = T0 + dt.timedelta(hours=5)
    result = meeting([p("alpha", kind, 1)], now=decided, decided_at=decided)
    assert result.state == State.ADOPTED


def test_an_unknown_kind_is_an_error():
    """The function refuses kinds it does not know rather than guess."""
    with pytest.raises(ValueError, match="unknown procedure kind"):
        verdict(kind="vote", opened_at=T0, closes_at=None, eligible=(), positions=(), now=T0)


def test_standing_takes_each_states_latest_position_on_adoption():
    """Comments do not replace a position; the strict bound leaves out the instant itself."""
    positions = [p("a", "objection", 1), p("a", "comment", 2), p("b", "support", 3)]
    held = standing(positions, at=T0 + dt.timedelta(hours=3))
    assert {k: v.kind for k, v in held.items()} == {"a": "objection"}
    assert set(standing(positions, at=T0 + dt.timedelta(hours=3), strict=False)) == {"a", "b"}


# --- Properties -------------------------------------------------------------------------

ACTORS = ["alpha", "beta", "gamma", "observer"]
KINDS = ["support", "objection", "withdrawal", "reservation", "interpretative", "comment"]
stances = st.lists(
    st.builds(
        Stance,
        actor=st.sampled_from(ACTORS),
        kind=st.sampled_from(KINDS),
        # Minutes after the opening: a small range, so that ties and deadlines meet.
        stated_at=st.integers(0, 40).map(lambda m: T0 + dt.timedelta(minutes=m)),
    ),
    max_size=8,
)
minutes = st.integers(-5, 50).map(lambda m: T0 + dt.timedelta(minutes=m))


@settings(max_examples=300)
@given(stances, st.randoms(use_true_random=False), minutes, minutes)
def test_the_outcome_does_not_depend_on_the_order_of_entry(positions, rnd, now, close):
    """Whatever order the positions come in, the outcome is the same, for both kinds."""
    shuffled = list(positions)
    rnd.shuffle(shuffled)
    deadline = max(close, T0 + SECOND)
    for ask in (
        lambda ps: silence(ps, now=now, deadline=deadline),
        lambda ps: meeting(ps, now=now, decided_at=deadline),
    ):
        assert ask(positions) == ask(shuffled)


def brute_force_silence(positions, *, now, deadline):
    """The definition, minute by minute: failed once an eligible objection was stated before
    the deadline and by now; else adopted from the deadline; else open."""
    state, since, t = State.OPEN, T0, T0
    while t <= now:
        objected = any(
            s.actor in ELIGIBLE and s.kind == "objection" and s.stated_at == t for s in positions
        )
        if state is State.OPEN and t < deadline and objected:
            state, since = State.FAILED, t
        if state is State.OPEN and t >= deadline:
            state, since = State.ADOPTED, deadline
        t += dt.timedelta(minutes=1)
    return state, since


@settings(max_examples=300)
@given(stances, minutes, st.integers(1, 45))
def test_silence_outcome_equals_the_brute_force_definition(positions, now, deadline_minutes):
    """At any moment the silence outcome is what stepping through time minute by minute gives."""
    deadline = T0 + dt.timedelta(minutes=deadline_minutes)
    result = silence(positions, now=now, deadline=deadline)
    assert (result.state, result.since) == brute_force_silence(
        positions, now=now, deadline=deadline
    )
    if result.state is State.FAILED:
        assert result.broken_by.kind == "objection"
        assert result.broken_by.stated_at == result.since


def brute_force_meeting(positions, *, decided_at):
    """The definition: replay each eligible state's positions before the decision."""
    objecting = set()
    for s in sorted(positions, key=lambda s: (s.stated_at, s.kind != "objection")):
        if s.actor not in ELIGIBLE or s.kind == "comment" or s.stated_at >= decided_at:
            continue
        if s.kind == "objection":
            objecting.add(s.actor)
        else:
            objecting.discard(s.actor)
    return State.FAILED if objecting else State.ADOPTED


@settings(max_examples=300)
@given(stances, st.integers(1, 45))
def test_meeting_outcome_equals_the_replay_of_positions(positions, decided_minutes):
    """At the decision, failed exactly when some eligible state's objection still stands."""
    decided = T0 + dt.timedelta(minutes=decided_minutes)
    result = meeting(positions, now=decided, decided_at=decided)
    assert result.state == brute_force_meeting(positions, decided_at=decided)
