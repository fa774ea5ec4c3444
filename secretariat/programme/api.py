"""Read API for the CBMs (catalogue, areas, roles), the road map and quotations."""

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema

from secretariat.checklists.api import ChecklistOut
from secretariat.core.schemas import PartialDateOut, Problem, SourceOut
from secretariat.documents.api import DocumentRef
from secretariat.documents.selectors import readable, readable_ids
from secretariat.registry.api import ActorRef
from secretariat.registry.models import Actor

from . import presenters, selectors

router = Router(tags=["programme"])


class MeetingKey(Schema):
    key: str
    id: int


class RoleOut(Schema):
    id: int
    actor: ActorRef
    role: str = Field(description="coordinator or co_coordinator.")
    start: PartialDateOut
    end: PartialDateOut | None = None
    holds: str | None = Field(None, description="yes or uncertain on `at` (None: no `at`).")
    decided_at: MeetingKey | None = None
    decided_by: DocumentRef | None = None
    note: str | None = None
    sources: list[SourceOut]


class AreaRef(Schema):
    id: int
    number: int
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


class EditionRef(Schema):
    id: int
    document: DocumentRef | None = Field(None, description="None if you may not read it.")


class RelatedOut(Schema):
    document: DocumentRef
    sources: list[SourceOut]


class CatalogueOut(Schema):
    at: dt.date
    edition: EditionRef
    dimensions: list[DimensionOut]
    related_documents: list[RelatedOut]


class EventOut(Schema):
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
    events: list[EventOut]
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


class AtQuery(Schema):
    at: dt.date | None = Field(None, description="YYYY-MM-DD (default today).")


class RolesQuery(AtQuery):
    state: str = Field(description="The state's slug.")


class RoadMapQuery(Schema):
    document: str | None = Field(None, description="The road map's document key (default: latest).")


class TopicQuery(Schema):
    topic: str | None = Field(None, description="e.g. transformation.")


@router.get(
    "/cbm/catalogue",
    response={200: CatalogueOut, 404: Problem, 422: Problem},
    summary="The Catalogue of CBMs in force on a day",
    description="The latest edition whose document was adopted by `at` (default today), with "
    "its dimensions, priority areas (those added by then) and the coordinators then.",
)
def cbm_catalogue(request, query: Query[AtQuery]):
    at = query.at or selectors.today()
    edition = selectors.edition_in_force(at)
    if edition is None:
        raise Http404(f"No edition of the catalogue was adopted by {at.isoformat()}.")
    return presenters.catalogue_dict(selectors.catalogue(edition, at), readable_ids(request.user))


@router.get(
    "/cbm/areas/{area_id}",
    response={200: AreaDetailOut, 404: Problem, 422: Problem},
    summary="A priority area: coordinators over time, events and their counts, reviews",
)
def cbm_area(request, area_id: int):
    area = selectors.area_get(area_id)
    if area is None:
        raise Http404(f"No priority area {area_id}.")
    return presenters.area_detail_dict(selectors.area_detail(area), readable_ids(request.user))


@router.get(
    "/cbm/roles",
    response={200: list[StateRoleOut], 404: Problem, 422: Problem},
    summary="A state's coordinator roles (those holding on `at`, or all without it)",
)
def cbm_roles(request, query: Query[RolesQuery]):
    actor = Actor.objects.filter(slug=query.state).first()
    if actor is None:
        raise Http404(f"No state '{query.state}'.")
    visible = readable_ids(request.user)
    return [
        presenters.state_role_dict(r, h, visible) for r, h in selectors.roles_of(actor, query.at)
    ]


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
def quotations(request, query: Query[TopicQuery]):
    return [presenters.quotation_dict(q) for q in selectors.quotations(query.topic)]
