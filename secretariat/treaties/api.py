"""Read API for treaties: the status table, counts and entry into force as of a day."""

import datetime as dt
from enum import StrEnum

from django.http import Http404, HttpResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from secretariat.core.api_pagination import Paged, Presented, ordering, sort
from secretariat.core.schemas import AtQuery, Key, Problem
from secretariat.registry.models import Actor

from . import selectors, status_table
from .answers import ActorTreatyActionOut, TreatyActionOut, TreatyOut, TreatyStatusOut
from .models import TreatyAction

router = Router(tags=["treaties"])

TreatyOrdering = ordering("TreatyOrdering", "symbol", "opened")
ActionOrdering = ordering("ActionOrdering", "date", "participant", "kind")
ActionKind = StrEnum("ActionKind", {k: k for k in TreatyAction.Kind.values})
KEY = Path(..., description="The treaty's document key (or its id).")


class TreatiesQuery(AtQuery):
    ordering: TreatyOrdering | None = Field(
        None, description="By symbol (default) or the day it opened for signature."
    )


class ActionsQuery(Schema):
    participant: Key | None = Field(None, description="Only this state's actions (its slug).")
    kind: ActionKind | None = Field(None, description="Only this kind of action.")
    ordering: ActionOrdering | None = Field(
        None, description="By date (default), participant name or kind; '-' reverses."
    )


@router.get(
    "/treaties",
    response={200: list[TreatyOut], 422: Problem},
    summary="Treaties with their counts and in-force status",
    description="Agreements and conventions you may read, each with counts of signatories "
    "and parties and its entry into force as of `at` (default today), derived from the "
    "recorded instruments.",
)
@paginate(Paged)
def treaties(request, query: Query[TreatiesQuery]):
    states = sort(
        selectors.treaties_list(user=request.user, at=query.at),
        query.ordering,
        {
            "symbol": lambda s: (s.treaty.document.symbol, s.treaty.pk),
            # Treaties with no opening date on record come last (first, reversed).
            "opened": lambda s: (
                s.treaty.opened is None,
                s.treaty.opened.earliest if s.treaty.opened else dt.date.min,
                s.treaty.pk,
            ),
        },
    )
    return Presented(states, TreatyOut.build)


def _status(request, key: str, at: dt.date | None) -> selectors.TreatyStatus:
    treaty = selectors.treaty_get(key, user=request.user)
    if treaty is None:
        raise Http404(f"No treaty '{key}'.")
    return selectors.treaty_status(treaty, at=at)


@router.get(
    "/treaties/{key}/status",
    response={200: TreatyStatusOut, 404: Problem, 422: Problem},
    url_name="treaty_status",
    summary="A treaty's status table as of a day",
    description="`key` is the document's key or id. The table (participant, signature, "
    "instrument with its marker), counts, instruments still required, the general and "
    "per-party entry into force, denunciations, and figures reported by sources beside the "
    "computed ones, differences flagged. Partial dates inside their window make a figure "
    "`uncertain` and a date a range, never a guess.",
)
def treaty_status(request, query: Query[AtQuery], key: str = KEY):
    return TreatyStatusOut.build(_status(request, key, query.at))


@router.get(
    "/treaties/{key}/status.csv",
    response={200: None, 404: Problem, 422: Problem},
    url_name="treaty_status_csv",
    summary="A treaty's status table as CSV",
    description="The table as CSV with a header row, as of `at` (default today).",
    openapi_extra={
        "responses": {
            200: {
                "description": "The status table, one row per participant.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def treaty_status_csv(request, query: Query[AtQuery], key: str = KEY):
    state = _status(request, key, query.at)
    response = HttpResponse(status_table.csv_text(state), content_type="text/csv; charset=utf-8")
    name = f"{state.treaty.document.key}-status-{state.status.at.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    "/treaties/{key}/actions",
    response={200: list[TreatyActionOut], 404: Problem, 422: Problem},
    summary="Every action on record on a treaty",
    description="Signatures, instruments (ratification, acceptance, approval, accession, "
    "succession), reservations, declarations, objections and denunciations, each with its "
    "state, date, domestic act and sources. The status table derives from them.",
)
@paginate(Paged)
def treaty_actions(request, query: Query[ActionsQuery], key: str = KEY):
    treaty = selectors.treaty_get(key, user=request.user)
    if treaty is None:
        raise Http404(f"No treaty '{key}'.")
    actions = list(treaty.actions.all())
    if query.participant:
        if not Actor.objects.filter(slug=query.participant).exists():
            raise Http404(f"No actor with slug '{query.participant}'.")
        actions = [a for a in actions if a.actor.slug == query.participant]
    if query.kind:
        actions = [a for a in actions if a.kind == query.kind.value]
    actions = sort(actions, query.ordering, _ACTION_KEYS)
    return Presented(actions, TreatyActionOut.build)


@router.get(
    "/actors/{slug}/treaty-actions",
    response={200: list[ActorTreatyActionOut], 404: Problem, 422: Problem},
    summary="A state's actions on the treaties you may read",
)
@paginate(Paged)
def actor_treaty_action_list(request, slug: str = Path(..., description="The actor's slug.")):
    actor = Actor.objects.filter(slug=slug).first()
    if actor is None:
        raise Http404(f"No actor with slug '{slug}'.")
    return Presented(
        selectors.actor_treaty_actions(actor, user=request.user), ActorTreatyActionOut.build
    )


_ACTION_KEYS = {
    "date": lambda a: (a.date.earliest, a.pk),
    "participant": lambda a: (a.actor.name_en, a.date.earliest, a.pk),
    "kind": lambda a: (a.kind, a.date.earliest, a.pk),
}
