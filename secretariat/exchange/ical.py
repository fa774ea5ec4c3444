"""The calendar (RFC 5545, built with the icalendar library): meetings, the deadlines of
consensus procedures and the feedback deadlines of circulations, of the records the user
may read.

A feed that calendar applications poll must be stable: every UID is made from the
record's key (never the host serving it) and DTSTAMP is the record's last change, so the
same record gives the same bytes on every fetch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import BinaryIO

from django.urls import reverse
from icalendar import Calendar, Event, vDuration, vText

from secretariat.bodies.selectors import meeting_status, meeting_title, meeting_when, meetings_list
from secretariat.core.models import Organization
from secretariat.decisions.models import Procedure
from secretariat.decisions.selectors import closing_of, readable
from secretariat.documents.selectors import circulations

from .formats import Progress, no_progress

UTC = dt.UTC
DAY = dt.timedelta(days=1)
REFRESH = dt.timedelta(hours=6)
# A held meeting is confirmed, a planned (or postponed) one tentative.
MEETING_STATUS = {
    "held": "CONFIRMED",
    "cancelled": "CANCELLED",
    "planned": "TENTATIVE",
    "postponed": "TENTATIVE",
}


@dataclass(frozen=True)
class Feed:
    """What the calendar holds, and what it had to leave out."""

    events: list[Event]
    undated: int  # meetings dated only to the month or year: no day to put them on


def uid_domain() -> str:
    """The right-hand side of every UID: the organization's, whatever host serves it."""
    org = Organization.objects.order_by("pk").first()
    return f"{org.slug}.secretariat" if org else "secretariat"


def _stamp(*moments: dt.datetime | None) -> dt.datetime:
    return max(m for m in moments if m is not None).astimezone(UTC)


def _url(base_url: str | None, name: str, **kwargs) -> str | None:
    return base_url.rstrip("/") + reverse(name, kwargs=kwargs) if base_url else None


def _event(*, uid: str, summary: str, start, end=None, stamp, status: str, **extra) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("summary", summary)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    event.add("status", status)
    for name, value in extra.items():
        if value:
            event.add(name.replace("_", "-"), value)
    return event


# --- Meetings -----------------------------------------------------------------------------


def _city(entry) -> str:
    country = entry.country.name_en if entry.country else ""
    return ", ".join(part for part in (entry.city_en, country) if part)


def _place(entry) -> str | None:
    """The LOCATION: the city and country, online, or both."""
    if entry.mode == "online":
        return "Online"
    city = _city(entry)
    if entry.mode == "hybrid":
        return f"{city} and online" if city else "Online"
    return city or None


def _span(entry) -> str:
    """A schedule entry as the description lists it: "12 October 2022 (Astana, Kazakhstan)"."""
    text = entry.start.display()
    if entry.end and entry.end != entry.start:
        text += f" – {entry.end.display()}"
    where = _place(entry)
    return f"{text} ({where})" if where else text


def meeting_events(*, body, domain: str, base_url: str | None) -> tuple[list[Event], int]:
    """Meetings on the days they were held, else last planned for; those whose dates are
    known only to the month or year are counted, not placed."""
    events, undated = [], 0
    for meeting in meetings_list(body=body):
        when = meeting_when(meeting)
        if when is None or not when.start.is_exact:
            undated += 1
            continue
        start = when.start.earliest
        # An end known only to the month cannot close the event: it is shown on its first day.
        last = when.end.latest if when.end and when.end.is_exact else start
        entries = list(meeting.schedule.all())
        history = "\n".join(f"{e.get_kind_display().capitalize()}: {_span(e)}" for e in entries)
        events.append(
            _event(
                uid=f"meeting-{meeting.key}@{domain}",
                summary=meeting_title(meeting),
                start=start,
                end=last + DAY,  # all-day events end on the day after (RFC 5545 3.6.1)
                stamp=_stamp(meeting.updated_at, *(e.updated_at for e in entries)),
                status=MEETING_STATUS.get(meeting_status(meeting), "TENTATIVE"),
                location=_place(when),
                description=f"{meeting.body.name_en}.\n{history}",
                categories=[meeting.body.short_name_en or meeting.body.name_en],
                url=_url(base_url, "bodies:meeting", key=meeting.key),
            )
        )
    return events, undated


# --- Deadlines ----------------------------------------------------------------------------


