"""The preferences form: one's language, one's own state's notices, and each body."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

OWN_STATE_CHOICES = [
    ("immediate", _("Every notice at once")),
    ("digest", _("In the daily digest (the last reminder before a deadline at once)")),
    ("last_reminder", _("Only the last reminder before each deadline")),
]
FOLLOW_CHOICES = [
    ("off", _("Not at all")),
    ("immediate", _("At once")),
    ("digest", _("In the daily digest")),
]


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of notices"), choices=settings.LANGUAGES)
    own_state = forms.ChoiceField(
        label=_("Your own state's deadlines and procedures"),
        choices=OWN_STATE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("They cannot be switched off entirely: the last reminder always goes out."),
    )

    def __init__(self, *args, bodies=(), follows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = list(bodies)
        follows = follows or {}
        for body in self.bodies:
            self.fields[f"body_{body.pk}"] = forms.ChoiceField(
                label=body.name_en,
                choices=FOLLOW_CHOICES,
                initial=follows.get(body.pk, "off"),
                widget=forms.RadioSelect,
            )

    def body_rows(self):
        return [(body, self[f"body_{body.pk}"]) for body in self.bodies]


class FollowForm(forms.Form):
    mode = forms.ChoiceField(choices=FOLLOW_CHOICES)
