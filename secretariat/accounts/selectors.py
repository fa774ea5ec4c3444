"""Reads for a signed-in user: what awaits the state a delegate represents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from . import policy
from .models import ApiToken


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


def tokens_of(user) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))
