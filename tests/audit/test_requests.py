"""Who, when, how and why are recorded from every channel (API, admin, loader); a stale
edit is refused with 412 and what changed; history is for the Secretariat only."""

import json

import pytest
from django.urls import reverse

from secretariat.audit.models import AuditEntry
from secretariat.core.acting import acting_as
from secretariat.core.models import Source
from secretariat.datasets.loader import Loader
from secretariat.documents import services as documents
from secretariat.documents.models import Document
from secretariat.records import services as core

from ..conftest import FIXTURES

pytestmark = pytest.mark.django_db


def patch(client, key, body, *, etag=None, **headers):
    if etag is not None:
        headers["HTTP_IF_MATCH"] = etag
    return client.patch(
        f"/api/v1/documents/{key}", json.dumps(body), content_type="application/json", **headers
    )


# --- The API: ETag / If-Match ------------------------------------------------------------


def test_an_officer_edits_a_document_over_the_api_and_is_recorded(team, document):
    """GET gives the ETag; PATCH with it lands, says the new one, and the trail says who."""
    client = team.client()
    auth = team.token(team.officer)
    got = client.get("/api/v1/documents/exo-decl-1", **auth)
    # The version, then a digest of the answer (If-None-Match); If-Match reads the version.
    assert got["ETag"].startswith('"v1-')
    response = patch(
        client, "exo-decl-1", {"title_en": "Second title", "reason": "typo"}, etag=got["ETag"],
        **auth,
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response["ETag"].startswith('"v2-') and response.json()["title"] == "Second title"
    assert client.get("/api/v1/documents/exo-decl-1", **auth)["ETag"] == response["ETag"]
    entry = AuditEntry.objects.for_record(document).first()
    assert (entry.action, entry.user, entry.who, entry.via, entry.reason, entry.version) == (
        "update", team.officer, "alice", "api", "typo", 2,
    )  # fmt: skip
    assert entry.changes == {"title_en": ["First title", "Second title"]}


def test_a_stale_if_match_is_refused_with_412_and_what_changed(team, document):
    client, auth = team.client(), team.token(team.officer)
    with acting_as(team.officer, via="web"):
        documents.document_update(document=Document.objects.get(pk=document.pk), title_en="B")
    response = patch(client, "exo-decl-1", {"note": "mine"}, etag='"v1"', **auth)
    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Precondition Failed"
    assert "Changed by alice at" in problem["detail"]
    assert "title_en 'First title' → 'B'" in problem["detail"]
    assert response["ETag"].startswith('"v2-')
    document.refresh_from_db()
    assert document.note == "" and document.version == 2


@pytest.mark.parametrize("who", ["reader", "delegate"])
def test_a_stale_if_match_from_who_may_not_edit_is_403_and_tells_no_history(team, document, who):
    """The 412's account of who changed what is for those who may edit: the others are
    refused first, as with a current If-Match."""
    with acting_as(team.officer, via="web"):
        documents.document_update(document=Document.objects.get(pk=document.pk), title_en="B")
    user = getattr(team, who)
    response = patch(team.client(), "exo-decl-1", {"note": "x"}, etag='"v1"', **team.token(user))
    assert response.status_code == 403
    assert (
        "alice" not in response.content.decode() and "First title" not in response.content.decode()
    )


def test_a_patch_without_if_match_is_428_and_a_bad_one_412(team, document):
    client, auth = team.client(), team.token(team.officer)
    missing = patch(client, "exo-decl-1", {"note": "x"}, **auth)
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]
    assert patch(client, "exo-decl-1", {"note": "x"}, etag="v1", **auth).status_code == 412
    assert patch(client, "exo-decl-1", {"note": "x"}, etag='W/"v1"', **auth).status_code == 412


def test_the_policy_and_the_rules_answer_403_and_422(team, document):
    client = team.client()
    refused = patch(client, "exo-decl-1", {"note": "x"}, etag='"v1"', **team.token(team.delegate))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Your role may not change document records."
    auth = team.token(team.officer)
    blank = patch(client, "exo-decl-1", {"title_en": ""}, etag='"v1"', **auth)
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["loc"] == ["title_en"]
    unknown = patch(client, "exo-decl-1", {"symbol": "X/2"}, etag='"v1"', **auth)
    assert unknown.status_code == 422 and "symbol" in unknown.json()["detail"]
    assert patch(client, "exo-decl-1", {"note": "x"}, etag='"v1"').status_code == 401
    assert Document.objects.get(pk=document.pk).version == 1


