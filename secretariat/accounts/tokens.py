"""API tokens: made with a secret shown once, stored as a digest, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.db import DatabaseError
from django.utils import timezone

from secretariat.core import busy

from .models import ApiToken

logger = logging.getLogger(__name__)

PREFIX = "sec_"
# How often a token's use is written down: the account page shows it to the minute.
NOTE_USE_EVERY = dt.timedelta(minutes=1)


def digest(token: str) -> str:
    # Tokens carry 256 random bits: a fast hash is enough (no password stretching).
    return hashlib.sha256(token.encode()).hexdigest()


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def user_for(token: str):
    """The active user a live token belongs to, or None; notes when it was used."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    _note_use(row)
    return row.user


def _note_use(row: ApiToken) -> None:
    """Writes down when the token was used, at most once a minute, and never at the cost
    of the request it authenticates: a read must answer while another connection holds
    the database's write lock, so this write does not wait for it, and a use made then
    goes unnoted (the next one is). Bookkeeping, not a change to the record: not audited."""
    now = timezone.now()
    if row.last_used_at is not None and now - row.last_used_at < NOTE_USE_EVERY:
        return
    try:
        with busy.not_waiting():
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    except DatabaseError as exc:
        if not busy.is_busy(exc):
            logger.exception("The use of token %s… could not be noted", row.prefix)