def procedure_events(*, user, body, domain: str, base_url: str | None) -> list[Event]:
    """The deadline of every procedure the user may read: when a silence procedure ends,
    when a meeting is to decide. One closed before its deadline shows as cancelled."""
    qs = Procedure.objects.filter(deadline__isnull=False).select_related(
        "version__document", "body", "closing"
    )
    if body is not None:
        qs = qs.filter(body=body)
    events = []
    for procedure in readable(qs, user).order_by("deadline", "pk"):
        document = procedure.version.document
        closing = closing_of(procedure)
        early = closing is not None and closing.closed_at < procedure.deadline
        silence = procedure.kind == Procedure.Kind.SILENCE
        what = "Silence procedure ends" if silence else "Decision due"
        opened = procedure.opened_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        description = (
            f"{procedure.get_kind_display().capitalize()} on version "
            f"{procedure.version.number} of {document.symbol}, before the "
            f"{procedure.body.name_en}; opened {opened}."
        )
        if closing is not None:
            description += f" Closed: {closing.get_outcome_display()}."
        events.append(
            _event(
                uid=f"procedure-{procedure.pk}-deadline@{domain}",
                summary=f"{what}: {document.symbol} {document.title_en}",
                start=procedure.deadline.astimezone(UTC),
                stamp=_stamp(procedure.updated_at, closing.recorded_at if closing else None),
                status="CANCELLED" if early else "CONFIRMED",
                description=description,
                categories=[procedure.body.short_name_en or procedure.body.name_en],
                url=_url(base_url, "decisions:procedure", procedure_id=procedure.pk),
            )
        )
    return events


def feedback_events(*, user, body, at: dt.date, domain: str, base_url: str | None):
    """The feedback deadline of every circulation (made by `at`) of a document the user may
    read, as an all-day event."""
    events = []
    for item in circulations(user=user, at=at):
        event = item.event
        document = event.document
        acting = event.body or document.body
        if event.deadline is None or (body is not None and acting != body):
            continue
        version = f" (version {event.version.number})" if event.version_id else ""
        events.append(
            _event(
                uid=f"circulation-{event.pk}-feedback@{domain}",
                summary=f"Feedback due: {document.symbol} {document.title_en}",
                start=event.deadline,
                end=event.deadline + DAY,
                stamp=_stamp(event.updated_at),
                status="CONFIRMED",
                description=f"Feedback on {document.symbol}{version}, circulated "
                f"{event.date.display()}, is due by the end of this day.",
                categories=[acting.short_name_en or acting.name_en] if acting else None,
                url=_url(base_url, "documents:detail", key=document.key),
            )
        )
    return events


# --- The calendar -------------------------------------------------------------------------


def _start_key(event: Event) -> tuple:
    start = event.decoded("dtstart")
    if not isinstance(start, dt.datetime):
        start = dt.datetime.combine(start, dt.time.min, tzinfo=UTC)
    return (start, str(event["uid"]))


def feed(*, user, at: dt.date, body=None, base_url: str | None = None) -> Feed:
    domain = uid_domain()
    meetings, undated = meeting_events(body=body, domain=domain, base_url=base_url)
    events = [
        *meetings,
        *procedure_events(user=user, body=body, domain=domain, base_url=base_url),
        *feedback_events(user=user, body=body, at=at, domain=domain, base_url=base_url),
    ]
    return Feed(events=sorted(events, key=_start_key), undated=undated)


def calendar_bytes(*, user, at: dt.date, body=None, base_url: str | None = None) -> bytes:
    """The calendar as `user` may read it: every meeting on record, and the deadlines of
    procedures and circulations (those made by `at`), of one body when given."""
    org = Organization.objects.order_by("pk").first()
    name = org.short_name_en if org else "Secretariat"
    found = feed(user=user, at=at, body=body, base_url=base_url)
    title = f"{name}: meetings and deadlines"
    if body is not None:
        title = f"{name} {body.name_en}: meetings and deadlines"
    description = (
        "Meetings on the days they were held, else the days last planned (tentative); the "
        "deadlines of consensus procedures and of feedback on circulated drafts that you "
        "may read."
    )
    if found.undated:
        description += (
            f" {found.undated} meeting{'s' if found.undated != 1 else ''} dated only by the "
            "month or the year cannot be placed on a day and are left out; the meetings "
            "page lists them."
        )
    calendar = Calendar()
    calendar.add("prodid", f"-//Secretariat//{name} calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", vText(title))
    calendar.add("name", title)
    calendar.add("x-wr-caldesc", vText(description))
    calendar.add("description", description)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for event in found.events:
        calendar.add_component(event)
    return calendar.to_ical()


def export(stream: BinaryIO, *, at: dt.date, user, progress: Progress = no_progress) -> None:
    """The whole calendar as `user` may read it (None: the public)."""
    progress(0, 1)
    stream.write(calendar_bytes(user=user, at=at))
    progress(1, 1)
