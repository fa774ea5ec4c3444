"""Form pieces shared by the admin and the pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .partial_dates import PartialDate


class PartialDateField(forms.CharField):
    """A text box for "2021", "2021-06" or "2021-06-15"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", "YYYY, YYYY-MM or YYYY-MM-DD")
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        return PartialDate.parse(value)

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, PartialDate) else value


class PartialDateModelForm(forms.ModelForm):
    """A ModelForm that edits each `<name>_date`/`<name>_precision` pair as one text box.

    Subclasses list the pairs in `partial_dates` (with True for required ones).
    """

    partial_dates: dict[str, bool] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, required in self.partial_dates.items():
            for column in (f"{name}_date", f"{name}_precision"):
                self.fields.pop(column, None)
            model_field = self._meta.model._meta.get_field(f"{name}_date")
            self.fields[name] = PartialDateField(
                required=required,
                label=name.replace("_", " ").capitalize(),
                initial=getattr(self.instance, name),
                help_text=f"{model_field.help_text} YYYY, YYYY-MM or YYYY-MM-DD.",
            )

    def clean(self):
        cleaned = super().clean()
        for name in self.partial_dates:
            if name in cleaned:
                try:
                    setattr(self.instance, name, cleaned[name])
                except ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned
