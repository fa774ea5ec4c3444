"""The officers' form of treaties: a state's action (a signature, an instrument, a
statement, a denunciation). It parses what was typed; treaties.services and treaties.rules
judge the action among the state's others and save it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from secretariat.bodies.officer_forms import states_field
from secretariat.records.site_forms import PartialDateField, SourcesFields

from .models import TreatyAction
from .views import ACTION_LABELS


class TreatyActionForm(SourcesFields):
    actor = states_field(_("State"), required=True)
    kind = forms.ChoiceField(
        label=_("Action"), choices=[(k, ACTION_LABELS[k]) for k in TreatyAction.Kind.values]
    )
    date = PartialDateField(
        label=pgettext_lazy("treaty action", "Date"),
        help_text=_("Of the signature, or of the deposit of the instrument: YYYY, YYYY-MM or "
                    "YYYY-MM-DD."),
    )  # fmt: skip
    effective = PartialDateField(
        label=_("Takes effect on"), required=False,
        help_text=_("Denunciations only: the day it takes effect."),
    )  # fmt: skip
    domestic_act_en = forms.CharField(
        label=_("Domestic act, in English"), max_length=500, required=False,
        help_text=_("The law or decree by which the state acted."),
    )  # fmt: skip
    domestic_act_ru = forms.CharField(
        label=_("Domestic act, in Russian"), max_length=500, required=False
    )
    domestic_act_date = PartialDateField(
        label=_("Date of the domestic act"), required=False,
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD."),
    )  # fmt: skip
    statement = forms.CharField(
        label=_("Statement"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The text of a reservation, declaration or objection."),
    )  # fmt: skip
