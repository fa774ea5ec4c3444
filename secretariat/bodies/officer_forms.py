"""The officers' forms of meetings: record a meeting, plan it anew, cancel it, record it as
held, set who took part, add what it adopted.

They parse what was typed (dates, actors and documents named by key); the services
(bodies.services, documents.services) judge it and save. Participants and outcomes are
plain controls that work without JavaScript: a checkbox and a role per actor, grouped by
standing; rows of outcome kind and document key or symbol.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from secretariat.core.partial_dates import PartialDate
from secretariat.documents.selectors import readable
from secretariat.records.site_forms import PartialDateField, SourcesFields
from secretariat.registry.models import Actor, Status
from secretariat.registry.selectors import actors_by_standing, actors_list

from .models import MeetingParticipant, MeetingSchedule
from .selectors import bodies_list

MODES = [
    ("", _("not on record")),
    (MeetingSchedule.Mode.IN_PERSON, _("in person")),
    (MeetingSchedule.Mode.ONLINE, _("online")),
    (MeetingSchedule.Mode.HYBRID, _("hybrid")),
]
ENTRY_KINDS = [
    (MeetingSchedule.Kind.HELD, _("Held (it took place)")),
    (MeetingSchedule.Kind.PLANNED, _("Planned (it is to take place)")),
]
ROLES = [
    (MeetingParticipant.Role.MEMBER, _("member")),
    (MeetingParticipant.Role.OBSERVER, _("observer")),
    (MeetingParticipant.Role.PARTNER, _("partner")),
    (MeetingParticipant.Role.GUEST, _("guest")),
    (MeetingParticipant.Role.CHAIR, _("chair")),
]
# The groups of the participants control, by standing on the meeting's date.
STANDINGS = {
    Status.Kind.MEMBER: _("Member States"),
    Status.Kind.OBSERVER: _("Observers"),
    Status.Kind.PARTNER: _("Partners"),
    Status.Kind.DIALOGUE_PARTNER: _("Dialogue partners"),
    Status.Kind.APPLICANT: _("Applicants"),
    None: _("No standing on that date"),
}
# The role an actor takes part in unless the officer says otherwise.
DEFAULT_ROLES = {
    Status.Kind.MEMBER: MeetingParticipant.Role.MEMBER,
    Status.Kind.OBSERVER: MeetingParticipant.Role.OBSERVER,
    Status.Kind.PARTNER: MeetingParticipant.Role.PARTNER,
    Status.Kind.DIALOGUE_PARTNER: MeetingParticipant.Role.PARTNER,
}
# What a meeting does with a document (documents' lifecycle events recorded at it).
OUTCOME_KINDS = [
    ("adopted", pgettext_lazy("the meeting did", "adopted")),
    ("endorsed", pgettext_lazy("the meeting did", "endorsed")),
    ("took_note", pgettext_lazy("the meeting did", "took note of")),
    ("agreed", pgettext_lazy("the meeting did", "agreed")),
    ("signed", pgettext_lazy("the meeting did", "signed")),
]
RESERVED_KEYS = {"new"}  # words of the site's own addresses (/meetings/new/)


def _lang() -> str:
    return (get_language() or "en")[:2]


def _name(record) -> str:
    return getattr(record, f"name_{_lang()}", "") or record.name_en


class NamedChoiceField(forms.ModelChoiceField):
    """A menu of records named in the page's language, sent by key (slug)."""

    def label_from_instance(self, obj) -> str:
        return _name(obj)


def states_field(label, *, required: bool = False, help_text: str = "") -> NamedChoiceField:
    return NamedChoiceField(
        label=label, required=required, help_text=help_text, to_field_name="slug",
        queryset=actors_list(kind=Actor.Kind.STATE), empty_label="—",
        error_messages={"invalid_choice": _("No state on record has this key.")},
    )  # fmt: skip


# --- Participants ----------------------------------------------------------------------


class ParticipantsWidget(forms.Widget):
    """A checkbox per actor, grouped by standing, each with its role in a menu.

    Sends `<name>` = the chosen actors' keys and `<name>-role-<key>` = each one's role;
    its value is a list of (key, role) pairs.
    """

    template_name = "bodies/widgets/participants.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.groups: list[tuple[str | None, list[Actor]]] = []

    def format_value(self, value):
        return value or []

    def value_from_datadict(self, data, files, name):
        chosen = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        return [(key, data.get(f"{name}-role-{key}", "")) for key in dict.fromkeys(chosen)]

    def value_omitted_from_data(self, data, files, name):
        return False  # no box ticked is an answer: nobody took part

    def id_for_label(self, id_):
        return ""  # a group of inputs, each labelled by its actor's name

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        picked = dict(context["widget"]["value"])
        context["widget"]["groups"] = [
            {
                "label": STANDINGS.get(standing, standing),
                "actors": [
                    {
                        "key": actor.slug,
                        "name": _name(actor),
                        "checked": actor.slug in picked,
                        "role": picked.get(actor.slug) or DEFAULT_ROLES.get(standing, "guest"),
                    }
                    for actor in actors
                ],
            }
            for standing, actors in self.groups
        ]
        context["widget"]["roles"] = ROLES
        return context


