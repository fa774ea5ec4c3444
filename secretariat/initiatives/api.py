"""Read API for initiatives, institutions and external relations."""

import datetime as dt
from enum import StrEnum

from django.http import Http404
from ninja import Field, Query, Router, Schema

from secretariat.bodies.api import BodyOut, BodyRef
from secretariat.checklists.api import ChecklistOut
from secretariat.core.schemas import PartialDateOut, Problem, SourceOut
from secretariat.documents.selectors import readable
from secretariat.registry.api import ActorRef, AtQuery, MeetingRef, OrdinalOut, StatusOut
from secretariat.registry.selectors import today

from . import pipeline, presenters, selectors
from .models import Priorities

router = Router(tags=["initiatives"])

InitiativeStatus = StrEnum("InitiativeStatus", {s: s for s in pipeline.STATUSES})


class DocumentRef(Schema):
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


class EventOut(Schema):
    kind: str
    date: PartialDateOut
    meeting: MeetingRef | None = None
    body: BodyRef | None = None
    document: DocumentRef | None = None
    note: str | None = None
    sources: list[SourceOut]


class ResponseOut(Schema):
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
    responses: list[ResponseOut]
    not_responded: list[ActorRef]
    sources: list[SourceOut]


class InitiativeDetail(InitiativeOut):
    events: list[EventOut]
    meetings: list[MeetingRef]
    documents: list[DocumentRef]
    next_steps: ChecklistOut
    expectations: list[ExpectationOut]


class InitiativesQuery(AtQuery):
    status: InitiativeStatus | None = Field(None, description="Status as of `at`.")
    priorities: str | None = Field(None, description="Slug of a set of priorities.")


class ReportedOut(Schema):
    value: int
    as_of: PartialDateOut
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
    reported_meetings_held: ReportedOut | None = Field(
        None, description="The latest figure a source gives, shown beside the count."
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
    events: list[EventOut]
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
def initiatives(request, query: Query[InitiativesQuery]):
    if query.priorities and not Priorities.objects.filter(slug=query.priorities).exists():
        raise Http404(f"No priorities '{query.priorities}'.")
    items = selectors.initiatives_at(
        query.at or today(),
        status=query.status.value if query.status else None,
        priorities=query.priorities,
    )
    return [presenters.initiative_dict(i) for i in items]


@router.get(
    "/initiatives/{slug}",
    response={200: InitiativeDetail, 404: Problem, 422: Problem},
    by_alias=True,
    summary="One initiative: events, status, links, next steps, expectations and responses",
)
def initiative_detail(request, slug: str, query: Query[AtQuery]):
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
def institutions(request, query: Query[AtQuery]):
    return [presenters.institution_dict(i) for i in selectors.institutions_at(query.at or today())]


@router.get(
    "/relations",
    response={200: RelationsOut, 422: Problem},
    summary="Partnerships with their stage and partner ordinal, and pending applicants",
)
def relations(request, query: Query[AtQuery]):
    return presenters.relations_dict(
        selectors.relations_at(query.at or today()), _readable_ids(request)
    )
