"""An API token's digest and prefix never leave the accounts app: the history (pages, API,
admin) says a token was made or revoked, and for whom, but never holds either; entries
written before are scrubbed by a data migration."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from secretariat.accounts import services as accounts
from secretariat.accounts.models import ApiToken
from secretariat.audit import services as audit
from secretariat.audit.models import AuditEntry
from secretariat.core.acting import acting_as
from secretariat.records import services as core

pytestmark = pytest.mark.django_db
scrubbing = importlib.import_module("secretariat.audit.migrations.0004_withhold_api_token_secrets")


@pytest.fixture
def made(team):
    """Dmitri's token, made and then revoked by him: (token, its secret)."""
    with acting_as(team.delegate, via="web"):
        token, secret = accounts.token_create(user=team.delegate, name="my script")
        accounts.token_revoke(token=token)
    token.refresh_from_db()
    return token, secret


def _entries(token) -> list[AuditEntry]:
    kind = ContentType.objects.get_for_model(ApiToken)
    return list(AuditEntry.objects.filter(content_type=kind, object_id=token.pk).order_by("id"))


def _secrets(token, secret) -> list[str]:
    return [token.digest, token.prefix, secret, secret[:10]]


def test_the_trail_says_made_and_revoked_and_for_whom_not_the_digest(team, made):
    token, secret = made
    created, revoked = _entries(token)
    assert (created.action, revoked.action) == ("create", "update")
    assert created.object_repr == "my script (API token of dmitri)"
    assert created.changes["user"] == [None, team.delegate.pk]
    assert created.changes["name"] == [None, "my script"]
    assert list(revoked.changes) == ["revoked_at"]
    for entry in (created, revoked):
        assert "digest" not in entry.changes and "prefix" not in entry.changes
        text = str(entry.changes) + entry.object_repr
        assert not any(s in text for s in _secrets(token, secret))


def test_the_history_page_api_and_admin_never_show_it(team, made):
    token, secret = made
    officer, admin = team.client(team.officer), team.client(team.admin)
    shown = [
        officer.get(f"/history/accounts.apitoken/{token.pk}/"),
        officer.get(f"/api/v1/history/accounts.apitoken/{token.pk}"),
        admin.get(f"/history/accounts.apitoken/{token.pk}/"),
    ]
    shown += [admin.get(f"/admin/audit/auditentry/{e.pk}/change/") for e in _entries(token)]
    for response in shown:
        assert response.status_code == 200, response.request["PATH_INFO"]
        page = response.content.decode()
        assert "dmitri" in page and "my script" in page
        assert not any(s in page for s in _secrets(token, secret)), response.request["PATH_INFO"]


def test_a_deleted_token_is_kept_without_its_digest_and_comes_back_revoked(team):
    with acting_as(team.admin, via="admin"):
        token, _secret = accounts.token_create(user=team.reader, name="reader's")
        digest, pk = token.digest, token.pk
        core.record_delete(token)
        token.pk = pk  # delete() forgets it
        deletion = _entries(token)[-1]
        assert deletion.action == "delete"
        assert "digest" not in deletion.snapshot["fields"]
        assert digest not in str(deletion.snapshot) + str(deletion.changes)
        (back,) = audit.record_restore(deletion)
    assert back.revoked_at is not None and back.digest != digest
    assert back.user == team.reader and back.name == "reader's"
    assert digest not in str(_entries(token)[-1].changes)


@pytest.mark.raw_writes("entries as the trail wrote them before it withheld the digest")
def test_the_migration_scrubs_entries_written_before(team, made):
    token, secret = made
    created = _entries(token)[0]
    old = {"digest": [None, token.digest], "prefix": [None, secret[:10]]}
    # The trail refuses edits (TrailIsPermanent) but from a migration's historical model.
    state = MigrationExecutor(connection).loader.project_state(
        ("audit", "0004_withhold_api_token_secrets")
    )
    Entry = state.apps.get_model("audit", "AuditEntry")
    Entry.objects.filter(pk=created.pk).update(
        changes={**created.changes, **old}, object_repr=f"my script ({secret[:10]}…)",
        snapshot={"model": "accounts.apitoken", "fields": {"digest": token.digest, "id": 1}},
    )  # fmt: skip
    scrubbing.scrub(state.apps, None)
    created.refresh_from_db()
    assert created.object_repr == "my script (API token of dmitri)"
    assert created.changes["name"] == [None, "my script"]
    assert not any(
        s in str(created.changes) + str(created.snapshot) for s in _secrets(token, secret)
    )
    assert created.snapshot["fields"] == {"id": 1}
