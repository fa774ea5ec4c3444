"""A held-up sign-in or reset request is answered 429 with Retry-After, and the page
shown again says when to try again; nothing is checked, sent or signed in meanwhile."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from secretariat.accounts import throttle
from secretariat.accounts.models import PasswordResetRequest
from tests.helpers import PASSWORD

from .conftest import app_code, turn_on

CODE_PAGE = "/accounts/sign-in/code/"

pytestmark = pytest.mark.django_db


def _sign_in(client, password, url=None):
    return client.post(
        url or reverse("accounts:sign-in"), {"username": "officer", "password": password}
    )


def _held_up(response, seconds: int):
    assert response.status_code == 429
    assert response["Retry-After"] == str(seconds)
    assert f"try again in {seconds} seconds" in response.text


@pytest.mark.parametrize("url", [None, "/admin/login/"])
def test_a_throttled_sign_in_is_429_with_retry_after_on_the_sign_in_page(client, people, url):
    for _ in range(throttle.FREE_TRIES):
        assert _sign_in(client, "wrong", url).status_code == 200  # a wrong password: 200
    blocked = _sign_in(client, PASSWORD, url)
    _held_up(blocked, 30)
    assert 'name="password"' in blocked.text  # the sign-in form, shown again
    assert "_auth_user_id" not in client.session


def test_the_second_factors_code_is_429_when_held_up(client, people, no_device_backoff):
    device, _codes = turn_on(people.delegate)
    client.post(reverse("accounts:sign-in"), {"username": "alpha-delegate", "password": PASSWORD})
    for _ in range(throttle.FREE_TRIES):
        assert client.post(CODE_PAGE, {"code": "000000"}).status_code == 422  # wrong: 422
    blocked = client.post(CODE_PAGE, {"code": app_code(device)})
    _held_up(blocked, 30)
    assert 'name="code"' in blocked.text and "_auth_user_id" not in client.session


def _reset(client, email="alpha@example.org"):
    return client.post(reverse("accounts:password-reset"), {"email": email})


def test_reset_links_asked_again_and_again_are_429_and_not_mailed(
    client, people, django_capture_on_commit_callbacks
):
    people.delegate.email = "alpha@example.org"
    people.delegate.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(throttle.FREE_RESETS):
            assert _reset(client).status_code == 302
        refused = _reset(client, "ALPHA@example.org")
    _held_up(refused, 30)
    assert "A link already sent stays valid" in refused.text
    assert 'name="email"' in refused.text  # the form again
    assert len(mail.outbox) == throttle.FREE_RESETS  # none for the refused request
    # An unknown address is counted the same (the answer must not tell which is known).
    stranger = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(throttle.FREE_RESETS):
        assert _reset(stranger, "nobody@example.org").status_code == 302
    _held_up(_reset(stranger, "nobody@example.org"), 30)
    # Another address from elsewhere is not held up by them.
    assert _reset(Client(REMOTE_ADDR="10.2.2.2"), "other@example.org").status_code == 302


def test_one_client_asking_for_many_addresses_is_held_up_too(client, people):
    for n in range(throttle.FREE_RESETS_PER_ADDRESS):
        assert _reset(client, f"person{n}@example.org").status_code == 302
    _held_up(_reset(client, "one-more@example.org"), 30)
    assert PasswordResetRequest.objects.count() == throttle.FREE_RESETS_PER_ADDRESS
