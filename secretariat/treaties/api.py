"""Read API for treaties: the status table, counts and entry into force as of a day."""

import datetime as dt
from enum import StrEnum

from django.http import Http404, HttpResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from secretariat.checklists.api import ChecklistOut
from secretariat.core.api_pagination import Paged, Presented, ordering, sort
from secretariat.core.presenters import sources
from secretariat.core.schemas import AtQuery, Key, PartialDateOut, Problem, SourceOut
from secretariat.documents.api import DocumentRef
from secretariat.figures.answers import ReportedFigureOut
from secretariat.registry.answers import ActorRef, MeetingRef
from secretariat.registry.models import Actor
from secretariat.registry.presenters import actor_ref

from . import presenters, selectors
from .models import TreatyAction

router = Router(tags=["treaties"])

TreatyOrdering = ordering("TreatyOrdering", "symbol", "opened")
ActionOrdering = ordering("ActionOrdering", "date", "participant", "kind")
ActionKind = StrEnum("ActionKind", {k: k for k in TreatyAction.Kind.values})
KEY = Path(..., description="The treaty's document key (or its id).")


class DayRangeOut(Schema):
    earliest: dt.date
    latest: dt.date | None = Field(
        None, description="None: the record cannot say it happens (an uncertain date)."
    )
    certain: bool
    display: str


class FigureOut(Schema):
    value: int = Field(description="The figure from the instruments certainly deposited.")
    uncertain: int = Field(description="How many states with a partial date may change it.")
    low: int
    high: int


class Counts(Schema):
    signatories: FigureOut
    parties: FigureOut
    signed_and_ratified: FigureOut
    signed_not_ratified: FigureOut


class EntryIntoForceOut(Schema):
    in_force: str = Field(description="yes, no or uncertain, as of `at`.")
    date: DayRangeOut | None = Field(None, description="The general date; None: not in force.")
    instrument_deposited: DayRangeOut | None = Field(
        None, description="When the instrument that brought it into force was deposited."
    )
    display: str


class TreatyOut(Schema):
    id: int
    document: DocumentRef
    depositary: str | None = None
    opened: PartialDateOut | None = None
    parties_may_be: str = Field(description="member_states or any_state.")
    at: dt.date
    counts: Counts
    instruments_required: FigureOut | None = Field(
        None, description="Instruments still required before entry into force (None: no rule)."
    )
    entry_into_force: EntryIntoForceOut
    reported_differs: bool = Field(
        description="Whether a figure reported by a source differs from the computed one."
    )


class ActionOut(Schema):
    id: int
    kind: str
    label: str
    date: PartialDateOut
    effective: PartialDateOut | None = None
    domestic_act: str | None = None
    domestic_act_ru: str | None = None
    domestic_act_date: PartialDateOut | None = None
    statement: str | None = None


class RowOut(Schema):
    participant: ActorRef
    signature: PartialDateOut | None = None
    signature_withdrawn: PartialDateOut | None = None
    instrument: ActionOut | None = None
    marker: str | None = Field(
        None, description="a accession, d succession, A acceptance, AA approval; none: ratified."
    )
    instrument_display: str | None = None
    denunciation: ActionOut | None = None
    signed: str = Field(description="yes, no or uncertain on `at`.")
    party: str = Field(description="yes, no or uncertain on `at`.")
    entry_into_force: DayRangeOut | None = Field(
        None, description="The treaty's entry into force for this party."
    )
    statements: list[ActionOut]


class RuleOut(Schema):
    instruments: int | None = None
    kinds: list[str]
    delay_days: int
    later_delay_days: int | None = None
    text: str | None = None


class DenunciationOut(Schema):
    participant: ActorRef
    date: PartialDateOut
    effective: PartialDateOut
    party: str


class TreatyReportedOut(ReportedFigureOut):
    metric: str = Field(description="The measure, as the treaty's counts name it.")


class TreatyStatusOut(TreatyOut):
    depositary_ru: str | None = None
    opened_place: str | None = None
    opened_place_ru: str | None = None
    opened_at: MeetingRef | None = None
    rule: RuleOut
    table: list[RowOut]
    denunciations: list[DenunciationOut]
    reported: list[TreatyReportedOut] = Field(
        description="Figures sources report without names, beside those computed as of the "
        "last day of their date."
    )
    next_steps: ChecklistOut = Field(description="What the treaty's procedure waits on.")
    note: str | None = None
    sources: list[SourceOut]


class TreatyActionOut(ActionOut):
    participant: ActorRef
    sources: list[SourceOut]


class ActorTreatyActionOut(ActionOut):
    treaty: DocumentRef
    sources: list[SourceOut]


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
    return Presented(states, presenters.treaty_summary)


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
    return presenters.treaty_status_dict(_status(request, key, query.at))


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
    response = HttpResponse(presenters.csv_text(state), content_type="text/csv; charset=utf-8")
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
    return Presented(actions, _treaty_action)


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
    return Presented(selectors.actor_treaty_actions(actor, user=request.user), _actor_action)


_ACTION_KEYS = {
    "date": lambda a: (a.date.earliest, a.pk),
    "participant": lambda a: (a.actor.name_en, a.date.earliest, a.pk),
    "kind": lambda a: (a.kind, a.date.earliest, a.pk),
}


def _treaty_action(action: TreatyAction) -> dict:
    return {
        **presenters.action_dict(action.as_act()),
        "participant": actor_ref(action.actor),
        "sources": sources(action),
    }


def _actor_action(action: TreatyAction) -> dict:
    return {
        **presenters.action_dict(action.as_act()),
        "treaty": presenters.document_ref(action.treaty),
        "sources": sources(action),
    }
