"""The officers' pages of meetings: record a meeting (from a body's page or the meetings
list), and on a meeting's page plan it anew, cancel it, record it as held, set its
participants and add an outcome.

Thin: the form parses, the services judge and save (bodies.services; a meeting's outcomes
are documents' lifecycle events, documents.services), `form_page` answers.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from secretariat.documents.services import document_event_upsert
from secretariat.records.pages import (
    Action,
    actions_for,
    form_page,
    next_url,
    officer_page,
    officer_required,
)

from . import selectors, services
from .display import meeting_label
from .models import Body, Meeting, MeetingSchedule
from .officer_forms import (
    CancelForm,
    HeldForm,
    MeetingForm,
    OutcomeForm,
    ParticipantsForm,
    PlanForm,
)


def _meeting(key: str) -> Meeting:
    found = selectors.meeting_get(key)
    if found is None:
        raise Http404(_("No such meeting."))
    return found


def _meeting_url(meeting: Meeting) -> str:
    return reverse("bodies:meeting", kwargs={"key": meeting.key})


def _name(meeting: Meeting) -> str:
    """The meeting's title in the page's language, as plain text."""
    return strip_tags(meeting_label(meeting))


def _url(name: str, meeting: Meeting) -> str:
    return reverse(f"bodies:{name}", kwargs={"key": meeting.key})


@actions_for("bodies.body")
def _body_actions(body: Body) -> list[Action]:
    url = reverse("bodies:meeting_new_of_body", kwargs={"body_slug": body.slug})
    return [Action(_("Record a meeting"), url)]


@actions_for("bodies.meeting")
def _meeting_actions(meeting: Meeting) -> list[Action]:
    state = selectors.meeting_status(meeting)
    actions = []
    if state != "held":  # what took place is neither moved nor cancelled
        actions.append(Action(_("Reschedule"), _url("meeting_reschedule", meeting)))
        if state != "cancelled":
            actions.append(Action(pgettext("meeting", "Cancel"), _url("meeting_cancel", meeting)))
        actions.append(Action(_("Record as held"), _url("meeting_held", meeting)))
    actions.append(Action(_("Participants"), _url("meeting_participants", meeting)))
    actions.append(Action(_("Add an outcome"), _url("meeting_outcome_new", meeting)))
    return actions


def _where(form) -> dict:
    """The schedule entry's fields, as typed."""
    data = form.cleaned_data
    names = ("start", "end", "city_en", "city_ru", "country", "mode")
    return {name: data[name] for name in names}


def _where_initial(meeting: Meeting) -> dict:
    """A new entry starts from where and when the meeting stands now."""
    when = selectors.meeting_when(meeting)
    if when is None:
        return {}
    return {"start": when.start, "end": when.end, "city_en": when.city_en,
            "city_ru": when.city_ru, "country": when.country, "mode": when.mode}  # fmt: skip


@officer_required
@officer_page
def meeting_new(request, body_slug: str | None = None):
    """A new meeting: what, when and where, who took part, what it adopted."""
    body = None
    if body_slug is not None:
        body = selectors.body_get(body_slug)
        if body is None:
            raise Http404(_("No such body."))
    form = MeetingForm(request.POST or None, user=request.user, initial={"body": body})

    def write(form):
        data = form.cleaned_data
        sources = form.sources()
        meeting = services.meeting_create(
            body=data["body"], key=data["key"], ordinal=data["ordinal"],
            title_en=data["title_en"], title_ru=data["title_ru"], formal=data["formal"],
            chair=data["chair"], kind=data["kind"], participants=data["participants"],
            sources=sources, **_where(form),
        )  # fmt: skip
        for kind, document in data["outcomes"]:
            document_event_upsert(
                document=document, kind=kind, date=data["start"], meeting=meeting,
                body=meeting.body, sources=sources,
            )  # fmt: skip
        return meeting

    back = reverse("bodies:body", kwargs={"body_slug": body.slug}) if body else None
    return form_page(
        request, form, write=write, done=_meeting_url,
        title=_("Record a meeting"), back=next_url(request, back or reverse("bodies:meetings")),
        intro=_("A meeting held, or one planned. Its later changes (a new date, a "
                "cancellation, the day it was held) are recorded on its page."),
        message=_("The meeting is on record."), submit=_("Record the meeting"),
    )  # fmt: skip


