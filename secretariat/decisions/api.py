"""API for consensus procedures: who takes part, where each state stands, the outcome;
states' positions recorded by their delegates."""

import datetime as dt
from enum import StrEnum

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from secretariat.accounts import policy
from secretariat.accounts.auth import signed_in
from secretariat.accounts.selectors import speaking_for
from secretariat.bodies.api import BodyRef
from secretariat.core.schemas import PartialDateOut, Problem, SourceOut
from secretariat.registry.api import ActorRef, MeetingRef

from . import presenters, selectors, services

router = Router(tags=["decisions"])


class StateFilter(StrEnum):
    open = "open"
    adopted = "adopted"
    failed = "failed"


class DocumentRef(Schema):
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
    position: PositionOut
    withdrawn_at: dt.datetime | None = Field(
        None, description="When the objection was withdrawn: on record, silence stays broken."
    )
    detail: str


class OutcomeOut(Schema):
    state: str = Field(description="open, adopted or failed, as of `as_of`.")
    since: dt.datetime = Field(description="Since when the state holds.")
    final: bool
    as_of: dt.datetime
    broken_by: BrokenBy | None = Field(
        None, description="Silence procedure: the first objection, which broke silence for good."
    )
    blocked_by: list[PositionOut] = Field(
        description="Meeting: the objections standing when the decision was taken."
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
    document: DocumentRef
    version: VersionRef
    body: BodyRef
    meeting: MeetingRef | None = None
    opened_at: dt.datetime
    deadline: dt.datetime | None = None
    outcome: OutcomeOut


class CurrentPosition(Schema):
    actor: ActorRef
    position: PositionOut | None = None


class ProcedureDetail(ProcedureOut):
    eligibility_day: dt.date
    eligible: list[ActorRef]
    eligibility_uncertain: list[ActorRef] = Field(
        description="Possibly members on the opening day (partial dates): they cannot block."
    )
    positions: list[PositionOut]
    current_positions: list[CurrentPosition]
    pending: list[ActorRef]
    closing: ClosingOut | None = None
    note: str | None = None
    sources: list[SourceOut]


class ProceduresQuery(Schema):
    state: StateFilter | None = Field(None, description="open, adopted or failed, as of now.")


@router.get(
    "/procedures",
    response={200: list[ProcedureOut], 422: Problem},
    summary="Consensus procedures, newest first, with their outcome now",
    description="Decisions at meetings and silence procedures on documents you may read. "
    "`state` filters on the outcome as of now, derived from the positions by when they "
    "were stated.",
)
@paginate(LimitOffsetPagination)
def procedures(request, query: Query[ProceduresQuery]):
    state = query.state.value if query.state else None
    return _Presented(selectors.procedures_list(user=request.user, state=state))


class _Presented:
    """Procedure states that the paginator slices, presented item by item after slicing."""

    def __init__(self, states):
        self.states = states

    def __len__(self):
        return len(self.states)

    def __getitem__(self, item):
        return [presenters.procedure_dict(s) for s in self.states[item]]


@router.get(
    "/procedures/{procedure_id}",
    response={200: ProcedureDetail, 404: Problem, 422: Problem},
    url_name="procedure_detail",
    summary="One procedure: eligible states, every position, the outcome now",
    description="The eligible states are those certainly members on the day it opened; "
    "possible members (partial dates) are listed apart and cannot block. Positions are "
    "listed in the order stated; `current_positions` gives each eligible state's standing "
    "one, `pending` those without one.",
)
def procedure_detail(request, procedure_id: int):
    procedure = selectors.procedure_get(procedure_id, user=request.user)
    if procedure is None:
        raise Http404(f"No procedure {procedure_id}.")
    return presenters.procedure_dict(selectors.procedure_state(procedure), detail=True)


class PositionIn(Schema):
    kind: str = Field(
        description="support, objection, withdrawal, reservation, interpretative or comment."
    )
    statement: str = Field("", max_length=20000, description="What the state said, if anything.")
    actor: str | None = Field(
        None,
        description="The state's slug. A delegate records only its own state's positions and "
        "may leave this out; officers name the state.",
    )
    stated_at: dt.datetime | None = Field(
        None,
        description="Officers entering a position stated earlier give when; a delegate's "
        "position is stated when it is recorded.",
    )


@router.post(
    "/procedures/{procedure_id}/positions",
    auth=signed_in,
    response={201: PositionOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
    summary="Record a state's position on the draft",
    description="Positions are never changed: a change of position is a new one stated later "
    "(a withdrawal withdraws an objection). Delegates record their own state's positions; "
    "officers record any state's, as stated.",
)
def position_create(request, procedure_id: int, payload: PositionIn):
    procedure = selectors.procedure_get(procedure_id, user=request.user)
    if procedure is None:
        raise Http404(f"No procedure {procedure_id}.")
    actor = speaking_for(
        request.user, payload.actor, missing="Name the state whose position this is."
    )
    stated_at = timezone.now()
    if payload.stated_at is not None and policy.is_secretariat(request.user):
        stated_at = payload.stated_at
    # The policy refuses another state's position (403), the rules a late one (422).
    position = services.position_record(
        procedure=procedure,
        actor=actor,
        kind=payload.kind,
        stated_at=stated_at,
        statement=payload.statement,
        entered_by=request.user,
    )
    state = selectors.procedure_state(procedure)
    return Status(
        201, presenters.position_dict(position, counts=state.eligibility.is_eligible(actor.pk))
    )
