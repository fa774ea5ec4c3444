"""Writes about meetings: a new meeting is never written over another, and a schedule
keeps every entry while refusing what cannot follow (a plan after the meeting was held)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from secretariat.bodies import selectors
from secretariat.bodies import services as bodies
from secretariat.bodies.models import Meeting

pytestmark = pytest.mark.django_db


def record(build, body, **kw):
    values = {"kind": "held", "start": "2024-05-06", "sources": [build.source]}
    return bodies.meeting_create(body=body, **{**values, **kw})


def test_the_key_comes_from_the_body_and_the_number_or_the_date(build):
    body = build.body("soc", "senior_officials_committee")
    assert record(build, body, ordinal=3).key == "soc-3"
    assert record(build, body, ordinal=3, formal=False).key == "soc-informal-3"
    assert record(build, body, start="2024-05").key == "soc-2024-05"
    assert record(build, body, start="2024-05", kind="planned").key == "soc-2024-05-2"
    assert record(build, body, key="soc-special").key == "soc-special"


def test_a_new_meeting_never_overwrites_another(build):
    body = build.body("soc", "senior_officials_committee")
    record(build, body, ordinal=1, title_en="First")
    with pytest.raises(ValidationError) as taken:
        record(build, body, ordinal=1, title_en="Again")
    assert "ordinal" in taken.value.message_dict
    with pytest.raises(ValidationError) as key:
        record(build, body, key="soc-1", ordinal=2)
    assert "key" in key.value.message_dict
    assert list(Meeting.objects.values_list("title_en", flat=True)) == ["First"]


def test_a_meeting_recorded_with_participants(build):
    body = build.body("soc", "senior_officials_committee")
    alpha, beta = build.actor("alpha"), build.actor("beta")
    meeting = record(build, body, ordinal=1, participants=[(alpha, "chair"), (beta, "member")])
    assert sorted(meeting.participants.values_list("actor__slug", "role")) == [
        ("alpha", "chair"), ("beta", "member"),
    ]  # fmt: skip


def test_a_held_meeting_is_not_planned_anew_nor_cancelled(build):
    meeting = build.meeting("soc-1")  # held on 2020-01-01
    src = [build.source]
    for kind in ("held", "planned", "cancelled"):
        with pytest.raises(ValidationError, match="already recorded as held"):
            bodies.meeting_schedule_add(meeting=meeting, kind=kind, start="2020-02", sources=src)
    assert meeting.schedule.count() == 1


def test_a_cancellation_stands_until_the_meeting_is_planned_again(build):
    """The plan was announced, the cancellation has no announcement date: it still stands
    over the plans entered before it; a plan entered after it revives the meeting."""
    meeting = build.meeting(
        "soc-2", schedule=[{"kind": "planned", "start": "2030-05", "announced": "2029-11"}]
    )
    src = [build.source]
    bodies.meeting_schedule_add(meeting=meeting, kind="cancelled", start="2030-05", sources=src)
    meeting = selectors.meeting_get("soc-2")
    assert selectors.meeting_status(meeting) == "cancelled"
    with pytest.raises(ValidationError, match="already cancelled"):
        bodies.meeting_schedule_add(meeting=meeting, kind="cancelled", start="2030-06",
                                    sources=src)  # fmt: skip
    bodies.meeting_schedule_add(meeting=meeting, kind="planned", start="2031-02", sources=src)
    meeting = selectors.meeting_get("soc-2")
    assert selectors.meeting_status(meeting) == "postponed"
    assert selectors.meeting_when(meeting).start.isoformat() == "2031-02"


def test_participants_cite_their_source_on_the_meeting(build):
    from secretariat.records.services import source_upsert

    meeting = build.meeting("soc-1")
    alpha = build.actor("alpha")
    listing, _ = source_upsert(key="list", title="List of participants")
    bodies.meeting_participants_set(meeting=meeting, participants=[(alpha, "member")],
                                    sources=[listing])  # fmt: skip
    assert [c.source.key for c in meeting.citations.order_by("id")] == ["test-source", "list"]
