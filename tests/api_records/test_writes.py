"""Officers' programs add, change and delete records through the API as the admin does:
the same services, the same rules, every change in the trail as made through the API."""

from __future__ import annotations

import pytest

from secretariat.audit.models import AuditEntry, DeletedRecord
from secretariat.bodies.models import Meeting
from secretariat.documents.models import DocumentEvent
from secretariat.registry.models import Status
from secretariat.treaties.models import TreatyAction

from .conftest import BASE

pytestmark = pytest.mark.django_db


def test_an_actors_status_is_added_changed_and_deleted(world, officer):
    """POST answers 201 with Location and ETag; PATCH with If-Match changes only what it
    sends and answers the new ETag; DELETE removes it, kept in the trail for restoring."""
    made = officer.post(
        "/registry/status",
        {"actor": world.omega.pk, "kind": "partner", "start": "2021-06",
         "sources": [world.source.key], "reason": "partnership agreed"},
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    record = made.json()
    assert made["Location"] == f"/api/v1/records/registry/status/{record['id']}"
    assert made["ETag"].startswith('"v1-')
    assert (record["actor"], record["kind"], record["start"], record["end"]) == (
        world.omega.pk, "partner", "2021-06", None,
    )  # fmt: skip
    assert record["sources"] == [world.source.key] and record["outcome"] is None
    status = Status.objects.get(pk=record["id"])
    assert str(status.start) == "2021-06" and status.start.precision == "month"

    changed = officer.patch(f"/registry/status/{status.pk}", {"end": "2023"}, etag='"v1"')
    assert changed.status_code == 200, changed.json()
    assert changed["ETag"].startswith('"v2-')
    assert (changed.json()["start"], changed.json()["end"]) == ("2021-06", "2023")

    gone = officer.delete(f"/registry/status/{status.pk}", etag='"v2"')
    assert gone.status_code == 204 and gone.content == b""
    assert not Status.objects.filter(pk=status.pk).exists()
    assert officer.get(f"/registry/status/{status.pk}").status_code == 404
    assert DeletedRecord.objects.filter(object_id=status.pk).exists()


def test_every_change_is_audited_as_made_through_the_api_by_its_user(world, officer):
    """Who, through which door and why: the trail of an API write says the officer, "api",
    and the reason sent."""
    made = officer.post(
        "/bodies/meeting",
        {"body": world.body.pk, "key": "soc-2", "ordinal": 2, "title_en": "Second SOC",
         "sources": [world.source.key], "reason": "from the chair's letter"},
    ).json()  # fmt: skip
    meeting = Meeting.objects.get(pk=made["id"])
    officer.patch(f"/bodies/meeting/{meeting.pk}", {"formal": False, "reason": "informal"},
                  etag='"v1"')  # fmt: skip
    officer.delete(f"/bodies/meeting/{meeting.pk}?reason=twice", etag='"v2"')
    entries = AuditEntry.objects.filter(object_id=meeting.pk, content_type__model="meeting")
    trail = [(e.action, e.via, e.who, e.reason) for e in entries.order_by("id")]
    assert trail[0] == ("create", "api", "olga", "from the chair's letter")
    assert ("update", "api", "olga", "informal") in trail
    assert trail[-1] == ("delete", "api", "olga", "twice")
    update = entries.get(action="update", reason="informal")
    assert update.changes == {"formal": [True, False]}


def test_a_meeting_keeps_what_a_patch_leaves_out(world, officer):
    """A PATCH sends only the fields to change: the others, links included, stay."""
    meeting = world.meeting
    before = officer.get(f"/bodies/meeting/{meeting.pk}").json()
    response = officer.patch(
        f"/bodies/meeting/{meeting.pk}", {"title_en": "First SOC"}, etag=f'"v{meeting.version}"'
    )
    assert response.status_code == 200, response.json()
    after = response.json()
    assert after["title_en"] == "First SOC"
    assert {k: v for k, v in after.items() if k not in ("title_en", "version", "updated_at")} == {
        k: v for k, v in before.items() if k not in ("title_en", "version", "updated_at")
    }
    assert after["sources"] == [world.source.key]


def test_a_document_event_is_recorded_and_corrected_under_the_lifecycle_rules(world, officer):
    """A document event (kept without an edit version) carries a digest ETag; its rules
    refuse what the admin refuses, in the admin's words; events are never deleted (405),
    as in the admin."""
    body = {"document": world.agreement.pk, "kind": "drafted", "date": "2020-01",
            "sources": [world.source.key]}  # fmt: skip
    refused = officer.post("/documents/document-event", {**body, "deadline": "2020-02-01"})
    assert refused.status_code == 422
    assert refused.json()["detail"] == "Only a circulation has a feedback deadline."
    assert not DocumentEvent.objects.filter(document=world.agreement).exists()

    made = officer.post("/documents/document-event", body)
    assert made.status_code == 201, made.json()
    later = officer.post("/documents/document-event", {**body, "kind": "signed"})
    assert later.status_code == 422
    assert later.json()["errors"] == [
        {"loc": ["kind"], "msg": "An agreement is signed only once agreed or adopted. "
                                 "(signed on 2020-01)"}
    ]  # fmt: skip
    assert DocumentEvent.objects.filter(document=world.agreement).count() == 1
    tag = made["ETag"]
    assert (
        not tag.startswith('"v') and officer.get(made["Location"].removeprefix(BASE))["ETag"] == tag
    )
    pk = made.json()["id"]
    moved = officer.patch(
        f"/documents/document-event/{pk}",
        {"date": "2020-01-15", "recipients": [world.alpha.pk]},
        etag=tag,
    )  # fmt: skip
    assert moved.status_code == 200, moved.json()
    assert moved.json()["date"] == "2020-01-15" and moved.json()["recipients"] == [world.alpha.pk]
    assert moved["ETag"] != tag
    assert officer.patch(f"/documents/document-event/{pk}", {"note": "x"}, etag=tag
                         ).status_code == 412  # fmt: skip
    assert officer.delete(f"/documents/document-event/{pk}", etag=moved["ETag"]
                          ).status_code == 405  # fmt: skip
    entry = AuditEntry.objects.filter(content_type__model="documentevent", object_id=pk)
    assert entry.filter(action="update", via="api").exists()


def test_a_treaty_action_follows_the_treaty_rules(world, officer):
    """A withdrawal of the signature is recorded; deleting the signature it withdraws is
    refused (422) with the treaty rules' reason, and nothing is deleted."""
    made = officer.post(
        "/treaties/treaty-action",
        {"treaty": world.treaty.pk, "actor": world.alpha.pk, "kind": "signature_withdrawal",
         "date": "2021-03-02", "sources": [world.source.key]},
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    signature = world.signature
    refused = officer.delete(f"/treaties/treaty-action/{signature.pk}", etag='"v1"')
    assert refused.status_code == 422, refused.json()
    assert "would leave the record inconsistent" in refused.json()["detail"]
    assert TreatyAction.objects.filter(pk=signature.pk).exists()
    withdrawal = made.json()["id"]
    early = officer.patch(f"/treaties/treaty-action/{withdrawal}", {"date": "2019"}, etag='"v1"')
    assert early.status_code == 422, early.json()
    assert "no signature before it to withdraw" in early.json()["detail"]
    moved = officer.patch(f"/treaties/treaty-action/{withdrawal}", {"date": "2021-04"},
                          etag='"v1"')  # fmt: skip
    assert moved.status_code == 200 and moved.json()["date"] == "2021-04"
    assert officer.delete(f"/treaties/treaty-action/{withdrawal}", etag='"v2"').status_code == 204
    assert officer.delete(f"/treaties/treaty-action/{signature.pk}", etag='"v1"').status_code == 204


def test_sources_are_replaced_by_a_patch_and_required_on_create(world, officer, build):
    """A sourced record is made with at least one source; a PATCH's `sources` replaces
    the ones cited, and an unknown key is refused naming `sources`, nothing changed."""
    from secretariat.records.services import source_upsert

    other, _ = source_upsert(key="chair-letter", title="The chair's letter")
    bare = officer.post("/bodies/body-event", {"body": world.body.pk, "kind": "established",
                                               "date": "1999"})  # fmt: skip
    assert bare.status_code == 422 and "sources" in bare.json()["detail"]
    status = Status.objects.get(actor=world.alpha)
    path = f"/registry/status/{status.pk}"
    unknown = officer.patch(path, {"sources": ["no-such-source"], "note": "n"}, etag='"v1"')
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == [
        {"loc": ["sources"], "msg": "Unknown source: no-such-source."}
    ]
    status.refresh_from_db()
    assert status.note == "" and status.version == 1
    swapped = officer.patch(path, {"sources": [other.key, world.source.key]}, etag='"v1"')
    assert swapped.status_code == 200, swapped.json()
    assert swapped.json()["sources"] == [world.source.key, other.key]
    entry = AuditEntry.objects.for_record(status).first()
    assert entry.via == "api" and "sources" in entry.changes
