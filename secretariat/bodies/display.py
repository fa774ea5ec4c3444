"""How the app's records are shown on pages: labels and presenting helpers."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from . import selectors
from .models import Body, BodyEvent, Meeting, MeetingParticipant, MeetingSchedule

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
    "": gettext_lazy("not on record"),
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
