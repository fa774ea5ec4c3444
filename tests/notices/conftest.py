"""An organization with delegates of every kind, and the mail they receive."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from secretariat.accounts import services as accounts
from secretariat.notices import services as notices
from tests.decisions.world import World
from tests.helpers import PASSWORD


class Office:
    """The small organization of the decisions tests, with people who get mail."""

    def __init__(self, build):
        self.world = World(build)
        w = self.world
        make = accounts.account_create
        self.alpha = make(username="alpha", password=PASSWORD, role="delegate", actor=w.alpha,
                          email="alpha@example.org").user  # fmt: skip
        self.alpha2 = make(username="alpha2", password=PASSWORD, role="delegate", actor=w.alpha,
                           email="alpha2@example.org").user  # fmt: skip
        self.beta = make(username="beta", password=PASSWORD, role="delegate", actor=w.beta,
                         email="beta@example.org").user  # fmt: skip
        self.gamma = make(username="gamma", password=PASSWORD, role="delegate", actor=w.gamma,
                          email="gamma@example.org").user  # fmt: skip
        self.omega = make(username="omega", password=PASSWORD, role="delegate",
                          actor=w.observer, email="omega@example.org").user  # fmt: skip
        self.officer = make(username="officer", password=PASSWORD, role="officer",
                            email="officer@example.org").user  # fmt: skip
        self.reader = make(username="reader", password=PASSWORD, role="public",
                           email="reader@example.org").user  # fmt: skip
        self.members = [self.alpha, self.alpha2, self.beta, self.gamma]

    def silence(self, *, opened=None, days=5, **kw):
        """A silence procedure opened now (or at `opened`), closing `days` later."""
        opened = opened or timezone.now() - dt.timedelta(minutes=1)
        return self.world.silence(opened_at=opened, deadline=opened + dt.timedelta(days=days), **kw)


def sent_to(messages=None) -> dict[str, list]:
    """address -> the mails sent to it."""
    found: dict[str, list] = {}
    for message in mail.outbox if messages is None else messages:
        for address in message.to:
            found.setdefault(address, []).append(message)
    return found


@pytest.fixture
def office(build, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = Office(build)
    mail.outbox.clear()
    return made


def follow(user, body, mode="immediate"):
    return notices.follow_set(user=user, body=body, mode=mode)
