"""Who may read what: the one place that maps a user to the access levels they read.

Selectors filter every read with `readable_levels(user)`; no view decides on its
own. Accounts and delegations (member-state delegates reading restricted papers)
come with the trust issue and extend this function, not its callers.
"""

from __future__ import annotations

from .models import AccessLevel


def readable_levels(user) -> set[str]:
    """The access levels `user` (None or anonymous for the public) may read."""
    if user is not None and user.is_active and (user.is_staff or user.is_superuser):
        return {AccessLevel.PUBLIC, AccessLevel.RESTRICTED, AccessLevel.CONFIDENTIAL}
    return {AccessLevel.PUBLIC}


def can_read(user, level: str) -> bool:
    return level in readable_levels(user)
