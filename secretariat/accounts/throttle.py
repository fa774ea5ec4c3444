"""Slowing down password guessing: each failed sign-in beyond a few doubles the wait.

Failures are counted per username and, more loosely, per address, over a window;
the rows live in the database so every app process sees the same count. Requests for
a password reset link are slowed down the same way, counted per e-mail address and
per client address: no one can have the site mail a person, or many people, in bulk.
A page that is refused says so with 429 and Retry-After (`refused`).

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

from .models import PasswordResetRequest, SignInFailure

WINDOW = dt.timedelta(minutes=15)
FREE_TRIES = 5  # per username; an address gets more, several people may share it
FREE_TRIES_PER_ADDRESS = 20
FIRST_WAIT = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(minutes=15)
# Reset links: a person who lost a mail asks again once or twice, not more.
FREE_RESETS = 3  # per e-mail address
FREE_RESETS_PER_ADDRESS = 10


def _wait(failures: int, free: int, last: dt.datetime, now: dt.datetime) -> float:
    if failures < free:
        return 0.0
    wait = min(FIRST_WAIT * 2 ** (failures - free), LONGEST_WAIT)
    return max(0.0, (last + wait - now).total_seconds())


def _wait_for(
    model, name_field: str, name: str, address: str | None, *, free: int, free_per_address: int,
    now: dt.datetime | None,
) -> int:  # fmt: skip
    now = now or timezone.now()
    recent = model.objects.filter(at__gt=now - WINDOW)
    named = {f"{name_field}__iexact": name}
    by_name = recent.filter(**named).aggregate(n=Count("id"), last=Max("at"))
    wait = _wait(by_name["n"], free, by_name["last"] or now, now) if name else 0.0
    if address:
        by_address = recent.filter(address=address).aggregate(n=Count("id"), last=Max("at"))
        last = by_address["last"] or now
        wait = max(wait, _wait(by_address["n"], free_per_address, last, now))
    return int(wait + 0.999)


def wait_seconds(username: str, address: str | None, *, now: dt.datetime | None = None) -> int:
    """How long this username (or address) must wait before trying again; 0: go ahead."""
    return _wait_for(
        SignInFailure, "username", username, address,
        free=FREE_TRIES, free_per_address=FREE_TRIES_PER_ADDRESS, now=now,
    )  # fmt: skip


def reset_wait_seconds(email: str, address: str | None, *, now: dt.datetime | None = None) -> int:
    """How long before another reset link may be asked for this e-mail address (or from
    this client address); 0: go ahead."""
    return _wait_for(
        PasswordResetRequest, "email", email, address,
        free=FREE_RESETS, free_per_address=FREE_RESETS_PER_ADDRESS, now=now,
    )  # fmt: skip


def record_reset_request(email: str, address: str | None) -> None:
    # Bookkeeping of requests, not a change to the record: not audited.
    PasswordResetRequest.objects.filter(at__lte=timezone.now() - WINDOW).delete()
    PasswordResetRequest.objects.create(email=email[:254], address=address or None)


def refused(response, wait: int):
    """The page that refused a throttled attempt, as 429 with Retry-After (seconds)."""
    response.status_code = 429
    response["Retry-After"] = str(max(1, wait))
    return response


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
