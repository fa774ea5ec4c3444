"""Reads for a signed-in user: what awaits the state a delegate represents, and the
delegation's people as its focal point manages them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policy
from .models import Account, ApiToken, Role


@dataclass(frozen=True)
class Awaiting:
    """Circulations still open for the state's feedback, and procedures awaiting its position."""

    circulations: list
    procedures: list


def awaiting(user, *, at: dt.date | None = None) -> Awaiting | None:
    """What awaits the delegate's state (None for users who represent none)."""
    from secretariat.decisions.selectors import procedures_list
    from secretariat.documents.selectors import circulations_awaiting

    actor = policy.actor_of(user)
    if actor is None:
        return None
    at = at or timezone.localdate()
    circulations = circulations_awaiting(actor, at=at, user=user)
    procedures = [
        state
        for state in procedures_list(user=user)
        if not state.verdict.final and any(a.pk == actor.pk for a in state.pending)
    ]
    return Awaiting(circulations=circulations, procedures=procedures)


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


def speaking_for(user, slug: str | None, *, missing: str):
    """The state a position or feedback is recorded for: the one named (`slug`), else
    the delegate's own; `missing` is the refusal when neither is there. Whether the
    user may speak for it is the policy's to say when the record is written."""
    from secretariat.registry.selectors import actor_get

    if slug:
        actor = actor_get(slug)
        if actor is None:
            raise ValidationError({"actor": _("No state has this key.")})
        return actor
    own = policy.actor_of(user)
    if own is None:
        raise ValidationError({"actor": missing})
    return own
