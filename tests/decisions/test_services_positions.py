"""Recording positions: who may state what, when, what they do to the outcome, and
that the outcome does not depend on the order they are entered."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretariat.accounts import services as accounts
from secretariat.core.acting import acting_as
from secretariat.decisions import selectors, services
from secretariat.decisions.models import Position, Procedure, ProcedureClosing
from secretariat.documents.models import DocumentEvent
from secretariat.documents.services import document_event_upsert

from .world import HOUR, SECOND, T0, WEEK, at, document, outcome_at, refused

pytestmark = pytest.mark.django_db


# --- Positions ---------------------------------------------------------------------------


def test_positions_are_recorded_with_time_statement_and_who_entered_them(world, django_user_model):
    """A position keeps its kind, the moment stated, the statement and who entered it."""
    delegate = django_user_model.objects.create_user("alpha-delegate")
    procedure = world.silence()
    position = world.position(
        procedure, world.alpha, "reservation", at(hours=2), "On paragraph 3.", entered_by=delegate
    )
    assert (position.kind, position.stated_at, position.statement, position.entered_by) == (
        "reservation",
        at(hours=2),
        "On paragraph 3.",
        delegate,
    )


def test_only_a_states_delegates_record_its_positions(world):
    """Officers and administrators may not put words in a government's mouth; the state's
    delegate may, and so may the system recording history."""
    from django.core.exceptions import PermissionDenied

    procedure = world.silence()
    make = accounts.account_create
    officer = make(username="ofc", password="x-Secret-42!", role="officer").user
    admin = make(username="adm", password="x-Secret-42!", role="administrator").user
    delegate = make(
        username="alpha-d", password="x-Secret-42!", role="delegate", actor=world.alpha
    ).user
    for user in (officer, admin):
        with (
            acting_as(user, via="web"),
            pytest.raises(PermissionDenied, match="recorded only by that state's delegates"),
        ):
            world.position(procedure, world.alpha, "support", at(hours=1))
    with acting_as(delegate, via="web"):
        world.position(procedure, world.alpha, "support", at(hours=1))
    with acting_as(via="loader"):
        world.position(procedure, world.beta, "support", at(hours=2))
    assert Position.objects.count() == 2


def test_a_deciding_objection_is_kept_only_once_confirmed(world):
    """Unconfirmed, an objection that breaks silence is checked and refused with what it
    would do, nothing kept (nor audited); confirmed it is recorded; once silence is broken
    another objection decides nothing and needs no confirmation."""
    from secretariat.audit.models import AuditEntry

    procedure = world.silence()
    trail = AuditEntry.objects.count()
    with pytest.raises(services.ConfirmationNeeded) as caught:
        world.position(procedure, world.alpha, "objection", at(hours=1), confirmed=False)
    assert caught.value.consequence == selectors.BREAKS_SILENCE
    assert "would end the silence procedure" in caught.value.message_dict["confirm"][0]
    assert not Position.objects.exists() and AuditEntry.objects.count() == trail
    world.position(procedure, world.alpha, "support", at(hours=1), confirmed=False)
    with refused("it may comment but not take a position on adoption"):
        world.position(procedure, world.observer, "objection", at(hours=2), confirmed=False)
    world.position(procedure, world.beta, "objection", at(hours=2), confirmed=True)
    world.position(procedure, world.gamma, "objection", at(hours=3), confirmed=False)
    assert Position.objects.filter(kind="objection").count() == 2


def test_a_blocking_objection_at_a_meeting_asks_for_confirmation(world):
    procedure = world.meeting_procedure()
    with pytest.raises(services.ConfirmationNeeded) as caught:
        world.position(procedure, world.gamma, "objection", at(hours=1), confirmed=False)
    assert caught.value.consequence == selectors.BLOCKS_CONSENSUS
    world.position(procedure, world.gamma, "objection", at(hours=1))
    services.procedure_decide(procedure=procedure, decided_at=at(days=4))
    assert (
        selectors.position_decides(procedure, world.alpha.pk, "objection", now=at(days=5)) is None
    )


def test_who_sees_the_positions_is_set_and_checked(world):
    procedure = world.silence()
    assert procedure.positions_visibility == "members"
    services.procedure_visibility_set(procedure=procedure, visibility="officers")
    assert Procedure.objects.get().positions_visibility == "officers"
    with refused("is not a valid choice"):
        services.procedure_visibility_set(procedure=procedure, visibility="nobody")
    assert Procedure.objects.get().positions_visibility == "officers"


def test_an_objection_breaks_silence_when_stated(world):
    """An eligible state's objection fails the silence procedure from that moment."""
    procedure = world.silence()
    world.position(procedure, world.beta, "objection", at(hours=30), "Not acceptable.")
    assert outcome_at(procedure, at(hours=30) - SECOND).state == "open"
    failed = outcome_at(procedure, at(hours=30))
    assert (failed.state, failed.since) == ("failed", at(hours=30))


