"""Read API for actors, statuses, chairmanships, heads of the Secretariat and the people
who held the post, and the organization itself."""

from enum import StrEnum

from django.db.models import prefetch_related_objects
from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from secretariat.core.api_pagination import (
    Paged,
    PageQuery,
    Presented,
    order_by,
    ordering,
    sort,
)
from secretariat.core.api_pagination import window as page_window
from secretariat.core.models import Organization
from secretariat.core.partial_dates import holds_on
from secretariat.core.prefetch import cited
from secretariat.core.schemas import AtQuery, Key, Problem

from . import selectors
from .answers import (
    ActorDetail,
    ActorList,
    ActorListItem,
    ChairmanshipOut,
    HeadOut,
    OrganizationDetail,
    OverviewOut,
    PersonDetail,
    PersonOut,
    StatusRecord,
)
from .models import Actor, Person, Status

router = Router(tags=["registry"])

StatusKind = StrEnum("StatusKind", {k: k for k in Status.Kind.values})
ActorKind = StrEnum("ActorKind", {k: k for k in Actor.Kind.values})
ActorOrdering = ordering("ActorOrdering", "start", "name")
StatusOrdering = ordering("StatusOrdering", "start", "actor", "kind")
TermOrdering = ordering("TermOrdering", "start")
PersonOrdering = ordering("PersonOrdering", "name", "slug")

SLUG = Path(..., description="The actor's slug, e.g. kazakhstan.")


class ActorsQuery(AtQuery, PageQuery):
    status: StatusKind | None = Field(None, description="Only actors holding this status.")
    kind: ActorKind | None = Field(None, description="state or organization.")
    ordering: ActorOrdering | None = Field(
        None, description="By the status's start (default) or the actor's name; '-' reverses."
    )


class StatusesQuery(AtQuery):
    actor: Key | None = Field(None, description="Only this actor's statuses (its slug).")
    kind: StatusKind | None = Field(None, description="Only this status.")
    ordering: StatusOrdering | None = Field(
        None, description="By start (default), actor name or kind; '-' reverses."
    )


class TermsQuery(Schema):
    ordering: TermOrdering | None = Field(None, description="start (default) or -start.")


class PeopleQuery(Schema):
    ordering: PersonOrdering | None = Field(None, description="name (default) or slug.")


@router.get(
    "/overview",
    response={200: OverviewOut, 422: Problem},
    summary="The organization on a date",
    description="Counts and lists of members, observers and partners, the chair and the "
    "troika, and the head of the Secretariat, as of `at` (default today). Statuses whose "
    "start or end is a partial date containing `at` are listed with `certain: false` and "
    "counted under `uncertain`, not in `count`.",
)
def overview(request, query: Query[AtQuery]):
    return OverviewOut.build(selectors.overview_at(query.at))


@router.get(
    "/organization",
    response={200: OrganizationDetail, 404: Problem},
    summary="The organization whose record this is",
    description="Its names, founding date, how its document symbols are made, and how it "
    "numbers its members, observers and partners.",
)
def organization(request):
    org = Organization.objects.prefetch_related(cited()).first()
    if org is None:
        raise Http404("No organization is on record.")
    return OrganizationDetail.build(org)


@router.get(
    "/actors",
    response={200: ActorList, 422: Problem},
    summary="Actors holding a status on a date",
    description="Each actor with the status it holds on `at`, since when, and its ordinal. "
    "Filter by `status` and by `kind` (state or organization). `count` is every actor "
    "listed (over all pages); `uncertain` how many of them only possibly hold the status "
    "on `at` (a partial date containing it), so `count - uncertain` certainly do.",
)
def actors(request, query: Query[ActorsQuery]):
    at = query.at or selectors.today()
    held = selectors.statuses_at(
        at,
        kind=query.status.value if query.status else None,
        actor_kind=query.kind.value if query.kind else None,
    )
    held = sort(
        held,
        query.ordering,
        {
            "start": lambda i: (i.status.start.earliest, i.status.actor.name_en, i.status.pk),
            "name": lambda i: (i.status.actor.name_en, i.status.start.earliest, i.status.pk),
        },
    )
    uncertain = sum(1 for i in held if i.certainty.value != "yes")
    page = page_window(
        Presented(
            held,
            ActorListItem.build,
        ),
        limit=query.limit,
        offset=query.offset,
    )
    return {"at": at, "uncertain": uncertain, **page}


