"""Read API for initiatives, institutions and external relations."""

from enum import StrEnum

from django.db.models import prefetch_related_objects
from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from secretariat.core.api_pagination import Paged, Presented, ordering, sort
from secretariat.core.prefetch import cited
from secretariat.core.schemas import AtQuery, Key, Problem
from secretariat.documents.selectors import readable
from secretariat.registry.selectors import today

from . import selectors, transitions
from .answers import (
    InitiativeDetail,
    InitiativeOut,
    InstitutionOut,
    PrioritiesDetail,
    PrioritiesOut,
    RelationsOut,
)
from .models import Priorities

router = Router(tags=["initiatives"])

InitiativeStatus = StrEnum("InitiativeStatus", {s: s for s in transitions.STATUSES})
InitiativeOrdering = ordering("InitiativeOrdering", "slug", "title")
InstitutionOrdering = ordering("InstitutionOrdering", "name")
PrioritiesOrdering = ordering("PrioritiesOrdering", "start", "slug")
SLUG = Path(..., description="The initiative's slug.")


class InitiativesQuery(AtQuery):
    status: InitiativeStatus | None = Field(None, description="Status as of `at`.")
    priorities: Key | None = Field(None, description="Slug of a set of priorities.")
    ordering: InitiativeOrdering | None = Field(
        None, description="By slug (default) or title; '-' reverses."
    )


class InstitutionsQuery(AtQuery):
    ordering: InstitutionOrdering | None = Field(None, description="By name; '-' reverses.")


class PrioritiesQuery(Schema):
    ordering: PrioritiesOrdering | None = Field(
        None, description="By the period's start (default) or slug; '-' reverses."
    )


def _readable_ids(request) -> set[int]:
    return set(readable(request.user).values_list("pk", flat=True))


@router.get(
    "/initiatives",
    response={200: list[InitiativeOut], 404: Problem, 422: Problem},
    summary="Initiatives with their status on a date",
)
@paginate(Paged)
def initiatives(request, query: Query[InitiativesQuery]):
    if query.priorities and not Priorities.objects.filter(slug=query.priorities).exists():
        raise Http404(f"No priorities '{query.priorities}'.")
    items = selectors.initiatives_at(
        query.at or today(),
        status=query.status.value if query.status else None,
        priorities=query.priorities,
    )
    items = sort(
        items,
        query.ordering,
        {
            "slug": lambda i: (i.initiative.slug,),
            "title": lambda i: (i.initiative.title_en, i.initiative.slug),
        },
    )
    return Presented(items, InitiativeOut.build)


@router.get(
    "/initiatives/{slug}",
    response={200: InitiativeDetail, 404: Problem, 422: Problem},
    by_alias=True,
    summary="One initiative: events, status, links, next steps, expectations and responses",
)
def initiative_detail(request, query: Query[AtQuery], slug: str = SLUG):
    initiative = selectors.initiative_get(slug)
    if initiative is None:
        raise Http404(f"No initiative '{slug}'.")
    at = query.at or today()
    return InitiativeDetail.build(
        selectors.InitiativeAt(initiative, selectors.status_at(initiative, at), at),
        context={"readable_ids": _readable_ids(request)},
    )


@router.get(
    "/institutions",
    response={200: list[InstitutionOut], 422: Problem},
    summary="Institutions with status, meetings held (counted and reported) and the fund's records",
)
@paginate(Paged)
def institutions(request, query: Query[InstitutionsQuery]):
    items = sort(
        selectors.institutions_at(query.at or today()),
        query.ordering,
        {"name": lambda i: (i.body_at.body.name_en, i.body_at.body.pk)},
    )
    return Presented(items, InstitutionOut.build)


@router.get(
    "/relations",
    response={200: RelationsOut, 422: Problem},
    summary="Partnerships with their stage and partner ordinal, and pending applicants",
)
def relations(request, query: Query[AtQuery]):
    return RelationsOut.build(
        selectors.relations_at(query.at or today()),
        context={"readable_ids": _readable_ids(request)},
    )


@router.get(
    "/priorities",
    response={200: list[PrioritiesOut], 422: Problem},
    summary="The chairmanships' sets of priorities",
)
@paginate(Paged)
def priorities(request, query: Query[PrioritiesQuery]):
    items = sort(
        _with_sources(selectors.priorities_list()),
        query.ordering,
        {
            # Sets without a start come first, as the record orders them.
            "start": lambda p: (p.start is not None, p.start.earliest if p.start else None, p.slug),
            "slug": lambda p: (p.slug,),
        },
    )
    return Presented(items, PrioritiesOut.build)


@router.get(
    "/priorities/{slug}",
    response={200: PrioritiesDetail, 404: Problem, 422: Problem},
    summary="A set of priorities with its initiatives and their status on a date",
)
def priorities_detail(
    request, query: Query[AtQuery], slug: str = Path(..., description="The set's slug.")
):
    found = [p for p in _with_sources(selectors.priorities_list()) if p.slug == slug]
    if not found:
        raise Http404(f"No priorities '{slug}'.")
    at = query.at or today()
    items = selectors.initiatives_at(at, priorities=slug)
    return PrioritiesDetail.build(found[0], at=at, initiatives=items)


def _with_sources(items: list[Priorities]) -> list[Priorities]:
    prefetch_related_objects(items, "chairmanship__actor", cited())
    return items
