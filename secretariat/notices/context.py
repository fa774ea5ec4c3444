"""What every page's layout needs of notices: how many are unread (signed-in users)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    # Counted only if the page shows it (one indexed query).
    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user))}