class ParticipantsField(forms.Field):
    """Who took part and in which role: a list of (Actor, role).

    The form calls `offer(at)` to offer every actor grouped by its standing on `at`
    (read per form, never when the form class is defined)."""

    widget = ParticipantsWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.actors: dict[str, Actor] = {}

    def offer(self, at: dt.date) -> None:
        self.widget.groups = actors_by_standing(at)
        self.actors = {a.slug: a for _standing, group in self.widget.groups for a in group}

    def to_python(self, value):
        pairs = list(value or [])
        unknown = [key for key, _role in pairs if key not in self.actors]
        if unknown:
            raise forms.ValidationError(
                _("No actor on record has the key %(keys)s.") % {"keys": ", ".join(unknown)}
            )
        roles = dict(ROLES)
        wrong = [self.actors[key] for key, role in pairs if role not in roles]
        if wrong:
            raise forms.ValidationError(
                _("Choose the role of %(actors)s.") % {"actors": ", ".join(map(_name, wrong))}
            )
        return [(self.actors[key], role) for key, role in pairs]

    def prepare_value(self, value):
        # Initial values may be (Actor, role) pairs: the widget works with keys.
        return [(getattr(a, "slug", a), role) for a, role in value or []]


# --- Outcomes --------------------------------------------------------------------------


class OutcomesWidget(forms.Widget):
    """Rows of (what the meeting did, document key or symbol); empty rows are ignored.

    Sends `<name>-kind` and `<name>-document` once per row; its value is a list of
    (kind, reference) pairs.
    """

    template_name = "bodies/widgets/outcomes.html"
    blank_rows = 3

    def format_value(self, value):
        return value or []

    def value_from_datadict(self, data, files, name):
        getlist = data.getlist if hasattr(data, "getlist") else lambda k: data.get(k) or []
        rows = zip(getlist(f"{name}-kind"), getlist(f"{name}-document"), strict=False)
        return [(kind, ref.strip()) for kind, ref in rows if ref.strip()]

    def value_omitted_from_data(self, data, files, name):
        return False

    def id_for_label(self, id_):
        return f"{id_}_document_0" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = list(context["widget"]["value"])
        rows += [(OUTCOME_KINDS[0][0], "")] * self.blank_rows
        context["widget"]["rows"] = rows[: max(len(rows) - self.blank_rows + 1, self.blank_rows)]
        context["widget"]["kinds"] = OUTCOME_KINDS
        return context


