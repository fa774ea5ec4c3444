"""The answers about initiatives, priorities, institutions and external relations, declared
once (core.answers): the API, the pages and the exports.

A document the reader may not read is left out: the answers that show one are built with
`context={"readable_ids": ...}` (the ids of the documents the reader may read)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from ninja import Field

from secretariat.accounts.policy import effective_access
from secretariat.bodies.answers import BodyOut, BodyRef
from secretariat.checklists.answers import ChecklistOut
from secretariat.core.answers import Answer, From
from secretariat.core.partial_dates import PartialDate
from secretariat.core.schemas import PartialDateOut, SourceOut
from secretariat.figures.answers import ReportedFigureOut
from secretariat.registry.answers import ActorRef, MeetingRef, OrdinalOut, StatusOut

from . import selectors
from .models import Initiative


class InitiativeDocumentRef(Answer):
    id: Annotated[int, From("pk")]
    key: str
    symbol: str | None = None
    type: str
    title: Annotated[str, From("title_en")]
    access: Annotated[str, From(effective_access)]


@dataclass(frozen=True)
class Proposer:
    """Who proposed an initiative: an actor, a chairmanship (its actor and start) or a body."""

    kind: str
    name: str
    actor: Any = None
    body: Any = None
    start: PartialDate | None = None


def proposer_of(initiative: Initiative) -> Proposer | None:
    if initiative.proposer_actor:
        actor = initiative.proposer_actor
        return Proposer("actor", actor.name_en, actor=actor)
    if initiative.proposer_chairmanship:
        term = initiative.proposer_chairmanship
        name = f"Chairmanship of {term.actor.name_en}"
        return Proposer("chairmanship", name, actor=term.actor, start=term.start)
    if initiative.proposer_body:
        return Proposer("body", initiative.proposer_body.name_en, body=initiative.proposer_body)
    return None


class ProposerOut(Answer):
    # Built from a Proposer (proposer_of).
    kind: str = Field(description="actor, chairmanship or body.")
    name: str
    actor: ActorRef | None = None
    body: BodyRef | None = None
    start: PartialDateOut | None = None


class PrioritiesRef(Answer):
    slug: str
    title: Annotated[str, From("title_en")]


def _possible_status(item: selectors.InitiativeAt) -> str | None:
    return selectors.possible_status_at(item.initiative, item.at) if item.at else None


class InitiativeOut(Answer):
    # An initiative with its status on a date (built from a selectors.InitiativeAt).
    slug: Annotated[str, From("initiative.slug")]
    kind: Annotated[str, From("initiative.kind")]
    title: Annotated[str, From("initiative.title_en")]
    title_ru: Annotated[str | None, From("initiative.title_ru")] = None
    status: str | None = Field(None, description="Derived: the latest event certain by `at`.")
    possible_status: Annotated[str | None, From(_possible_status)] = Field(
        None, description="A later status it may have reached by `at` (partial dates)."
    )
    proposer: Annotated[ProposerOut | None, From(lambda item: proposer_of(item.initiative))] = None
    launched_at: Annotated[MeetingRef | None, From("initiative.launched_at")] = None
    priorities: Annotated[list[PrioritiesRef], From("initiative.priorities")]
    note: Annotated[str | None, From("initiative.note")] = None
    sources: Annotated[list[SourceOut], From("initiative")]


def _shown(event, *, readable_ids: set[int], **context) -> Any:
    """The event's document, if the reader may read it."""
    return event.document if event.document_id in readable_ids else None


class InitiativeEventOut(Answer):
    # A dated event of an initiative or a partnership (only the latter names a body).
    kind: str
    date: PartialDateOut
    meeting: MeetingRef | None = None
    body: Annotated[BodyRef | None, From(lambda event: getattr(event, "body", None))] = None
    document: Annotated[InitiativeDocumentRef | None, From(_shown, context=True)] = None
    note: str | None = None
    sources: list[SourceOut]


class ExpectationResponseOut(Answer):
    actor: ActorRef
    date: PartialDateOut
    text: Annotated[str | None, From("text_en")] = None
    sources: list[SourceOut]


def _from(item: selectors.ExpectationAt) -> str:
    return "all_member_states" if item.expectation.from_all else "listed"


class ExpectationOut(Answer):
    # An expectation with the responses by a date (built from a selectors.ExpectationAt).
    position: Annotated[int, From("expectation.position")]
    text: Annotated[str, From("expectation.text_en")]
    text_ru: Annotated[str | None, From("expectation.text_ru")] = None
    from_: Annotated[str, From(_from)] = Field(
        alias="from", description="all_member_states or listed."
    )
    addressees: Annotated[list[ActorRef], From("expectation.addressees")]
    due: Annotated[PartialDateOut | None, From("expectation.due")] = None
    responses: list[ExpectationResponseOut]
    not_responded: list[ActorRef]
    sources: Annotated[list[SourceOut], From("expectation")]


