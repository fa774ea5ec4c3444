"""People in every role, over the decisions tests' small organization."""

from __future__ import annotations

import pytest

from secretariat.accounts import services
from tests.decisions.world import World

PASSWORD = "correct-horse-battery-9"


class People:
    def __init__(self, world: World):
        self.world = world
        make = services.account_create
        self.admin = make(username="admin", password=PASSWORD, role="administrator").user
        self.officer = make(username="officer", password=PASSWORD, role="officer").user
        self.delegate = make(
            username="alpha-delegate", password=PASSWORD, role="delegate", actor=world.alpha
        ).user
        self.beta_delegate = make(
            username="beta-delegate", password=PASSWORD, role="delegate", actor=world.beta
        ).user
        self.observer = make(
            username="omega-delegate", password=PASSWORD, role="delegate", actor=world.observer
        ).user
        self.reader = make(username="reader", password=PASSWORD, role="public").user


@pytest.fixture
def world(build) -> World:
    return World(build)


@pytest.fixture
def people(world) -> People:
    return People(world)
