"""Slowing down password guessing: each failed sign-in beyond a few doubles the wait.

Failures are counted per username and, more loosely, per address, over a window;
the rows live in the database so every app process sees the same count.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max
from django.utils import timezone

from .models import SignInFailure

WINDOW = dt.timedelta(minutes=15)
FREE_TRIES = 5  # per username; an address gets more, several people may share it
FREE_TRIES_PER_ADDRESS = 20
FIRST_WAIT = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(minutes=15)


def _wait(failures: int, free: int, last: dt.datetime, now: dt.datetime) -> float:
    if failures < free:
        return 0.0
    wait = min(FIRST_WAIT * 2 ** (failures - free), LONGEST_WAIT)
    return max(0.0, (last + wait - now).total_seconds())


def wait_seconds(username: str, address: str | None, *, now: dt.datetime | None = None) -> int:
    """How long this username (or address) must wait before trying again; 0: go ahead."""
    now = now or timezone.now()
    recent = SignInFailure.objects.filter(at__gt=now - WINDOW)
    by_name = recent.filter(username__iexact=username).aggregate(n=Count("id"), last=Max("at"))
    wait = _wait(by_name["n"], FREE_TRIES, by_name["last"] or now, now) if username else 0.0
    if address:
        by_address = recent.filter(address=address).aggregate(n=Count("id"), last=Max("at"))
        last = by_address["last"] or now
        wait = max(wait, _wait(by_address["n"], FREE_TRIES_PER_ADDRESS, last, now))
    return int(wait + 0.999)


def record_failure(username: str, address: str | None) -> None:
    # Bookkeeping of attempts, not a change to the record: not audited.
    SignInFailure.objects.create(username=username[:150], address=address or None)


def forget(username: str) -> None:
    """A successful sign-in clears the name's failures (the address keeps its count)."""
    SignInFailure.objects.filter(username__iexact=username).delete()
    SignInFailure.objects.filter(at__lte=timezone.now() - WINDOW).delete()


def address_of(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
