"""API for consensus procedures: who takes part, where each state stands, the outcome;
states' positions recorded by their delegates.

Every answer is made for its caller: which states' positions and statements it shows
is decided by `selectors.positions_seen` (the procedure's `positions_visibility`), and
the answers (decisions.answers) leave out the rest, counts aside.
"""

import datetime as dt
from enum import StrEnum

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from secretariat.accounts.auth import signed_in
from secretariat.core.api_http import version_etag
from secretariat.core.api_pagination import Paged, Presented, ordering, sort
from secretariat.core.as_of import AsOfMoment
from secretariat.core.schemas import Problem
from secretariat.registry.models import Actor
from secretariat.registry.selectors import speaking_for

from . import selectors, services
from .answers import ActorPositionOut, PositionOut, ProcedureDetail, ProcedureOut

router = Router(tags=["decisions"])

ProcedureOrdering = ordering("ProcedureOrdering", "opened", "deadline")
PROCEDURE_ID = Path(..., description="The procedure's id.")


class StateFilter(StrEnum):
    open = "open"
    adopted = "adopted"
    failed = "failed"


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
        lambda s: ProcedureOut.build(
            s, context={"seen": selectors.positions_seen(s.procedure, user)}
        ),
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
    return ProcedureDetail.build(state, context={"seen": seen})


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
    return Status(201, PositionOut.build(position, counts=state.eligibility.is_eligible(actor.pk)))


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
    return Presented(selectors.actor_positions(actor, user=request.user), ActorPositionOut.build)
