"""Read API for treaties: the status table, counts and entry into force as of a day."""

import datetime as dt

from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema

from secretariat.checklists.api import ChecklistOut
from secretariat.core.schemas import PartialDateOut, Problem, SourceOut
from secretariat.registry.api import ActorRef, MeetingRef

from . import presenters, selectors

router = Router(tags=["treaties"])


class DocumentRef(Schema):
    key: str
    id: int
    symbol: str
    title: str
    type: str
    access: str


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


class ReportedOut(Schema):
    metric: str
    label: str
    as_of: PartialDateOut
    reported: int
    computed: FigureOut | None = None
    differs: bool
    detail: str
    note: str | None = None
    sources: list[SourceOut]


class TreatyStatusOut(TreatyOut):
    depositary_ru: str | None = None
    opened_place: str | None = None
    opened_place_ru: str | None = None
    opened_at: MeetingRef | None = None
    rule: RuleOut
    table: list[RowOut]
    denunciations: list[DenunciationOut]
    reported: list[ReportedOut] = Field(
        description="Figures sources report without names, beside those computed as of the "
        "last day of their date."
    )
    next_steps: ChecklistOut = Field(description="What the treaty's procedure waits on.")
    note: str | None = None
    sources: list[SourceOut]


class AtQuery(Schema):
    at: dt.date | None = Field(None, description="YYYY-MM-DD (default today).")


@router.get(
    "/treaties",
    response={200: list[TreatyOut], 422: Problem},
    summary="Treaties with their counts and in-force status",
    description="Agreements and conventions you may read, each with counts of signatories "
    "and parties and its entry into force as of `at` (default today), derived from the "
    "recorded instruments.",
)
def treaties(request, query: Query[AtQuery]):
    states = selectors.treaties_list(user=request.user, at=query.at)
    return [presenters.treaty_summary(s) for s in states]


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
def treaty_status(request, key: str, query: Query[AtQuery]):
    return presenters.treaty_status_dict(_status(request, key, query.at))


@router.get(
    "/treaties/{key}/status.csv",
    response={200: None, 404: Problem, 422: Problem},
    url_name="treaty_status_csv",
    summary="A treaty's status table as CSV",
    description="The table as CSV with a header row, as of `at` (default today).",
)
def treaty_status_csv(request, key: str, query: Query[AtQuery]):
    state = _status(request, key, query.at)
    response = HttpResponse(presenters.csv_text(state), content_type="text/csv; charset=utf-8")
    name = f"{state.treaty.document.key}-status-{state.status.at.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