def _events_by_at(item: selectors.InitiativeAt) -> list:
    events = sorted(item.initiative.events.all(), key=lambda e: (e.date.earliest, e.pk))
    return [e for e in events if e.date.earliest <= item.at]


def _readable_documents(item: selectors.InitiativeAt, *, readable_ids: set[int], **context):
    return [d for d in item.initiative.documents.all() if d.pk in readable_ids]


class InitiativeDetail(InitiativeOut):
    # Built from a selectors.InitiativeAt with `at` set, and the reader's readable_ids.
    events: Annotated[list[InitiativeEventOut], From(_events_by_at)]
    meetings: Annotated[list[MeetingRef], From("initiative.meetings")]
    documents: Annotated[list[InitiativeDocumentRef], From(_readable_documents, context=True)]
    next_steps: Annotated[ChecklistOut, From(lambda item: selectors.next_steps(item.initiative))]
    expectations: Annotated[
        list[ExpectationOut],
        From(lambda item: selectors.expectations_at(item.initiative, item.at)),
    ]


class ChairmanshipRef(Answer):
    actor: ActorRef
    start: PartialDateOut


class PrioritiesOut(Answer):
    slug: str
    title: Annotated[str, From("title_en")]
    title_ru: str | None = None
    chairmanship: ChairmanshipRef | None = Field(None, description="The chair that set them.")
    start: PartialDateOut | None = None
    end: PartialDateOut | None = None
    note: str | None = None
    sources: list[SourceOut]


class PrioritiesDetail(PrioritiesOut):
    # Built with `at` and `initiatives` given (selectors.InitiativeAt items).
    at: dt.date
    initiatives: list[InitiativeOut] = Field(description="Its initiatives, status as of `at`.")


class ReportedCountOut(Answer):
    value: int
    as_of: PartialDateOut
    note: str | None = Field(None, description="Public note: how the source counts.")
    sources: list[SourceOut]


class ProjectOut(Answer):
    title: Annotated[str, From("title_en")]
    title_ru: str | None = None
    status: str
    proposer: ActorRef | None = None
    start: PartialDateOut | None = None
    end: PartialDateOut | None = None
    sources: list[SourceOut]


def _amount(contribution) -> str | None:
    return str(contribution.amount) if contribution.amount is not None else None


class ContributionOut(Answer):
    actor: ActorRef
    date: PartialDateOut
    amount: Annotated[str | None, From(_amount)] = None
    currency: str | None = None
    in_kind: Annotated[str | None, From("in_kind_en")] = None
    sources: list[SourceOut]


class InstitutionOut(BodyOut):
    # An institution on a date (built from a selectors.InstitutionAt).
    inherited_from = "body_at"
    meetings_held: int = Field(description="Meeting records certainly held by `at`.")
    reported_meetings_held: Annotated[ReportedCountOut | None, From("reported")] = Field(
        None, description="The figure a source gives nearest `at`, shown beside the count."
    )
    reported: Annotated[list[ReportedFigureOut], From("figures")] = Field(
        description="Every figure sources give of the meetings held, known by `at`, each "
        "beside the meetings held on record on its own date."
    )
    projects: list[ProjectOut]
    contributions: list[ContributionOut]


class PartnershipOut(Answer):
    # A partnership on a date (built from a selectors.PartnershipAt).
    actor: Annotated[ActorRef, From("partnership.actor")]
    stage: str | None = Field(None, description="Derived: the latest event certain by `at`.")
    possible_stage: str | None = Field(
        None,
        description="A later stage it may have reached by `at`: an event dated only by year or "
        "month whose window contains `at` (uncertain, never guessed).",
    )
    ordinal: OrdinalOut | None = Field(None, description="From the registry, when a partner.")
    events: list[InitiativeEventOut]
    note: Annotated[str | None, From("partnership.note")] = None
    sources: Annotated[list[SourceOut], From("partnership")]


class ApplicantOut(StatusOut):
    # A pending application (built from a registry.selectors.StatusAt).
    actor: Annotated[ActorRef, From("status.actor")]


class RelationsOut(Answer):
    # Built from a selectors.Relations, with the reader's readable_ids.
    at: dt.date
    partnerships: list[PartnershipOut]
    applicants: list[ApplicantOut]
