"""The officers' forms on documents: a document with its first version and texts, a version,
a text, a circulation for feedback.

Plain server-rendered forms: they check what can be told from the values alone, in the
page's language, and the services check the rest (a refusal lands on the field it names).
Versions are chosen by their number and date, never by a database id.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from secretariat.bodies.selectors import bodies_list
from secretariat.core.partial_dates import PartialDate, Precision
from secretariat.records.forms import PartialDateField
from secretariat.records.site_forms import SourcesFields
from secretariat.registry.models import Actor
from secretariat.registry.selectors import members_ever

from . import rules, selectors
from .models import Document, DocumentVersion
from .views import ACCESS_LABELS, TYPE_LABELS

# A browser's date picker takes and gives ISO dates, whatever the page's language.
DAY_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILES_AGAIN = _("A file chosen before a refusal is not kept: choose it again.")


def localized_name(record, field: str = "name") -> str:
    """A record's name in the page's language, the English one where none is recorded."""
    if get_language() == "ru" and getattr(record, f"{field}_ru", ""):
        return getattr(record, f"{field}_ru")
    return getattr(record, f"{field}_en")


def day_label(date: PartialDate | None) -> str:
    """A partial date as the page's language writes it: "3 June 2024", "June 2024", "2024"."""
    if date is None:
        return str(_("undated"))
    if date.precision == Precision.DAY:
        return date_format(date.earliest, "j E Y")
    if date.precision == Precision.MONTH:
        return date_format(date.earliest, "F Y")
    return str(date.year)


def version_label(version: DocumentVersion) -> str:
    """ "Version 2 — 3 June 2024": how a version is named in a choice."""
    return _("Version %(number)s — %(date)s") % {
        "number": version.number,
        "date": day_label(version.date),
    }


class BodyChoice(forms.ModelChoiceField):
    """A body chosen from a menu (bodies are few), named in the page's language."""

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(queryset=bodies_list() if queryset is None else queryset, **kwargs)

    def label_from_instance(self, obj) -> str:
        return localized_name(obj)


