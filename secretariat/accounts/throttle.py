"""Slowing down password guessing: each failed sign-in beyond a few doubles the wait.

Failures are counted per username and, more loosely, per address, over a window;
the rows live in the database so every app process sees the same count.

The address is the client's: behind the site's reverse proxies (settings.TRUSTED_PROXIES
or PROXY_COUNT) the one they report in X-Forwarded-For; else every client would be the
proxy's one address, which a single guesser could lock out for everyone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from python_ipware import IpWare

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
    """The client's address: the peer's own (REMOTE_ADDR), unless the peer is a trusted
    reverse proxy, whose X-Forwarded-For then names the client.

    TRUSTED_PROXIES lists one address or network per proxy hop, in the order a request
    passes them (the one next to the site last; parallel proxies of one hop: a network
    covering them); PROXY_COUNT says only how many hops there are, for a site no one
    reaches but through them. The peer is the last hop, so it is added to the end of
    the chain: a header sent by anyone but a trusted proxy fails the check and is
    ignored, as is a chain too short to name a client.
    """
    if request is None:
        return None
    peer = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").strip()
    # Read on each call, not at import: tests and deployments set them late.
    proxies, count = settings.TRUSTED_PROXIES, settings.PROXY_COUNT
    if not forwarded or not peer or not (proxies or count):
        return peer
    ipware = IpWare(
        precedence=("HTTP_X_FORWARDED_FOR",), proxy_list=list(proxies) or None, proxy_count=count
    )
    client, trusted = ipware.get_client_ip({"HTTP_X_FORWARDED_FOR": f"{forwarded}, {peer}"})
    return str(client) if client is not None and trusted else peer
