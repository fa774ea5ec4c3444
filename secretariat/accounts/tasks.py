"""Mails about one's account, sent by the worker rather than while the page waits: a link
to choose a new password, and the "set your password" mail of a new delegate.

Both carry Django's password-reset token, made when the mail is sent: it works once
(choosing a password changes what it was made from) and for PASSWORD_RESET_TIMEOUT.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from secretariat.jobs.queue import job


def _send(user, template: str, language: str) -> None:
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    with translation.override(language):
        context = {
            "user": user,
            "link": settings.SITE_URL + path,
            "site": settings.SITE_URL,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        subject = render_to_string(f"accounts/mail/{template}_subject.txt", context)
        body = render_to_string(f"accounts/mail/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def _active_user(user_id: int):
    return get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()


@job()
def mail_password_reset(user_id: int, language: str) -> None:
    """A link to choose a new password, to the address the user asked from."""
    user = _active_user(user_id)
    if user is not None:  # removed meanwhile: nothing to send
        _send(user, "password_reset", language)


@job()
def mail_set_password(user_id: int, language: str) -> None:
    """The new delegate's link to choose a first password."""
    user = _active_user(user_id)
    # Run again after the password was set (a retry, a duplicate): nothing more to ask.
    if user is not None and not user.has_usable_password():
        _send(user, "set_password", language)
