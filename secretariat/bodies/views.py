"""Pages of bodies and institutions, and of meetings: lists, a calendar by year, each record."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from secretariat.accounts.policy import is_secretariat
from secretariat.core.as_of import as_of
from secretariat.documents.selectors import documents_list, meeting_outcomes
from secretariat.figures.display import page_items

from . import selectors
from .display import (
    _OUTCOME_BADGES,
    BODY_EVENTS,
    OUTCOME_KINDS,
    PARTICIPANT_ROLES,
    STATUS_FILTERS,
    _present_entry,
    present_body,
    present_meeting,
)
from .models import Body, BodyEvent, Meeting, MeetingSchedule


# Labels of the derived meeting statuses, and the badge each wears.
def _int(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    return number if low <= number <= high else None


# --- Bodies and institutions ---------------------------------------------------------


@require_safe
def bodies(request):
    at = as_of(request)
    items = selectors.bodies_at(at)
    organs, institutions = [], []
    for item in items:
        present_body(item.body)
        item.body.status_label = BODY_EVENTS.get(item.status, "") if item.status else ""
        item.body.founded = next(
            (e for e in item.events if e.kind == BodyEvent.Kind.ESTABLISHED), None
        )
        is_institution = item.body.kind in (Body.Kind.INSTITUTION, Body.Kind.OTHER)
        (institutions if is_institution else organs).append(item)
    return render(request, "bodies/bodies.html", {"organs": organs, "institutions": institutions})


@require_safe
def body(request, body_slug: str):
    at = as_of(request)
    item = selectors.body_at(body_slug, at)
    if item is None:
        raise Http404(_("No such body."))
    present_body(item.body)
    for event in item.events:
        event.kind_label = BODY_EVENTS.get(event.kind, event.kind)
        event.later = event.date.earliest > at
        present_meeting(event.meeting)
    if item.body.parent:
        present_body(item.body.parent)
    meetings = [present_meeting(m) for m in selectors.meetings_browse(body=item.body)]
    return render(
        request,
        "bodies/body.html",
        {
            "item": item,
            "body": item.body,
            "status_label": BODY_EVENTS.get(item.status, "") if item.status else "",
            "meetings": meetings,
            "held": selectors.held_count(meetings, at),
            "figures": page_items(selectors.body_figures(item.body, at, meetings=meetings)),
            "children": [present_body(b) for b in item.body.children.all()],
        },
    )


# --- Meetings ------------------------------------------------------------------------


def _query(**params) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


@require_safe
def meetings(request):
    """All meetings with filters; with `?year=` a calendar of that year's months."""
    params = request.GET
    notices = []
    all_bodies = [present_body(b) for b in selectors.bodies_list()]
    body_slug = (params.get("body") or "").strip()
    body_obj = next((b for b in all_bodies if b.slug == body_slug), None)
    if body_slug and body_obj is None:
        message = _("There is no body “%(value)s”: showing every body.")
        notices.append(message % {"value": body_slug[:40]})
        body_slug = ""
    raw_year = (params.get("year") or "").strip()
    year = _int(raw_year, 1900, 2200)
    if raw_year and year is None:
        message = _("“%(value)s” is not a year: showing every year.")
        notices.append(message % {"value": raw_year[:40]})
    status = (params.get("status") or "").strip()
    if status and status not in selectors.STATUS_GROUPS:
        notices.append(
            _("“%(value)s” is not a status to filter by: showing every status.")
            % {"value": status[:40]}
        )
        status = ""
    found = [
        present_meeting(m)
        for m in selectors.meetings_browse(body=body_obj, year=year, status=status or None)
    ]
    for meeting in found:
        present_body(meeting.body)
    calendar = _calendar(found, year) if year else None
    base = reverse("bodies:meetings")
    years = [
        {
            "year": y,
            "current": y == year,
            "url": base + _query(body=body_slug, status=status, year=y),
        }
        for y in selectors.meeting_years()
    ]
    return render(
        request,
        "bodies/meetings.html",
        {
            "meetings": found,
            "bodies": all_bodies,
            "body_slug": body_slug,
            "year": year,
            "status": status,
            "statuses": STATUS_FILTERS,
            "notices": notices,
            "calendar": calendar,
            "years": years,
            "all_years_url": base + _query(body=body_slug, status=status),
            "record_meeting_url": reverse("bodies:meeting_new")
            if is_secretariat(request.user)
            else None,
        },
    )


def _calendar(found: list[Meeting], year: int) -> dict:
    """A year's meetings by month; those dated only by the year apart."""
    months = [{"first": dt.date(year, n, 1), "meetings": []} for n in range(1, 13)]
    undated = []
    for meeting in found:
        when = meeting.when
        if when is None or when.start.month is None:
            undated.append(meeting)
        else:
            months[when.start.month - 1]["meetings"].append(meeting)
    return {"months": months, "undated": undated}


@require_safe
def meeting(request, key: str):
    at = as_of(request)
    found = selectors.meeting_get(key)
    if found is None:
        raise Http404(_("No such meeting."))
    present_meeting(found)
    present_body(found.body)
    schedule = [_present_entry(e) for e in found.schedule.all()]
    participants = list(found.participants.all())
    for participant in participants:
        participant.role_label = PARTICIPANT_ROLES.get(participant.role, participant.role)
    outcomes: dict[str, dict] = {}
    for event in meeting_outcomes(found, user=request.user):
        group = outcomes.setdefault(
            event.kind,
            {
                "label": OUTCOME_KINDS.get(event.kind, event.kind),
                "badge": _OUTCOME_BADGES.get(event.kind, ""),
                "events": [],
            },
        )
        group["events"].append(event)
    documents = list(documents_list(user=request.user, at=at, meeting=found))
    return render(
        request,
        "bodies/meeting.html",
        {
            "meeting": found,
            "schedule": schedule,
            "held": next((e for e in schedule if e.kind == MeetingSchedule.Kind.HELD), None),
            "plans": [e for e in schedule if e.kind == MeetingSchedule.Kind.PLANNED],
            "participants": participants,
            "outcomes": list(outcomes.values()),
            "documents": documents,
        },
    )
