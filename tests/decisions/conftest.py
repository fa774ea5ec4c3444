"""Fixtures for the decisions tests."""

import pytest

from .world import World


@pytest.fixture
def world(build) -> World:
    """Alpha, Beta and Gamma members since 2000, an observer, a partner, a document, the SOC."""
    return World(build)
