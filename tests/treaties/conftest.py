"""Fixtures for the treaties tests."""

import pytest

from .world import World


@pytest.fixture
def world(build) -> World:
    """Five member states since 2000, a late member, an outsider, an organization, a convention."""
    return World(build)
