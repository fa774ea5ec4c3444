"""Read API for the CBMs (catalogue, areas, roles), the road map and quotations."""

import datetime as dt

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from secretariat.checklists.api import ChecklistOut
from secretariat.core.api_pagination import Paged, Presented, order_by, ordering, sort
from secretariat.core.prefetch import cited
from secretariat.core.schemas import AtQuery, Key, PartialDateOut, Problem, SourceOut
from secretariat.documents.api import DocumentRef
from secretariat.documents.presenters import document_ref
from secretariat.documents.selectors import readable, readable_ids
from secretariat.figures.answers import ReportedFigureOut
from secretariat.registry.answers import ActorRef
from secretariat.registry.models import Actor

from . import presenters, selectors
from .models import CbmEvent, Dimension, PriorityArea

router = Router(tags=["programme"])

AreaOrdering = ordering("AreaOrdering", "number", "added_on")
CbmEventOrdering = ordering("CbmEventOrdering", "date", "area")
DatedOrdering = ordering("DatedOrdering", "date")
MAX_ID = 2**63 - 1


class MeetingKey(Schema):
    key: str
    id: int


class RoleOut(Schema):
    id: int
    actor: ActorRef
    role: str = Field(description="coordinator or co_coordinator.")
    start: PartialDateOut
    start_attested: bool = Field(
        description="True when the start is only the earliest date a source names the role "
        "(it may have begun earlier)."
    )
    end: PartialDateOut | None = None
    holds: str | None = Field(None, description="yes or uncertain on `at` (None: no `at`).")
    decided_at: MeetingKey | None = None
    decided_by: DocumentRef | None = None
    note: str | None = None
    sources: list[SourceOut]


class AreaRef(Schema):
    id: int
    number: int
    number_ours: bool = Field(
        description="True when the number is the record's own: the sources give the area none."
    )
    title: str


class AreaOut(AreaRef):
    title_ru: str | None = None
    dimension: str
    added_on: PartialDateOut | None = None
    added_at: MeetingKey | None = None
    added_by: DocumentRef | None = None
    note: str | None = None
    sources: list[SourceOut]


class CatalogueAreaOut(AreaOut):
    coordinators: list[RoleOut]


class DimensionOut(Schema):
    slug: str
    name: str
    name_ru: str | None = None
    areas: list[CatalogueAreaOut]


class SpanEventOut(Schema):
    kind: str = Field(
        description="The lifecycle event: adopted, endorsed, entered_into_force, "
        "superseded or withdrawn."
    )
    date: PartialDateOut
    meeting: MeetingKey | None = None


class EditionRef(Schema):
    id: int
    document: DocumentRef | None = Field(None, description="None if you may not read it.")
    note: str | None = None
    in_force_from: SpanEventOut | None = Field(
        None, description="The event of its document that brought it into force."
    )
    in_force_until: SpanEventOut | None = Field(
        None, description="The event that ended it (None: not ended on record)."
    )


class EditionOut(EditionRef):
    first_day: dt.date | None = Field(
        None, description="The first day it was certainly in force (`at` for the catalogue)."
    )
    areas: int = Field(description="Priority areas of the edition on record.")


class RelatedOut(Schema):
    document: DocumentRef
    sources: list[SourceOut]


class CatalogueOut(Schema):
    at: dt.date
    edition: EditionRef
    dimensions: list[DimensionOut]
    related_documents: list[RelatedOut]
    reported: list[ReportedFigureOut] = Field(
        description="How many priority areas sources give the edition, known by `at`, each "
        "beside the areas on record on its own date, with why they differ where they do."
    )


class CbmEventOut(Schema):
    id: int
    kind: str
    title: str
    title_ru: str | None = None
    organizer: ActorRef | None = None
    date: PartialDateOut
    place: str | None = None
    sources: list[SourceOut]


class YearCount(Schema):
    year: int
    count: int


class StateCount(Schema):
    state: ActorRef | None = None
    count: int


class ReviewOut(Schema):
    id: int
    date: PartialDateOut
    meeting: MeetingKey | None = None
    documents: list[DocumentRef]
    note: str | None = None
    sources: list[SourceOut]


class AreaDetailOut(AreaOut):
    edition: EditionRef
    coordinators: list[RoleOut]
    events: list[CbmEventOut]
    events_by_year: list[YearCount]
    events_by_state: list[StateCount]
    reviews: list[ReviewOut]


class StateRoleOut(RoleOut):
    area: AreaRef
    edition: DocumentRef | None = Field(None, description="None if you may not read it.")


class TaskOut(Schema):
    position: int
    title: str
    title_ru: str | None = None
    status: str
    lead_states: list[ActorRef]
    contributing_states: list[ActorRef]
    note: str | None = None
    sources: list[SourceOut]


