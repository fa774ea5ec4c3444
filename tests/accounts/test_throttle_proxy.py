"""The sign-in throttle behind reverse proxies: each client is counted by the address the
trusted proxy reports, and a forwarded address from anyone else is not believed."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from secretariat.accounts import throttle
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.1"


def _sign_in(client, username, password, **headers):
    return client.post(
        reverse("accounts:sign-in"), {"username": username, "password": password}, **headers
    )


def _behind_proxy(client_address: str) -> Client:
    """A browser at `client_address`, reaching the site through the proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def _guess_many(client, n: int) -> None:
    """`n` wrong passwords for as many names, so that only the address's count grows."""
    for i in range(n):
        response = _sign_in(client, f"nobody-{i}", "wrong")
        assert "correct username and password" in response.text


@pytest.mark.parametrize(
    "proxies, count", [([PROXY], None), (["10.0.0.0/24"], None), ([], 1)], ids=str
)
def test_a_guesser_behind_the_proxy_does_not_lock_out_its_neighbours(
    settings, people, proxies, count
):
    settings.TRUSTED_PROXIES, settings.PROXY_COUNT = proxies, count
    guesser = _behind_proxy("198.51.100.7")
    _guess_many(guesser, throttle.FREE_TRIES_PER_ADDRESS)
    slowed = _sign_in(guesser, "nobody-else", "wrong")
    assert "Too many failed sign-ins" in slowed.text
    neighbour = _behind_proxy("198.51.100.8")
    assert _sign_in(neighbour, "officer", PASSWORD).status_code == 302


def test_without_a_trusted_proxy_everyone_behind_it_is_one_address(settings, people):
    """The reason for the setting: unset, the proxy's own address is counted."""
    settings.TRUSTED_PROXIES, settings.PROXY_COUNT = [], None
    _guess_many(_behind_proxy("198.51.100.7"), throttle.FREE_TRIES_PER_ADDRESS)
    blocked = _sign_in(_behind_proxy("198.51.100.8"), "officer", PASSWORD)
    assert blocked.status_code == 429 and "Too many failed sign-ins" in blocked.text


def test_a_forged_forwarded_address_from_an_untrusted_peer_is_ignored(settings, people):
    """A guesser who reaches the site directly cannot pose as many clients."""
    settings.TRUSTED_PROXIES = [PROXY]
    for i in range(throttle.FREE_TRIES_PER_ADDRESS):
        forged = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"198.51.100.{i + 1}")
        _sign_in(forged, f"nobody-{i}", "wrong")
    again = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert "Too many failed sign-ins" in _sign_in(again, "officer", PASSWORD).text


def test_the_address_as_reported(settings):
    """The client's address: the proxy's report when the peer is trusted, else the peer."""
    make = RequestFactory().get

    def seen(peer, forwarded=None):
        headers = {"REMOTE_ADDR": peer}
        if forwarded is not None:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded
        return throttle.address_of(make("/", **headers))

    settings.TRUSTED_PROXIES, settings.PROXY_COUNT = [], None
    assert seen(PROXY, "198.51.100.7") == PROXY
    settings.TRUSTED_PROXIES = [PROXY]
    assert seen(PROXY, "198.51.100.7") == "198.51.100.7"
    # A client's own forged entries come first; the proxy appends what it saw.
    assert seen(PROXY, "1.2.3.4, 198.51.100.7") == "198.51.100.7"
    assert seen("203.0.113.66", "198.51.100.7") == "203.0.113.66"  # not a trusted peer
    assert seen(PROXY) == PROXY  # the proxy itself, asking without a header
    assert seen(PROXY, "not-an-address") == PROXY
    settings.TRUSTED_PROXIES = ["192.0.2.1", PROXY]  # two hops, the nearer last
    assert seen(PROXY, "198.51.100.7, 192.0.2.1") == "198.51.100.7"
    assert seen(PROXY, "198.51.100.7, 192.0.2.99") == PROXY  # the first hop is not ours