def test_silence_adopts_at_the_deadline_in_the_selector_without_any_job(world):
    """No closing is needed: at the deadline the derived outcome is adopted."""
    procedure = world.silence()
    world.position(procedure, world.alpha, "support", at(hours=1))
    assert outcome_at(procedure, T0 + WEEK - SECOND).state == "open"
    assert outcome_at(procedure, T0 + WEEK).state == "adopted"
    assert not ProcedureClosing.objects.exists()


def test_a_withdrawn_objection_leaves_silence_broken(world):
    """The withdrawal is recorded; the outcome stays failed and names what broke silence."""
    procedure = world.silence()
    objection = world.position(procedure, world.beta, "objection", at(hours=1))
    world.position(procedure, world.beta, "withdrawal", at(hours=2), "We withdraw.")
    result = outcome_at(procedure, T0 + WEEK)
    assert (result.state, result.broken_by.ref, result.withdrawn_at) == (
        "failed",
        objection,
        at(hours=2),
    )
    assert Position.objects.filter(procedure=procedure).count() == 2


@pytest.mark.parametrize("kind", ["reservation", "interpretative"])
def test_reservations_and_interpretative_statements_join_consensus(world, kind):
    """A state joining consensus with a statement on record does not block."""
    silence = world.silence()
    world.position(silence, world.gamma, kind, at(hours=1), "Our understanding is ...")
    assert outcome_at(silence, T0 + WEEK).state == "adopted"
    meeting = world.meeting_procedure(version=document("EXO/SOC/2024/2")[1])
    world.position(meeting, world.gamma, kind, at(hours=1), "Our understanding is ...")
    closed = services.procedure_decide(procedure=meeting, decided_at=at(hours=3))
    assert closed.outcome == "adopted"


def test_observers_and_partners_comment_without_ever_blocking(world):
    """Comments by an observer and a partner are recorded and change nothing."""
    procedure = world.silence()
    world.position(procedure, world.observer, "comment", at(hours=1), "We welcome it.")
    world.position(procedure, world.partner, "comment", at(hours=2), "Noted.")
    world.position(procedure, world.alpha, "comment", at(hours=3), "A member comments too.")
    assert outcome_at(procedure, T0 + WEEK).state == "adopted"
    assert procedure.positions.count() == 3


def test_withdrawal_needs_a_standing_objection(world):
    """A state that never objected, or already withdrew, has nothing to withdraw."""
    procedure = world.silence()
    with refused("Alpha has no standing objection at 2024-03-01 13:00:00 UTC to withdraw."):
        world.position(procedure, world.alpha, "withdrawal", at(hours=1))
    world.position(procedure, world.alpha, "objection", at(hours=2))
    world.position(procedure, world.alpha, "withdrawal", at(hours=3))
    with refused("Alpha has no standing objection at 2024-03-01 16:00:00 UTC to withdraw."):
        world.position(procedure, world.alpha, "withdrawal", at(hours=4))
    with refused("Alpha has no standing objection at 2024-03-01 13:30:00 UTC to withdraw."):
        world.position(procedure, world.alpha, "withdrawal", at(minutes=90))  # before objecting


def test_a_position_cannot_orphan_a_later_withdrawal(world):
    """Entered late between an objection and its withdrawal, a position would leave the
    withdrawal with nothing to withdraw: refused."""
    procedure = world.silence()
    world.position(procedure, world.alpha, "objection", at(hours=1))
    world.position(procedure, world.alpha, "withdrawal", at(hours=3))
    with refused(
        "Stated at 2024-03-01 14:00:00 UTC, this position would leave Alpha's withdrawal of "
        "2024-03-01 15:00:00 UTC without a standing objection to withdraw."
    ):
        world.position(procedure, world.alpha, "support", at(hours=2))
    world.position(procedure, world.alpha, "comment", at(hours=2))  # a comment is no position


