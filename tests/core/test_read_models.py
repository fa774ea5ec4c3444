"""The read models agree with the records they derive from after every kind of write:
create, change, move to another record, delete, delete of the record itself, rebuild."""

import datetime as dt

import pytest

from secretariat.audit.models import AuditEntry
from secretariat.audit.services import record_restore
from secretariat.bodies import services as bodies
from secretariat.bodies.models import Meeting, MeetingDates, MeetingSchedule
from secretariat.core.readmodels import rebuild_all
from secretariat.documents import services as documents
from secretariat.documents.models import Document, DocumentDates, DocumentEvent
from secretariat.records import services as core

pytestmark = pytest.mark.django_db


def _start(meeting: Meeting):
    return MeetingDates.objects.get(meeting=meeting).start


def _first(document: Document):
    return DocumentDates.objects.get(document=document).first_day


def test_a_meeting_starts_when_held_else_when_last_planned(build):
    meeting = build.meeting("m1", schedule=[{"kind": "planned", "start": "2021-03-01"}])
    assert _start(meeting) == dt.date(2021, 3, 1)
    bodies.meeting_schedule_set(
        meeting=meeting,
        entries=[
            {"kind": "planned", "start": "2021-03-01", "sources": [build.source]},
            {"kind": "held", "start": "2021-05-10", "sources": [build.source]},
        ],
    )
    assert _start(meeting) == dt.date(2021, 5, 10)
    held = MeetingSchedule.objects.get(meeting=meeting, kind="held")
    core.record_delete(held)
    assert _start(meeting) == dt.date(2021, 3, 1)


def test_a_deleted_meeting_loses_its_row_and_a_restore_brings_it_back(build):
    meeting = build.meeting("m1", schedule=[{"kind": "held", "start": "2016-10-11"}])
    pk = meeting.pk
    core.record_delete(meeting)
    assert not MeetingDates.objects.exists()
    deletion = AuditEntry.objects.get(action="delete", object_id=pk, content_type__model="meeting")
    record_restore(deletion)
    assert MeetingDates.objects.get(meeting_id=pk).start == dt.date(2016, 10, 11)


def _document(build, symbol: str) -> Document:
    return documents.document_create(
        type="decision", title_en=symbol, symbol=symbol, sources=[build.source]
    )


def test_a_document_begins_with_its_earliest_event_or_version(build):
    document = _document(build, "X/1")
    assert not DocumentDates.objects.filter(document=document, first_day__isnull=False).exists()
    documents.document_event_upsert(
        document=document, kind="drafted", date="2020-06-15", sources=[build.source]
    )
    assert _first(document) == dt.date(2020, 6, 15)
    version = documents.version_create(document=document, date="2020-02")
    assert _first(document) == dt.date(2020, 2, 1)  # a month counts from its first day
    core.record_delete(version)
    assert _first(document) == dt.date(2020, 6, 15)


@pytest.mark.raw_writes("moves an event to another document, which no service does")
def test_an_event_moved_to_another_document_refreshes_both(build):
    first, second = _document(build, "X/1"), _document(build, "X/2")
    event, _ = documents.document_event_upsert(
        document=first, kind="drafted", date="2019-01-01", sources=[build.source]
    )
    event.document = second
    event.save()
    assert _first(first) is None
    assert _first(second) == dt.date(2019, 1, 1)


@pytest.mark.raw_writes("empties the read models by hand to see them rebuilt")
def test_rebuild_derives_every_row_afresh(build):
    meeting = build.meeting("m1", schedule=[{"kind": "held", "start": "2018-09-09"}])
    document = _document(build, "X/1")
    documents.document_event_upsert(
        document=document, kind="drafted", date="2017", sources=[build.source]
    )
    MeetingDates.objects.update(start=None)
    DocumentDates.objects.all().delete()
    counts = rebuild_all()
    assert counts == {"bodies.meetingdates": 1, "documents.documentdates": 1}
    assert _start(meeting) == dt.date(2018, 9, 9)
    assert _first(document) == dt.date(2017, 1, 1)
    assert DocumentEvent.objects.count() == 1