def test_a_session_patch_needs_csrf_and_is_recorded_as_the_user(team, document):
    client = team.client(team.officer)
    client.handler.enforce_csrf_checks = True
    assert patch(client, "exo-decl-1", {"note": "x"}, etag='"v1"').status_code == 403
    token = "a" * 32  # the CSRF secret, as the cookie and the header both carry it
    client.cookies["csrftoken"] = token
    response = patch(client, "exo-decl-1", {"note": "x"}, etag='"v1"', HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert AuditEntry.objects.for_record(document).first().who == "alice"


# --- The admin ---------------------------------------------------------------------------


def _source_form(source, **fields):
    return {
        "key": source.key, "title": source.title, "url": "", "publisher": "",
        "published": "", "accessed": "", "note": "", "edit_version": source.version, **fields,
    }  # fmt: skip


def test_an_admin_save_is_recorded_as_the_administrator(team, build):
    source = build.source
    client = team.client(team.admin)
    url = reverse("admin:core_source_change", args=[source.pk])
    page = client.get(url)
    assert 'name="edit_version" value="1"' in page.text
    response = client.post(url, _source_form(source, title="Better title"))
    assert response.status_code == 302
    entry = AuditEntry.objects.for_record(source).first()
    assert (entry.who, entry.via, entry.changes) == (
        "ada", "admin", {"title": ["Test source", "Better title"]},
    )  # fmt: skip


def test_a_stale_admin_save_is_409_with_the_message_and_saves_nothing(team, build):
    source = build.source
    client = team.client(team.admin)
    url = reverse("admin:core_source_change", args=[source.pk])
    stale = _source_form(source, title="Mine")
    with acting_as(team.officer, via="web"):
        core.source_upsert(key=source.key, title="Theirs")
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "Changed by alice at" in response.text
    assert "title &#x27;Test source&#x27; → &#x27;Theirs&#x27;" in response.text
    assert Source.objects.get(pk=source.pk).title == "Theirs"


def test_an_admin_inline_row_carries_its_version_too(team, build):
    """A meeting's schedule rows are forms of their own: a stale row is refused as well."""
    meeting = build.meeting("council-1", schedule=[{"kind": "held", "start": "2020-06"}])
    client = team.client(team.admin)
    page = client.get(reverse("admin:bodies_meeting_change", args=[meeting.pk]))
    assert page.status_code == 200
    inline_versions = [
        f for f in page.context["inline_admin_formsets"] for f in f.formset.forms
        if "edit_version" in f.fields
    ]  # fmt: skip
    assert inline_versions and inline_versions[0].initial["edit_version"] == 1


# --- The loader ---------------------------------------------------------------------------


def test_the_loader_is_recorded_as_the_loader_with_the_folder(db):
    Loader(FIXTURES / "minimal").load()
    entries = AuditEntry.objects.all()
    assert entries.exists()
    assert {(e.who, e.via) for e in entries} == {("loader", "loader")}
    assert {e.reason for e in entries} == {f"load-dataset {FIXTURES / 'minimal'}"}
    assert len({e.batch for e in entries}) == 1
    assert entries.filter(action="create", content_type__model="actor").exists()


# --- History: officers only, and 404 (not 403) for anyone else ----------------------------


def test_history_page_and_api_are_for_the_secretariat_only(team, document):
    with acting_as(team.officer, via="web"):
        documents.document_update(document=document, title_en="Second title")
    page = f"/history/documents.document/{document.pk}/"
    api = f"/api/v1/history/documents.document/{document.pk}"
    for user in (None, team.delegate, team.reader):
        client = team.client(user)
        assert client.get(page).status_code == 404, user
        assert client.get(api).status_code == 404, user
    assert team.client().get(api, **team.token(team.delegate)).status_code == 404
    officer = team.client(team.officer)
    shown = officer.get(page)
    assert shown.status_code == 200
    assert "Changed by alice" in shown.text and "Second title" in shown.text
    entries = officer.get(api).json()["items"]
    assert [e["action"] for e in entries][:2] == ["update", "update"]  # newest first
    newest = entries[0]
    assert (newest["who"], newest["via"]) == ("alice", "web")
    assert newest["changes"] == [
        {"field": "title_en", "before": "First title", "after": "Second title"}
    ]
    assert officer.get("/history/documents.document/999999/").status_code == 404
    assert officer.get("/history/nothing.here/1/").status_code == 404


def test_history_of_a_deleted_record_stays_readable(team, build):
    actor = build.actor("zeta")
    pk = actor.pk
    core.record_delete(actor)
    page = team.client(team.officer).get(f"/history/registry.actor/{pk}/")
    assert page.status_code == 200 and "This record is deleted" in page.text


def test_the_admin_history_shows_the_trail(team, build):
    source = build.source
    core.source_upsert(key=source.key, title="Renamed")
    client = team.client(team.admin)
    page = client.get(reverse("admin:core_source_history", args=[source.pk]))
    assert page.status_code == 200
    assert "Renamed" in page.text and "Test source" in page.text
    assert page.text.index("Changed by system") < page.text.index("Created by system")