class FocusOut(Schema):
    year: int
    note: str | None = None


class ClusterOut(Schema):
    id: int
    number: int
    title: str
    title_ru: str | None = None
    tasks: list[TaskOut]
    done: int
    total: int
    progress: str
    focus: list[FocusOut]
    documents: list[DocumentRef]
    next_steps: ChecklistOut
    sources: list[SourceOut]


class FocusClusterOut(Schema):
    number: int
    title: str
    note: str | None = None
    sources: list[SourceOut]


class YearFocusOut(Schema):
    year: int
    clusters: list[FocusClusterOut]


class RoadMapOut(Schema):
    document: DocumentRef
    clusters: list[ClusterOut]
    done: int = Field(description="Tasks done, over all clusters.")
    total: int = Field(description="Tasks planned (dropped ones do not count).")
    progress: str
    focus_by_year: list[YearFocusOut]


class QuotationOut(Schema):
    id: int
    topic: str
    text: str
    text_ru: str | None = None
    speaker: str
    speaker_ru: str | None = None
    speaker_actor: ActorRef | None = None
    meeting: MeetingKey | None = None
    date: PartialDateOut | None = None
    sources: list[SourceOut]


class AreaListItem(AreaOut):
    edition: EditionRef


class CbmEventItem(CbmEventOut):
    area: AreaRef


class RolesQuery(AtQuery):
    state: Key = Field(description="The state's slug.")


class RoadMapQuery(Schema):
    document: Key | None = Field(None, description="The road map's document key (default: latest).")


class TopicQuery(Schema):
    topic: Key | None = Field(None, description="e.g. transformation.")
    ordering: DatedOrdering | None = Field(None, description="By date; '-' reverses.")


class AreasQuery(Schema):
    edition: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only the areas of this edition of the catalogue (id)."
    )
    dimension: Key | None = Field(None, description="Only this dimension (its slug).")
    ordering: AreaOrdering | None = Field(
        None, description="By edition then number (default), or by the day added."
    )


class CbmEventsQuery(AtQuery):
    area: int | None = Field(None, ge=1, le=MAX_ID, description="Only this priority area (id).")
    organizer: Key | None = Field(None, description="Only events this state organized (slug).")
    year: int | None = Field(None, ge=1, le=9999, description="Only events of this year.")
    ordering: CbmEventOrdering | None = Field(
        None, description="By date (default) or area; '-' reverses."
    )


class ReviewsQuery(Schema):
    ordering: DatedOrdering | None = Field(None, description="By date (default); '-' reverses.")


@router.get(
    "/cbm/catalogue",
    response={200: CatalogueOut, 404: Problem, 422: Problem},
    summary="The Catalogue of CBMs in force on a day",
    description="The edition in force on `at` (default today): the one whose document's "
    "lifecycle has it adopted and not yet superseded that day, with its dimensions, priority "
    "areas (those added by then) and the coordinators then. `/cbm/editions` lists them all.",
)
def cbm_catalogue(request, query: Query[AtQuery]):
    at = query.at or selectors.today()
    edition = selectors.edition_in_force(at)
    if edition is None:
        raise Http404(f"No edition of the catalogue was in force on {at.isoformat()}.")
    view = selectors.catalogue(edition, at)
    return {
        **presenters.catalogue_dict(
            view, readable_ids(request.user), selectors.edition_span(edition)
        ),
        "reported": [ReportedFigureOut.build(c) for c in selectors.edition_figures(edition, at)],
    }


@router.get(
    "/cbm/editions",
    response={200: list[EditionOut], 422: Problem},
    summary="The editions of the Catalogue of CBMs, oldest first, with when each was in force",
)
@paginate(Paged)
def cbm_editions(request):
    visible = readable_ids(request.user)
    spans = selectors.edition_spans()
    return Presented(spans, lambda span: presenters.editions_list([span], visible)[0])


@router.get(
    "/cbm/areas/{area_id}",
    response={200: AreaDetailOut, 404: Problem, 422: Problem},
    summary="A priority area: coordinators over time, events and their counts, reviews",
)
def cbm_area(
    request,
    area_id: int = Path(..., ge=1, le=MAX_ID, description="The priority area's id."),
):
    area = selectors.area_get(area_id)
    if area is None:
        raise Http404(f"No priority area {area_id}.")
    return presenters.area_detail_dict(selectors.area_detail(area), readable_ids(request.user))


@router.get(
    "/cbm/roles",
    response={200: list[StateRoleOut], 404: Problem, 422: Problem},
    summary="A state's coordinator roles (those holding on `at`, or all without it)",
)
@paginate(Paged)
def cbm_roles(request, query: Query[RolesQuery]):
    actor = Actor.objects.filter(slug=query.state).first()
    if actor is None:
        raise Http404(f"No state '{query.state}'.")
    visible = readable_ids(request.user)
    return Presented(
        selectors.roles_of(actor, query.at),
        lambda item: presenters.state_role_dict(item[0], item[1], visible),
    )


