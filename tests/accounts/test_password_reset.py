"""Forgotten passwords: a link by e-mail, sent by a background job, the same answer
whether or not the address is known, a link that works once and not after it expires."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from secretariat.accounts import services
from secretariat.core.acting import acting_as
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "another-horse-stable-7"


@pytest.fixture
def with_mail(people):
    user = people.delegate
    user.email = "alpha@example.org"
    user.save(update_fields=["email"])  # auth's own row, not the record's: not audited
    return user


def _ask(client, email, **headers):
    return client.post(reverse("accounts:password-reset"), {"email": email}, **headers)


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/password/reset/\S+/\S+/", message.body).group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _sign_in(client, password):
    return client.post(
        reverse("accounts:sign-in"), {"username": "alpha-delegate", "password": password}
    )


def test_the_sign_in_page_offers_a_reset(client):
    page = client.get(reverse("accounts:sign-in"))
    assert 'href="/accounts/password/reset/"' in page.text and "Forgot your password?" in page.text
    form = client.get(reverse("accounts:password-reset"))
    assert form.status_code == 200 and '<main id="content"' in form.text


def test_the_mail_goes_out_from_a_job_after_the_answer(
    client, with_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as handed_over:
        answer = _ask(client, "ALPHA@example.org")
    assert answer.status_code == 302 and answer["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == [] and len(handed_over) == 1  # nothing sent while the page waited
    handed_over[0]()  # the job, as the worker runs it
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alpha@example.org"]
    assert "alpha-delegate" in message.body and "works once" in message.body
    assert _link(message).startswith("http://127.0.0.1:8000/accounts/password/reset/")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    client, with_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = _ask(client, "alpha@example.org")
        unknown = _ask(Client(), "nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    sent = Client().get(unknown["Location"])
    assert "If an account has this address" in sent.text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alpha@example.org"]


def test_the_link_sets_a_new_password_once(client, with_mail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "alpha@example.org")
    path = _path(_link(mail.outbox[0]))
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and "Choose your password" in form_page.text
    assert "alpha-delegate" in form_page.text
    form_url = form_page.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
    assert "Your password is set" in client.get(done["Location"]).text
    assert "_auth_user_id" not in client.session  # the sign-in follows, second factor included

    assert _sign_in(Client(), PASSWORD).status_code == 200  # the old one no longer works
    assert _sign_in(Client(), NEW_PASSWORD).status_code == 302
    again = Client().get(path, follow=True)
    assert "This link does not work: it was used already, or it has expired." in again.text


def test_an_expired_link_does_not_work(
    client, with_mail, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "alpha@example.org")
    settings.PASSWORD_RESET_TIMEOUT = -1  # the link's time is up
    page = client.get(_path(_link(mail.outbox[0])), follow=True)
    assert "it has expired" in page.text and "new_password1" not in page.text
    assert get_user_model().objects.get(username="alpha-delegate").check_password(PASSWORD)


def test_a_weak_password_is_refused_on_the_form(
    client, with_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "alpha@example.org")
    form_url = client.get(_path(_link(mail.outbox[0])), follow=True).redirect_chain[-1][0]
    refused = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert refused.status_code == 200 and "This password is too common" in refused.text
    assert get_user_model().objects.get(username="alpha-delegate").check_password(PASSWORD)


def test_a_removed_user_gets_no_mail(people, django_capture_on_commit_callbacks):
    world = people.world
    with acting_as(people.admin, via="admin"):
        gone = services.account_create(
            username="gone", password=PASSWORD, role="delegate", actor=world.alpha,
            email="gone@example.org",
        )  # fmt: skip
        services.delegate_remove(account=gone)
    with django_capture_on_commit_callbacks(execute=True):
        answer = _ask(Client(), "gone@example.org")
    assert answer.status_code == 302 and mail.outbox == []


def test_the_mail_is_in_the_language_asked_in(
    client, with_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "alpha@example.org", HTTP_ACCEPT_LANGUAGE="ru")
    message = mail.outbox[0]
    assert "пароль" in message.subject.lower() and "один раз" in message.body
