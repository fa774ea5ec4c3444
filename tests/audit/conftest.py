"""People to act as, and a small record to change: made through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from secretariat.accounts import services as accounts
from secretariat.documents import services as documents

PASSWORD = "correct-horse-battery-9"


class Team:
    """An officer, an administrator, a delegate and a registered reader."""

    def __init__(self, build):
        self.state = build.actor("alpha")
        self.officer = accounts.account_create(
            username="alice", password=PASSWORD, role="officer"
        ).user
        self.admin = accounts.account_create(
            username="ada", password=PASSWORD, role="administrator"
        ).user
        self.delegate = accounts.account_create(
            username="dmitri", password=PASSWORD, role="delegate", actor=self.state
        ).user
        self.reader = accounts.account_create(
            username="rachel", password=PASSWORD, role="public"
        ).user

    def client(self, user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def token(self, user) -> dict[str, str]:
        _, secret = accounts.token_create(user=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def team(build) -> Team:
    return Team(build)


@pytest.fixture
def document(build):
    """A public document citing the test source."""
    return documents.document_create(
        key="exo-decl-1", symbol="EXO/DECL/1", type="declaration", title_en="First title",
        sources=[build.source],
    )  # fmt: skip
