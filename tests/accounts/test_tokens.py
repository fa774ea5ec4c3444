"""API tokens: shown once, stored as a digest, revocable; writes need a token or CSRF."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.accounts import services, tokens
from secretariat.accounts.models import ApiToken
from secretariat.decisions.models import Position

pytestmark = pytest.mark.django_db


def _bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_is_shown_once_and_only_its_digest_is_kept(client, people):
    client.force_login(people.delegate)
    response = client.post(reverse("accounts:token-create"), {"name": "nightly"})
    assert response.status_code == 201
    secret = response.context["new_secret"]
    assert secret.startswith("sec_") and secret in response.text
    row = ApiToken.objects.get(user=people.delegate)
    assert row.digest == tokens.digest(secret) and secret not in (row.digest, row.prefix)
    again = client.get(reverse("accounts:home"))
    assert secret not in again.text and row.prefix in again.text


def test_a_token_acts_as_its_user_until_revoked(people):
    token, secret = services.token_create(user=people.delegate, name="script")
    client = Client()
    me = client.get("/api/v1/me", **_bearer(secret)).json()
    assert me["role"] == "delegate" and me["actor"]["slug"] == "alpha"
    assert me["reads_restricted"] is True
    services.token_revoke(token=token)
    refused = client.get("/api/v1/me", **_bearer(secret))
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert "revoked" in refused.json()["detail"]


def test_unknown_or_malformed_credentials_are_refused_not_read_as_public(people):
    client = Client()
    for header in (
        "Bearer nonsense",
        "Bearer sec_" + "x" * 43,
        "Basic abc",
        "Bearer ",
        "Bearer " + "é" * 500,
    ):
        response = client.get("/api/v1/documents", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response.json()["status"] == 401


def test_only_the_owner_revokes_a_token_from_the_page(client, people):
    token, _ = services.token_create(user=people.officer, name="officer's")
    client.force_login(people.delegate)
    assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_callers_are_the_public(people):
    me = Client().get("/api/v1/me").json()
    assert me == {
        "username": None,
        "role": "public",
        "role_label": "registered reader",
        "actor": None,
        "reads_restricted": False,
        "awaiting": None,
    }


def _position(client, procedure, body, **headers):
    return client.post(
        f"/api/v1/procedures/{procedure.pk}/positions",
        json.dumps(body),
        content_type="application/json",
        **headers,
    )


def test_a_delegate_records_its_states_position_and_only_its_own(people, world):
    procedure = world.silence(opened_at=_now_minus_days(1), deadline=_now_plus_days(6))
    _, secret = services.token_create(user=people.delegate, name="positions")
    client = Client()
    made = _position(client, procedure, {"kind": "support"}, **_bearer(secret))
    assert made.status_code == 201, made.json()
    assert made.json()["actor"]["slug"] == "alpha"
    other = _position(client, procedure, {"kind": "objection", "actor": "beta"}, **_bearer(secret))
    assert other.status_code == 403
    assert "its own state" in other.json()["detail"]
    assert list(Position.objects.values_list("actor__slug", flat=True)) == ["alpha"]


def test_a_session_write_needs_the_csrf_token_and_the_public_none(people, world):
    procedure = world.silence(opened_at=_now_minus_days(1), deadline=_now_plus_days(6))
    client = Client(enforce_csrf_checks=True)
    assert _position(client, procedure, {"kind": "support"}).status_code == 401
    client.force_login(people.delegate)
    refused = _position(client, procedure, {"kind": "support"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    client.get(reverse("accounts:home"))
    csrf = client.cookies["csrftoken"].value
    assert (
        _position(client, procedure, {"kind": "support"}, HTTP_X_CSRFTOKEN=csrf).status_code == 201
    )


def test_the_delegate_sees_what_awaits_its_state(people, world):
    procedure = world.silence(opened_at=_now_minus_days(1), deadline=_now_plus_days(6))
    _, secret = services.token_create(user=people.beta_delegate, name="watch")
    me = Client().get("/api/v1/me", **_bearer(secret)).json()
    assert [p["id"] for p in me["awaiting"]["procedures"]] == [procedure.pk]
    world.position(procedure, world.beta, "support", _now_minus_days(0))
    me = Client().get("/api/v1/me", **_bearer(secret)).json()
    assert me["awaiting"]["procedures"] == []


def _now_minus_days(n):
    import datetime as dt

    from django.utils import timezone

    return timezone.now() - dt.timedelta(days=n, minutes=5)


def _now_plus_days(n):
    import datetime as dt

    from django.utils import timezone

    return timezone.now() + dt.timedelta(days=n)


def _feedback(client, circulation, body, **headers):
    return client.post(
        f"/api/v1/circulations/{circulation.pk}/feedback",
        json.dumps(body),
        content_type="application/json",
        **headers,
    )


def test_a_delegate_sends_its_states_feedback_on_a_circulated_draft(people, world):
    from django.utils import timezone

    from secretariat.documents import services as documents
    from secretariat.documents.models import Feedback

    today = timezone.localdate()
    version = documents.version_create(document=world.document)
    circulation, _ = documents.document_circulate(
        version=version, date=str(today), deadline=today + dt.timedelta(days=10),
        sources=[world.build.source],
    )  # fmt: skip
    _, secret = services.token_create(user=people.delegate, name="feedback")
    made = _feedback(Client(), circulation, {"text": "We support it."}, **_bearer(secret))
    assert made.status_code == 201, made.json()
    assert made.json()["actor"]["slug"] == "alpha" and made.json()["late"] is False
    other = _feedback(
        Client(), circulation, {"text": "Beta objects.", "actor": "beta"}, **_bearer(secret)
    )
    assert other.status_code == 403
    _, observer = services.token_create(user=people.observer, name="feedback")
    stranger = _feedback(Client(), circulation, {"text": "Hello."}, **_bearer(observer))
    assert stranger.status_code == 422, stranger.json()
    assert list(Feedback.objects.values_list("actor__slug", "text")) == [
        ("alpha", "We support it.")
    ]
