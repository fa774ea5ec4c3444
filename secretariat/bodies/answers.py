"""The answers about bodies and meetings, declared once (core.answers): the API, and the
other apps' answers that name a body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from ninja import Field

from secretariat.core.answers import Answer, From
from secretariat.core.schemas import PartialDateOut, SourceOut, VariantOut
from secretariat.figures.answers import ComputedOut, ReportedFigureOut
from secretariat.registry.answers import ActorRef, MeetingRef

from .models import Meeting
from .selectors import meeting_figures, meeting_status, meeting_title, meeting_when


class BodyRef(Answer):
    slug: str
    kind: str
    name: Annotated[str, From("name_en")]


class BodyEventOut(Answer):
    kind: str
    date: PartialDateOut
    meeting: MeetingRef | None = None
    note: str | None = None
    sources: list[SourceOut]


# A body with its status on a date (built from a bodies.selectors.BodyAt).
class BodyOut(BodyRef):
    inherited_from = "body"
    name_ru: Annotated[str | None, From("body.name_ru")] = None
    short_name: Annotated[str | None, From("body.short_name_en")] = None
    parent: Annotated[BodyRef | None, From("body.parent")] = None
    initiated_by: Annotated[list[ActorRef], From("body.initiated_by")]
    status: str | None = None
    events: list[BodyEventOut]
    note: Annotated[str | None, From("body.note")] = None
    sources: Annotated[list[SourceOut], From("body")]


def _when(attribute: str) -> Callable[[Meeting], Any]:
    """An attribute of where and when the meeting took place (else was last planned)."""
    return lambda meeting: getattr(meeting_when(meeting), attribute, None)


class MeetingOut(Answer):
    id: Annotated[int, From("pk")]
    key: str
    title: Annotated[str, From(meeting_title)]
    title_ru: str | None = None
    body: BodyRef
    ordinal: int | None = None
    formal: bool
    status: Annotated[str, From(meeting_status)]
    start: Annotated[PartialDateOut | None, From(_when("start"))] = None
    end: Annotated[PartialDateOut | None, From(_when("end"))] = None
    city: Annotated[str | None, From(_when("city_en"))] = None
    country: Annotated[ActorRef | None, From(_when("country"))] = None
    mode: Annotated[str | None, From(_when("mode"))] = None
    chair: ActorRef | None = None
    sources: list[SourceOut]


# A meeting as planned on a date (built from a bodies.selectors.Upcoming).
class UpcomingOut(Answer):
    id: Annotated[int, From("meeting.pk")]
    key: Annotated[str, From("meeting.key")]
    title: Annotated[str, From(lambda item: meeting_title(item.meeting, when=item.plan))]
    title_ru: Annotated[str | None, From("meeting.title_ru")] = None
    body: Annotated[BodyRef, From("meeting.body")]
    ordinal: Annotated[int | None, From("meeting.ordinal")] = None
    formal: Annotated[bool, From("meeting.formal")]
    status: str = Field(description="planned, or postponed when a plan known then replaced one.")
    start: Annotated[PartialDateOut, From("plan.start")]
    end: Annotated[PartialDateOut | None, From("plan.end")] = None
    city: Annotated[str | None, From("plan.city_en")] = None
    country: Annotated[ActorRef | None, From("plan.country")] = None
    mode: Annotated[str | None, From("plan.mode")] = Field(
        None, description="in_person, online or hybrid; null: not on record."
    )
    announced: Annotated[PartialDateOut | None, From("plan.announced")] = Field(
        None, description="When this plan was announced."
    )
    chair: Annotated[ActorRef | None, From("meeting.chair")] = None
    sources: Annotated[list[SourceOut], From("plan")] = Field(
        description="The sources of the plan."
    )


class ScheduleOut(Answer):
    kind: str
    start: PartialDateOut
    end: PartialDateOut | None = None
    city: Annotated[str | None, From("city_en")] = None
    city_ru: str | None = None
    country: ActorRef | None = None
    mode: str | None = Field(None, description="in_person, online or hybrid; null: not on record.")
    announced: PartialDateOut | None = None
    note: str | None = None
    sources: list[SourceOut]


# A participant of a meeting (built from its MeetingParticipant).
class ParticipantOut(ActorRef):
    inherited_from = "actor"
    role: str


class MeetingDetail(MeetingOut):
    schedule: list[ScheduleOut]
    participants: list[ParticipantOut]
    reported: Annotated[list[ReportedFigureOut], From(meeting_figures)] = Field(
        description="How many took part, as sources give it, beside the participants on record."
    )
    note: str | None = None
    variants: list[VariantOut]


# A body on a date with its sub-bodies and meetings; built with `at`, `meetings_held`
# (a figures.compare.Computed) and `reported` (its Comparisons) given.
class BodyDetail(BodyOut):
    at: dt.date
    children: Annotated[list[BodyRef], From("body.children")] = Field(
        description="The bodies under this one."
    )
    meetings_held: ComputedOut = Field(
        description="Its meetings held by `at`: `value` certainly, up to `high` with meetings "
        "held on a partial date that holds `at`."
    )
    reported: list[ReportedFigureOut] = Field(
        description="Figures sources give of the meetings it held, known by `at`, each beside "
        "the meetings held on record on its own date."
    )
    variants: Annotated[list[VariantOut], From("body")]
