"""Reads about bodies and meetings, as of any date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from secretariat.core.prefetch import cited
from secretariat.figures.compare import Comparison, Computed, compare, known_by
from secretariat.figures.models import Measure
from secretariat.figures.selectors import figures_for

from .models import Body, BodyEvent, Meeting, MeetingDates, MeetingSchedule, standing_plan

# Row-level derivations live on the model (registry reaches them through its foreign
# keys, without importing this app); these are their functional spellings.
meeting_when = Meeting.standing_entry
meeting_status = Meeting.schedule_status
meeting_title = Meeting.display_title


def meetings_qs() -> QuerySet[Meeting]:
    return (
        Meeting.objects.select_related("body", "chair")
        .prefetch_related(
            Prefetch("schedule", queryset=MeetingSchedule.objects.select_related("country")),
            cited(),
        )
        .annotate(effective_start=F("dates__start"))
    )


def meetings_list(
    *,
    body: Body | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    formal: bool | None = None,
) -> QuerySet[Meeting]:
    """Meetings in date order, filtered by body, date window (inclusive) and formality."""
    qs = meetings_qs()
    if body is not None:
        qs = qs.filter(body=body)
    if formal is not None:
        qs = qs.filter(formal=formal)
    if date_from is not None:
        qs = qs.filter(effective_start__gte=date_from)
    if date_to is not None:
        qs = qs.filter(effective_start__lte=date_to)
    return qs.order_by("effective_start", "id")


def meeting_get(key_or_id: str) -> Meeting | None:
    """A meeting by its key or numeric id, with participants."""
    lookup = Q(key=key_or_id)
    # Decimal digits only ("²" is a digit, not a number), within what an id column holds.
    if key_or_id.isdecimal() and 0 < int(key_or_id) <= 2**63 - 1:
        lookup |= Q(pk=int(key_or_id))
    return (
        meetings_qs()
        .prefetch_related("participants__actor", "variants__sources", cited("schedule__"))
        .filter(lookup)
        .first()
    )


@dataclass(frozen=True)
class BodyAt:
    """A body with its status on a date, derived from its events."""

    body: Body
    status: str | None
    events: list[BodyEvent]


def body_status(events: list[BodyEvent], at: dt.date) -> str | None:
    """The kind of the latest event that certainly happened by `at` (None before any)."""
    past = [e for e in events if e.date.latest <= at]
    return past[-1].kind if past else None


def bodies_at(at: dt.date) -> list[BodyAt]:
    """All bodies, each with its status on `at` and the events up to then."""
    events = Prefetch(
        "events",
        queryset=BodyEvent.objects.select_related("meeting__body").prefetch_related(
            cited(), "meeting__schedule"
        ),
    )
    bodies = (
        Body.objects.select_related("parent")
        .prefetch_related(events, "initiated_by", cited())
        .order_by("name_en")
    )
    result = []
    for body in bodies:
        evts = sorted(body.events.all(), key=lambda e: (e.date, e.pk))
        result.append(
            BodyAt(
                body=body,
                status=body_status(evts, at),
                events=[e for e in evts if e.date.earliest <= at],
            )
        )
    return result


# --- The portal's pages: a body's record, meetings by year and status ------------------

# The meeting filters of the pages, each with the derived statuses it covers.
STATUS_GROUPS = {
    "held": {"held"},
    "planned": {"planned", "postponed"},
    "cancelled": {"cancelled"},
}


def bodies_list() -> QuerySet[Body]:
    """Every body, by name: for choosing one."""
    return Body.objects.order_by("name_en")


def body_at(slug: str, at: dt.date) -> BodyAt | None:
    """One body with its status on `at` and all its events, later ones included (its page
    marks them), with its parent, sub-bodies and initiators; None for an unknown slug."""
    events = Prefetch(
        "events",
        queryset=BodyEvent.objects.select_related("meeting__body").prefetch_related(
            cited(), "meeting__schedule"
        ),
    )
    body = (
        Body.objects.filter(slug=slug)
        .select_related("parent")
        .prefetch_related(events, "initiated_by", cited(), "variants__sources", "children")
        .first()
    )
    if body is None:
        return None
    evts = sorted(body.events.all(), key=lambda e: (e.date, e.pk))
    return BodyAt(body=body, status=body_status(evts, at), events=evts)


def meetings_browse(
    *, body: Body | None = None, year: int | None = None, status: str | None = None
) -> list[Meeting]:
    """Meetings in date order, of a body, starting in a year (by the day they were held, else
    last planned for) and in a status group of STATUS_GROUPS (derived, so judged here)."""
    window = {}
    if year is not None:
        window = {"date_from": dt.date(year, 1, 1), "date_to": dt.date(year, 12, 31)}
    meetings = list(meetings_list(body=body, **window))
    if status:
        wanted = STATUS_GROUPS[status]
        meetings = [m for m in meetings if meeting_status(m) in wanted]
    return meetings


def meeting_years() -> list[int]:
    """The years in which meetings were held or planned, in order (one query)."""
    years = MeetingDates.objects.filter(start__isnull=False).dates("start", "year")
    return [day.year for day in years]


# --- Upcoming meetings, as they were known on a date ---------------------------------------


@dataclass(frozen=True)
class Upcoming:
    """A meeting as it stood planned on a date: the plan known then (its dates and place, not
    those it was eventually held on or moved to), and "planned" or "postponed" (a plan known
    then had replaced an earlier one)."""

    meeting: Meeting
    plan: MeetingSchedule
    status: str


def _end_of(at: dt.date) -> dt.datetime:
    """The first moment after the day `at`, in the site's time zone."""
    return timezone.make_aware(dt.datetime.combine(at + dt.timedelta(days=1), dt.time.min))


