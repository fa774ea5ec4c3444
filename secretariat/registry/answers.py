"""The answers about actors, their statuses, chairmanships, heads of the Secretariat and the
organization, declared once (core.answers): the API, the pages, exports and commands."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field

from secretariat.core.answers import Answer, From
from secretariat.core.partial_dates import Certainty
from secretariat.core.schemas import PartialDateOut, SourceOut, VariantOut
from secretariat.figures.answers import ReportedFigureOut

from .models import OrdinalSeries
from .selectors import Holder, StatusAt
from .selectors import decided_on as term_decided_on


class ActorRef(Answer):
    slug: str
    kind: str
    name: Annotated[str, From("name_en")]
    name_ru: str | None = None
    short_name: Annotated[str | None, From("short_name_en")] = None
    iso2: str | None = None
    iso3: str | None = None


class MeetingRef(Answer):
    key: str
    id: Annotated[int, From("pk")]
    title: Annotated[str, From(lambda meeting: meeting.display_title())]


class OrdinalOut(Answer):
    number: int
    upto: int
    exact: bool
    label: str


class StatusOut(Answer):
    # A status as seen on a date (built from a registry.selectors.StatusAt).
    kind: Annotated[str, From("status.kind")]
    label: Annotated[str, From(lambda item: item.status.get_kind_display())]
    start: Annotated[PartialDateOut, From("status.start")]
    end: Annotated[PartialDateOut | None, From("status.end")] = None
    holds: Annotated[str, From(lambda item: item.certainty.value)]
    ordinal: OrdinalOut | None = None
    decided_at: Annotated[MeetingRef | None, From("status.decided_at")] = None
    applied_for: Annotated[str | None, From("status.applied_for")] = None
    outcome: Annotated[str | None, From("status.outcome")] = None
    note: Annotated[str | None, From("status.note")] = None
    sources: Annotated[list[SourceOut], From("status")]


class ActorListItem(ActorRef):
    inherited_from = "status.actor"
    status: Annotated[StatusOut, From(lambda item: item)]


class ActorList(Answer):
    at: dt.date
    count: int = Field(description="Actors listed, over all pages (certain or not).")
    uncertain: int = Field(description="Of them, those only possibly holding on `at`.")
    items: list[ActorListItem]


class ChairmanshipOut(Answer):
    actor: ActorRef
    kind: str
    start: PartialDateOut
    end: PartialDateOut | None = None
    decided_at: MeetingRef | None = None
    decided_on: Annotated[PartialDateOut | None, From(term_decided_on)] = Field(
        None, description="When the term was decided (its date, or its meeting's)."
    )
    taken_over_at: MeetingRef | None = None
    note: str | None = None
    sources: list[SourceOut]


class PersonOut(Answer):
    slug: str
    name: Annotated[str, From("name_en")]
    name_ru: str | None = None
    nationality: ActorRef | None = None


class HeadOut(Answer):
    person: PersonOut
    title: str
    title_label: Annotated[str, From(lambda term: term.get_title_display())]
    start: PartialDateOut
    end: PartialDateOut | None = None
    appointed_at: MeetingRef | None = None
    note: str | None = None
    sources: list[SourceOut]


class ActorDetail(ActorRef):
    # An actor with its history; built with `statuses` given (its StatusAt items).
    short_name_ru: str | None = None
    exists_from: PartialDateOut | None = None
    exists_until: PartialDateOut | None = None
    note: str | None = None
    statuses: list[StatusOut]
    chairmanships: list[ChairmanshipOut]
    sources: list[SourceOut]
    variants: list[VariantOut]


class GroupItem(ActorRef):
    inherited_from = "status.actor"
    since: Annotated[PartialDateOut, From("status.start")]
    ordinal: Annotated[str | None, From(lambda i: i.ordinal.label if i.ordinal else None)] = None
    certain: Annotated[bool, From(lambda i: i.certainty is Certainty.YES)]


def _certain(items: list[StatusAt]) -> int:
    return sum(1 for i in items if i.certainty is Certainty.YES)


class Group(Answer):
    # Those holding a kind of status on a date (built from their StatusAt items).
    count: Annotated[int, From(_certain)]
    uncertain: Annotated[int, From(lambda items: len(items) - _certain(items))]
    items: Annotated[list[GroupItem], From(lambda items: items)]


class ChairHolder(ChairmanshipOut):
    inherited_from = "term"
    name: Annotated[str, From("term.actor.name_en")]
    certain: bool


class HeadHolder(HeadOut):
    inherited_from = "term"
    name: Annotated[str, From("term.person.name_en")]
    certain: bool


class TroikaMember(ActorRef):
    # A chair of the troika (built from its Chairmanship).
    inherited_from = "actor"
    start: PartialDateOut
    # A past or next term is on record as decided; the current one may be blurred.
    certain: Annotated[bool, From(lambda term: True)] = True
    decided_on: Annotated[PartialDateOut | None, From(term_decided_on)] = Field(
        None, description="For the next chair: when it was decided, if the record says."
    )


def _current(holders: list[Holder]) -> list[dict]:
    # The chair in office: when its term was decided is told of the next one only.
    return [TroikaMember.build(h.term, certain=h.certain, decided_on=None) for h in holders]


class TroikaOut(Answer):
    previous: TroikaMember | None = None
    current: Annotated[list[TroikaMember], From(lambda troika: _current(troika.current))]
    next: TroikaMember | None = None


class OrganizationOut(Answer):
    name: Annotated[str, From("name_en")]
    short_name: Annotated[str, From("short_name_en")]


class OverviewOut(Answer):
    at: dt.date
    organization: OrganizationOut | None = None
    members: Group
    observers: Group
    partners: Group
    chair: list[ChairHolder]
    troika: TroikaOut
    head: list[HeadHolder]
    reported: Annotated[list[ReportedFigureOut], From("figures")] = Field(
        description="What sources give as the number of members, observers and partners as of "
        "the date nearest `at` (that day's figures, every measure), each beside the count on "
        "the last day of its own date, with why they differ where they do."
    )


class StatusRecord(StatusOut):
    id: Annotated[int, From("status.pk")]
    actor: Annotated[ActorRef, From("status.actor")]


class PersonDetail(PersonOut):
    # A person; built with `terms` given (their terms as head).
    note: str | None = None
    terms: list[HeadOut] = Field(description="The person's terms as head of the Secretariat.")
    sources: list[SourceOut]


class SeriesOut(Answer):
    slug: str
    label: Annotated[str, From("label_en")] = Field(
        description='The noun after the ordinal: "Member State".'
    )
    label_ru: str | None = None
    actor_kind: str = Field(description="Which actors are numbered: state or organization.")
    status_kinds: list[str] = Field(description="The status kinds numbered together.")


class OrganizationDetail(OrganizationOut):
    slug: str
    name_ru: str | None = None
    short_name_ru: str | None = None
    founded: PartialDateOut | None = None
    symbol_pattern: str = Field(description="How new document symbols are made.")
    ordinal_series: Annotated[
        list[SeriesOut], From(lambda organization: OrdinalSeries.objects.all())
    ] = Field(description="How members, observers and partners are numbered.")
    note: str | None = None
    sources: list[SourceOut]
