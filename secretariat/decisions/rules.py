"""The rules a procedure, a position and a decision must obey, checked before every save.

Model.clean() delegates here, so the admin, the services (and later the API)
refuse the same things with the same messages.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from secretariat.bodies.selectors import meeting_title

from . import engine, selectors
from .models import Position, Procedure


def when(value: dt.datetime) -> str:
    """A moment as people read it, in the project's time zone, to the second."""
    local = timezone.localtime(value)
    return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()}"


def require_aware(value: dt.datetime | None, field: str) -> None:
    if value is not None and timezone.is_naive(value):
        raise ValidationError({field: "Give the time with its time zone (e.g. +00:00)."})


def _moments(*values) -> bool:
    """Whether the values are datetimes (else their fields refuse them with their messages)."""
    return all(isinstance(v, dt.datetime) for v in values)


def check_procedure(procedure: Procedure) -> None:
    """What a procedure must be when it opens."""
    deadline = procedure.deadline
    if not _moments(procedure.opened_at) or (deadline is not None and not _moments(deadline)):
        return
    require_aware(procedure.opened_at, "opened_at")
    require_aware(procedure.deadline, "deadline")
    if procedure.kind == Procedure.Kind.SILENCE:
        if procedure.deadline is None:
            raise ValidationError({"deadline": "A silence procedure needs a deadline."})
        if procedure.meeting_id is not None:
            raise ValidationError(
                {"meeting": "A silence procedure is not held at a meeting: leave the meeting out."}
            )
    elif procedure.kind == Procedure.Kind.MEETING:
        if procedure.meeting_id is None:
            raise ValidationError({"meeting": "A decision at a meeting needs its meeting."})
        meeting = procedure.meeting
        if procedure.body_id is not None and meeting.body_id != procedure.body_id:
            raise ValidationError(
                {
                    "meeting": f"{meeting_title(meeting)} is a meeting of {meeting.body}, "
                    f"not of {procedure.body}."
                }
            )
    else:
        return  # an unknown kind is refused by the field's choices
    if procedure.deadline is not None and procedure.deadline <= procedure.opened_at:
        raise ValidationError(
            {
                "deadline": f"The deadline ({when(procedure.deadline)}) must come after the "
                f"opening ({when(procedure.opened_at)})."
            }
        )
    if procedure.pk is None and not selectors.eligibility(procedure).eligible:
        day = selectors.opening_day(procedure)
        raise ValidationError(
            {"opened_at": f"No state was certainly a member on {day}: nobody could decide."}
        )


def check_position(position: Position) -> None:
    """Whether this state may take this position in this procedure, at the time stated."""
    if (
        position.procedure_id is None
        or position.actor_id is None
        or not _moments(position.stated_at)
        or position.kind not in Position.Kind.values
    ):
        return  # the fields themselves are refused with their own messages
    require_aware(position.stated_at, "stated_at")
    procedure = position.procedure
    actor, stated_at = position.actor, position.stated_at
    now = timezone.now()
    if stated_at > now:
        raise ValidationError(
            {"stated_at": f"A position cannot be stated in the future ({when(stated_at)})."}
        )
    if stated_at < procedure.opened_at:
        raise ValidationError(
            {
                "stated_at": f"The position is stated at {when(stated_at)}, before the "
                f"procedure opened ({when(procedure.opened_at)})."
            }
        )
    closing = selectors.closing_of(procedure)
    _check_not_closed(procedure, closing, stated_at)
    elig = selectors.eligibility(procedure)
    _check_standing(position, elig)
    # A delegate speaking for another state is refused by accounts.policy, on every write.
    others = list(procedure.positions.exclude(pk=position.pk))
    if any(p.actor_id == actor.pk and p.stated_at == stated_at for p in others):
        raise ValidationError(
            f"{actor} already has a position stated at {when(stated_at)}; "
            "a change of position is stated later."
        )
    _check_withdrawals(position, [p for p in others if p.actor_id == actor.pk])
    _check_final(procedure, closing, position, others, elig, now)


def _check_not_closed(procedure: Procedure, closing, stated_at: dt.datetime) -> None:
    if procedure.kind == Procedure.Kind.SILENCE:
        if stated_at >= procedure.deadline:
            raise ValidationError(
                {
                    "stated_at": f"The silence procedure closed at its deadline "
                    f"({when(procedure.deadline)}): a position stated at {when(stated_at)} "
                    "comes too late."
                }
            )
    elif closing is not None and stated_at >= closing.closed_at:
        raise ValidationError(
            {
                "stated_at": f"The decision was taken at {when(closing.closed_at)}: a position "
                f"stated at {when(stated_at)} comes too late."
            }
        )


