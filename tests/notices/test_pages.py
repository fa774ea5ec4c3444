"""The inbox, the preferences, following a body, the one-click unsubscribe and the
officers' archive, as their users meet them."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from secretariat.notices.models import Delivery, Follow, Preferences

from .conftest import follow, sent_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(office, committing):
    """A silence procedure opened: every member's delegate has a notice."""
    with committing():
        return office.silence()


def test_the_inbox_lists_notices_and_marks_them_read(client, office, told):
    client.force_login(office.beta)
    home = client.get("/").content.decode()
    assert re.search(r"Notices <span class=\"count\"[^>]*>1</span>", home)
    inbox = client.get(reverse("notices:inbox")).content.decode()
    delivery = Delivery.objects.get(user=office.beta)
    assert delivery.title in inbox and "1 unread notice" in inbox
    page = client.get(reverse("notices:delivery", args=[delivery.pk]))
    assert page.status_code == 200 and f"/procedures/{told.pk}/" in page.content.decode()
    delivery.refresh_from_db()
    assert delivery.read_at is not None
    assert 'class="count"' not in client.get("/").content.decode()


def test_someone_elses_notice_is_not_there(client, office, told):
    client.force_login(office.alpha)
    theirs = Delivery.objects.get(user=office.beta)
    assert client.get(reverse("notices:delivery", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notices:delivery", args=[987654321])).status_code == 404


def test_mark_all_read(client, office, told):
    client.force_login(office.beta)
    assert client.post(reverse("notices:read-all")).status_code == 302
    assert not Delivery.objects.filter(user=office.beta, read_at__isnull=True).exists()


def test_preferences_are_saved_and_bad_values_refused(client, office):
    client.force_login(office.beta)
    url = reverse("notices:preferences")
    assert client.get(url).status_code == 200
    body = office.world.body
    response = client.post(url, {"language": "ru", "own_state": "digest",
                                 f"body_{body.pk}": "immediate"})  # fmt: skip
    assert response.status_code == 302
    prefs = Preferences.objects.get(user=office.beta)
    assert (prefs.language, prefs.own_state) == ("ru", "digest")
    assert Follow.objects.get(user=office.beta, body=body).mode == "immediate"
    refused = client.post(url, {"language": "ru", "own_state": "off",
                                f"body_{body.pk}": "sometimes"})  # fmt: skip
    assert refused.status_code == 422
    assert Preferences.objects.get(user=office.beta).own_state == "digest"
    assert Follow.objects.get(user=office.beta, body=body).mode == "immediate"


def test_a_body_can_be_followed_from_its_page(client, office):
    client.force_login(office.reader)
    body = office.world.body
    response = client.post(reverse("notices:follow", args=[body.slug]), {"mode": "digest"})
    assert response.status_code == 302
    assert Follow.objects.get(user=office.reader, body=body).mode == "digest"


def _unsubscribe_link(message) -> str:
    return (
        message.extra_headers["List-Unsubscribe"]
        .strip("<>")
        .split("testserver")[-1]
        .replace("http://127.0.0.1:8000", "")
    )


def test_one_click_unsubscribe_from_a_followed_body(client, office, committing):
    """The mail's List-Unsubscribe link: GET asks without changing anything; the mail
    client's POST (no cookie, no CSRF token) stops the body's notices."""
    from secretariat.documents import services as documents

    body = office.world.body
    follow(office.reader, body)
    with committing():
        documents.document_create(type="report", title_en="R", symbol="EXO/R/9", body=body,
                                  sources=[office.world.build.source])  # fmt: skip
    (message,) = sent_to()["reader@example.org"]
    link = _unsubscribe_link(message)
    assert client.get(link).status_code == 200
    assert Follow.objects.get(user=office.reader).mode == "immediate"
    from django.test import Client

    mail_client = Client(enforce_csrf_checks=True)
    done = mail_client.post(link, "List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert done.status_code == 200
    assert Follow.objects.get(user=office.reader).mode == "off"


def test_unsubscribing_from_ones_own_state_keeps_the_last_reminder(client, office, told):
    (message,) = sent_to()["beta@example.org"]
    client.post(_unsubscribe_link(message))
    assert Preferences.objects.get(user=office.beta).own_state == "last_reminder"


def test_a_forged_unsubscribe_link_changes_nothing(client, office, told):
    assert client.post("/notices/unsubscribe/not-a-token/").status_code == 404
    assert not Preferences.objects.exists()


def test_the_archive_of_announcements_is_for_officers(client, office, told):
    url = reverse("notices:archive") + f"?body={office.world.body.slug}"
    client.force_login(office.officer)
    page = client.get(url).content.decode()
    assert "Silence procedure on EXO/SOC/2024/1" in page
    client.force_login(office.beta)
    assert client.get(url).status_code == 403


def test_inbox_pages_need_an_account(client):
    for name in ("notices:inbox", "notices:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert mail.outbox == []


def test_a_body_page_offers_to_follow_it(client, office):
    """Signed in, a body's page says how one follows it and changes it; the public sees no
    such form."""
    body = office.world.body
    url = f"/bodies/{body.slug}/"
    assert 'name="mode"' not in client.get(url).content.decode()
    client.force_login(office.reader)
    page = client.get(url).content.decode()
    assert f'action="/notices/follow/{body.slug}/"' in page and 'value="off" selected' in page
    response = client.post(f"/notices/follow/{body.slug}/", {"mode": "immediate", "next": url})
    assert response["Location"] == url
    assert 'value="immediate" selected' in client.get(url).content.decode()
