"""The API's tests: the CICA dataset loaded once per module, and callers in each role."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from secretariat.accounts import services as accounts
from secretariat.datasets.loader import Loader

from ..conftest import CICA

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(scope="module")
def cica(django_db_setup, django_db_blocker):
    """The CICA dataset, loaded for this module and removed after it (loading takes seconds)."""
    with django_db_blocker.unblock():
        counts = Loader(CICA).load()
    yield counts
    with django_db_blocker.unblock():
        call_command("flush", "--no-input", verbosity=0)


def bearer(user) -> dict[str, str]:
    """Request headers (for the Django test client) that sign in with a new API token."""
    _, secret = accounts.token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def officer(db):
    return accounts.account_create(username="olga", password=PASSWORD, role="officer").user
