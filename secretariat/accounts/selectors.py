"""Reads for a signed-in user: the delegation's people as its focal point manages them,
and the user's tokens. (What awaits a delegate's state is decisions.selectors.awaiting.)"""

from __future__ import annotations

from django.db.models import F

from .models import Account, ApiToken, Role


def delegation_people(actor) -> list[Account]:
    """The delegates of `actor`: those who may sign in first, then the removed ones."""
    return list(
        Account.objects.filter(role=Role.DELEGATE, actor=actor)
        .select_related("user")
        .order_by(F("removed_at").desc(nulls_first=True), "user__username")
    )


def delegate_of(actor, account_id: int) -> Account | None:
    """One delegate of `actor` (None for anyone else's account, as if it did not exist)."""
    return (
        Account.objects.filter(pk=account_id, role=Role.DELEGATE, actor=actor)
        .select_related("user")
        .first()
    )


def tokens_of(user) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))
