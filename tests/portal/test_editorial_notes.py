"""An editorial note is the Secretariat's: officers see it on the record's page, marked as
theirs, and read it from the records API; everyone else sees the public note only. A
variant's note (why its value was not preferred) is editorial too."""

from __future__ import annotations

import pytest
from django.test import Client

from secretariat.accounts import services as accounts
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db
PUBLIC = "Admitted at the council of 2002."
EDITORIAL = "Dated by the minutes: quokkaeditorial."
WHY = "A later summary gives the next day: wombatvariant."
MARK = "Editorial note (Secretariat only)"


@pytest.fixture
def noted(build):
    """An actor and a meeting, each with a public and an editorial note; the actor's
    status and the meeting with a variant whose note says why it was not preferred."""
    actor = build.actor("gamma", note=PUBLIC, editorial_note=EDITORIAL)
    build.status(
        actor, "member", "2002-06-10",
        variants=[{"field": "start", "value": "2002-06-11", "note": WHY,
                   "sources": [build.source]}],
    )  # fmt: skip
    meeting = build.meeting(
        "council-2", note=PUBLIC, editorial_note=EDITORIAL,
        variants=[{"field": "title_en", "value": "Second Council", "note": WHY,
                   "sources": [build.source]}],
    )  # fmt: skip
    return actor, meeting


def _client(role: str | None) -> Client:
    client = Client()
    if role is not None:
        user = accounts.account_create(username=role, password=PASSWORD, role=role).user
        client.force_login(user)
    return client


@pytest.mark.parametrize("url", ["/actors/gamma/", "/meetings/council-2/"])
def test_officers_see_the_editorial_note_marked_as_theirs(noted, url):
    body = _client("officer").get(url).content.decode()
    assert PUBLIC in body
    assert MARK in body and EDITORIAL in body
    assert WHY in body


@pytest.mark.parametrize("role", [None, "public"])
@pytest.mark.parametrize("url", ["/actors/gamma/", "/meetings/council-2/"])
def test_no_one_else_sees_it(noted, url, role):
    body = _client(role).get(url).content.decode()
    assert PUBLIC in body
    assert "quokkaeditorial" not in body and MARK not in body
    assert "wombatvariant" not in body
    assert "2002-06-11" in body or "Second Council" in body  # the other value is shown


@pytest.mark.parametrize("url", ["/api/v1/actors/gamma", "/api/v1/meetings/council-2"])
def test_the_public_api_answers_no_editorial_note(noted, url):
    for role in (None, "officer"):
        body = _client(role).get(url).content.decode()
        assert PUBLIC in body
        assert "quokkaeditorial" not in body and "wombatvariant" not in body


def test_the_records_api_answers_it_to_officers_only(noted):
    """The records API gives the editorial note to officers; null to everyone else."""
    actor, _ = noted
    url = f"/api/v1/records/registry/actor/{actor.pk}"
    assert _client(None).get(url).json()["editorial_note"] is None
    assert _client("public").get(url).json()["editorial_note"] is None
    listed = _client(None).get("/api/v1/records/registry/actor").json()["items"]
    assert [a["editorial_note"] for a in listed] == [None]
    officer = _client("officer")
    assert officer.get(url).json()["editorial_note"] == EDITORIAL
    assert officer.get(url).json()["note"] == PUBLIC


def test_the_admin_edits_it(noted):
    """The admin's change form holds the editorial note beside the public one."""
    actor, _ = noted
    body = _client("officer").get(f"/admin/registry/actor/{actor.pk}/change/").content.decode()
    assert 'name="editorial_note"' in body and EDITORIAL in body