class OutcomesField(forms.Field):
    """Documents the meeting adopted, endorsed, took note of...: a list of (kind, Document).

    `user`: whose reading rights name the documents (an officer reads them all).
    """

    widget = OutcomesWidget

    def __init__(self, *, user=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.user = user

    def to_python(self, value):
        pairs = list(value or [])
        kinds = dict(OUTCOME_KINDS)
        if any(kind not in kinds for kind, _ref in pairs):
            raise forms.ValidationError(_("Choose what the meeting did with each document."))
        refs = [ref for _kind, ref in pairs]
        found = {}
        for doc in readable(self.user).filter(Q(key__in=refs) | Q(symbol__in=refs)):
            found[doc.key] = found[doc.symbol] = doc
        unknown = [ref for ref in refs if ref not in found]
        if unknown:
            raise forms.ValidationError(
                _("No document on record has the key or symbol %(refs)s.")
                % {"refs": ", ".join(unknown)}
            )
        return [(kind, found[ref]) for kind, ref in pairs]

    def prepare_value(self, value):
        return [(kind, getattr(doc, "symbol", doc)) for kind, doc in value or []]


# --- The forms -------------------------------------------------------------------------


class WhereFields(forms.Form):
    """When and where: the fields of a schedule entry."""

    start = PartialDateField(label=_("First day"), help_text=_("YYYY, YYYY-MM or YYYY-MM-DD."))
    end = PartialDateField(
        label=_("Last day"), required=False, help_text=_("Left empty for a one-day meeting.")
    )
    city_en = forms.CharField(label=_("City in English"), max_length=100, required=False)
    city_ru = forms.CharField(label=_("City in Russian"), max_length=100, required=False)
    country = states_field(_("Host state"))
    mode = forms.ChoiceField(label=_("Format"), choices=MODES, required=False)


class MeetingForm(WhereFields, SourcesFields):
    """A new meeting: what it is, when and where, who took part, what it adopted."""

    body = NamedChoiceField(
        label=_("Body"), queryset=bodies_list(), to_field_name="slug", empty_label="—",
        error_messages={"invalid_choice": _("No body on record has this key.")},
    )  # fmt: skip
    ordinal = forms.IntegerField(
        label=_("Number in the body's series"), required=False, min_value=1, max_value=32767,
        help_text=_("6 for the Sixth Summit; empty for a meeting outside the series."),
    )  # fmt: skip
    title_en = forms.CharField(
        label=_("Title in English"), max_length=300, required=False,
        help_text=_("Left empty, made from the number and the body (Sixth Summit)."),
    )  # fmt: skip
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    formal = forms.BooleanField(label=_("A formal meeting"), required=False, initial=True)
    chair = states_field(_("Chairing state"))
    key = forms.SlugField(
        label=_("Key"), max_length=80, required=False,
        help_text=_("The meeting's key in addresses (summit-6). Left empty, it is made from "
                    "the body and the number or the date."),
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("Held or planned"), choices=ENTRY_KINDS)
    participants = ParticipantsField(label=_("Participants"))
    outcomes = OutcomesField(
        label=_("Outcomes"),
        help_text=_("Documents the meeting adopted, endorsed or took note of, each named by "
                    "its key or symbol; dated the meeting's first day."),
    )  # fmt: skip

    field_order = ["body", "ordinal", "title_en", "title_ru", "formal", "chair", "key", "kind"]
    # The page's fieldsets: (legend, field names); the sources come last.
    groups = [
        (_("The meeting"), ["body", "ordinal", "title_en", "title_ru", "formal", "chair", "key"]),
        (_("When and where"), ["kind", "start", "end", "city_en", "city_ru", "country", "mode"]),
        (_("Who took part"), ["participants"]),
        (_("What it adopted"), ["outcomes"]),
    ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcomes"].user = user
        self.fields["participants"].offer(self._day())

    def _day(self) -> dt.date:
        """Actors are grouped by standing on the meeting's first day once it is typed (the
        form shown again), else today."""
        try:
            return PartialDate.parse(self.data.get("start")).earliest
        except (ValidationError, TypeError, AttributeError):
            return timezone.localdate()

    def clean_key(self):
        key = self.cleaned_data["key"]
        if key in RESERVED_KEYS:
            raise forms.ValidationError(_("This word is kept for the site's own addresses."))
        return key

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == MeetingSchedule.Kind.PLANNED and cleaned.get("outcomes"):
            self.add_error(
                "outcomes",
                _("A meeting only planned has no outcomes yet: record it as held first."),
            )
        return cleaned

    def fieldsets(self):
        """The fieldsets with their bound fields, for the page (portal/_form.html)."""
        return [(legend, [self[name] for name in names]) for legend, names in self.groups]


class PlanForm(WhereFields, SourcesFields):
    """The meeting planned anew: new dates, place, format; the earlier plans are kept."""

    announced = PartialDateField(
        label=_("Announced on"), required=False,
        help_text=_("The day the new date was decided or announced; left empty, today."),
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        cleaned["announced"] = cleaned.get("announced") or timezone.localdate()
        return cleaned


class HeldForm(WhereFields, SourcesFields):
    """Where and when the meeting actually took place."""


class CancelForm(SourcesFields):
    start = PartialDateField(
        label=_("Cancelled for"),
        help_text=_("The date the meeting had been planned for: YYYY, YYYY-MM or YYYY-MM-DD."),
    )


class ParticipantsForm(SourcesFields):
    participants = ParticipantsField(label=_("Participants"))

    def __init__(self, *args, at: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Grouped by standing on the meeting's date, not today's.
        self.fields["participants"].offer(at or timezone.localdate())


class OutcomeForm(SourcesFields):
    kind = forms.ChoiceField(label=_("What the meeting did"), choices=OUTCOME_KINDS)
    document = forms.CharField(
        label=_("Document"), max_length=120,
        help_text=_("Its key or symbol (CICA/SUMMIT/6/1)."),
    )  # fmt: skip
    date = PartialDateField(label=_("Date"), help_text=_("Left as shown: the meeting's first day."))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_document(self):
        ref = self.cleaned_data["document"].strip()
        found = readable(self.user).filter(Q(key=ref) | Q(symbol=ref)).first()
        if found is None:
            raise forms.ValidationError(
                _("No document on record has the key or symbol %(ref)s.") % {"ref": ref}
            )
        return found
