"""Read API for initiatives, institutions and external relations."""

import datetime as dt
from enum import StrEnum

from django.db.models import prefetch_related_objects
from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from secretariat.bodies.api import BodyOut, BodyRef
from secretariat.checklists.api import ChecklistOut
from secretariat.core.api_pagination import Paged, Presented, ordering, sort
from secretariat.core.prefetch import cited
from secretariat.core.presenters import partial, sources
from secretariat.core.schemas import AtQuery, Key, PartialDateOut, Problem, SourceOut
from secretariat.documents.selectors import readable
from secretariat.figures.answers import ReportedFigureOut
from secretariat.registry.answers import ActorRef, MeetingRef, OrdinalOut, StatusOut
from secretariat.registry.presenters import actor_ref
from secretariat.registry.selectors import today

from . import presenters, selectors, transitions
from .models import Priorities

router = Router(tags=["initiatives"])

InitiativeStatus = StrEnum("InitiativeStatus", {s: s for s in transitions.STATUSES})
InitiativeOrdering = ordering("InitiativeOrdering", "slug", "title")
InstitutionOrdering = ordering("InstitutionOrdering", "name")
PrioritiesOrdering = ordering("PrioritiesOrdering", "start", "slug")
SLUG = Path(..., description="The initiative's slug.")


class InitiativeDocumentRef(Schema):
    id: int
    key: str
    symbol: str | None = None
    type: str
    title: str
    access: str


class ProposerOut(Schema):
    kind: str = Field(description="actor, chairmanship or body.")
    name: str
    actor: ActorRef | None = None
    body: BodyRef | None = None
    start: PartialDateOut | None = None


class PrioritiesRef(Schema):
    slug: str
    title: str


class InitiativeOut(Schema):
    slug: str
    kind: str
    title: str
    title_ru: str | None = None
    status: str | None = Field(None, description="Derived: the latest event certain by `at`.")
    possible_status: str | None = Field(
        None, description="A later status it may have reached by `at` (partial dates)."
    )
    proposer: ProposerOut | None = None
    launched_at: MeetingRef | None = None
    priorities: list[PrioritiesRef]
    note: str | None = None
    sources: list[SourceOut]


class InitiativeEventOut(Schema):
    kind: str
    date: PartialDateOut
    meeting: MeetingRef | None = None
    body: BodyRef | None = None
    document: InitiativeDocumentRef | None = None
    note: str | None = None
    sources: list[SourceOut]


class ExpectationResponseOut(Schema):
    actor: ActorRef
    date: PartialDateOut
    text: str | None = None
    sources: list[SourceOut]


class ExpectationOut(Schema):
    position: int
    text: str
    text_ru: str | None = None
    from_: str = Field(alias="from", description="all_member_states or listed.")
    addressees: list[ActorRef]
    due: PartialDateOut | None = None
    responses: list[ExpectationResponseOut]
    not_responded: list[ActorRef]
    sources: list[SourceOut]


class InitiativeDetail(InitiativeOut):
    events: list[InitiativeEventOut]
    meetings: list[MeetingRef]
    documents: list[InitiativeDocumentRef]
    next_steps: ChecklistOut
    expectations: list[ExpectationOut]


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


class ChairmanshipRef(Schema):
    actor: ActorRef
    start: PartialDateOut


class PrioritiesOut(Schema):
    slug: str
    title: str
    title_ru: str | None = None
    chairmanship: ChairmanshipRef | None = Field(None, description="The chair that set them.")
    start: PartialDateOut | None = None
    end: PartialDateOut | None = None
    note: str | None = None
    sources: list[SourceOut]


class PrioritiesDetail(PrioritiesOut):
    at: dt.date
    initiatives: list[InitiativeOut] = Field(description="Its initiatives, status as of `at`.")


class ReportedCountOut(Schema):
    value: int
    as_of: PartialDateOut
    note: str | None = Field(None, description="Public note: how the source counts.")
    sources: list[SourceOut]


class ProjectOut(Schema):
    title: str
    title_ru: str | None = None
    status: str
    proposer: ActorRef | None = None
    start: PartialDateOut | None = None
    end: PartialDateOut | None = None
    sources: list[SourceOut]


class ContributionOut(Schema):
    actor: ActorRef
    date: PartialDateOut
    amount: str | None = None
    currency: str | None = None
    in_kind: str | None = None
    sources: list[SourceOut]


class InstitutionOut(BodyOut):
    meetings_held: int = Field(description="Meeting records certainly held by `at`.")
    reported_meetings_held: ReportedCountOut | None = Field(
        None, description="The figure a source gives nearest `at`, shown beside the count."
    )
    reported: list[ReportedFigureOut] = Field(
        description="Every figure sources give of the meetings held, known by `at`, each "
        "beside the meetings held on record on its own date."
    )
    projects: list[ProjectOut]
    contributions: list[ContributionOut]


class PartnershipOut(Schema):
    actor: ActorRef
    stage: str | None = Field(None, description="Derived: the latest event certain by `at`.")
    possible_stage: str | None = Field(
        None,
        description="A later stage it may have reached by `at`: an event dated only by year or "
        "month whose window contains `at` (uncertain, never guessed).",
    )
    ordinal: OrdinalOut | None = Field(None, description="From the registry, when a partner.")
    events: list[InitiativeEventOut]
    note: str | None = None
    sources: list[SourceOut]


class ApplicantOut(StatusOut):
    actor: ActorRef


class RelationsOut(Schema):
    at: dt.date
    partnerships: list[PartnershipOut]
    applicants: list[ApplicantOut]


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
    return Presented(items, presenters.initiative_dict)


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
    return presenters.initiative_detail(
        initiative, at=query.at or today(), readable_ids=_readable_ids(request)
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
    return Presented(items, presenters.institution_dict)


@router.get(
    "/relations",
    response={200: RelationsOut, 422: Problem},
    summary="Partnerships with their stage and partner ordinal, and pending applicants",
)
def relations(request, query: Query[AtQuery]):
    return presenters.relations_dict(
        selectors.relations_at(query.at or today()), _readable_ids(request)
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
    return Presented(items, _priorities)


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
    return {
        **_priorities(found[0]),
        "at": at,
        "initiatives": [presenters.initiative_dict(i) for i in items],
    }


def _with_sources(items: list[Priorities]) -> list[Priorities]:
    prefetch_related_objects(items, "chairmanship__actor", cited())
    return items


def _priorities(item: Priorities) -> dict:
    term = item.chairmanship
    return {
        "slug": item.slug,
        "title": item.title_en,
        "title_ru": item.title_ru or None,
        "chairmanship": {"actor": actor_ref(term.actor), "start": partial(term.start)}
        if term
        else None,
        "start": partial(item.start),
        "end": partial(item.end),
        "note": item.note or None,
        "sources": sources(item),
    }