@router.get(
    "/actors/{slug}",
    response={200: ActorDetail, 404: Problem, 422: Problem},
    url_name="actor_detail",
    summary="One actor with its full history",
    description="Every status with its ordinal and sources, and the chairmanships held. "
    "`holds` on each status tells whether it held on `at` (default today).",
)
def actor_detail(request, query: Query[AtQuery], slug: str = SLUG):
    actor = selectors.actor_record(slug)
    if actor is None:
        raise Http404(f"No actor with slug '{slug}'.")
    history = selectors.actor_history(actor, at=query.at)
    return ActorDetail.build(actor, statuses=history)


@router.get(
    "/statuses",
    response={200: list[StatusRecord], 404: Problem, 422: Problem},
    summary="Every status on record, with its ordinal and whether it holds on a date",
    description="Members, observers, partners, applicants and dialogue partners over the "
    "whole history, each with its start and end, ordinal, deciding meeting and sources; "
    "`holds` says whether it held on `at` (default today). Filter by `actor` and `kind`.",
)
@paginate(Paged)
def statuses(request, query: Query[StatusesQuery]):
    at = query.at or selectors.today()
    qs = selectors.statuses_qs()
    if query.actor:
        actor = Actor.objects.filter(slug=query.actor).first()
        if actor is None:
            raise Http404(f"No actor with slug '{query.actor}'.")
        qs = qs.filter(actor=actor)
    if query.kind:
        qs = qs.filter(kind=query.kind.value)
    qs = order_by(
        qs.order_by("start_date", "actor__name_en"),
        query.ordering,
        {"start": ["start_date"], "actor": ["actor__name_en"], "kind": ["kind", "start_date"]},
    )
    ordinals = selectors.ordinals_for(selectors.ORDINAL_KINDS)

    def present(status: Status) -> dict:
        item = selectors.StatusAt(
            status=status,
            certainty=holds_on(status.start, status.end, at),
            ordinal=ordinals.get(status.pk),
        )
        return StatusRecord.build(item)

    return Presented(qs, present)


@router.get(
    "/chairmanships",
    response=list[ChairmanshipOut],
    summary="Every chairmanship, in order",
    description="Each term with its deciding meeting (or date) and the meeting where the "
    "chair was taken over.",
)
@paginate(Paged)
def chairmanships(request, query: Query[TermsQuery]):
    terms = sort(selectors.chairmanships(), query.ordering, {"start": _start})
    return Presented(terms, ChairmanshipOut.build)


@router.get(
    "/heads",
    response=list[HeadOut],
    summary="Every head of the Secretariat, in order",
    description="Each term with the person, the post's title and the appointing meeting.",
)
@paginate(Paged)
def heads(request, query: Query[TermsQuery]):
    terms = sort(selectors.heads(), query.ordering, {"start": _start})
    return Presented(terms, HeadOut.build)


def _start(term):
    return (term.start.earliest, term.pk)


@router.get(
    "/people",
    response=list[PersonOut],
    summary="The people on record: heads of the Secretariat",
)
@paginate(Paged)
def people(request, query: Query[PeopleQuery]):
    qs = order_by(
        Person.objects.select_related("nationality"),
        query.ordering,
        {"name": ["name_en"], "slug": ["slug"]},
    )
    return Presented(qs, PersonOut.build)


@router.get(
    "/people/{slug}",
    response={200: PersonDetail, 404: Problem},
    summary="One person, with the terms held",
)
def person_detail(request, slug: str = Path(..., description="The person's slug.")):
    person = Person.objects.select_related("nationality").filter(slug=slug).first()
    if person is None:
        raise Http404(f"No person with slug '{slug}'.")
    prefetch_related_objects([person], cited())
    terms = [t for t in selectors.heads() if t.person_id == person.pk]
    return PersonDetail.build(person, terms=terms)
