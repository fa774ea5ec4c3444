"""Sign-in forms that say plainly when a name must wait, the second factor's code, the
password reset request, and account forms."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from secretariat.jobs.queue import after_commit

from . import second_factor, tasks, throttle

THROTTLED = _(
    "Too many failed sign-ins for this account or address: try again in %(wait)s seconds."
)


RESET_THROTTLED = _(
    "Too many reset links were asked for this address or from your network: try again in "
    "%(wait)s seconds. A link already sent stays valid: look for it in your mail."
)


class ThrottledMixin:
    """Refuses a sign-in while its name or address is held up; `throttled_for` then says
    for how many seconds (the page answers 429 with Retry-After)."""

    throttled_for = 0

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.address_of(self.request)
        wait = throttle.wait_seconds(username, address)
        if not wait:
            try:
                return super().clean()
            except forms.ValidationError:
                # The backend found the name held up meanwhile (a parallel try failed).
                if not getattr(self.request, "sign_in_throttled", False):
                    raise
                wait = throttle.wait_seconds(username, address)
                if not wait:
                    raise
        self.throttled_for = wait
        raise forms.ValidationError(THROTTLED, code="throttled", params={"wait": wait})


class SignInForm(ThrottledMixin, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledMixin, AdminAuthenticationForm):
    pass


def _code_field(**kwargs) -> forms.CharField:
    attrs = {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
    return forms.CharField(
        label=_("Code"), max_length=40, widget=forms.TextInput(attrs=attrs), **kwargs
    )


class CodeForm(forms.Form):
    """A code of the user's authenticator app, or one of their recovery codes (used up).

    Wrong codes count as failed sign-ins of the user's name, so the throttle slows down
    guessing codes as it does passwords.
    """

    code = _code_field(
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes.")
    )

    throttled_for = 0  # seconds, when the throttle refused this code (429)

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request
        self.device = None

    def clean_code(self):
        code = self.cleaned_data["code"]
        name, address = self.user.get_username(), throttle.address_of(self.request)
        wait = max(throttle.wait_seconds(name, address), second_factor.locked_for(self.user))
        if wait:
            self.throttled_for = wait
            raise forms.ValidationError(THROTTLED, code="throttled", params={"wait": wait})
        self.device = second_factor.verify(self.user, code)
        if self.device is None:
            throttle.record_failure(name, address)
            raise forms.ValidationError(
                _("This code is not right, or it was used already."), code="wrong"
            )
        return code


class SetupForm(forms.Form):
    """The first code of an app being set up, which turns the second factor on."""

    code = _code_field(help_text=_("The six digits the app now shows for this account."))


class PasswordResetRequestForm(PasswordResetForm):
    """Asks for a link by e-mail. The mail is a background job's, so the answer comes at
    once and is the same whether or not the address is known. Requests beyond a few for
    one e-mail address, or from one client address, wait as failed sign-ins do
    (`throttled_for` seconds: the page answers 429)."""

    throttled_for = 0

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email") or ""
        wait = throttle.reset_wait_seconds(email, throttle.address_of(self.request))
        if wait:
            self.throttled_for = wait
            raise forms.ValidationError(RESET_THROTTLED, code="throttled", params={"wait": wait})
        return cleaned

    def get_users(self, email):
        # Unlike Django's, users without a usable password yet are included: a new
        # delegate whose "set your password" mail went astray asks again here.
        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)

    def save(self, **kwargs):
        # Counted whether or not the address is known: the answer must not tell.
        throttle.record_reset_request(self.cleaned_data["email"], throttle.address_of(self.request))
        language = translation.get_language()
        for user in self.get_users(self.cleaned_data["email"]):
            after_commit(tasks.mail_password_reset, user.pk, language)


class DelegateForm(forms.Form):
    """A new delegate of the focal point's own delegation."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("What they sign in with: letters, digits and @/./+/-/_ only."),
    )
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("A link to set their password is sent there.")
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. 'nightly export'."
    )
