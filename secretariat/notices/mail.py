"""Notices as mails: one per delivery, or one digest of several; each names its record,
links to it, is in the reader's language, and can be left with one click (RFC 8058:
List-Unsubscribe with List-Unsubscribe-Post), without signing in.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Delivery
from .wording import organization

SALT = "secretariat.notices.unsubscribe"
ALL = "all"  # a digest's scope: everything that can be switched off


def unsubscribe_token(user, scope: str) -> str:
    return signing.dumps({"u": user.pk, "s": scope}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, str] | None:
    """(user id, scope) from a token, or None if it was not made here."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("s", ""))


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _message(user, *, subject: str, context: dict, template: str, scope: str):
    token = unsubscribe_token(user, scope)
    unsubscribe = absolute(reverse("notices:unsubscribe", kwargs={"token": token}))
    context = {
        **context,
        "organization": organization(),
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute(reverse("notices:preferences")),
        "inbox_url": absolute(reverse("notices:inbox")),
        "scope": scope,
    }
    prefix = context["organization"]
    message = EmailMultiAlternatives(
        subject=f"[{prefix}] {subject}" if prefix else subject,
        body=render_to_string(f"notices/mail/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string(f"notices/mail/{template}.html", context), "text/html"
    )
    return message


def one(delivery: Delivery):
    """The mail of one delivery, as written for its reader."""
    with translation.override(delivery.language):
        return _message(
            delivery.user,
            subject=delivery.title,
            context={"delivery": delivery, "url": absolute(delivery.url)},
            template="notice",
            scope=delivery.scope,
        )


def digest(user, deliveries: list[Delivery], language: str):
    """One mail with several deliveries, oldest first."""
    with translation.override(language):
        subject = _("Your daily digest: %(count)d notices") % {"count": len(deliveries)}
        items = [{"delivery": d, "url": absolute(d.url)} for d in deliveries]
        return _message(
            user, subject=subject, context={"items": items}, template="digest", scope=ALL
        )
