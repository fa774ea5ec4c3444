"""No update is lost: a change or deletion names, in If-Match, the record as the client
read it. Without If-Match: 428; naming another state: 412 with what changed; a change
landing between the check and the save: 409. Nothing is written in any of these."""

from __future__ import annotations

import pytest

from secretariat.core.acting import acting_as
from secretariat.records import write as records_write
from secretariat.registry import services as registry
from secretariat.registry.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def status(world):
    return Status.objects.get(actor=world.alpha)


def _path(status) -> str:
    return f"/registry/status/{status.pk}"


def _changed_by_someone_else(world, status, note="theirs"):
    with acting_as(world.officer, via="web"):
        registry.status_upsert(actor=status.actor, kind=status.kind, start=status.start,
                               note=note, sources=[world.source])  # fmt: skip


def test_get_gives_the_etag_and_304_while_it_holds(world, officer, status):
    """The ETag is the edit version with a digest of the answer: If-None-Match with it
    answers 304 until someone changes the record."""
    got = officer.get(_path(status))
    tag = got["ETag"]
    assert got.status_code == 200 and tag.startswith('"v1-') and got.json()["version"] == 1
    same = officer.get(_path(status), HTTP_IF_NONE_MATCH=tag)
    assert same.status_code == 304 and same["ETag"] == tag
    _changed_by_someone_else(world, status)
    assert officer.get(_path(status), HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_a_change_without_if_match_is_428(officer, status):
    for response in (
        officer.patch(_path(status), {"note": "mine"}),
        officer.delete(_path(status)),
    ):
        assert response.status_code == 428
        assert response["Content-Type"] == "application/problem+json"
        assert "If-Match" in response.json()["detail"]
    assert Status.objects.get(pk=status.pk).version == 1


def test_if_match_naming_an_older_version_is_412_with_what_changed(world, officer, status):
    _changed_by_someone_else(world, status)
    response = officer.patch(_path(status), {"note": "mine"}, etag='"v1"')
    assert response.status_code == 412
    problem = response.json()
    assert problem["title"] == "Precondition Failed"
    assert "Changed by olga at" in problem["detail"]
    assert "note empty → 'theirs'" in problem["detail"]
    assert response["ETag"] == officer.get(_path(status))["ETag"]
    assert response["ETag"].startswith('"v2-')
    assert officer.delete(_path(status), etag='"v1"').status_code == 412
    status.refresh_from_db()
    assert (status.note, status.version) == ("theirs", 2)


@pytest.mark.parametrize("header", ['W/"v1"', "v1", '"v9"', '"0123abc"', '"v1", "v2"', "*"])
def test_a_weak_malformed_or_foreign_tag_never_matches(officer, status, header):
    """Only one of the record's own ETags, as GET gave it, matches (a weak tag never)."""
    response = officer.patch(_path(status), {"note": "mine"}, etag=header)
    assert response.status_code == 412
    assert Status.objects.get(pk=status.pk).note == ""


def test_the_etag_as_get_gave_it_or_its_version_alone_matches(officer, status):
    whole = officer.get(_path(status))["ETag"]
    first = officer.patch(_path(status), {"note": "one"}, etag=whole)
    assert first.status_code == 200 and first["ETag"].startswith('"v2-')
    second = officer.patch(_path(status), {"note": "two"}, etag='"v2"')
    assert second.status_code == 200 and second.json()["note"] == "two"


def test_a_change_landing_between_the_check_and_the_save_is_409(
    world, officer, status, monkeypatch
):
    """Someone saves right after the If-Match check passed: the save is refused (409) with
    what changed, nothing of the late edit is written."""
    checked, notes = records_write.precondition, iter(["quicker", "quicker still"])

    def then_someone_else_saves(kind, record, request):
        tag = checked(kind, record, request)
        _changed_by_someone_else(world, status, note=next(notes))
        return tag

    monkeypatch.setattr(records_write, "precondition", then_someone_else_saves)
    response = officer.patch(_path(status), {"note": "mine", "end": "2030"}, etag='"v1"')
    assert response.status_code == 409, response.json()
    assert response.json()["title"] == "Edit conflict"
    assert response.json()["current_version"] == 2 and response["ETag"] == '"v2"'
    status.refresh_from_db()
    assert (status.note, status.end, status.version) == ("quicker", None, 2)
    gone = officer.delete(_path(status), etag='"v2"')
    assert gone.status_code == 409 and gone.json()["current_version"] == 3
    assert Status.objects.filter(pk=status.pk).exists()


def test_an_unversioned_record_changed_meanwhile_is_409_too(world, officer, monkeypatch):
    """A document event has no edit version: its ETag is a digest, checked again under the
    row's lock before the save."""
    from secretariat.documents import services as documents

    event, _ = documents.document_event_upsert(
        document=world.agreement, kind="drafted", date="2020-01", sources=[world.source]
    )
    path = f"/documents/document-event/{event.pk}"
    tag = officer.get(path)["ETag"]
    checked = records_write.precondition

    def then_someone_else_saves(kind, record, request):
        found = checked(kind, record, request)
        with acting_as(world.officer, via="web"):
            documents.document_event_upsert(document=world.agreement, kind="drafted",
                                            date="2020-01", note="quicker",
                                            sources=[world.source])  # fmt: skip
        return found

    monkeypatch.setattr(records_write, "precondition", then_someone_else_saves)
    response = officer.patch(path, {"note": "mine"}, etag=tag)
    assert response.status_code == 409, response.json()
    event.refresh_from_db()
    assert event.note == "quicker"
