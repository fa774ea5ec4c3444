"""The officers' forms on procedures: open a silence procedure or a decision at a meeting on
a document version, and record a meeting's decision.

The version is chosen by its number and date, the body among those that decide, the
meeting among the deciding bodies' meetings. What can be told from the values is checked
here, in the page's language; the rules (decisions.rules) judge the rest on saving.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from secretariat.bodies.models import Body, Meeting
from secretariat.bodies.selectors import meeting_title, meeting_when, meetings_list
from secretariat.documents.models import Document
from secretariat.documents.officer_forms import (
    BodyChoice,
    Grouped,
    VersionChoice,
    day_label,
    localized_name,
)
from secretariat.records.site_forms import MENU_LIMIT, SourcesFields

from .models import Procedure

# The intergovernmental bodies, whose member states decide by consensus (the Secretariat
# and the institutions do not put drafts before the states).
DECIDING_KINDS = (
    Body.Kind.SUMMIT,
    Body.Kind.MINISTERIAL_COUNCIL,
    Body.Kind.SENIOR_OFFICIALS_COMMITTEE,
    Body.Kind.PERMANENT_REPRESENTATIVES,
    Body.Kind.SPECIAL_WORKING_GROUP,
)
KIND_CHOICES = [
    ("silence", _("Silence procedure: adopted unless a member state objects by the deadline")),
    ("meeting", _("Decision at a meeting")),
]
# Who sees the states' positions, where the procedure records it (Procedure.Visibility).
VISIBILITY_LABELS = {
    "public": _("Everyone"),
    "members": _("Member states' delegates and the Secretariat"),
    "officers": _("The Secretariat only"),
}
MOMENT = "%Y-%m-%dT%H:%M"
MOMENT_FORMATS = [MOMENT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
SILENCE_DAYS = 14


def moment_field(**kwargs) -> forms.DateTimeField:
    """A date and time box (the browser's picker where it has one), in the site's zone."""
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT)
    return forms.DateTimeField(input_formats=MOMENT_FORMATS, widget=widget, **kwargs)


def when(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value), "j E Y, H:i")


def deciding_bodies():
    return Body.objects.filter(kind__in=DECIDING_KINDS).order_by("name_en")


def meeting_choices() -> list:
    """The deciding bodies' meetings, latest first (those still planned at the top), grouped
    by body; the most recent MENU_LIMIT, so the menu stays light at any size."""
    meetings = (
        meetings_list()
        .filter(body__kind__in=DECIDING_KINDS)
        .order_by(F("effective_start").desc(nulls_first=True), "-id")[:MENU_LIMIT]
    )
    lang = "ru" if get_language() == "ru" else "en"
    groups: dict[int, tuple[str, list]] = {}
    for meeting in meetings:
        held = meeting_when(meeting)
        label = meeting_title(meeting, lang)
        named = meeting.ordinal or meeting.title_en or meeting.title_ru
        if held is not None and named:  # a title made without a name carries its date
            label = f"{label} ({day_label(held.start)})"
        body = groups.setdefault(meeting.body_id, (localized_name(meeting.body), []))
        body[1].append((meeting.key, label))
    return [("", "—"), *sorted(groups.values(), key=lambda group: group[0])]


def end_of_day(days: int) -> dt.datetime:
    """The last minute of the day `days` from today, in the site's time zone."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


class ProcedureOpenForm(Grouped, SourcesFields):
    """A version put before a body: by silence until a deadline, or for decision at one of
    the body's meetings. Sources optional: opening it here is the Secretariat's own act."""

    sources_required = False

    kind = forms.ChoiceField(
        label=_("Procedure"), choices=KIND_CHOICES, initial="silence", widget=forms.RadioSelect
    )
    body = BodyChoice(label=_("Body deciding"), queryset=Body.objects.none())
    deadline = moment_field(
        label=_("Deadline (silence procedure)"),
        required=False,
        help_text=_("Date and time; adopted at this moment if no member state has objected."),
    )
    meeting = forms.ChoiceField(
        label=_("Meeting (decision at a meeting)"),
        required=False,
        help_text=_("One of the deciding body's meetings."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        self.versions = list(document.versions.all())
        self.fields["version"] = VersionChoice(
            self.versions,
            label=_("Version decided on"),
            error_messages={"invalid_choice": _("This document has no version %(value)s.")},
        )
        if self.versions:
            self.fields["version"].initial = self.versions[-1].number
        bodies = deciding_bodies()
        self.fields["body"].queryset = bodies
        if document.body_id and document.body.kind in DECIDING_KINDS:
            self.fields["body"].initial = document.body.slug
        self.fields["deadline"].initial = end_of_day(SILENCE_DAYS)
        self.fields["meeting"].choices = meeting_choices()
        names = ["version", "kind", "body", "deadline", "meeting"]
        if "positions_visibility" in {f.name for f in Procedure._meta.get_fields()}:
            field = Procedure._meta.get_field("positions_visibility")
            self.fields["positions_visibility"] = forms.ChoiceField(
                label=_("Who sees which state took which position"),
                choices=[(v, VISIBILITY_LABELS.get(v, label)) for v, label in field.choices],
                initial=field.default,
                help_text=_("Everyone sees the outcome and how many objected."),
            )
            names.append("positions_visibility")
        self.groups = [(_("The procedure"), [*names, "note"])]

    def clean_meeting(self):
        key = self.cleaned_data["meeting"]
        return Meeting.objects.select_related("body").filter(key=key).first() if key else None

    def clean(self):
        cleaned = super().clean()
        kind, body = cleaned.get("kind"), cleaned.get("body")
        if kind == "silence":
            cleaned["meeting"] = None
            deadline = cleaned.get("deadline")
            if deadline is None and "deadline" not in self.errors:
                self.add_error("deadline", _("A silence procedure needs a deadline."))
            elif deadline is not None and deadline <= timezone.now():
                self.add_error(
                    "deadline",
                    _("The deadline (%(deadline)s) must come after the opening, now.")
                    % {"deadline": when(deadline)},
                )
        elif kind == "meeting":
            cleaned["deadline"] = None
            meeting = cleaned.get("meeting")
            if meeting is None and "meeting" not in self.errors:
                self.add_error("meeting", _("A decision at a meeting needs its meeting."))
            elif meeting is not None and body is not None and meeting.body_id != body.pk:
                self.add_error(
                    "meeting",
                    _("%(meeting)s is a meeting of %(its)s, not of %(body)s.")
                    % {
                        "meeting": meeting_title(meeting, get_language()),
                        "its": localized_name(meeting.body),
                        "body": localized_name(body),
                    },
                )
        return cleaned

    def version(self):
        number = self.cleaned_data["version"]
        return next(v for v in self.versions if v.number == number)

    def values(self) -> dict:
        """The arguments of decisions.services.procedure_open, but the moment and sources."""
        data = self.cleaned_data
        names = ["kind", "body", "deadline", "meeting", "note"]
        if "positions_visibility" in self.fields:
            names.append("positions_visibility")
        return {"version": self.version(), **{name: data[name] for name in names}}


class DecideForm(Grouped, forms.Form):
    """The moment a meeting took its decision: adopted unless an eligible state's objection
    stood then."""

    decided_at = moment_field(
        label=_("Decision taken at"),
        help_text=_("Date and time; the outcome follows from the positions stated before it."),
    )

    def __init__(self, *args, procedure: Procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.fields["decided_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.groups = [(_("The decision"), ["decided_at"])]

    def clean_decided_at(self):
        value = self.cleaned_data["decided_at"]
        if value > timezone.now():
            raise forms.ValidationError(
                _("A decision cannot be recorded before it is taken (%(moment)s).")
                % {"moment": when(value)}
            )
        if value <= self.procedure.opened_at:
            raise forms.ValidationError(
                _("The decision (%(moment)s) must come after the opening (%(opened)s).")
                % {"moment": when(value), "opened": when(self.procedure.opened_at)}
            )
        return value


class DocumentPickForm(Grouped, forms.Form):
    """The document to open a procedure on, named by its key or symbol."""

    groups = [(_("The document"), ["document"])]

    document = forms.CharField(
        label=_("Document"),
        max_length=200,
        help_text=_("Its symbol (e.g. CICA/SOC/2024/1) or its key, as in its address."),
    )


class ProcedureEditForm(forms.Form):
    """What an officer may change of a procedure once opened: its note, and who sees the
    states' positions; `changed_at` is when it last changed, as the page showed it."""

    positions_visibility = forms.ChoiceField(
        label=_("Who sees the states' positions and statements"),
        choices=list(VISIBILITY_LABELS.items()),
        widget=forms.RadioSelect,
        help_text=_("The outcome and the number of objections are everyone's."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    changed_at = forms.DateTimeField(widget=forms.HiddenInput)

    groups = [(_("Procedure"), ["positions_visibility", "note"])]

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.groups]
