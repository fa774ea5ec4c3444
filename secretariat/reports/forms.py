"""The report's form: which period (a chairmanship, or two dates), for whom, in which language
and format. Bad input comes back as messages on the fields, never as an error page."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .compose import LANGUAGES
from .model import Audience, Period
from .period import PeriodError, period_between, period_default, period_for, runs
from .wording import localized

FORMATS = ("page", "html", "pdf", "pptx", "md")


class ReportForm(forms.Form):
    chairmanship = forms.CharField(
        required=False,
        label=_("Chairmanship"),
        widget=forms.Select(),
        help_text=_("The period of a chairmanship (by default the current one)."),
    )
    start = forms.CharField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.CharField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    audience = forms.ChoiceField(
        required=False,
        label=_("Audience"),
        choices=[
            (Audience.PUBLIC.value, _("Public: nothing restricted")),
            (Audience.INTERNAL.value, _("Internal: restricted items included and marked")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("“%(value)s” is not an audience: public or internal."),
        },
    )
    language = forms.ChoiceField(
        required=False,
        label=_("Language"),
        choices=[("en", "English"), ("ru", "Русский")],
        error_messages={
            "invalid_choice": _("“%(value)s” is not a language of the reports: en or ru."),
        },
    )
    format = forms.ChoiceField(
        required=False,
        choices=[(f, f) for f in FORMATS],
        error_messages={"invalid_choice": _("“%(value)s” is not a format: html, pdf, pptx or md.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial", {"audience": Audience.PUBLIC.value, "language": (get_language() or "en")[:2]}
        )
        super().__init__(*args, **kwargs)
        self.runs = list(reversed(runs()))
        self.fields["chairmanship"].widget.choices = [("", _("The current chairmanship"))] + [
            (r.slug, f"{localized(r.actor, 'name')[0]} ({r.years})") for r in self.runs
        ]

    def clean_language(self) -> str:
        code = self.cleaned_data.get("language") or (get_language() or "en")[:2]
        return code if code in LANGUAGES else "en"

    def clean_audience(self) -> str:
        return self.cleaned_data.get("audience") or Audience.PUBLIC.value

    def clean_format(self) -> str:
        return self.cleaned_data.get("format") or "page"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        start, end = (data.get("start") or "").strip(), (data.get("end") or "").strip()
        language = data["language"]
        if data.get("chairmanship") and (start or end):
            self.add_error(None, _("Give a chairmanship or dates, not both."))
            return data
        try:
            if start or end:
                data["period"] = period_between(start, end, language=language)
            elif data.get("chairmanship"):
                data["period"] = period_for(chairmanship=data["chairmanship"], language=language)
            else:
                data["period"] = period_default(language=language)
        except PeriodError as error:
            field = "chairmanship" if not (start or end) else None
            self.add_error(field, str(error))
        return data

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]
