"""Deleting a record keeps it recoverable: the trail holds every row the deletion took,
and a restore brings them back under the same keys, with their sources and links."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secretariat.audit.models import AuditEntry
from secretariat.audit.services import record_restore
from secretariat.bodies import services as bodies
from secretariat.bodies.models import Meeting, MeetingParticipant, MeetingSchedule
from secretariat.core.acting import acting_as
from secretariat.records import services as core
from secretariat.registry.models import Actor, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(build):
    """A meeting with two schedule entries, a participant, sources and a variant."""
    actor = build.actor("alpha")
    meeting = build.meeting(
        "council-1",
        schedule=[{"kind": "planned", "start": "2020-05"}, {"kind": "held", "start": "2020-06-02"}],
    )
    bodies.meeting_participants_set(meeting=meeting, participants=[(actor, "member")])
    other, _ = core.source_upsert(key="other", title="Other source")
    core.citations_set(record=meeting, sources=[build.source, other])
    core.variants_set(
        record=meeting, variants=[{"field": "title_en", "value": "Council I", "sources": [other]}]
    )
    return meeting


def _shape(meeting_pk):
    meeting = Meeting.objects.get(pk=meeting_pk)
    return {
        "meeting": (meeting.pk, meeting.key, meeting.created_at),
        "sources": [c.source.key for c in meeting.citations.order_by("id")],
        "variants": [(v.field, v.value, [s.key for s in v.sources.all()])
                     for v in meeting.variants.all()],
        "schedule": sorted(
            (e.pk, e.kind, str(e.start), [c.source.key for c in e.citations.all()])
            for e in meeting.schedule.all()
        ),
        "participants": sorted((p.pk, p.actor_id, p.role) for p in meeting.participants.all()),
    }  # fmt: skip


def test_a_deleted_meeting_comes_back_whole_with_the_same_keys(meeting):
    before = _shape(meeting.pk)
    pk = meeting.pk
    core.record_delete(meeting)
    assert not Meeting.objects.filter(pk=pk).exists()
    assert not MeetingSchedule.objects.filter(meeting_id=pk).exists()
    assert not MeetingParticipant.objects.filter(meeting_id=pk).exists()

    deletion = AuditEntry.objects.get(action="delete", content_type__model="meeting")
    cascaded = AuditEntry.objects.filter(action="delete", batch=deletion.batch)
    assert sorted(e.content_type.model for e in cascaded) == [
        "meeting", "meetingparticipant", "meetingschedule", "meetingschedule",
    ]  # fmt: skip
    assert deletion.changes["sources"] == [["test-source", "other"], None]

    restored = record_restore(deletion)
    assert len(restored) == 4
    assert _shape(pk) == before
    meeting = Meeting.objects.get(pk=pk)
    assert meeting.version == 2  # an edit begun before the deletion cannot land
    restore = AuditEntry.objects.for_record(meeting).first()
    assert restore.action == "restore"
    assert restore.changes["key"] == [None, "council-1"]


def test_links_to_a_deleted_record_come_back_too(build):
    """An actor named in a body's initiators, with its statuses: all of it returns."""
    actor = build.actor("alpha")
    build.status(actor, "member", "2000")
    body = build.body("forum", initiated_by=[actor])
    pk = actor.pk
    core.record_delete(actor)
    assert not body.initiated_by.exists() and not Status.objects.exists()

    record_restore(AuditEntry.objects.get(action="delete", content_type__model="actor"))
    assert list(body.initiated_by.values_list("pk", flat=True)) == [pk]
    assert Status.objects.get().actor_id == pk
    assert Actor.objects.get(pk=pk).citations.get().source == build.source


def test_a_restore_is_refused_when_the_key_is_taken_again(meeting, build):
    core.record_delete(meeting)
    deletion = AuditEntry.objects.get(action="delete", content_type__model="meeting")
    record_restore(deletion)
    with pytest.raises(ValidationError, match=r"it was restored by system at"):
        record_restore(deletion)


def test_a_restore_is_refused_when_its_natural_key_is_taken(meeting, build):
    """A new meeting took the key meanwhile: the restore says so, and restores nothing."""
    core.record_delete(meeting)
    build.meeting("council-1")
    deletion = AuditEntry.objects.get(action="delete", content_type__model="meeting")
    with pytest.raises(ValidationError, match="Cannot restore meeting"):
        record_restore(deletion)
    assert Meeting.objects.count() == 1
    assert not AuditEntry.objects.filter(action="restore").exists()


def test_only_a_deletion_can_be_restored(build):
    actor = build.actor("alpha")
    with pytest.raises(ValidationError, match="Only a deletion"):
        record_restore(AuditEntry.objects.for_record(actor).first())


def test_a_restore_needs_a_writer(meeting, team):
    core.record_delete(meeting)
    deletion = AuditEntry.objects.get(action="delete", content_type__model="meeting")
    with acting_as(team.delegate, via="web"), pytest.raises(Exception, match="may not change"):
        record_restore(deletion)


def test_officers_restore_from_the_deleted_records_in_the_admin(meeting, team):
    """The admin lists deletions; its Restore action brings the record back."""
    pk = meeting.pk
    client = team.client(team.officer)
    with acting_as(team.officer, via="admin"):
        core.record_delete(meeting)
    listing = client.get(reverse("admin:audit_deletedrecord_changelist"))
    assert listing.status_code == 200 and "council-1" in listing.text
    deletion = AuditEntry.objects.get(action="delete", content_type__model="meeting")
    response = client.post(
        reverse("admin:audit_deletedrecord_changelist"),
        {"action": "restore", "_selected_action": [deletion.pk]},
        follow=True,
    )
    assert "Restored 4 record(s)." in response.text
    assert Meeting.objects.filter(pk=pk).exists()
    restore = AuditEntry.objects.get(action="restore", content_type__model="meeting")
    assert (restore.who, restore.via) == ("alice", "admin")
