"""The CICA dataset, loaded once per test module (loading takes seconds)."""

import pytest
from django.core.management import call_command

from secretariat.datasets.loader import Loader

from ..conftest import CICA


@pytest.fixture(scope="module")
def cica(django_db_setup, django_db_blocker):
    """The CICA dataset, loaded for this module and removed after it."""
    with django_db_blocker.unblock():
        counts = Loader(CICA).load()
    yield counts
    with django_db_blocker.unblock():
        call_command("flush", "--no-input", verbosity=0)
