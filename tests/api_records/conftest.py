"""People to act as, a client for the records API, and a small record made through the
services: a member state and its delegate, a body and a meeting, a treaty."""

from __future__ import annotations

import json
from functools import cached_property

import pytest
from django.test import Client

from secretariat.accounts import services as accounts
from secretariat.documents import services as documents
from secretariat.treaties import services as treaties
from tests.helpers import PASSWORD

BASE = "/api/v1/records"


class Api:
    """The records API as one caller sees it (a token, or nobody)."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def _headers(self, etag, headers):
        if etag is not None:
            headers["HTTP_IF_MATCH"] = etag
        return {**self.auth, **headers}

    def get(self, path: str, **headers):
        return self.client.get(BASE + path, **self.auth, **headers)

    def post(self, path: str, body: dict, **headers):
        return self.client.post(
            BASE + path, json.dumps(body), content_type="application/json",
            **self._headers(None, headers),
        )  # fmt: skip

    def patch(self, path: str, body: dict, *, etag: str | None = None, **headers):
        return self.client.patch(
            BASE + path, json.dumps(body), content_type="application/json",
            **self._headers(etag, headers),
        )  # fmt: skip

    def delete(self, path: str, *, etag: str | None = None, **headers):
        return self.client.delete(BASE + path, **self._headers(etag, headers))


class World:
    """Alpha (a member, with a delegate), Omega (an observer, with a delegate), a body,
    a meeting, and a treaty (on a public agreement) that Alpha has signed."""

    def __init__(self, build):
        self.build = build
        self.source = build.source
        self.alpha = build.actor("alpha", name_en="Alpha")
        build.status(self.alpha, "member", "2000-01-01")
        self.omega = build.actor("omega", name_en="Omega")
        build.status(self.omega, "observer", "2010-01-01")
        self.body = build.body("soc", "senior_officials_committee", name_en="SOC")
        self.meeting = build.meeting("soc-1", self.body)
        self.agreement = documents.document_create(
            type="agreement", symbol="EXO/AGR/1", key="agreement", title_en="Agreement",
            sources=[self.source],
        )  # fmt: skip
        self.treaty, _ = treaties.treaty_upsert(
            document=self.agreement, sources=[self.source], eif_instruments=2
        )
        self.signature, _ = treaties.treaty_action_upsert(
            treaty=self.treaty, actor=self.alpha, kind="signature", date="2020-05-01",
            sources=[self.source],
        )  # fmt: skip

    # Accounts are made when first asked for: hashing a password takes a while.
    @cached_property
    def officer(self):
        return accounts.account_create(username="olga", password=PASSWORD, role="officer").user

    @cached_property
    def delegate(self):
        """A delegate of Alpha, a member state."""
        return accounts.account_create(
            username="dmitri", password=PASSWORD, role="delegate", actor=self.alpha
        ).user

    @cached_property
    def observer(self):
        """A delegate of Omega, an observer."""
        return accounts.account_create(
            username="oscar", password=PASSWORD, role="delegate", actor=self.omega
        ).user

    @cached_property
    def reader(self):
        return accounts.account_create(username="rachel", password=PASSWORD, role="public").user

    def api(self, user=None) -> Api:
        if user is None:
            return Api()
        _, secret = accounts.token_create(user=user, name="test")
        return Api(secret)


@pytest.fixture
def world(build) -> World:
    return World(build)


@pytest.fixture
def officer(world) -> Api:
    return world.api(world.officer)
