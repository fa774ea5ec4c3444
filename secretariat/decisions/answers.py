"""The answers about consensus procedures and states' positions, declared once
(core.answers): the API and the pages.

Every answer about a procedure is made for one reader: it is built with the context
`seen` (a selectors.PositionsSeen, from `selectors.positions_seen`), and the positions and
statements of states the reader may not see are left out, and so are the per-state lists
that would name them by difference (who is pending); their counts stay.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field

from secretariat.bodies.answers import BodyRef
from secretariat.core.answers import Answer, From
from secretariat.core.schemas import PartialDateOut, SourceOut
from secretariat.registry.answers import ActorRef, MeetingRef

from .models import Position
from .rules import when
from .selectors import PositionsSeen, ProcedureState, closing_of
from .selectors import objections as objections_of


# The document a procedure is on (built from the Document).
class ProcedureDocumentRef(Answer):
    key: str
    symbol: str
    title: Annotated[str, From("title_en")]
    type: str
    access: str


class VersionRef(Answer):
    number: int
    date: PartialDateOut | None = None


# A position; built with `counts` given (whether it bears on adoption).
class PositionOut(Answer):
    id: Annotated[int, From("pk")]
    actor: ActorRef
    kind: str = Field(
        description="support, objection, withdrawal, reservation, interpretative or comment."
    )
    label: Annotated[str, From(lambda position: position.get_kind_display())]
    stated_at: dt.datetime
    statement: str | None = None
    counts: bool = Field(
        description="Whether it bears on adoption: a position of an eligible state, not a comment."
    )


def _objection_shown(verdict, *, seen: PositionsSeen, **context) -> dict | None:
    objection = verdict.broken_by.ref
    return PositionOut.build(objection, counts=True) if seen.shows(objection.actor_id) else None


def _broken_detail(verdict, *, seen: PositionsSeen, **context) -> str:
    objection = verdict.broken_by.ref
    whose = f"{objection.actor}'s objection" if seen.shows(objection.actor_id) else "an objection"
    text = f"Silence was broken by {whose} of {when(objection.stated_at)}"
    if verdict.withdrawn_at is not None:
        text += (
            f"; it was withdrawn at {when(verdict.withdrawn_at)}, which is on record but "
            "does not restore silence"
        )
    return text + "."


# The objection that broke a silence procedure's silence (built from the engine's
# Verdict, with `seen`).
class BrokenBy(Answer):
    position: Annotated[PositionOut | None, From(_objection_shown, context=True)] = Field(
        None, description="The objection, or null when you may not see whose it was."
    )
    stated_at: Annotated[dt.datetime, From("broken_by.ref.stated_at")] = Field(
        description="When the objection was stated."
    )
    withdrawn_at: dt.datetime | None = Field(
        None, description="When the objection was withdrawn: on record, silence stays broken."
    )
    detail: Annotated[str, From(_broken_detail, context=True)]


def _broken_by(state: ProcedureState, **context) -> dict | None:
    if state.verdict.broken_by is None:
        return None
    return BrokenBy.build(state.verdict, context=context)


def _blocked_by(state: ProcedureState, *, seen: PositionsSeen, **context) -> list[dict]:
    return [
        PositionOut.build(s.ref, counts=True)
        for s in state.verdict.blocked_by
        if seen.shows(s.actor)
    ]


# The outcome of a procedure as of a moment (built from a selectors.ProcedureState,
# with `seen`).
class ProcedureOutcomeOut(Answer):
    state: Annotated[str, From(lambda state: state.verdict.state.value)] = Field(
        description="open, adopted or failed, as of `as_of`."
    )
    since: Annotated[dt.datetime, From("verdict.since")] = Field(
        description="Since when the state holds."
    )
    final: Annotated[bool, From("verdict.final")]
    as_of: Annotated[dt.datetime, From("now")]
    objections: Annotated[int, From(objections_of)] = Field(
        description="How many eligible states object, shown to everyone: for a silence "
        "procedure, those who objected before the deadline; for a decision at a meeting, the "
        "objections standing (at the decision, once taken)."
    )
    broken_by: Annotated[BrokenBy | None, From(_broken_by, context=True)] = Field(
        None, description="Silence procedure: the first objection, which broke silence for good."
    )
    blocked_by: Annotated[list[PositionOut], From(_blocked_by, context=True)] = Field(
        description="Meeting: the objections standing when the decision was taken, those "
        "you may see (`objections` counts them all)."
    )


class ClosingOut(Answer):
    outcome: str
    closed_at: dt.datetime
    recorded_at: dt.datetime
    adoption_event: Annotated[bool, From(lambda closing: closing.event_id is not None)] = Field(
        description="Whether the document's adopted event was written."
    )
    adoption_refused: str | None = Field(
        None, description="Why the document's lifecycle refused the adoption, if it did."
    )


def _outcome(state: ProcedureState, **context) -> dict:
    return ProcedureOutcomeOut.build(state, context=context)


def _scope(state: ProcedureState, *, seen: PositionsSeen, **context) -> str:
    return seen.scope


# A procedure as of a moment, as one reader sees it (built from a
# selectors.ProcedureState, with `seen`).
class ProcedureOut(Answer):
    id: Annotated[int, From("procedure.pk")]
    kind: Annotated[str, From("procedure.kind")]
    label: Annotated[str, From(lambda state: state.procedure.get_kind_display())]
    document: Annotated[ProcedureDocumentRef, From("procedure.version.document")]
    version: Annotated[VersionRef, From("procedure.version")]
    body: Annotated[BodyRef, From("procedure.body")]
    meeting: Annotated[MeetingRef | None, From("procedure.meeting")] = None
    opened_at: Annotated[dt.datetime, From("procedure.opened_at")]
    deadline: Annotated[dt.datetime | None, From("procedure.deadline")] = None
    positions_visibility: Annotated[str, From("procedure.positions_visibility")] = Field(
        description="Who sees the states' positions and statements: public (everyone), "
        "members (member states' delegates and the Secretariat) or officers (the Secretariat); "
        "a delegate always sees its own state's."
    )
    positions_shown: Annotated[str, From(_scope, context=True)] = Field(
        description="Whose positions this answer shows: all, own (your state's only) or none."
    )
    eligible_count: Annotated[int, From(lambda state: len(state.eligibility.eligible))] = Field(
        description="How many states are eligible."
    )
    pending_count: Annotated[int, From(lambda state: len(state.pending))] = Field(
        description="How many eligible states have taken no position."
    )
    outcome: Annotated[ProcedureOutcomeOut, From(_outcome, context=True)]


# An eligible state's standing position (built from the Actor, with `position` given).
class CurrentPosition(Answer):
    actor: Annotated[ActorRef, From(lambda actor: actor)]
    position: PositionOut | None = None


def _positions(state: ProcedureState, *, seen: PositionsSeen, **context) -> list[dict]:
    eligible = state.eligibility.eligible_ids
    return [
        PositionOut.build(p, counts=p.actor_id in eligible and p.kind != Position.Kind.COMMENT)
        for p in state.positions
        if seen.shows(p.actor_id)
    ]


def _current_positions(state: ProcedureState, *, seen: PositionsSeen, **context) -> list[dict]:
    current = state.current
    return [
        CurrentPosition.build(
            a,
            position=PositionOut.build(current[a.pk], counts=True) if a.pk in current else None,
        )
        for a in state.eligibility.eligible
        if seen.shows(a.pk)
    ]


def _pending(state: ProcedureState, *, seen: PositionsSeen, **context) -> list | None:
    # Who has not answered names, by difference, who has: shown with the positions.
    return state.pending if seen.every else None


class ProcedureDetail(ProcedureOut):
    eligibility_day: Annotated[dt.date, From("eligibility.day")]
    eligible: Annotated[list[ActorRef], From("eligibility.eligible")]
    eligibility_uncertain: Annotated[list[ActorRef], From("eligibility.uncertain")] = Field(
        description="Possibly members on the opening day (partial dates): they cannot block."
    )
    positions: Annotated[list[PositionOut], From(_positions, context=True)] = Field(
        description="The positions you may see (`positions_shown`), in the order stated."
    )
    current_positions: Annotated[list[CurrentPosition], From(_current_positions, context=True)] = (
        Field(
            description="The standing position of each eligible state whose positions you may see."
        )
    )
    pending: Annotated[list[ActorRef] | None, From(_pending, context=True)] = Field(
        description="The eligible states without a position; null unless you see every state's "
        "positions (the list would name the others by difference): `pending_count` counts them."
    )
    closing: Annotated[ClosingOut | None, From(lambda state: closing_of(state.procedure))] = None
    note: Annotated[str | None, From("procedure.note")] = None
    sources: Annotated[list[SourceOut], From("procedure")]


# A position in the list of a state's positions (built from the Position).
class ActorPositionOut(Answer):
    id: Annotated[int, From("pk")]
    procedure: Annotated[int, From("procedure.pk")] = Field(description="The procedure's id.")
    document: Annotated[ProcedureDocumentRef, From("procedure.version.document")]
    kind: str
    label: Annotated[str, From(lambda position: position.get_kind_display())]
    stated_at: dt.datetime
    statement: str | None = None
