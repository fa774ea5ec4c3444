"""Sign-in pages and the admin: sessions, CSRF, slowed-down guessing, production checks."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from importlib import import_module

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secretariat.accounts import throttle
from secretariat.accounts.models import SignInFailure
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password, url=None):
    return client.post(
        url or reverse("accounts:sign-in"), {"username": username, "password": password}
    )


def test_sign_in_then_account_page_then_sign_out(people):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("accounts:sign-in"))
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": "alpha-delegate", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    home = client.get(reverse("accounts:home"))
    assert home.status_code == 200
    assert "delegate" in home.text and "Alpha" in home.text
    assert "a member state" in home.text
    out = client.post(
        reverse("accounts:sign-out"),
        {"csrfmiddlewaretoken": home.cookies.get("csrftoken", page.cookies["csrftoken"]).value},
    )
    assert out.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 302  # back to sign-in


def test_a_sign_in_without_the_csrf_token_is_refused(people):
    client = Client(enforce_csrf_checks=True)
    response = _sign_in(client, "officer", PASSWORD)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_repeated_failures_slow_the_name_down_even_with_the_right_password(client, people):
    for _ in range(throttle.FREE_TRIES):
        response = _sign_in(client, "officer", "wrong")
        assert response.status_code == 200 and "correct username and password" in response.text
    blocked = _sign_in(client, "officer", PASSWORD)
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in blocked.text and "try again in 30 seconds" in blocked.text
    assert "_auth_user_id" not in client.session
    # Another name from another address is not held up by this one.
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert _sign_in(other, "alpha-delegate", PASSWORD).status_code == 302


def test_the_admin_sign_in_is_slowed_down_the_same_way(client, people):
    url = reverse("admin:login")
    for _ in range(throttle.FREE_TRIES):
        _sign_in(client, "officer", "wrong", url)
    blocked = _sign_in(client, "officer", PASSWORD, url)
    assert "Too many failed sign-ins" in blocked.text
    assert client.get(reverse("admin:index")).status_code == 302


def test_each_further_failure_doubles_the_wait_up_to_a_limit(people):
    for _ in range(throttle.FREE_TRIES):
        throttle.record_failure("officer", "10.0.0.1")
    assert throttle.wait_seconds("officer", None) in (29, 30)
    throttle.record_failure("officer", "10.0.0.1")
    assert throttle.wait_seconds("officer", None) in (59, 60)
    for _ in range(10):
        throttle.record_failure("officer", "10.0.0.1")
    now = timezone.now()
    assert 14 * 60 < throttle.wait_seconds("officer", None, now=now) <= 15 * 60
    later = now + throttle.WINDOW + dt.timedelta(seconds=1)
    assert throttle.wait_seconds("officer", None, now=later) == 0


def test_a_successful_sign_in_forgets_the_names_failures(client, people):
    for _ in range(throttle.FREE_TRIES - 1):
        _sign_in(client, "officer", "wrong")
    assert _sign_in(client, "officer", PASSWORD).status_code == 302
    assert not SignInFailure.objects.filter(username="officer").exists()


def test_passwords_are_hashed_and_validated(db, settings):
    """With the site's own hashers (the suite runs on a cheap one): stretched, and checked."""
    from django.conf import global_settings
    from django.core.exceptions import ValidationError

    from secretariat.accounts import services

    site = import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    settings.PASSWORD_HASHERS = getattr(site, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    user = services.account_create(username="hashed", password=PASSWORD, role="officer").user
    assert user.password.startswith(("pbkdf2_", "argon2", "bcrypt", "scrypt"))
    assert user.check_password(PASSWORD) and not user.check_password("wrong")
    with pytest.raises(ValidationError):
        services.account_create(username="weak", password="12345678", role="public")


def test_delegates_and_readers_cannot_enter_the_admin(client, people):
    for user in (people.delegate, people.reader):
        client.force_login(user)
        assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(people.officer)
    assert client.get(reverse("admin:index")).status_code == 200


def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = {
        **os.environ,
        "SECURE": "1",
        "DEBUG": "0",
        "SECRET_KEY": "k" * 10 + "-production-secret-key-of-sufficient-length-and-variety-9Z",
        "ALLOWED_HOSTS": "secretariat.example.org",
        "SECRETARIAT_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests, never in production
    done = subprocess.run(
        [sys.executable, "-m", "secretariat", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