def schedule_known(entry: MeetingSchedule, at: dt.date) -> bool:
    """Whether a plan or a cancellation was known on `at` (the end of that day).

    A plan with an announcement date is known once certainly announced: from the last day
    its date covers (one announced "April 2012" is known from 30 April 2012).

    An entry without one (a plan so recorded, any cancellation) is known from the day it was
    entered in the record. The record cannot say when such a plan was made, only that it was
    known by the day someone entered it: the latest day it can have become known, so the
    conservative one. An earlier guess (the start of the year before the meeting, the last
    meeting of the body) would show, as of a past day, plans that may have been made later:
    the hindsight an as-of view must not have. A plan loaded with a dataset years after the
    fact is thus absent from the past until its announcement date is recorded; entered as
    it is made (an officer's page records the day of the plan), it is there from that day.
    """
    if entry.kind == MeetingSchedule.Kind.PLANNED and entry.announced:
        return entry.announced.latest <= at
    return entry.created_at < _end_of(at)


def meeting_plan_on(meeting: Meeting, at: dt.date) -> Upcoming | None:
    """The meeting as it stood planned on `at`, when it was still to come then: not held by
    then, not cancelled by what was known then, and its standing plan (of those known then,
    by the rule of meeting_when) not certainly past. None otherwise.

    Reads `meeting.schedule.all()`, so prefetch `schedule` when listing meetings.
    """
    entries = list(meeting.schedule.all())
    if any(e.kind == MeetingSchedule.Kind.HELD and e.start.earliest <= at for e in entries):
        return None  # it had taken place (or begun) by then
    known = [e for e in entries if e.kind != MeetingSchedule.Kind.HELD and schedule_known(e, at)]
    plan = standing_plan(known)
    if plan is None or plan.kind != MeetingSchedule.Kind.PLANNED or plan.start.latest <= at:
        return None
    plans = [e for e in known if e.kind == MeetingSchedule.Kind.PLANNED]
    return Upcoming(meeting, plan, "postponed" if len(plans) > 1 else "planned")


