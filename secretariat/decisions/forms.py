"""The position form of the procedure page: what a delegate (or an officer) posts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Position

# The kinds of position, as the page names them (translated).
KIND_LABELS = {
    "support": _("support / no objection"),
    "objection": _("objection"),
    "withdrawal": _("withdrawal of an objection"),
    "reservation": _("joins consensus with a reservation"),
    "interpretative": _("joins consensus with an interpretative statement"),
    "comment": _("comment (not a position on adoption)"),
}
assert set(KIND_LABELS) == set(Position.Kind.values)

MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class PositionForm(forms.Form):
    """A position: its kind and statement; officers also name the state and the moment."""

    kind = forms.ChoiceField(label=_("Position"), choices=list(KIND_LABELS.items()))
    statement = forms.CharField(
        label=_("Statement (optional)"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    actor = forms.SlugField(label=_("State"), required=False, max_length=100)
    stated_at = forms.DateTimeField(
        label=_("Stated at"), required=False, input_formats=MOMENT_FORMATS
    )
