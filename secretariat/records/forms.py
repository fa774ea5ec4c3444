"""Form pieces shared by the admin and the pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from secretariat.core.models import is_versioned
from secretariat.core.partial_dates import PartialDate

from .services import EditConflict, require_version


class PartialDateField(forms.Field):
    """A text box for "2021", "2021-06" or "2021-06-15"."""

    widget = forms.TextInput(attrs={"size": 10, "placeholder": "YYYY-MM-DD"})

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "YYYY, YYYY-MM or YYYY-MM-DD")
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in (None, ""):
            return None
        return PartialDate.parse(value)

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, PartialDate) else value


class RecordForm(forms.ModelForm):
    """A ModelForm for records: partial dates as one text box, every rule's error shown,
    and the version the edit started from, so that a stale edit is refused.

    `partial_dates` maps each PartialDateProperty to whether it is required; its
    two columns (`<name>_date`, `<name>_precision`) are left out of the form.

    `edit_version` (hidden) carries the record's version from the page that showed
    the form to the save; if someone changed the record meanwhile, the form is
    invalid with a message saying who changed what, and `edit_conflict` holds the
    EditConflict (views answer 409). Named apart from `version`, which a few
    records use for a link to a document version.
    """

    partial_dates: dict[str, bool] = {}
    edit_version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.edit_conflict: EditConflict | None = None
        for name in self.partial_dates:
            if name in self.fields and self.instance.pk:
                self.initial.setdefault(name, getattr(self.instance, name))
        if self.instance.pk and is_versioned(self._meta.model):
            self.initial["edit_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        for name in self.partial_dates:
            if name in cleaned:
                setattr(self.instance, name, cleaned[name])
        started = cleaned.get("edit_version")
        if started is None or self.instance.pk is None or not is_versioned(self._meta.model):
            return cleaned  # a new record, or a form that did not say where it started
        # The save then compares-and-sets from this version (records.services.validated_save).
        self.instance.version = started
        try:
            require_version(self.instance, started, lock=True)
        except EditConflict as exc:
            self.edit_conflict = exc
            self.add_error(None, exc)
        return cleaned

    def add_error(self, field, error):
        # A rule may name a field this form does not show; say it anyway, not crash.
        if field is not None and field not in self.fields:
            field = None
        if isinstance(error, dict):
            error = ValidationError(error)
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            moved: dict[str, list] = {}
            for name, messages in error.error_dict.items():
                key = name if name in self.fields else NON_FIELD_ERRORS
                moved.setdefault(key, []).extend(messages)
            error = ValidationError(moved)
        super().add_error(field, error)


def record_form(partial_dates: dict[str, bool], base: type[forms.ModelForm] = RecordForm):
    """A RecordForm subclass declaring a text box per partial date."""
    attrs = {
        name: PartialDateField(required=required, label=name.replace("_", " ").capitalize())
        for name, required in partial_dates.items()
    }
    attrs["partial_dates"] = partial_dates
    return type("RecordForm", (base,), attrs)


def refusal_on_form(form: forms.Form, exc: Exception) -> int:
    """Put a service's refusal on the posted form (on its field when the form has one, else
    on top) and return the page's status for it: 403 not allowed, 409 changed meanwhile,
    422 the values themselves."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc))
        return 403
    if isinstance(exc, EditConflict):
        form.add_error(None, exc.messages)
        return 409
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, getattr(exc, "messages", [str(exc)]))
    return 422


# What a page posting to a service catches and hands to refusal_on_form.
REFUSALS = (PermissionDenied, EditConflict, ValidationError)
