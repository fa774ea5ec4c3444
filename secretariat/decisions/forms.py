"""The position form of the procedure page: what a delegate posts for its state."""

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


class PositionForm(forms.Form):
    """A position: its kind and statement (stated when recorded), for the delegate's own
    state (which it may name); `confirm` when it was confirmed on the confirmation page."""

    kind = forms.ChoiceField(label=_("Position"), choices=list(KIND_LABELS.items()))
    statement = forms.CharField(
        label=_("Statement (optional)"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    actor = forms.SlugField(label=_("State"), required=False, max_length=100)
    confirm = forms.BooleanField(required=False)
