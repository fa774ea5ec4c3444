"""Read API for bodies and meetings."""

import datetime as dt
from enum import StrEnum

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import model_validator

from secretariat.core.api_pagination import Paged, Presented, order_by, ordering, sort
from secretariat.core.schemas import AtQuery, Key, Problem
from secretariat.registry.selectors import today

from . import selectors
from .answers import (
    BodyDetail,
    BodyOut,
    BodyRef,  # noqa: F401 (imported by initiatives, decisions, documents until they move)
    MeetingDetail,
    MeetingOut,
    UpcomingOut,
)
from .models import Body

router = Router(tags=["bodies"])

BodyOrdering = ordering("BodyOrdering", "name", "kind")
MeetingOrdering = ordering("MeetingOrdering", "start", "key")


class MeetingKind(StrEnum):
    formal = "formal"
    informal = "informal"


class BodiesQuery(AtQuery):
    ordering: BodyOrdering | None = Field(None, description="name (default) or kind.")


class MeetingsQuery(Schema):
    body: Key | None = Field(None, description="A body's slug, e.g. summit.")
    date_from: dt.date | None = Field(
        None, alias="from", description="Meetings starting on or after this day."
    )
    date_to: dt.date | None = Field(
        None, alias="to", description="Meetings starting on or before this day."
    )
    kind: MeetingKind | None = Field(None, description="formal or informal.")
    ordering: MeetingOrdering | None = Field(
        None, description="By the first day (default: held, else last planned) or by key."
    )

    @model_validator(mode="after")
    def _window(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("'from' must not be after 'to'")
        return self


@router.get(
    "/bodies",
    response={200: list[BodyOut], 422: Problem},
    summary="Organs and institutions with their status on a date",
    description="`status` is the latest event that certainly happened by `at` (default "
    "today); `events` lists the events up to then.",
)
@paginate(Paged)
def bodies(request, query: Query[BodiesQuery]):
    items = sort(
        selectors.bodies_at(query.at or today()),
        query.ordering,
        {
            "name": lambda b: (b.body.name_en, b.body.pk),
            "kind": lambda b: (b.body.kind, b.body.name_en, b.body.pk),
        },
    )
    return Presented(items, BodyOut.build)


@router.get(
    "/bodies/{slug}",
    response={200: BodyDetail, 404: Problem, 422: Problem},
    summary="One body: its status on a date, its events, parent and sub-bodies",
    description="`status` is the latest event that certainly happened by `at` (default "
    "today); `events` lists the events up to then.",
)
def body_detail(
    request, query: Query[AtQuery], slug: str = Path(..., description="The body's slug.")
):
    at = query.at or today()
    found = selectors.body_at(slug, at)
    if found is None:
        raise Http404(f"No body with slug '{slug}'.")
    item = selectors.BodyAt(
        body=found.body,
        status=found.status,
        events=[e for e in found.events if e.date.earliest <= at],
    )
    meetings = selectors.body_meetings(found.body)
    return BodyDetail.build(
        item,
        at=at,
        meetings_held=selectors.held_count(meetings, at),
        reported=selectors.body_figures(found.body, at, meetings=meetings),
    )


@router.get(
    "/meetings",
    response={200: list[MeetingOut], 404: Problem, 422: Problem},
    summary="Meetings, in date order",
    description="Dates and place are where the meeting was held, else where it was last "
    "planned (`status` says which). `from`/`to` filter on the first day, inclusive.",
)
@paginate(Paged)
def meetings(request, query: Query[MeetingsQuery]):
    body = None
    if query.body:
        body = Body.objects.filter(slug=query.body).first()
        if body is None:
            raise Http404(f"No body with slug '{query.body}'.")
    formal = None if query.kind is None else query.kind is MeetingKind.formal
    qs = selectors.meetings_list(
        body=body, date_from=query.date_from, date_to=query.date_to, formal=formal
    )
    qs = order_by(qs, query.ordering, {"start": ["effective_start"], "key": ["key"]})
    return Presented(qs, MeetingOut.build)


@router.get(
    "/meetings/upcoming",
    response={200: list[UpcomingOut], 422: Problem},
    url_name="meetings_upcoming",
    summary="The next meetings, as planned on a date",
    description="The meetings still to come on `at` (default today), soonest first, each with "
    "the plan known on that day: its dates and place then, not those it was later moved to or "
    "held on. A plan counts as known once announced (by the end of its announcement date's "
    "window), or, without an announcement date, from the day it was entered in the record. "
    "A meeting planned later is absent; one cancelled later is listed as planned.",
)
@paginate(Paged)
def meetings_upcoming(request, query: Query[AtQuery]):
    found = selectors.meetings_upcoming(query.at or today(), limit=None)
    return Presented(found, UpcomingOut.build)


@router.get(
    "/meetings/{key}",
    response={200: MeetingDetail, 404: Problem},
    url_name="meeting_detail",
    summary="One meeting, with every planned and actual date and place",
)
def meeting_detail(request, key: str = Path(..., description="The meeting's key (or its id).")):
    meeting = selectors.meeting_get(key)
    if meeting is None:
        raise Http404(f"No meeting '{key}'.")
    return MeetingDetail.build(meeting)