def meetings_upcoming(at: dt.date, *, limit: int | None = 5) -> list[Upcoming]:
    """The next meetings as they were planned on `at`, soonest first: each with the plan
    known on that day (schedule_known), with its dates and place then, so that a past day
    shows what was planned by then and not what came to pass. A meeting first planned
    later is absent; one moved or cancelled later shows as it was planned.

    The home page (the next `limit`) and the API (all, paged) list upcoming meetings through
    this one function, in a fixed number of queries whatever the record holds.
    """
    plan_window = Q(
        schedule__kind=MeetingSchedule.Kind.PLANNED,
        # Any plan whose window may end after `at`: a year, a month or a day from `at`'s year.
        schedule__start_date__gte=dt.date(at.year, 1, 1),
    ) & (
        Q(schedule__announced_date__lte=at)
        | Q(schedule__announced_date__isnull=True, schedule__created_at__lt=_end_of(at))
    )
    held = MeetingSchedule.objects.filter(kind=MeetingSchedule.Kind.HELD, start_date__lte=at)
    candidates = Meeting.objects.filter(plan_window).exclude(pk__in=held.values("meeting_id"))
    found = []
    listed = meetings_qs().prefetch_related(cited("schedule__"))
    for meeting in listed.filter(pk__in=candidates.values("pk")):
        item = meeting_plan_on(meeting, at)
        if item is not None:
            found.append(item)
    found.sort(key=lambda u: (u.plan.start.earliest, u.plan.start.latest, u.meeting.pk))
    return found if limit is None else found[:limit]


# Bodies whose meetings take decisions (admissions, statuses): their meetings are offered
# where a decision names the meeting that took it.
DECIDING_KINDS = (
    Body.Kind.SUMMIT,
    Body.Kind.MINISTERIAL_COUNCIL,
    Body.Kind.SENIOR_OFFICIALS_COMMITTEE,
    Body.Kind.PERMANENT_REPRESENTATIVES,
)


def deciding_meetings(*, limit: int = 300) -> list[Meeting]:
    """The latest meetings of the decision-making bodies, newest first (for a menu)."""
    qs = (
        Meeting.objects.filter(body__kind__in=DECIDING_KINDS)
        .select_related("body")
        .prefetch_related("schedule")
        .annotate(effective_start=F("dates__start"))
        .order_by(F("effective_start").desc(nulls_last=True), "-id")
    )
    return list(qs[:limit])


def body_get(slug: str) -> Body | None:
    """A body by its slug (None for an unknown one)."""
    if "\x00" in slug:  # no key holds it, and PostgreSQL refuses it in a query
        return None
    return Body.objects.filter(slug=slug[:100]).first()


# --- Counts, and the figures sources give beside them -----------------------------------


def held_count(meetings: list[Meeting], at: dt.date) -> Computed:
    """How many of these meetings were held by `at`: certainly (held on a date over by then),
    and possibly (held on a partial date whose window holds `at`). Reads prefetched
    `schedule`."""
    certain = possible = 0
    for meeting in meetings:
        when = meeting_when(meeting)
        if when is None or when.kind != MeetingSchedule.Kind.HELD:
            continue
        if when.start.latest <= at:
            certain += 1
        elif when.start.earliest <= at:
            possible += 1
    return Computed.of(certain, possible)


def body_meetings(body: Body) -> list[Meeting]:
    """The body's meetings with their schedules (for counting them on any day)."""
    return list(body.meetings.prefetch_related("schedule"))


def body_figures(
    body: Body, at: dt.date, *, meetings: list[Meeting] | None = None
) -> list[Comparison]:
    """The figures sources give about the body, known by `at`, each beside the meetings held
    on record on the figure's own date."""
    figures = known_by(figures_for(body), at)
    if not figures:
        return []
    meetings = body_meetings(body) if meetings is None else meetings
    return compare(figures, lambda day: {Measure.MEETINGS_HELD: held_count(meetings, day)})


def participants_count(meeting: Meeting) -> Computed | None:
    """The participants on record (None: the record does not list who took part)."""
    count = len(meeting.participants.all())
    return Computed.of(count) if count else None


def meeting_figures(meeting: Meeting) -> list[Comparison]:
    """The figures sources give about the meeting (how many took part) beside the record."""
    figures = figures_for(meeting)
    if not figures:
        return []
    counted = participants_count(meeting)
    return compare(figures, lambda day: {Measure.PARTICIPANTS: counted})
