"""The officers' forms of the registry: a new actor, a status decision, the end of a status.

They parse what was typed; the services (registry.services) judge it and save.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from secretariat.bodies.models import Meeting
from secretariat.bodies.selectors import deciding_meetings, meeting_title
from secretariat.records.site_forms import PartialDateField, SourcesFields

from .models import Actor, Status

ACTOR_KINDS = [
    (Actor.Kind.STATE, _("State")),
    (Actor.Kind.ORGANIZATION, _("International organization")),
]
# What the organization decides about an actor, by the status it records.
DECISIONS = [
    (Status.Kind.MEMBER, _("Admission as a Member State")),
    (Status.Kind.OBSERVER, _("Observer status")),
    (Status.Kind.PARTNER, _("Partnership")),
    (Status.Kind.DIALOGUE_PARTNER, _("Dialogue partner status")),
    (Status.Kind.APPLICANT, _("Application")),
]
SOUGHT = [
    ("", "—"),
    (Status.Kind.MEMBER, _("Member State")),
    (Status.Kind.OBSERVER, _("Observer")),
    (Status.Kind.PARTNER, _("Partner")),
    (Status.Kind.DIALOGUE_PARTNER, _("Dialogue partner")),
]
OUTCOMES = [
    ("", "—"),
    (Status.Outcome.PENDING, _("pending")),
    (Status.Outcome.GRANTED, _("granted")),
    (Status.Outcome.WITHDRAWN, _("withdrawn")),
    (Status.Outcome.REJECTED, _("rejected")),
]
RESERVED_KEYS = {"new"}  # words of the site's own addresses (/actors/new/)


class KeyWithOptions(forms.TextInput):
    """A key typed in a box, with the likely ones offered in a list (a datalist: any key
    on record may still be typed, and the page stays light however many there are)."""

    template_name = "registry/widgets/key_with_options.html"

    def __init__(self, list_id: str, attrs=None):
        super().__init__({"list": list_id, "autocomplete": "off", **(attrs or {})})
        self.options: list[tuple[str, str]] = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["options"] = self.options
        return context


def meeting_options() -> list[tuple[str, str]]:
    """(key, title and date) of the latest meetings of decision-making bodies."""
    lang = (get_language() or "en")[:2]
    options = []
    for meeting in deciding_meetings():
        when = meeting.effective_start
        title = meeting_title(meeting, lang)
        options.append((meeting.key, f"{title} ({when.isoformat()})" if when else title))
    return options


class ActorForm(SourcesFields):
    kind = forms.ChoiceField(label=_("Kind"), choices=ACTOR_KINDS)
    name_en = forms.CharField(label=_("Name in English"), max_length=200)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=200, required=False)
    short_name_en = forms.CharField(
        label=_("Abbreviation in English"), max_length=40, required=False,
        help_text=_("For an organization: EAEU."),
    )  # fmt: skip
    short_name_ru = forms.CharField(
        label=_("Abbreviation in Russian"), max_length=40, required=False,
        help_text=_("For an organization: ЕАЭС."),
    )  # fmt: skip
    iso2 = forms.CharField(
        label=_("ISO 3166-1 alpha-2 code"), min_length=2, max_length=2, required=False,
        help_text=_("States only: KZ."),
    )  # fmt: skip
    iso3 = forms.CharField(
        label=_("ISO 3166-1 alpha-3 code"), min_length=3, max_length=3, required=False,
        help_text=_("States only: KAZ."),
    )  # fmt: skip
    slug = forms.SlugField(
        label=_("Key"), max_length=80, required=False,
        help_text=_("The actor's key in addresses (kazakhstan). Left empty, it is made from "
                    "the English name."),
    )  # fmt: skip

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_KEYS:
            raise forms.ValidationError(_("This word is kept for the site's own addresses."))
        return slug


class StatusForm(SourcesFields):
    kind = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    start = PartialDateField(
        label=_("From"),
        help_text=_("The day the status began (for an application, the day it was made): "
                    "YYYY, YYYY-MM or YYYY-MM-DD."),
    )  # fmt: skip
    end = PartialDateField(
        label=_("Until"), required=False,
        help_text=_("Only for a status already over: the first day it no longer held."),
    )  # fmt: skip
    decided_at = forms.ModelChoiceField(
        label=_("Decided at the meeting"), required=False, queryset=Meeting.objects.all(),
        to_field_name="key", widget=KeyWithOptions("deciding-meetings"),
        help_text=_("The meeting's key: pick one of the latest meetings of the decision-making "
                    "bodies, or type any key."),
        error_messages={"invalid_choice": _("No meeting on record has this key.")},
    )  # fmt: skip
    applied_for = forms.ChoiceField(
        label=_("Applied for"), choices=SOUGHT, required=False,
        help_text=_("Applications only: the status sought."),
    )  # fmt: skip
    outcome = forms.ChoiceField(
        label=_("Outcome of the application"), choices=OUTCOMES, required=False,
        help_text=_("Applications only; left empty, pending."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_at"].widget.options = meeting_options()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Status.Kind.APPLICANT:
            cleaned["outcome"] = cleaned.get("outcome") or Status.Outcome.PENDING
        return cleaned


class StatusEndForm(SourcesFields):
    end = PartialDateField(
        label=_("Ended on"),
        help_text=_("The first day the status no longer held: YYYY, YYYY-MM or YYYY-MM-DD."),
    )
