"""API for consensus procedures: who takes part, where each state stands, the outcome;
states' positions recorded by their delegates.

Every answer is made for its caller: which states' positions and statements it shows
is decided by `selectors.positions_seen` (the procedure's `positions_visibility`), and
the presenters leave out the rest, counts aside.
"""

import datetime as dt
from enum import StrEnum

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from secretariat.accounts.auth import signed_in
from secretariat.bodies.api import BodyRef
from secretariat.core.api_http import version_etag
from secretariat.core.api_pagination import Paged, Presented, ordering, sort
from secretariat.core.as_of import AsOfMoment
from secretariat.core.schemas import PartialDateOut, Problem, SourceOut
from secretariat.registry.answers import ActorRef, MeetingRef
from secretariat.registry.models import Actor
from secretariat.registry.selectors import speaking_for

from . import presenters, selectors, services

router = Router(tags=["decisions"])

ProcedureOrdering = ordering("ProcedureOrdering", "opened", "deadline")
PROCEDURE_ID = Path(..., description="The procedure's id.")


class StateFilter(StrEnum):
    open = "open"
    adopted = "adopted"
    failed = "failed"


class ProcedureDocumentRef(Schema):
    key: str
    symbol: str
    title: str
    type: str
    access: str


class VersionRef(Schema):
    number: int
    date: PartialDateOut | None = None


class PositionOut(Schema):
    id: int
    actor: ActorRef
    kind: str = Field(
        description="support, objection, withdrawal, reservation, interpretative or comment."
    )
    label: str
    stated_at: dt.datetime
    statement: str | None = None
    counts: bool = Field(
        description="Whether it bears on adoption: a position of an eligible state, not a comment."
    )


class BrokenBy(Schema):
    position: PositionOut | None = Field(
        None, description="The objection, or null when you may not see whose it was."
    )
    stated_at: dt.datetime = Field(description="When the objection was stated.")
    withdrawn_at: dt.datetime | None = Field(
        None, description="When the objection was withdrawn: on record, silence stays broken."
    )
    detail: str


class ProcedureOutcomeOut(Schema):
    state: str = Field(description="open, adopted or failed, as of `as_of`.")
    since: dt.datetime = Field(description="Since when the state holds.")
    final: bool
    as_of: dt.datetime
    objections: int = Field(
        description="How many eligible states object, shown to everyone: for a silence "
        "procedure, those who objected before the deadline; for a decision at a meeting, the "
        "objections standing (at the decision, once taken)."
    )
    broken_by: BrokenBy | None = Field(
        None, description="Silence procedure: the first objection, which broke silence for good."
    )
    blocked_by: list[PositionOut] = Field(
        description="Meeting: the objections standing when the decision was taken, those "
        "you may see (`objections` counts them all)."
    )


class ClosingOut(Schema):
    outcome: str
    closed_at: dt.datetime
    recorded_at: dt.datetime
    adoption_event: bool = Field(description="Whether the document's adopted event was written.")
    adoption_refused: str | None = Field(
        None, description="Why the document's lifecycle refused the adoption, if it did."
    )


class ProcedureOut(Schema):
    id: int
    kind: str
    label: str
    document: ProcedureDocumentRef
    version: VersionRef
    body: BodyRef
    meeting: MeetingRef | None = None
    opened_at: dt.datetime
    deadline: dt.datetime | None = None
    positions_visibility: str = Field(
        description="Who sees the states' positions and statements: public (everyone), "
        "members (member states' delegates and the Secretariat) or officers (the Secretariat); "
        "a delegate always sees its own state's."
    )
    positions_shown: str = Field(
        description="Whose positions this answer shows: all, own (your state's only) or none."
    )
    eligible_count: int = Field(description="How many states are eligible.")
    pending_count: int = Field(description="How many eligible states have taken no position.")
    outcome: ProcedureOutcomeOut


class CurrentPosition(Schema):
    actor: ActorRef
    position: PositionOut | None = None


class ProcedureDetail(ProcedureOut):
    eligibility_day: dt.date
    eligible: list[ActorRef]
    eligibility_uncertain: list[ActorRef] = Field(
        description="Possibly members on the opening day (partial dates): they cannot block."
    )
    positions: list[PositionOut] = Field(
        description="The positions you may see (`positions_shown`), in the order stated."
    )
    current_positions: list[CurrentPosition] = Field(
        description="The standing position of each eligible state whose positions you may see."
    )
    pending: list[ActorRef] | None = Field(
        description="The eligible states without a position; null unless you see every state's "
        "positions (the list would name the others by difference): `pending_count` counts them."
    )
    closing: ClosingOut | None = None
    note: str | None = None
    sources: list[SourceOut]


class MomentQuery(Schema):
    at: AsOfMoment = Field(
        None,
        description="The moment outcomes are judged at, ISO 8601 (a day alone: its start; "
        "without a zone: UTC). Default now.",
    )

    @field_validator("at")
    @classmethod
    def _aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        try:
            return value.astimezone(dt.UTC)
        except OverflowError:
            raise ValueError("is out of the range of moments on record") from None


class ProceduresQuery(MomentQuery):
    state: StateFilter | None = Field(None, description="open, adopted or failed, as of `at`.")
    ordering: ProcedureOrdering | None = Field(
        None, description="By opening (default: newest first, -opened) or deadline."
    )