def _check_standing(position: Position, elig: selectors.Eligibility) -> None:
    actor, day = position.actor, elig.day
    if position.kind == Position.Kind.COMMENT:
        if not elig.may_comment(actor.pk):
            raise ValidationError(
                f"{actor} was neither a member state nor an observer or partner on {day}, "
                "when the procedure opened: it cannot take part."
            )
        return
    if elig.is_eligible(actor.pk):
        return
    if elig.is_uncertain(actor.pk):
        raise ValidationError(
            f"Whether {actor} was a member state on {day}, when the procedure opened, is "
            "uncertain (its membership dates are partial): it cannot take a position on "
            "adoption, only comment."
        )
    if elig.is_associate(actor.pk):
        raise ValidationError(
            f"{actor} was an observer or partner, not a member state, on {day}, when the "
            "procedure opened: it may comment but not take a position on adoption."
        )
    raise ValidationError(
        f"{actor} was not a member state on {day}, when the procedure opened: it cannot "
        "take a position on adoption."
    )


def _check_withdrawals(position: Position, own: list[Position]) -> None:
    """Every withdrawal of the state, the new position in its place, withdraws a standing
    objection: the state's position just before it is an objection."""
    sequence = engine.ordered(selectors.stances([*own, position]))
    before = None
    for stance in sequence:
        if stance.kind == Position.Kind.COMMENT:
            continue
        if stance.kind == Position.Kind.WITHDRAWAL and (
            before is None or before.kind != Position.Kind.OBJECTION
        ):
            if stance.ref is position:
                raise ValidationError(
                    f"{position.actor} has no standing objection at {when(stance.stated_at)} "
                    "to withdraw."
                )
            raise ValidationError(
                f"Stated at {when(position.stated_at)}, this position would leave "
                f"{position.actor}'s withdrawal of {when(stance.stated_at)} without a standing "
                "objection to withdraw."
            )
        before = stance


def _check_final(procedure, closing, position, others, elig, now) -> None:
    """Once the close is recorded (and, for an adoption, the document's event written), a
    position entered late, though stated in time, cannot change the outcome. Before that
    the derived outcome simply follows the positions by when they were stated."""
    if closing is None:
        return
    eligible = elig.eligible_ids
    was = selectors.verdict_for(procedure, others, eligible, now=now)
    would = selectors.verdict_for(procedure, [*others, position], eligible, now=now)
    if would.state == was.state:
        return
    if procedure.kind == Procedure.Kind.SILENCE:
        raise ValidationError(
            f"The silence procedure was closed as {closing.outcome} at "
            f"{when(closing.closed_at)}: a position entered after the close cannot change "
            "its outcome, even if stated earlier."
        )
    raise ValidationError(
        f"The decision taken at {when(closing.closed_at)} was {closing.outcome}: a position "
        "entered after it cannot change its outcome."
    )


def check_decision(procedure: Procedure, decided_at: dt.datetime, *, now: dt.datetime) -> None:
    """Whether the decision of a meeting procedure may be recorded as taken at `decided_at`."""
    if procedure.kind != Procedure.Kind.MEETING:
        raise ValidationError(
            "Only a decision at a meeting is recorded; a silence procedure closes by itself "
            "at its deadline."
        )
    if not _moments(decided_at):
        raise ValidationError({"decided_at": "Give the moment the decision was taken."})
    require_aware(decided_at, "decided_at")
    closing = selectors.closing_of(procedure)
    if closing is not None:
        raise ValidationError(
            f"The decision was already recorded: {closing.outcome} at {when(closing.closed_at)}."
        )
    if decided_at <= procedure.opened_at:
        raise ValidationError(
            {
                "decided_at": f"The decision ({when(decided_at)}) must come after the opening "
                f"({when(procedure.opened_at)})."
            }
        )
    if decided_at > now:
        raise ValidationError(
            {
                "decided_at": "A decision cannot be recorded before it is taken "
                f"({when(decided_at)})."
            }
        )
    late = procedure.positions.filter(stated_at__gte=decided_at).select_related("actor").first()
    if late is not None:
        raise ValidationError(
            {
                "decided_at": f"{late.actor}'s position is stated at {when(late.stated_at)}, not "
                f"before the decision ({when(decided_at)}): record the decision at its time."
            }
        )