class StatesChoice(forms.ModelMultipleChoiceField):
    """States ticked in a list of checkboxes, named in the page's language."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return localized_name(obj)


def text_fields(languages) -> dict[str, forms.FileField]:
    """One optional file box per language, named `text_<code>` (as the services name a
    refused text)."""
    fields = {}
    for code in languages:
        name = get_language_info(code)["name_translated"]
        fields[f"text_{code}"] = forms.FileField(
            label=_("Text in %(name)s") % {"name": name},
            required=False,
            help_text=_("PDF, DOCX, ODT, HTML or plain text; the type is told from the content."),
        )
    return fields


class Grouped:
    """A form shown in fieldsets: `groups` lists (legend, field names); the sources, when the
    form has them, follow in their own fieldset."""

    groups: list[tuple[str, list[str]]] = []
    has_files = False

    def fieldsets(self):
        shown = []
        for legend, names in self.groups:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                shown.append((legend, fields))
        return shown

    def texts(self) -> dict:
        """The files chosen, by language code."""
        data = self.cleaned_data
        return {
            name[5:]: data[name] for name in self.fields if name.startswith("text_") and data[name]
        }


class DocumentCreateForm(Grouped, SourcesFields):
    """A new document, its first version and that version's texts; sources required, since
    a document is a historical fact."""

    has_files = True

    type = forms.ChoiceField(label=_("Type"))
    title_en = forms.CharField(label=_("Title in English"), max_length=500)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=500, required=False)
    access = forms.ChoiceField(
        label=_("Access"),
        choices=list(ACCESS_LABELS.items()),
        initial="public",
        help_text=_("Who may read the document and its texts."),
    )
    public_from = forms.DateField(
        label=_("Public from (embargo)"),
        required=False,
        widget=DAY_INPUT,
        help_text=_(
            "From this day the document and its texts are public, whatever their access level."
        ),
    )
    body = BodyChoice(label=_("Body"), required=False)
    meeting = forms.SlugField(
        label=_("Meeting"),
        required=False,
        max_length=80,
        help_text=_("The meeting's key, as in its address: /meetings/<key>/."),
    )
    symbol = forms.CharField(
        label=_("Symbol"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to have the next symbol made from the organization's pattern."),
    )
    version_date = PartialDateField(
        label=_("Date of the first version"),
        required=False,
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    version_note = forms.CharField(
        label=_("Note on the first version"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = sorted(TYPE_LABELS.items(), key=lambda item: str(item[1]))
        self.fields.update(text_fields(code for code, _name in settings.LANGUAGES))
        self.groups = [
            (_("The document"), ["type", "title_en", "title_ru", "symbol", "access",
                                 "public_from", "body", "meeting"]),
            (_("Its first version"), ["version_date", "version_note"]),
            (_("Texts of the first version (each optional)"),
             [name for name in self.fields if name.startswith("text_")]),
        ]  # fmt: skip

    def clean_meeting(self):
        key = self.cleaned_data["meeting"]
        if not key:
            return None
        meeting = selectors.meeting_by_key(key)
        if meeting is None:
            raise forms.ValidationError(_("No meeting has the key %(key)s.") % {"key": key})
        return meeting

    def clean_symbol(self):
        symbol = self.cleaned_data["symbol"].strip()
        if symbol and Document.objects.filter(symbol=symbol).exists():
            raise forms.ValidationError(
                _("A document with the symbol %(symbol)s is on record already.")
                % {"symbol": symbol}
            )
        if symbol:
            key = rules.key_for(symbol)  # the key is made from the symbol
            if Document.objects.filter(key=key).exists():
                raise forms.ValidationError(
                    _("Another document already has the key %(key)s this symbol would make.")
                    % {"key": key}
                )
        return symbol

    def document_values(self) -> dict:
        """The arguments of documents.services.document_create_with_texts (sources apart)."""
        data = self.cleaned_data
        names = ("type", "title_en", "title_ru", "access", "public_from", "body", "meeting",
                 "symbol", "version_date", "version_note")  # fmt: skip
        return {**{name: data[name] for name in names}, "texts": self.texts()}


class VersionCreateForm(Grouped, forms.Form):
    """The document's next version, with its texts."""

    has_files = True

    date = PartialDateField(
        label=_("Date of the version"), required=False, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD")
    )
    note = forms.CharField(
        label=_("What changed in this version"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(text_fields(code for code, _name in settings.LANGUAGES))
        self.groups = [
            (_("The version"), ["date", "note"]),
            (_("Its texts (each optional)"), [n for n in self.fields if n.startswith("text_")]),
        ]


class TextAddForm(Grouped, forms.Form):
    """Texts of an open version, in the languages it lacks."""

    has_files = True

    def __init__(self, *args, version: DocumentVersion, **kwargs):
        super().__init__(*args, **kwargs)
        have = {t.language for t in version.texts.all()}
        self.fields.update(text_fields(c for c, _name in settings.LANGUAGES if c not in have))
        self.groups = [(_("Texts"), list(self.fields))]

    def clean(self):
        cleaned = super().clean()
        if not self.fields:
            raise forms.ValidationError(_("This version has its text in every language."))
        if not self.errors and not self.texts():
            raise forms.ValidationError(_("Choose a file for at least one language."))
        return cleaned


class VersionChoice(forms.TypedChoiceField):
    """A version of the document, named by its number and date; the value is its number."""

    def __init__(self, versions, **kwargs):
        kwargs.setdefault("coerce", int)
        super().__init__(choices=[(v.number, version_label(v)) for v in versions], **kwargs)


def recipient_states():
    """The states that could be sent a circulation: those that were ever members, by name."""
    ids = members_ever().values("actor_id")
    return Actor.objects.filter(pk__in=ids).order_by("name_en")


class CirculateForm(Grouped, SourcesFields):
    """A version circulated for feedback by a deadline: to every member state on the day, or
    to the states ticked. Sources optional: circulating here is the Secretariat's own act."""

    sources_required = False

    date = forms.DateField(label=_("Circulated on"), widget=DAY_INPUT)
    deadline = forms.DateField(label=_("Feedback deadline"), widget=DAY_INPUT)
    recipients = StatesChoice(
        queryset=Actor.objects.none(),
        to_field_name="slug",
        label=_("Circulated to"),
        required=False,
        help_text=_("None ticked: every member state on the day of the circulation."),
    )
    body = BodyChoice(
        label=_("Body"),
        required=False,
        help_text=_("The body it is circulated in, if any (e.g. the SOC)."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        # A circulation fixes its version: only versions not yet circulated or decided on.
        self.open_versions = [v for v in document.versions.all() if not v.locked]
        self.fields["version"] = VersionChoice(
            self.open_versions,
            label=_("Version"),
            error_messages={
                "invalid_choice": _(
                    "This document has no open version %(value)s: a version circulated or "
                    "decided on is fixed; add a new version and circulate it."
                )
            },
            help_text=_("Versions circulated or decided on already are not offered."),
        )
        if self.open_versions:
            self.fields["version"].initial = self.open_versions[-1].number
        self.fields["recipients"].queryset = recipient_states()
        self.fields["date"].initial = timezone.localdate()
        self.fields["body"].initial = document.body.slug if document.body_id else None
        self.groups = [
            (_("The circulation"), ["version", "date", "deadline", "body", "note"]),
            (_("Recipients"), ["recipients"]),
        ]

    def clean(self):
        cleaned = super().clean()
        date, deadline = cleaned.get("date"), cleaned.get("deadline")
        if date and deadline and deadline < date:
            self.add_error(
                "deadline",
                _("The deadline (%(deadline)s) comes before the circulation (%(date)s).")
                % {"deadline": deadline, "date": date},
            )
        return cleaned

    def version(self) -> DocumentVersion:
        number = self.cleaned_data["version"]
        return next(v for v in self.open_versions if v.number == number)
