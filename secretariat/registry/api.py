"""Read API for actors, statuses, chairmanships and heads of the Secretariat."""

import datetime as dt
from enum import StrEnum

from django.http import Http404
from ninja import Field, Query, Router, Schema

from secretariat.core.presenters import variants
from secretariat.core.schemas import PartialDateOut, Problem, SourceOut, VariantOut

from . import presenters, selectors
from .models import Actor, Status

router = Router(tags=["registry"])

StatusKind = StrEnum("StatusKind", {k: k for k in Status.Kind.values})
ActorKind = StrEnum("ActorKind", {k: k for k in Actor.Kind.values})


class ActorRef(Schema):
    slug: str
    kind: str
    name: str
    name_ru: str | None = None
    short_name: str | None = None
    iso2: str | None = None
    iso3: str | None = None


class MeetingRef(Schema):
    key: str
    id: int
    title: str


class OrdinalOut(Schema):
    number: int
    upto: int
    exact: bool
    label: str


class StatusOut(Schema):
    kind: str
    label: str
    start: PartialDateOut
    end: PartialDateOut | None = None
    holds: str
    ordinal: OrdinalOut | None = None
    decided_at: MeetingRef | None = None
    applied_for: str | None = None
    outcome: str | None = None
    note: str | None = None
    sources: list[SourceOut]


class ActorListItem(ActorRef):
    status: StatusOut


class ActorList(Schema):
    at: dt.date
    count: int
    uncertain: int
    items: list[ActorListItem]


class ChairmanshipOut(Schema):
    actor: ActorRef
    kind: str
    start: PartialDateOut
    end: PartialDateOut | None = None
    decided_at: MeetingRef | None = None
    decided_on: PartialDateOut | None = Field(
        None, description="When the term was decided (its date, or its meeting's)."
    )
    taken_over_at: MeetingRef | None = None
    note: str | None = None
    sources: list[SourceOut]


class PersonOut(Schema):
    slug: str
    name: str
    name_ru: str | None = None
    nationality: ActorRef | None = None


class HeadOut(Schema):
    person: PersonOut
    title: str
    title_label: str
    start: PartialDateOut
    end: PartialDateOut | None = None
    appointed_at: MeetingRef | None = None
    note: str | None = None
    sources: list[SourceOut]


class ActorDetail(ActorRef):
    short_name_ru: str | None = None
    exists_from: PartialDateOut | None = None
    exists_until: PartialDateOut | None = None
    note: str | None = None
    statuses: list[StatusOut]
    chairmanships: list[ChairmanshipOut]
    sources: list[SourceOut]
    variants: list[VariantOut]


class GroupItem(ActorRef):
    since: PartialDateOut
    ordinal: str | None = None
    certain: bool


class Group(Schema):
    count: int
    uncertain: int
    items: list[GroupItem]


class ChairHolder(ChairmanshipOut):
    name: str
    certain: bool


class HeadHolder(HeadOut):
    name: str
    certain: bool


class TroikaMember(ActorRef):
    start: PartialDateOut
    certain: bool = True
    decided_on: PartialDateOut | None = Field(
        None, description="For the next chair: when it was decided, if the record says."
    )


class TroikaOut(Schema):
    previous: TroikaMember | None = None
    current: list[TroikaMember]
    next: TroikaMember | None = None


class OrganizationOut(Schema):
    name: str
    short_name: str


class OverviewOut(Schema):
    at: dt.date
    organization: OrganizationOut | None = None
    members: Group
    observers: Group
    partners: Group
    chair: list[ChairHolder]
    troika: TroikaOut
    head: list[HeadHolder]


class AtQuery(Schema):
    at: dt.date | None = None


class ActorsQuery(AtQuery):
    status: StatusKind | None = None
    kind: ActorKind | None = None


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
    return presenters.overview_dict(selectors.overview_at(query.at))


@router.get(
    "/actors",
    response={200: ActorList, 422: Problem},
    summary="Actors holding a status on a date",
    description="Each actor with the status it holds on `at`, since when, and its ordinal. "
    "Filter by `status` and by `kind` (state or organization).",
)
def actors(request, query: Query[ActorsQuery]):
    at = query.at or selectors.today()
    held = selectors.statuses_at(
        at,
        kind=query.status.value if query.status else None,
        actor_kind=query.kind.value if query.kind else None,
    )
    items = [
        {**presenters.actor_ref(i.status.actor), "status": presenters.status_dict(i)} for i in held
    ]
    certain = sum(1 for i in held if i.certainty.value == "yes")
    return {"at": at, "count": certain, "uncertain": len(held) - certain, "items": items}


@router.get(
    "/actors/{slug}",
    response={200: ActorDetail, 404: Problem, 422: Problem},
    url_name="actor_detail",
    summary="One actor with its full history",
    description="Every status with its ordinal and sources, and the chairmanships held. "
    "`holds` on each status tells whether it held on `at` (default today).",
)
def actor_detail(request, slug: str, query: Query[AtQuery]):
    actor = selectors.actor_get(slug)
    if actor is None:
        raise Http404(f"No actor with slug '{slug}'.")
    history = selectors.actor_history(actor, at=query.at)
    return {
        **presenters.actor_ref(actor),
        "short_name_ru": actor.short_name_ru or None,
        "exists_from": presenters.partial(actor.exists_from),
        "exists_until": presenters.partial(actor.exists_until),
        "note": actor.note or None,
        "statuses": [presenters.status_dict(i) for i in history],
        "chairmanships": [presenters.chairmanship_dict(c) for c in actor.chairmanships.all()],
        "sources": presenters.sources(actor),
        "variants": variants(actor),
    }


@router.get(
    "/chairmanships",
    response=list[ChairmanshipOut],
    summary="Every chairmanship, in order",
)
def chairmanships(request):
    return [presenters.chairmanship_dict(c) for c in selectors.chairmanships()]


@router.get("/heads", response=list[HeadOut], summary="Every head of the Secretariat, in order")
def heads(request):
    return [presenters.head_dict(h) for h in selectors.heads()]
