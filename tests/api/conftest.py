"""The API's tests: callers in each role (the CICA dataset: tests/conftest.py's `cica`)."""

from __future__ import annotations

import pytest

from secretariat.accounts import services as accounts
from tests.helpers import PASSWORD


def bearer(user) -> dict[str, str]:
    """Request headers (for the Django test client) that sign in with a new API token."""
    _, secret = accounts.token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def officer(db):
    return accounts.account_create(username="olga", password=PASSWORD, role="officer").user
