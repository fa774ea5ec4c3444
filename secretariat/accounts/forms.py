"""Sign-in forms that say plainly when a name must wait, and account forms."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from . import throttle


class ThrottledMixin:
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        wait = throttle.wait_seconds(username, throttle.address_of(self.request))
        if wait:
            raise forms.ValidationError(
                "Too many failed sign-ins for this account or address: try again in "
                "%(wait)s seconds.",
                code="throttled",
                params={"wait": wait},
            )
        return super().clean()


class SignInForm(ThrottledMixin, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledMixin, AdminAuthenticationForm):
    pass


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. 'nightly export'."
    )
