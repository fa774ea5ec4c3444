"""The second factor: turning it on and off, signing in with a code or a recovery code,
wrong codes slowed down, and roles that must have one kept out of every page (the admin
included) until their session has passed it; API tokens go on without one."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from secretariat.accounts import second_factor, services, throttle, views
from secretariat.accounts.models import SignInFailure
from secretariat.core.acting import acting_as
from tests.helpers import PASSWORD

from .conftest import app_code, turn_on

pytestmark = pytest.mark.django_db
PAGE = "/accounts/second-factor/"
CODE_PAGE = "/accounts/sign-in/code/"


def _password(client, username, next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:sign-in"), data)


def _code(client, code, next_url=""):
    return client.post(CODE_PAGE, {"code": code, "next": next_url})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


def _shown_codes(html: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", html)


# --- turning it on and off ---------------------------------------------------------------


def test_turning_it_on_shows_a_qr_code_then_the_recovery_codes_once(client, people):
    client.force_login(people.delegate)
    off = client.get(PAGE)
    assert "A second factor is <strong>off</strong>" in off.text
    assert client.post(reverse("accounts:second-factor-begin")).status_code == 302
    setting_up = client.get(PAGE)
    assert '<svg width="' in setting_up.text and 'class="qr"' in setting_up.text
    device = TOTPDevice.objects.get(user=people.delegate, confirmed=False)
    key = re.search(r'<code id="key">([A-Z2-7 ]+)</code>', setting_up.text).group(1)
    assert key.replace(" ", "") in second_factor.setup_url(device)
    assert "issuer=Secretariat" in second_factor.setup_url(device)

    wrong = client.post(reverse("accounts:second-factor-confirm"), {"code": "000000"})
    assert wrong.status_code == 422 and "This code does not match" in wrong.text
    assert not second_factor.is_on(people.delegate)

    done = client.post(reverse("accounts:second-factor-confirm"), {"code": app_code(device)})
    assert done.status_code == 200
    codes = _shown_codes(done.text)
    assert len(codes) == second_factor.RECOVERY_CODES == len(set(codes))
    assert second_factor.is_on(people.delegate) and _verified(client)
    again = client.get(PAGE)
    assert "A second factor is <strong>on</strong>" in again.text
    assert "10 recovery codes left" in again.text and not _shown_codes(again.text)
    home = client.get(reverse("accounts:home"))
    assert "Second factor: on" in home.text


def test_new_recovery_codes_replace_the_old_ones(client, people, no_device_backoff):
    device, old = turn_on(people.delegate)
    client.force_login(people.delegate)
    refused = client.post(reverse("accounts:recovery-codes"), {"code": "123456"})
    assert refused.status_code == 422 and "not right" in refused.text
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)
    made = client.post(reverse("accounts:recovery-codes"), {"code": app_code(device)})
    new = [c.replace("-", "") for c in _shown_codes(made.text)]
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


def test_turning_it_off_asks_for_a_current_code(client, people, no_device_backoff):
    device, _codes = turn_on(people.delegate)
    client.force_login(people.delegate)
    refused = client.post(reverse("accounts:second-factor-off"), {"code": "999999"})
    assert refused.status_code == 422 and "not right" in refused.text
    assert second_factor.is_on(people.delegate)
    assert (
        client.post(reverse("accounts:second-factor-off"), {"code": app_code(device)}).status_code
        == 302
    )
    assert not second_factor.is_on(people.delegate)
    assert not StaticToken.objects.filter(device__user=people.delegate).exists()
    # Signing in takes the password alone again.
    other = Client()
    assert _password(other, "alpha-delegate").status_code == 302 and _signed_in(other)


def test_a_role_that_requires_it_cannot_turn_it_off(client, people, settings):
    settings.MFA_REQUIRED_ROLES = frozenset({"officer"})
    device, _codes = turn_on(people.officer)
    client.post(reverse("accounts:sign-in"), {"username": "officer", "password": PASSWORD})
    _code(client, app_code(device))
    page = client.get(PAGE)
    assert "Your role requires a second factor: it stays on." in page.text
    assert reverse("accounts:second-factor-off") not in page.text
    refused = client.post(reverse("accounts:second-factor-off"), {"code": app_code(device)})
    assert refused.status_code == 422 and "it stays on" in refused.text
    assert second_factor.is_on(people.officer)
    # An administrator may reset it for someone who lost the phone.
    with acting_as(people.admin, via="admin"):
        services.second_factor_remove(user=people.officer)
    assert not second_factor.is_on(people.officer)


# --- signing in in two steps -------------------------------------------------------------


def test_with_a_second_factor_the_password_alone_does_not_sign_in(client, people):
    turn_on(people.delegate)
    first = _password(client, "alpha-delegate", next_url="/accounts/delegation/")
    assert first.status_code == 302 and first["Location"].startswith(CODE_PAGE)
    assert not _signed_in(client)
    assert client.get(reverse("accounts:home")).status_code == 302  # still signed out
    page = client.get(first["Location"])
    assert page.status_code == 200 and "Type the code your authenticator app shows" in page.text

    wrong = _code(client, "000000", "/accounts/delegation/")
    assert wrong.status_code == 422 and "This code is not right" in wrong.text
    assert not _signed_in(client)


def test_the_right_code_completes_the_sign_in(client, people):
    device, _codes = turn_on(people.delegate)
    _password(client, "alpha-delegate", next_url="/accounts/delegation/")
    done = _code(client, app_code(device), "/accounts/delegation/")
    assert done.status_code == 302 and done["Location"] == "/accounts/delegation/"
    assert _signed_in(client) and _verified(client)
    assert client.get("/accounts/delegation/").status_code == 200


def test_a_code_is_not_taken_from_an_other_site(client, people):
    device, _codes = turn_on(people.delegate)
    _password(client, "alpha-delegate")
    done = _code(client, app_code(device), "https://evil.example/")
    assert done.status_code == 302 and done["Location"] == reverse("accounts:home")


def test_each_recovery_code_works_once(people, no_device_backoff):
    _device, codes = turn_on(people.delegate)
    first = Client()
    _password(first, "alpha-delegate")
    typed = f" {codes[0][:4].upper()}-{codes[0][4:]} "  # as copied from the page
    assert _code(first, typed).status_code == 302 and _verified(first)
    again = Client()
    _password(again, "alpha-delegate")
    reused = _code(again, codes[0])
    assert reused.status_code == 422 and "used already" in reused.text
    assert not _signed_in(again)
    assert _code(again, codes[1]).status_code == 302
    assert second_factor.recovery_codes_left(people.delegate) == 8


def test_an_app_code_works_once(people, no_device_backoff):
    device, _codes = turn_on(people.delegate)
    first = Client()
    _password(first, "alpha-delegate")
    code = app_code(device)
    assert _code(first, code).status_code == 302
    replay = Client()
    _password(replay, "alpha-delegate")
    assert _code(replay, code).status_code == 422 and not _signed_in(replay)


def test_wrong_codes_are_slowed_down_like_wrong_passwords(client, people, no_device_backoff):
    device, _codes = turn_on(people.delegate)
    _password(client, "alpha-delegate")
    for _ in range(throttle.FREE_TRIES):
        assert _code(client, "000000").status_code == 422
    assert SignInFailure.objects.filter(username="alpha-delegate").count() == throttle.FREE_TRIES
    blocked = _code(client, app_code(device))
    assert blocked.status_code == 429 and "Too many failed sign-ins" in blocked.text
    assert not _signed_in(client)


def test_the_apps_own_back_off_is_said_plainly(client, people):
    """django-otp waits a second after a wrong code, more after each: the user is told."""
    device, _codes = turn_on(people.delegate)
    _password(client, "alpha-delegate")
    _code(client, "000000")
    soon = _code(client, app_code(device))
    assert soon.status_code == 429 and "try again in 1 seconds" in soon.text
    assert soon["Retry-After"] == "1"


def test_the_password_step_expires(client, people):
    device, _codes = turn_on(people.delegate)
    _password(client, "alpha-delegate")
    session = client.session
    session[views.PENDING]["at"] -= views.PENDING_SECONDS + 1
    session.save()
    late = _code(client, app_code(device))
    assert late.status_code == 302 and late["Location"].startswith(reverse("accounts:sign-in"))
    assert not _signed_in(client)


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client, people):
    response = client.get(CODE_PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


# --- roles that must have one ------------------------------------------------------------


@pytest.fixture
def officers_must(settings):
    settings.MFA_REQUIRED_ROLES = frozenset({"officer", "administrator"})


def test_a_required_role_without_one_is_sent_to_set_it_up_first(client, people, officers_must):
    assert _password(client, "officer").status_code == 302 and _signed_in(client)
    for url in ("/documents/", reverse("accounts:home"), "/admin/", "/history/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{PAGE}?next={url.replace('/', '%2F')}", url
    page = client.get(f"{PAGE}?next=%2Fadmin%2F")
    assert "Your role signs in with a second factor: turn it on to go on." in page.text
    # Still open: the set-up itself, the language, static files, signing out.
    client.post(reverse("accounts:second-factor-begin"), {"next": "/admin/"})
    device = TOTPDevice.objects.get(user=people.officer)
    done = client.post(
        reverse("accounts:second-factor-confirm"), {"code": app_code(device), "next": "/admin/"}
    )
    assert done.status_code == 200 and 'href="/admin/"' in done.text
    assert client.get("/admin/").status_code == 200
    assert client.get("/documents/").status_code == 200


def test_a_required_role_signed_in_before_gives_its_code_before_anything(people, officers_must):
    device, _codes = turn_on(people.officer)
    client = Client()
    client.force_login(people.officer)  # a session from before the rule, not verified
    response = client.get("/documents/")
    assert response.status_code == 302 and response["Location"].startswith(CODE_PAGE)
    assert client.get("/static/portal/site.css").status_code != 302
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and "second factor" in api.json()["detail"]
    assert _code(client, app_code(device), "/documents/")["Location"] == "/documents/"
    assert client.get("/documents/").status_code == 200
    assert client.get("/api/v1/me").json()["role"] == "officer"
    assert client.post(reverse("accounts:sign-out")).status_code == 302


def test_roles_not_required_are_not_held(client, people, officers_must):
    client.force_login(people.delegate)
    assert client.get("/documents/").status_code == 200


def test_api_tokens_need_no_second_factor(people, officers_must):
    turn_on(people.officer)
    with acting_as(people.officer, via="web"):
        _token, secret = services.token_create(user=people.officer, name="export")
    answer = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200 and answer.json()["role"] == "officer"


def test_the_admin_signs_in_through_the_site_in_two_steps(client, people, officers_must):
    device, _codes = turn_on(people.officer)
    door = client.get("/admin/")
    assert door.status_code == 302
    login = client.get(door["Location"])
    assert login.status_code == 302
    assert login["Location"] == "/accounts/sign-in/?next=%2Fadmin%2F"
    first = _password(client, "officer", next_url="/admin/")
    assert first["Location"].startswith(CODE_PAGE)
    done = _code(client, app_code(device), "/admin/")
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_asks_for_a_verified_session_of_a_required_role(people, officers_must):
    request = RequestFactory().get("/admin/")
    request.user = people.officer  # signed in, no second factor passed
    assert not admin.site.has_permission(request)
    request.user.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_a_password_posted_to_the_admins_own_sign_in_takes_the_second_step(client, people):
    device, _codes = turn_on(people.officer)
    response = client.post(reverse("admin:login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(CODE_PAGE)
    assert "next=%2Fadmin%2F" in response["Location"] and not _signed_in(client)
    assert _code(client, app_code(device), "/admin/")["Location"] == "/admin/"


def test_a_delegate_at_the_admins_door_is_told_why(client, people):
    client.force_login(people.delegate)
    page = client.get(reverse("admin:login"))
    assert page.status_code == 200
    assert "You are signed in as alpha-delegate, whose role does not open" in page.text


def test_officers_do_not_see_second_factors_in_the_admin(client, people):
    turn_on(people.delegate)
    client.force_login(people.officer)
    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 403
    client.force_login(people.admin)
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert listing.status_code == 200 and "alpha-delegate" in listing.text
    device = TOTPDevice.objects.get(user=people.delegate)
    assert device.key not in listing.text
    client.post(
        reverse("admin:otp_totp_totpdevice_changelist"),
        {"action": "reset", "_selected_action": [device.pk]},
    )
    assert not second_factor.is_on(people.delegate)


def test_the_second_factor_pages_in_russian(client, people):
    client.force_login(people.delegate)
    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="ru")
    assert "<h1>Второй фактор</h1>" in page.text
    turn_on(people.reader)
    other = Client(HTTP_ACCEPT_LANGUAGE="ru")
    _password(other, "reader")
    wrong = _code(other, "000000")
    assert "Этот код неверен" in wrong.text