@router.get(
    "/cbm/areas",
    response={200: list[AreaListItem], 404: Problem, 422: Problem},
    summary="The priority areas of every edition of the catalogue",
    description="Each area with its dimension, when and by what it was added, and its "
    "edition. `/cbm/areas/{area_id}` gives its coordinators, events and reviews.",
)
@paginate(Paged)
def cbm_areas(request, query: Query[AreasQuery]):
    qs = PriorityArea.objects.select_related(
        "dimension", "added_at", "added_by", "edition__document"
    ).prefetch_related(cited())
    if query.edition is not None:
        qs = qs.filter(edition_id=query.edition)
    if query.dimension:
        if not Dimension.objects.filter(slug=query.dimension).exists():
            raise Http404(f"No dimension '{query.dimension}'.")
        qs = qs.filter(dimension__slug=query.dimension)
    qs = order_by(
        qs.order_by("edition_id", "number"),
        query.ordering,
        {"number": ["edition_id", "number"], "added_on": ["added_on_date", "number"]},
    )
    visible = readable_ids(request.user)

    def present(area):
        edition = presenters.edition_dict(area.edition, visible)
        return {**presenters.area_dict(area, visible), "edition": edition}

    return Presented(qs, present)


@router.get(
    "/cbm/events",
    response={200: list[CbmEventItem], 404: Problem, 422: Problem},
    summary="Events implementing the CBMs",
    description="Conferences, seminars, workshops and trainings, each with its priority area, "
    "organizing state, date and place: those begun by `at` (default today).",
)
@paginate(Paged)
def cbm_events(request, query: Query[CbmEventsQuery]):
    at = query.at or selectors.today()
    qs = (
        CbmEvent.objects.filter(date_date__lte=at)
        .select_related("organizer", "area")
        .prefetch_related(cited())
    )
    if query.area is not None:
        qs = qs.filter(area_id=query.area)
    if query.organizer:
        if not Actor.objects.filter(slug=query.organizer).exists():
            raise Http404(f"No actor with slug '{query.organizer}'.")
        qs = qs.filter(organizer__slug=query.organizer)
    if query.year is not None:
        qs = qs.filter(date_date__year=query.year)
    qs = order_by(
        qs,
        query.ordering,
        {"date": ["date_date"], "area": ["area__number", "date_date"]},
    )
    return Presented(
        qs, lambda e: {**presenters.event_dict(e), "area": presenters.area_ref(e.area)}
    )


@router.get(
    "/cbm/reviews",
    response={200: list[ReviewOut], 422: Problem},
    summary="The annual reviews of the implementation of the CBMs",
    description="Each review with its meeting and the documents of it you may read.",
)
@paginate(Paged)
def cbm_reviews(request, query: Query[ReviewsQuery]):
    visible = readable_ids(request.user)
    reviews = sort(selectors.reviews_list(), query.ordering, {"date": _dated})
    return Presented(reviews, lambda r: presenters.review_dict(r, visible))


@router.get(
    "/roadmaps",
    response={200: list[DocumentRef], 422: Problem},
    summary="The road maps on record, oldest first",
    description="The documents that hold clusters of a road map; `/roadmap?document=<key>` "
    "gives one with its clusters, tasks and progress.",
)
@paginate(Paged)
def roadmaps(request):
    return Presented(selectors.roadmaps(user=request.user), document_ref)


@router.get(
    "/roadmap",
    response={200: RoadMapOut, 404: Problem, 422: Problem},
    summary="The Road Map: clusters, tasks, progress, focus by year, documents, next steps",
)
def roadmap(request, query: Query[RoadMapQuery]):
    if query.document:
        document = (
            readable(request.user)
            .filter(key=query.document, roadmap_clusters__isnull=False)
            .first()
        )
        if document is None:
            raise Http404(f"No road map '{query.document}'.")
    else:
        maps = selectors.roadmaps(user=request.user)
        if not maps:
            raise Http404("No road map is on record.")
        document = maps[-1]
    return presenters.roadmap_dict(selectors.roadmap(document), readable_ids(request.user))


@router.get(
    "/quotations",
    response={200: list[QuotationOut], 422: Problem},
    summary="Sourced quotations, by topic",
)
@paginate(Paged)
def quotations(request, query: Query[TopicQuery]):
    items = sort(selectors.quotations(query.topic), query.ordering, {"date": _dated})
    return Presented(items, presenters.quotation_dict)


def _dated(record):
    """Undated records come last (first, reversed)."""
    date = record.date
    return (date is None, date.earliest if date else dt.date.min, record.pk)