@pytest.mark.parametrize(
    ("who", "kind", "message"),
    [
        (
            "observer",
            "objection",
            "Omega was an observer or partner, not a member state, on "
            "2024-03-01, when the procedure opened: it may comment but not take a position",
        ),
        ("partner", "support", "Union was an observer or partner"),
        (
            "stranger",
            "objection",
            "Stranger was not a member state on 2024-03-01, when the "
            "procedure opened: it cannot take a position on adoption.",
        ),
        (
            "stranger",
            "comment",
            "Stranger was neither a member state nor an observer or partner "
            "on 2024-03-01, when the procedure opened: it cannot take part.",
        ),
    ],
)
def test_states_that_cannot_block_are_refused_with_the_reason(world, who, kind, message):
    """Observers and partners only comment; others cannot take part at all."""
    actor = getattr(world, who, None) or world.build.actor("stranger")
    procedure = world.silence()
    with refused(message):
        world.position(procedure, actor, kind, at(hours=1))
    assert not procedure.positions.exists()


def test_an_uncertain_member_may_comment_but_not_block(world):
    """A state whose membership on the opening day rests on a partial date cannot block."""
    zeta = world.build.actor("zeta", name_en="Zeta")
    world.build.status(zeta, "member", "2024-03")
    procedure = world.silence()
    with refused(
        "Whether Zeta was a member state on 2024-03-01, when the procedure opened, is uncertain "
        "(its membership dates are partial): it cannot take a position on adoption, only comment."
    ):
        world.position(procedure, zeta, "objection", at(hours=1))
    world.position(procedure, zeta, "comment", at(hours=1), "We will join.")
    assert outcome_at(procedure, T0 + WEEK).state == "adopted"


@pytest.mark.parametrize(
    ("start", "end", "may_block"),
    [
        ("2024-03-02", None, False),  # joined the day after the opening
        ("2000-01-01", "2024-03-01", False),  # left: 1 March is its first day out
        ("2000-01-01", "2024-02-29", False),  # left the day before
        ("2024-03-01", None, True),  # joined on the opening day itself
        ("2000-01-01", "2024-03-02", True),  # left the day after
    ],
)
def test_only_members_on_the_opening_day_can_block(world, start, end, may_block):
    """Eligibility is fixed on the day the procedure opens."""
    delta = world.build.actor("delta", name_en="Delta")
    world.build.status(delta, "member", start, end)
    procedure = world.silence()
    when = at(days=2)
    if may_block:
        world.position(procedure, delta, "objection", when)
        assert outcome_at(procedure, when).state == "failed"
    else:
        with refused("Delta was not a member state on 2024-03-01"):
            world.position(procedure, delta, "objection", when)
        assert outcome_at(procedure, T0 + WEEK).state == "adopted"


def test_positions_out_of_time_are_refused(world):
    """Before the opening, in the future, at or after the deadline: refused with the reason."""
    procedure = world.silence()
    with refused(
        "The position is stated at 2024-03-01 11:59:59 UTC, before the procedure opened "
        "(2024-03-01 12:00:00 UTC)."
    ):
        world.position(procedure, world.alpha, "objection", T0 - SECOND)
    future = timezone.now() + HOUR
    with refused("A position cannot be stated in the future"):
        world.position(procedure, world.alpha, "support", future)
    with refused(
        "The silence procedure closed at its deadline (2024-03-08 12:00:00 UTC): a position "
        "stated at 2024-03-08 12:00:00 UTC comes too late."
    ):
        world.position(procedure, world.alpha, "objection", T0 + WEEK)
    with refused("Give the time with its time zone"):
        world.position(procedure, world.alpha, "support", at(hours=1).replace(tzinfo=None))
    world.position(procedure, world.alpha, "objection", T0 + WEEK - SECOND)  # just in time
    assert outcome_at(procedure, T0 + WEEK).state == "failed"


def test_two_positions_of_a_state_at_one_instant_are_refused(world):
    """A change of position comes later; one instant holds one position per state."""
    procedure = world.silence()
    world.position(procedure, world.alpha, "support", at(hours=1))
    with refused("Alpha already has a position stated at 2024-03-01 13:00:00 UTC"):
        world.position(procedure, world.alpha, "objection", at(hours=1))
    world.position(procedure, world.beta, "objection", at(hours=1))  # another state may


def test_an_unknown_position_kind_is_refused(world):
    """Only the kinds of position on record are accepted."""
    with refused("Value 'veto' is not a valid choice."):
        world.position(world.silence(), world.alpha, "veto", at(hours=1))


def test_an_objection_entered_after_the_deadline_counts_by_when_it_was_stated(world):
    """Before the close is recorded, an objection stated in time but entered late (a letter
    received on the last day) breaks silence as of when it was stated."""
    procedure = world.silence()
    assert outcome_at(procedure, timezone.now()).state == "adopted"  # the deadline has passed
    world.position(procedure, world.alpha, "objection", at(days=6))
    result = outcome_at(procedure, timezone.now())
    assert (result.state, result.since) == ("failed", at(days=6))


