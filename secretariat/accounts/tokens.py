"""API tokens: made with a secret shown once, stored as a digest, revocable."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from .models import ApiToken

PREFIX = "sec_"


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
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        # Bookkeeping, not a change to the record: kept out of the audit trail.
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