class ActorPositionOut(Schema):
    id: int
    procedure: int = Field(description="The procedure's id.")
    document: ProcedureDocumentRef
    kind: str
    label: str
    stated_at: dt.datetime
    statement: str | None = None


@router.get(
    "/procedures",
    response={200: list[ProcedureOut], 422: Problem},
    summary="Consensus procedures, newest first, with their outcome at a moment",
    description="Decisions at meetings and silence procedures on documents you may read. "
    "`state` filters on the outcome as of `at` (default now), derived from the positions "
    "by when they were stated.",
)
@paginate(Paged)
def procedures(request, query: Query[ProceduresQuery]):
    state = query.state.value if query.state else None
    states = sort(
        selectors.procedures_list(user=request.user, state=state, now=query.at),
        query.ordering,
        {
            "opened": lambda s: (s.procedure.opened_at, s.procedure.pk),
            # Procedures at a meeting have no deadline: they come last (first, reversed).
            "deadline": lambda s: (
                s.procedure.deadline is None,
                s.procedure.deadline or s.procedure.opened_at,
                s.procedure.pk,
            ),
        },
    )
    user = request.user
    return Presented(
        states,
        lambda s: presenters.procedure_dict(s, seen=selectors.positions_seen(s.procedure, user)),
    )


@router.get(
    "/procedures/{procedure_id}",
    response={200: ProcedureDetail, 404: Problem, 422: Problem},
    url_name="procedure_detail",
    summary="One procedure: eligible states, every position, the outcome at a moment",
    description="The eligible states are those certainly members on the day it opened; "
    "possible members (partial dates) are listed apart and cannot block. Positions are "
    "listed in the order stated; `current_positions` gives each eligible state's standing "
    "one, `pending` those without one; the outcome is as of `at` (default now). Which "
    "states' positions and statements are shown depends on the procedure's "
    "`positions_visibility` and on who asks (`positions_shown`); the outcome and the "
    "counts are shown to everyone.",
)
def procedure_detail(request, query: Query[MomentQuery], procedure_id: int = PROCEDURE_ID):
    procedure = selectors.procedure_get(procedure_id, user=request.user)
    if procedure is None:
        raise Http404(f"No procedure {procedure_id}.")
    state = selectors.procedure_state(procedure, now=query.at)
    seen = selectors.positions_seen(procedure, request.user)
    return presenters.procedure_dict(state, seen=seen, detail=True)


class PositionIn(Schema):
    kind: str = Field(
        description="support, objection, withdrawal, reservation, interpretative or comment."
    )
    statement: str = Field("", max_length=20000, description="What the state said, if anything.")
    actor: str | None = Field(
        None,
        description="The state's slug: a delegate records only its own state's positions, "
        "and may leave this out.",
    )
    confirm: bool = Field(
        False,
        description="Required (true) for a position that decides the outcome: an objection "
        "that breaks a silence procedure's silence (it then fails, for good) or blocks "
        "consensus at a meeting. Without it such a position is refused with 422 and not "
        "recorded.",
    )


@router.post(
    "/procedures/{procedure_id}/positions",
    auth=signed_in,
    response={201: PositionOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
    summary="Record your state's position on the draft",
    description="Positions are never changed: a change of position is a new one stated later "
    "(a withdrawal withdraws an objection); a position is stated when it is recorded. Only a "
    "state's delegates record its positions (not even officers). An objection that would "
    "decide the outcome (break silence, or block consensus at a meeting) needs "
    '`"confirm": true`, else 422. The answer carries the new record\'s ETag.',
)
def position_create(
    request, payload: PositionIn, response: HttpResponse, procedure_id: int = PROCEDURE_ID
):
    procedure = selectors.procedure_get(procedure_id, user=request.user)
    if procedure is None:
        raise Http404(f"No procedure {procedure_id}.")
    actor = speaking_for(
        request.user, payload.actor, missing="Name the state whose position this is."
    )
    # The policy refuses another state's position and an officer's (403), the rules a
    # late one (422), the service a deciding one not confirmed (422, naming `confirm`).
    position = services.position_add(
        procedure=procedure,
        actor=actor,
        kind=payload.kind,
        stated_at=timezone.now(),
        statement=payload.statement,
        entered_by=request.user,
        confirmed=payload.confirm,
    )
    state = selectors.procedure_state(procedure)
    response["ETag"] = version_etag(position.version)
    return Status(
        201, presenters.position_dict(position, counts=state.eligibility.is_eligible(actor.pk))
    )


@router.get(
    "/actors/{slug}/positions",
    response={200: list[ActorPositionOut], 404: Problem, 422: Problem},
    summary="The positions a state stated, newest first",
    description="Only positions in procedures on documents you may read, and only where "
    "you are shown which state took which position (each procedure's `positions_visibility`; "
    "a delegate always sees its own state's).",
)
@paginate(Paged)
def actor_position_list(request, slug: str = Path(..., description="The actor's slug.")):
    actor = Actor.objects.filter(slug=slug).first()
    if actor is None:
        raise Http404(f"No actor with slug '{slug}'.")
    return Presented(selectors.actor_positions(actor, user=request.user), _actor_position)


def _actor_position(position) -> dict:
    procedure = position.procedure
    return {
        "id": position.pk,
        "procedure": procedure.pk,
        "document": presenters.document_ref(procedure),
        "kind": position.kind,
        "label": position.get_kind_display(),
        "stated_at": position.stated_at,
        "statement": position.statement or None,
    }
