"""Accounts from the command line: the first administrator, and any user with a role."""

import pytest
from django.core.management import CommandError, call_command

from secretariat.accounts import policy
from secretariat.accounts.models import Account
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def test_add_account_makes_a_delegate_of_a_state(build, monkeypatch):
    build.actor("alpha")
    monkeypatch.setenv("SECRETARIAT_PASSWORD", PASSWORD)
    call_command("add_account", "ana", role="delegate", actor="alpha")
    account = Account.objects.get(user__username="ana")
    assert policy.role_of(account.user) == "delegate" and account.actor.slug == "alpha"
    assert not account.user.is_staff


def test_add_account_says_what_is_wrong(build, monkeypatch):
    monkeypatch.setenv("SECRETARIAT_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="No state or organization 'nowhere'"):
        call_command("add_account", "bo", role="delegate", actor="nowhere")
    with pytest.raises(CommandError, match="represents exactly one"):
        call_command("add_account", "bo", role="delegate")
    monkeypatch.setenv("SECRETARIAT_PASSWORD", "password")
    with pytest.raises(CommandError, match="too common"):
        call_command("add_account", "bo", role="officer")
    assert not Account.objects.exists()
