"""Pages of bodies and institutions, and of meetings: lists, a calendar by year, each record."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from secretariat.accounts.policy import is_secretariat
from secretariat.documents.selectors import documents_list, meeting_outcomes
from secretariat.figures.presenters import page_items
from secretariat.portal.dates import as_of

from . import selectors
from .models import Body, BodyEvent, Meeting, MeetingParticipant, MeetingSchedule

# Labels of the derived meeting statuses, and the badge each wears.
MEETING_STATUS = {
    "held": (pgettext_lazy("meeting", "held"), "ok"),
    "planned": (pgettext_lazy("meeting", "planned"), ""),
    "postponed": (pgettext_lazy("meeting", "postponed"), "warn"),
    "cancelled": (pgettext_lazy("meeting", "cancelled"), "error"),
    "unscheduled": (pgettext_lazy("meeting", "not scheduled"), ""),
}
# The status filter of the meetings page (bodies.selectors.STATUS_GROUPS).
STATUS_FILTERS = [
    ("held", pgettext_lazy("meetings filter", "Held")),
    ("planned", pgettext_lazy("meetings filter", "Planned")),
    ("cancelled", pgettext_lazy("meetings filter", "Cancelled")),
]
SCHEDULE_KINDS = {
    MeetingSchedule.Kind.PLANNED: gettext_lazy("Planned"),
    MeetingSchedule.Kind.HELD: gettext_lazy("Held"),
    MeetingSchedule.Kind.CANCELLED: gettext_lazy("Cancelled"),
}
MODES = {
    MeetingSchedule.Mode.IN_PERSON: gettext_lazy("in person"),
    MeetingSchedule.Mode.ONLINE: gettext_lazy("online"),
    MeetingSchedule.Mode.HYBRID: gettext_lazy("hybrid"),
}
PARTICIPANT_ROLES = {
    MeetingParticipant.Role.MEMBER: gettext_lazy("member"),
    MeetingParticipant.Role.OBSERVER: gettext_lazy("observer"),
    MeetingParticipant.Role.PARTNER: gettext_lazy("partner"),
    MeetingParticipant.Role.GUEST: gettext_lazy("guest"),
    MeetingParticipant.Role.CHAIR: gettext_lazy("chair"),
}
BODY_KINDS = {
    Body.Kind.SUMMIT: gettext_lazy("Summit"),
    Body.Kind.MINISTERIAL_COUNCIL: gettext_lazy("Ministerial Council"),
    Body.Kind.SENIOR_OFFICIALS_COMMITTEE: gettext_lazy("Senior Officials Committee"),
    Body.Kind.PERMANENT_REPRESENTATIVES: gettext_lazy("Committee of Permanent Representatives"),
    Body.Kind.SPECIAL_WORKING_GROUP: gettext_lazy("Special Working Group"),
    Body.Kind.SECRETARIAT: gettext_lazy("Secretariat"),
    Body.Kind.INSTITUTION: gettext_lazy("Institution"),
    Body.Kind.OTHER: gettext_lazy("Other"),
}
BODY_EVENTS = {
    BodyEvent.Kind.PROPOSED: gettext_lazy("proposed"),
    BodyEvent.Kind.INITIATED: gettext_lazy("initiated"),
    BodyEvent.Kind.ESTABLISHED: gettext_lazy("established"),
    BodyEvent.Kind.TRANSFORMED: gettext_lazy("transformed"),
    BodyEvent.Kind.MEMBERSHIP_PENDING: gettext_lazy("membership pending"),
    BodyEvent.Kind.OPERATIONAL: gettext_lazy("operational"),
    BodyEvent.Kind.SUSPENDED: gettext_lazy("suspended"),
    BodyEvent.Kind.DISSOLVED: gettext_lazy("dissolved"),
}
# What a meeting did with a document: the lifecycle events recorded at it.
OUTCOME_KINDS = {
    "drafted": gettext_lazy("Drafted"),
    "circulated": gettext_lazy("Circulated"),
    "feedback_received": gettext_lazy("Feedback received"),
    "agreed": gettext_lazy("Agreed"),
    "adopted": gettext_lazy("Adopted"),
    "endorsed": gettext_lazy("Endorsed"),
    "took_note": gettext_lazy("Taken note of"),
    "signed": gettext_lazy("Signed"),
    "ratified": gettext_lazy("Ratified"),
    "entered_into_force": gettext_lazy("Entered into force"),
    "superseded": gettext_lazy("Superseded"),
    "withdrawn": gettext_lazy("Withdrawn"),
}
_OUTCOME_BADGES = {"adopted": "ok", "endorsed": "ok", "signed": "ok", "withdrawn": "warn"}


def _lang() -> str:
    return (get_language() or "en")[:2]


def meeting_label(meeting: Meeting, *, when: MeetingSchedule | None = None) -> str:
    """The meeting's title in the page's language; the English one, marked, when missing
    (`when`: the schedule entry a title composed from a date names, see meeting_title)."""
    lang = _lang()
    if lang == "en":
        return selectors.meeting_title(meeting, when=when)
    local = getattr(meeting, f"title_{lang}", "")
    if local:
        return local
    english = selectors.meeting_title(meeting, when=when)
    if meeting.title_en or not getattr(meeting.body, f"name_{lang}", ""):
        return format_html('<span class="fallback" lang="en">{}</span>', english)
    body = getattr(meeting.body, f"name_{lang}")
    if meeting.ordinal:
        text = _("%(body)s: meeting no. %(number)s") % {"body": body, "number": meeting.ordinal}
    else:
        text = _("%(body)s: meeting") % {"body": body}
    return _("%(title)s (informal)") % {"title": text} if not meeting.formal else text


def present_meeting(meeting: Meeting | None) -> Meeting | None:
    """Puts on the meeting what its pages show: title in the page's language, when and
    where it took place (else was last planned), its status and the other schedule entries."""
    if meeting is None or hasattr(meeting, "label"):
        return meeting
    meeting.label = meeting_label(meeting)
    meeting.when = selectors.meeting_when(meeting)
    meeting.state = selectors.meeting_status(meeting)
    meeting.state_label, meeting.badge = MEETING_STATUS[meeting.state]
    # Planned entries beside the one that stands: "planned vs actual" on every list.
    meeting.other_dates = [e for e in meeting.schedule.all() if e is not meeting.when]
    return meeting


def present_upcoming(item: selectors.Upcoming) -> Meeting:
    """Puts on the meeting what a list of upcoming meetings shows, as planned on the day
    asked for: the plan known then as its `when` (never the dates it was held on later)."""
    meeting = item.meeting
    meeting.label = meeting_label(meeting, when=item.plan)
    meeting.when = item.plan
    meeting.state = item.status
    meeting.state_label, meeting.badge = MEETING_STATUS[item.status]
    meeting.other_dates = []  # what else the record holds may have been learned later
    return meeting


def _present_entry(entry: MeetingSchedule) -> MeetingSchedule:
    entry.kind_label = SCHEDULE_KINDS.get(entry.kind, entry.kind)
    entry.mode_label = MODES.get(entry.mode, entry.mode)
    return entry


def present_body(body: Body) -> Body:
    body.kind_label = BODY_KINDS.get(body.kind, body.kind)
    return body


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