def _schedule_page(request, key: str, *, form_class, kind: str, title: str, intro: str,
                   message: str, submit: str, initial=None):  # fmt: skip
    """A page adding one entry to the meeting's schedule (the earlier ones are kept)."""
    meeting = _meeting(key)
    form = form_class(request.POST or None, initial=initial(meeting) if initial else None)

    def write(form):
        data = form.cleaned_data
        fields = {"start": data["start"]}
        if kind != MeetingSchedule.Kind.CANCELLED:
            fields = _where(form)
        if kind == MeetingSchedule.Kind.PLANNED:
            fields["announced"] = data["announced"]
        return services.meeting_schedule_add(
            meeting=meeting, kind=kind, sources=form.sources(), **fields
        )

    label = _name(meeting)
    return form_page(
        request, form, write=write, done=lambda _entry: next_url(request, _meeting_url(meeting)),
        title=f"{title}: {label}", intro=intro, back=next_url(request, _meeting_url(meeting)),
        message=message, submit=submit,
    )  # fmt: skip


@officer_required
@officer_page
def meeting_reschedule(request, key: str):
    return _schedule_page(
        request, key, form_class=PlanForm, kind=MeetingSchedule.Kind.PLANNED,
        initial=lambda m: {**_where_initial(m), "announced": timezone.localdate()},
        title=_("Reschedule"),
        intro=_("The meeting is planned anew: new dates, place or format. The earlier plans "
                "stay on record; the body's followers are told."),
        message=_("The new plan is on record."), submit=_("Record the new plan"),
    )  # fmt: skip


@officer_required
@officer_page
def meeting_cancel(request, key: str):
    return _schedule_page(
        request, key, form_class=CancelForm, kind=MeetingSchedule.Kind.CANCELLED,
        initial=lambda m: {"start": _where_initial(m).get("start")},
        title=pgettext("meeting", "Cancel"),
        intro=_("The meeting will not take place. Its plans stay on record; the body's "
                "followers are told."),
        message=_("The cancellation is on record."), submit=_("Record the cancellation"),
    )  # fmt: skip


@officer_required
@officer_page
def meeting_held(request, key: str):
    return _schedule_page(
        request, key, form_class=HeldForm, kind=MeetingSchedule.Kind.HELD,
        initial=_where_initial, title=_("Record as held"),
        intro=_("Where and when the meeting actually took place; its plans stay on record."),
        message=_("The meeting is recorded as held."), submit=_("Record as held"),
    )  # fmt: skip


@officer_required
@officer_page
def meeting_participants(request, key: str):
    """Who took part, in which role (the list replaces the one on record)."""
    meeting = _meeting(key)
    when = selectors.meeting_when(meeting)
    current = [(p.actor, p.role) for p in meeting.participants.all()]
    form = ParticipantsForm(
        request.POST or None,
        at=when.start.earliest if when else None,
        initial={"participants": current},
    )

    def write(form):
        return services.meeting_participants_set(
            meeting=meeting,
            participants=form.cleaned_data["participants"],
            sources=form.sources(),
        )

    return form_page(
        request, form, write=write, done=lambda _outcome: next_url(request, _meeting_url(meeting)),
        title=_("Participants: %(meeting)s") % {"meeting": _name(meeting)},
        intro=_("Tick each state or organization that took part and choose its role. The "
                "list replaces the one on record; the source is added to the meeting's."),
        back=next_url(request, _meeting_url(meeting)),
        message=_("The participants are on record."), submit=_("Record the participants"),
    )  # fmt: skip


@officer_required
@officer_page
def meeting_outcome_new(request, key: str):
    """A document the meeting adopted, endorsed or took note of."""
    meeting = _meeting(key)
    when = selectors.meeting_when(meeting)
    form = OutcomeForm(
        request.POST or None, user=request.user, initial={"date": when.start if when else None}
    )

    def write(form):
        data = form.cleaned_data
        event, _outcome = document_event_upsert(
            document=data["document"], kind=data["kind"], date=data["date"], note=data["note"],
            meeting=meeting, body=meeting.body, sources=form.sources(),
        )  # fmt: skip
        return event

    return form_page(
        request, form, write=write, done=lambda _event: next_url(request, _meeting_url(meeting)),
        title=_("Add an outcome: %(meeting)s") % {"meeting": _name(meeting)},
        back=next_url(request, _meeting_url(meeting)),
        message=_("The outcome is on record."), submit=_("Record the outcome"),
    )  # fmt: skip