def test_a_late_entry_cannot_change_a_recorded_close(world):
    """Once the adoption is closed (and the document's event written), an objection said to
    be stated earlier cannot undo it; a support entered late is still recorded."""
    procedure = world.silence()
    services.procedures_close_due()
    with refused(
        "The silence procedure was closed as adopted at 2024-03-08 12:00:00 UTC: a position "
        "entered after the close cannot change its outcome, even if stated earlier."
    ):
        world.position(procedure, world.alpha, "objection", at(days=6))
    world.position(procedure, world.beta, "support", at(days=6))
    assert outcome_at(procedure, timezone.now()).state == "adopted"


def test_an_earlier_objection_entered_late_moves_the_moment_silence_broke(world):
    """After a failure is closed, an objection stated even earlier is recorded, and the
    closing's moment follows it (the derived outcome always did)."""
    procedure = world.silence()
    world.position(procedure, world.beta, "objection", at(days=3))
    services.procedures_close_due()
    world.position(procedure, world.gamma, "objection", at(days=1))
    world.position(procedure, world.beta, "withdrawal", at(days=4))  # recorded, still failed
    closing = ProcedureClosing.objects.get(procedure=procedure)
    assert (closing.outcome, closing.closed_at) == ("failed", at(days=1))
    assert outcome_at(procedure, timezone.now()).broken_by.ref.actor == world.gamma


# --- Order of entry ----------------------------------------------------------------------

ROLLED_BACK = settings(
    max_examples=15,
    deadline=None,
    # Each example works inside a savepoint that it rolls back.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# Per state, a valid history: each withdrawal right after an objection.
history = st.lists(
    st.sampled_from(["support", "objection", "objection+withdrawal", "reservation", "comment"]),
    max_size=3,
)


@ROLLED_BACK
@given(st.tuples(history, history, history), st.randoms(use_true_random=False), st.booleans())
def test_outcome_does_not_depend_on_the_order_positions_are_entered(world, plans, rnd, meet):
    """The same positions entered in any order give the same outcome at every moment."""
    stated = []
    for state, plan in zip(world.eligible, plans, strict=True):
        hour = 1 + world.eligible.index(state)
        for step in plan:
            for kind in step.split("+"):
                stated.append((state, kind, at(hours=hour)))
                hour += 5  # distinct instants per state, interleaved between states
    entry = list(stated)
    rnd.shuffle(entry)
    with transaction.atomic():
        procedure = world.meeting_procedure() if meet else world.silence()
        pending = entry
        for _ in range(len(entry) + 1):  # a withdrawal waits for its objection
            refused_now = []
            for actor, kind, when in pending:
                try:
                    world.position(procedure, actor, kind, when)
                except ValidationError:
                    refused_now.append((actor, kind, when))
            pending = refused_now
        assert not pending
        if meet:
            services.procedure_decide(procedure=procedure, decided_at=at(days=3))
        stored = Procedure.objects.get(pk=procedure.pk)
        for hours in (0, 4, 12, 30, 24 * 7):
            got = selectors.procedure_state(stored, now=at(hours=hours)).verdict
            expected = _replayed(world, stated, meet=meet, now=at(hours=hours))
            assert (got.state, got.since) == expected
        transaction.set_rollback(True)


def _replayed(world, stated, *, meet, now):
    """What the positions say, replayed in the order stated."""
    if meet:
        decided = at(days=3)
        if now < decided:
            return ("open", T0)
        latest = {}
        for actor, kind, _ in sorted(stated, key=lambda s: s[2]):
            if kind != "comment":
                latest[actor] = kind
        failed = "objection" in latest.values()
        return ("failed" if failed else "adopted", decided)
    objections = sorted(w for _, kind, w in stated if kind == "objection" and w <= now)
    if objections:
        return ("failed", objections[0])
    return ("adopted", T0 + WEEK) if now >= T0 + WEEK else ("open", T0)


def test_an_adoption_already_on_record_keeps_its_sources(world):
    """When the adoption of that day is already recorded, the procedure is cited beside
    its sources, never instead of them."""
    from secretariat.records.services import source_upsert

    minutes, _ = source_upsert(key="soc-minutes", title="Minutes of the SOC")
    document_event_upsert(
        document=world.document, kind="adopted", date="2024-03-05", sources=[minutes]
    )
    procedure = world.meeting_procedure()
    services.procedure_decide(procedure=procedure, decided_at=at(days=4))
    event = DocumentEvent.objects.get(document=world.document)
    cited = [c.source for c in event.citations.all()]
    assert cited[0] == minutes
    assert [s.target for s in cited[1:]] == [procedure]
