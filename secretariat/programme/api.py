"""Read API for the CBMs (catalogue, areas, roles), the road map and quotations."""

import datetime as dt

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from secretariat.core.api_pagination import Paged, Presented, order_by, ordering, sort
from secretariat.core.prefetch import cited
from secretariat.core.schemas import AtQuery, Key, Problem
from secretariat.documents.answers import DocumentRef
from secretariat.documents.selectors import readable, readable_ids
from secretariat.registry.models import Actor

from . import selectors
from .answers import (
    AreaDetailOut,
    AreaListItem,
    CatalogueOut,
    CbmEventItem,
    EditionOut,
    QuotationOut,
    ReviewOut,
    RoadMapOut,
    StateRoleOut,
)
from .models import CbmEvent, Dimension, PriorityArea

router = Router(tags=["programme"])

AreaOrdering = ordering("AreaOrdering", "number", "added_on")
CbmEventOrdering = ordering("CbmEventOrdering", "date", "area")
DatedOrdering = ordering("DatedOrdering", "date")
MAX_ID = 2**63 - 1


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
    return CatalogueOut.build(view, context={"visible": readable_ids(request.user)})


@router.get(
    "/cbm/editions",
    response={200: list[EditionOut], 422: Problem},
    summary="The editions of the Catalogue of CBMs, oldest first, with when each was in force",
)
@paginate(Paged)
def cbm_editions(request):
    return Presented(
        selectors.edition_spans(), EditionOut.builder(visible=readable_ids(request.user))
    )


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
    return AreaDetailOut.build(
        selectors.area_detail(area), context={"visible": readable_ids(request.user)}
    )


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
    context = {"visible": readable_ids(request.user)}
    return Presented(
        selectors.roles_of(actor, query.at),
        lambda item: StateRoleOut.build(item[0], holds=item[1].value, context=context),
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
    return Presented(qs, AreaListItem.builder(visible=readable_ids(request.user)))


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
    return Presented(qs, CbmEventItem.build)


@router.get(
    "/cbm/reviews",
    response={200: list[ReviewOut], 422: Problem},
    summary="The annual reviews of the implementation of the CBMs",
    description="Each review with its meeting and the documents of it you may read.",
)
@paginate(Paged)
def cbm_reviews(request, query: Query[ReviewsQuery]):
    reviews = sort(selectors.reviews_list(), query.ordering, {"date": _dated})
    return Presented(reviews, ReviewOut.builder(visible=readable_ids(request.user)))


@router.get(
    "/roadmaps",
    response={200: list[DocumentRef], 422: Problem},
    summary="The road maps on record, oldest first",
    description="The documents that hold clusters of a road map; `/roadmap?document=<key>` "
    "gives one with its clusters, tasks and progress.",
)
@paginate(Paged)
def roadmaps(request):
    return Presented(selectors.roadmaps(user=request.user), DocumentRef.build)


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
    return RoadMapOut.build(
        selectors.roadmap(document), context={"visible": readable_ids(request.user)}
    )


@router.get(
    "/quotations",
    response={200: list[QuotationOut], 422: Problem},
    summary="Sourced quotations, by topic",
)
@paginate(Paged)
def quotations(request, query: Query[TopicQuery]):
    items = sort(selectors.quotations(query.topic), query.ordering, {"date": _dated})
    return Presented(items, QuotationOut.build)


def _dated(record):
    """Undated records come last (first, reversed)."""
    date = record.date
    return (date is None, date.earliest if date else dt.date.min, record.pk)
