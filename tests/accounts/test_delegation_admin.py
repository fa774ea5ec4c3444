"""A delegation's focal point adds and removes its own state's delegates (as missions do
in the UN's e-deleGATE); every change is audited; it makes no officer nor another focal
point, and touches no other state's people. Administrators name the focal points."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from secretariat.accounts import policy, services
from secretariat.accounts.models import Account
from secretariat.audit.models import AuditEntry
from secretariat.core.acting import acting_as
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db
PAGE = "/accounts/delegation/people/"
User = get_user_model()


@pytest.fixture
def focal(people):
    """Alpha's delegate, made its delegation's focal point by an administrator."""
    with acting_as(people.admin, via="admin"):
        services.account_role_set(
            user=people.delegate, role="delegate", actor=people.world.alpha, focal_point=True
        )
    people.delegate.refresh_from_db()
    return people.delegate


@pytest.fixture
def colleague(people):
    """A second delegate of Alpha."""
    with acting_as(people.admin, via="admin"):
        return services.account_create(
            username="alpha-second", password=PASSWORD, role="delegate",
            actor=people.world.alpha, email="second@example.org",
        )  # fmt: skip


def _add(client, **fields):
    data = {"username": "alpha-new", "first_name": "Aida", "last_name": "Nurova",
            "email": "aida@example.org", **fields}  # fmt: skip
    return client.post(PAGE, data)


def _remove(client, account):
    return client.post(reverse("accounts:delegate-remove", args=[account.pk]))


def test_the_focal_point_sees_its_states_delegates(client, people, focal, colleague):
    client.force_login(focal)
    home = client.get(reverse("accounts:home"))
    assert f'href="{PAGE}"' in home.text
    page = client.get(PAGE)
    assert page.status_code == 200 and "The delegates of Alpha" in page.text
    assert "alpha-delegate" in page.text and "alpha-second" in page.text
    assert "beta-delegate" not in page.text and "omega-delegate" not in page.text


def test_other_users_get_no_link_and_no_page(client, people, focal):
    for user in (people.beta_delegate, people.officer, people.reader):
        client.force_login(user)
        assert f'href="{PAGE}"' not in client.get(reverse("accounts:home")).text
        refused = client.get(PAGE)
        assert refused.status_code == 403
        assert "Only a delegation's focal point adds and removes its delegates" in refused.text


def test_adding_a_delegate_mails_a_link_to_set_the_password(
    client, people, focal, django_capture_on_commit_callbacks
):
    client.force_login(focal)
    with django_capture_on_commit_callbacks(execute=True):
        added = _add(client)
    assert added.status_code == 201
    assert "alpha-new was added: a mail to aida@example.org asks them to set their password" in (
        added.text
    )
    account = Account.objects.get(user__username="alpha-new")
    assert account.role == "delegate" and account.actor == people.world.alpha
    assert not account.focal_point and not account.user.is_staff
    assert not account.user.has_usable_password() and account.user.get_full_name() == "Aida Nurova"
    entry = AuditEntry.objects.get(
        object_id=account.pk, action="create", content_type__model="account"
    )
    assert entry.user == focal and entry.reason == "added by the delegation's focal point"

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["aida@example.org"]
    link = re.search(r"http\S+/accounts/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    newcomer = Client()
    form_url = newcomer.get("/" + link.split("/", 3)[3], follow=True).redirect_chain[-1][0]
    new_password = "their-own-pass-phrase-4"
    newcomer.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    signed_in = newcomer.post(
        reverse("accounts:sign-in"), {"username": "alpha-new", "password": new_password}
    )
    assert signed_in.status_code == 302


def test_a_taken_username_or_missing_mail_is_said_on_the_form(client, people, focal):
    client.force_login(focal)
    before = User.objects.count()
    taken = _add(client, username="Beta-Delegate")
    assert taken.status_code == 422 and "This username is taken." in taken.text
    no_mail = _add(client, email="")
    assert no_mail.status_code == 422 and "This field is required." in no_mail.text
    assert "Nothing was saved." in no_mail.text
    assert User.objects.count() == before


def test_removing_a_delegate_keeps_the_account_and_stops_the_sign_in(
    client, people, focal, colleague
):
    theirs = Client()
    theirs.force_login(colleague.user)
    client.force_login(focal)
    assert _remove(client, colleague).status_code == 302
    colleague.refresh_from_db()
    assert colleague.removed_at is not None and not colleague.user.is_active
    entry = AuditEntry.objects.filter(object_id=colleague.pk, action="update").latest("at")
    assert "removed_at" in entry.changes and entry.user == focal
    assert entry.reason == "removed by the delegation's focal point"
    page = client.get(PAGE)
    assert "alpha-second" in page.text and 'badge warn">removed ' in page.text
    # Their session ends, and the password no longer opens it.
    assert theirs.get(reverse("accounts:home")).status_code == 302
    again = Client().post(
        reverse("accounts:sign-in"), {"username": "alpha-second", "password": PASSWORD}
    )
    assert again.status_code == 200 and "_auth_user_id" not in again.client.session


def test_a_non_focal_delegate_changes_nothing(client, people, colleague):
    client.force_login(people.delegate)  # Alpha's delegate, not its focal point
    before = User.objects.count()
    assert _add(client).status_code == 403
    assert _remove(client, colleague).status_code == 403
    colleague.refresh_from_db()
    assert User.objects.count() == before and colleague.removed_at is None
    with acting_as(people.delegate, via="web"), pytest.raises(PermissionDenied):
        services.delegate_add(actor=people.world.alpha, username="x", email="x@example.org")


def test_another_states_delegates_are_out_of_reach(client, people, focal):
    beta = people.beta_delegate.account
    client.force_login(focal)
    assert _remove(client, beta).status_code == 404  # as if it did not exist
    beta.refresh_from_db()
    assert beta.removed_at is None and beta.user.is_active
    with acting_as(focal, via="web"):
        with pytest.raises(PermissionDenied):
            services.delegate_remove(account=beta)
        with pytest.raises(PermissionDenied):
            services.delegate_add(actor=people.world.beta, username="b2", email="b2@example.org")
    beta.refresh_from_db()
    assert beta.removed_at is None and not User.objects.filter(username="b2").exists()


def test_no_officer_and_no_other_focal_point_is_made(people, focal):
    with acting_as(focal, via="web"):
        with pytest.raises(PermissionDenied):
            services.account_create(username="o2", password=PASSWORD, role="officer")
        with pytest.raises(PermissionDenied):
            services.account_create(
                username="f2", password=PASSWORD, role="delegate", actor=people.world.alpha,
                focal_point=True,
            )  # fmt: skip
    assert not User.objects.filter(username__in=["o2", "f2"]).exists()


def test_another_focal_point_and_oneself_are_not_removed(client, people, focal, colleague):
    with acting_as(people.admin, via="admin"):
        services.account_role_set(
            user=colleague.user, role="delegate", actor=people.world.alpha, focal_point=True
        )
    client.force_login(focal)
    page = client.get(PAGE)
    assert reverse("accounts:delegate-remove", args=[colleague.pk]) not in page.text
    refused = _remove(client, colleague)
    assert refused.status_code == 403 and "Nothing was changed." in refused.text
    own = _remove(client, focal.account)
    assert own.status_code == 422 and "You cannot remove your own account" in own.text
    for account in (colleague, focal.account):
        account.refresh_from_db()
        assert account.removed_at is None and account.user.is_active


def test_administrators_name_focal_points(client, people):
    client.force_login(people.admin)
    page = client.get(reverse("admin:auth_user_change", args=[people.delegate.pk]))
    assert 'name="account-0-focal_point"' in page.text
    with acting_as(people.admin, via="admin"):
        services.account_role_set(
            user=people.delegate, role="delegate", actor=people.world.alpha, focal_point=True
        )
        with pytest.raises(ValidationError, match="Only a delegate is a delegation's focal point"):
            services.account_role_set(user=people.officer, role="officer", focal_point=True)
    assert policy.is_focal_point(User.objects.get(pk=people.delegate.pk))


def test_add_account_names_a_focal_point(people, monkeypatch):
    monkeypatch.setenv("SECRETARIAT_PASSWORD", PASSWORD)
    call_command(
        "add_account", "fp", role="delegate", actor=people.world.alpha.slug, focal_point=True
    )
    assert Account.objects.get(user__username="fp").focal_point
    with pytest.raises(CommandError, match="Only a delegate is a delegation's focal point"):
        call_command("add_account", "fp2", role="officer", focal_point=True)


def test_the_page_in_russian(client, people, focal):
    client.force_login(focal)
    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="ru")
    assert "Добавить делегата" in page.text


def test_a_removal_made_by_mistake_is_undone(client, people, focal, colleague):
    client.force_login(focal)
    _remove(client, colleague)
    restored = client.post(reverse("accounts:delegate-restore", args=[colleague.pk]))
    assert restored.status_code == 302
    colleague.refresh_from_db()
    assert colleague.removed_at is None and colleague.user.is_active
    entry = AuditEntry.objects.filter(object_id=colleague.pk, action="update").latest("id")
    assert entry.reason == "restored by the delegation's focal point"
    signed_in = Client().post(
        reverse("accounts:sign-in"), {"username": "alpha-second", "password": PASSWORD}
    )
    assert signed_in.status_code == 302


def test_the_list_costs_the_same_queries_however_many_delegates(
    client, people, focal, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def more(n, start):
        with acting_as(people.admin, via="admin"):
            for i in range(start, start + n):
                account = services.account_create(
                    username=f"alpha-{i}", password=None, role="delegate",
                    actor=people.world.alpha,
                )  # fmt: skip
                if i % 2:
                    services.delegate_remove(account=account)

    client.force_login(focal)
    more(2, 0)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    more(6, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(PAGE)
    assert "alpha-7" in page.text
