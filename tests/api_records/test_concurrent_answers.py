"""A write answers with the state its own transaction committed: a PATCH's body and ETag
are its own change's, never those of a writer who committed right after it."""

from __future__ import annotations

import json
import re
import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from secretariat.accounts import services as accounts
from secretariat.audit.models import AuditEntry
from secretariat.core.acting import acting_as
from secretariat.documents import services as documents
from secretariat.records import write as records_write
from secretariat.registry import services as registry
from secretariat.registry.models import Status

WRITERS = 4
TRIES = 60  # each writer reads the ETag again and retries after a 409 or 412


def _skip_on_shared_memory_database():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("Concurrent writers need PostgreSQL or a SQLite file database.")


def _patch_until_it_lands(path: str, auth: dict, body: dict, barrier) -> tuple:
    """GET the ETag, PATCH with it; again after a 409 or 412. The 200's (ETag, body)."""
    client = Client()
    barrier.wait()
    for _ in range(TRIES):
        tag = client.get(path, **auth)["ETag"]
        response = client.patch(
            path, json.dumps(body), content_type="application/json",
            HTTP_IF_MATCH=tag, **auth,
        )  # fmt: skip
        if response.status_code == 200:
            return response["ETag"], response.json()
        assert response.status_code in (409, 412), response.content
    raise AssertionError(f"{path}: no PATCH landed in {TRIES} tries")


def _race(path: str, auth: dict, body_of) -> dict[int, tuple]:
    """WRITERS clients at once, writer i sending body_of(i): {i: (ETag, body)}."""
    barrier = threading.Barrier(WRITERS)
    answers: dict[int, tuple] = {}
    failures: list[str] = []

    def run(i):
        try:
            answers[i] = _patch_until_it_lands(path, auth, body_of(i), barrier)
        except Exception as exc:
            failures.append(f"writer {i}: {type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    return answers


def _version(tag: str) -> int:
    match = re.fullmatch(r'"v(\d+)-[0-9a-f]+"', tag)
    assert match, tag
    return int(match.group(1))


def _landed(model: str, pk: int, field: str) -> dict[int, str]:
    """Per version, the value `field` was given by the update that made it (the trail)."""
    entries = AuditEntry.objects.filter(
        content_type__model=model, object_id=pk, action="update", changes__has_key=field
    )
    return {e.version: e.changes[field][1] for e in entries}


@pytest.fixture
def token(db):
    officer = accounts.account_create(username="alice", password="pw-for-tests-9x", role="officer")
    _, secret = accounts.token_create(user=officer.user, name="race")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.django_db(transaction=True)
def test_each_records_api_patch_answers_its_own_change(world, officer):
    """The records API too: body (its version and note) and ETag are the writer's own."""
    _skip_on_shared_memory_database()
    status = Status.objects.get(actor=world.alpha)
    path = f"/api/v1/records/registry/status/{status.pk}"
    answers = _race(path, officer.auth, lambda i: {"note": f"Writer {i}"})
    landed = _landed("status", status.pk, "note")
    for i, (tag, body) in answers.items():
        assert body["note"] == f"Writer {i}", (i, body["note"])
        assert body["version"] == _version(tag)
        assert landed[_version(tag)] == f"Writer {i}", (i, tag)
    assert len({_version(tag) for tag, _ in answers.values()}) == WRITERS


# --- Someone commits right after this write, before its answer is built -----------------


def _then_after_the_commit(monkeypatch, module, name: str, later) -> None:
    """Wrap module.name so that, once the write calling it commits, `later` writes too:
    another writer who was waiting for the row, landing as soon as it is free."""
    original = getattr(module, name)

    def wrapped(*args, **kwargs):
        result = original(*args, **kwargs)
        transaction.on_commit(later)
        return result

    monkeypatch.setattr(module, name, wrapped)


@pytest.mark.django_db(transaction=True)
def test_a_records_patch_answers_its_change_not_the_next_one(world, officer, monkeypatch):
    status = Status.objects.get(actor=world.alpha)
    path = f"/registry/status/{status.pk}"

    def someone_else():
        with acting_as(world.officer, via="web"):
            registry.status_upsert(actor=status.actor, kind=status.kind, start=status.start,
                                   note="later", sources=[world.source])  # fmt: skip

    _then_after_the_commit(monkeypatch, records_write, "_still", someone_else)
    response = officer.patch(path, {"note": "mine"}, etag='"v1"')
    assert response.status_code == 200, response.content
    assert response.json()["note"] == "mine" and response.json()["version"] == 2
    assert _version(response["ETag"]) == 2
    assert Status.objects.get(pk=status.pk).note == "later"  # the next writer did land
    monkeypatch.undo()
    # The tag is the one a reader of version 2 was given: If-Match with it is refused
    # now (version 3 is stored), naming version 2.
    assert officer.patch(path, {"note": "x"}, etag=response["ETag"]).status_code == 412


@pytest.mark.django_db(transaction=True)
def test_a_document_patch_answers_its_change_not_the_next_one(build, token, monkeypatch):
    from secretariat.documents import api as documents_api

    document = documents.document_create(
        key="race", symbol="R/1", type="declaration", title_en="Start", sources=[build.source]
    )

    def someone_else():
        documents.document_event_upsert(
            document=document, kind="drafted", date="2020-01", sources=[build.source]
        )

    _then_after_the_commit(monkeypatch, documents_api.services, "document_update", someone_else)
    response = Client().patch(
        "/api/v1/documents/race", json.dumps({"title_en": "Mine"}),
        content_type="application/json", HTTP_IF_MATCH='"v1"', **token,
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Mine" and _version(response["ETag"]) == 2
    assert response.json()["events"] == []  # the drafting recorded after it is not its own
