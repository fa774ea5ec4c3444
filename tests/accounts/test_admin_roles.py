"""The admin asks the policy: officers keep the record, administrators the accounts."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_officer_edits_the_record_in_the_admin_but_not_the_accounts(client, people):
    client.force_login(people.officer)
    assert client.get(reverse("admin:documents_document_changelist")).status_code == 200
    assert client.get(reverse("admin:documents_document_add")).status_code == 200
    page = client.get(reverse("admin:documents_document_change", args=[people.world.document.pk]))
    assert page.status_code == 200
    assert client.get(reverse("admin:registry_actor_add")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200  # may look
    assert client.get(reverse("admin:auth_user_add")).status_code == 403
    user_page = client.get(reverse("admin:auth_user_change", args=[people.reader.pk]))
    assert user_page.status_code == 200 and "Save" not in user_page.text


def test_every_model_page_opens_for_an_officer(client, people):
    """No model of the record is left behind Django's own permission tables."""
    client.force_login(people.officer)
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label in ("accounts", "auth", "otp_totp"):  # accounts: administrators'
            continue
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(url).status_code == 200, meta.label


def test_an_administrator_gives_roles(client, people):
    client.force_login(people.admin)
    assert client.get(reverse("admin:auth_user_add")).status_code == 200


def test_delegates_have_no_admin_permission_even_if_marked_staff(client, people):
    people.delegate.is_staff = True
    people.delegate.save()
    client.force_login(people.delegate)
    assert client.get(reverse("admin:documents_document_changelist")).status_code == 302
