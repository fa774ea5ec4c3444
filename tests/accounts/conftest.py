"""People in every role, over the decisions tests' small organization."""

from __future__ import annotations

import time

import pytest

from secretariat.accounts import services
from tests.decisions.world import World
from tests.helpers import PASSWORD


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


def app_code(device) -> str:
    """What the user's authenticator app shows now: the next step's code if this step's
    was used already (a code works once)."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = time.time()
    totp.time = now
    if totp.t() <= device.last_t:
        totp.time = now + device.step * (device.last_t - totp.t() + 1)
    return f"{totp.token():0{device.digits}d}"


def turn_on(user):
    """The user's second factor on, through the services: (the app's device, recovery codes)."""
    device = services.second_factor_begin(user=user)
    return services.second_factor_confirm(user=user, code=app_code(device))


@pytest.fixture
def no_device_backoff(settings):
    """django-otp's own wait after a wrong code (1 s, then 2, 4...) off, for tests that give
    a right code just after a wrong one."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
