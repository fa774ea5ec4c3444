"""Plain-data views of bodies and meetings."""

from __future__ import annotations

from typing import Any

from secretariat.core.presenters import partial, sources, variants
from secretariat.registry.presenters import actor_ref, meeting_ref

from .models import Meeting, MeetingSchedule
from .selectors import BodyAt, Upcoming, meeting_status, meeting_title, meeting_when


def body_ref(body) -> dict[str, Any]:
    return {"slug": body.slug, "kind": body.kind, "name": body.name_en}


def body_dict(item: BodyAt) -> dict[str, Any]:
    body = item.body
    return {
        **body_ref(body),
        "name_ru": body.name_ru or None,
        "short_name": body.short_name_en or None,
        "parent": body_ref(body.parent) if body.parent else None,
        "initiated_by": [actor_ref(a) for a in body.initiated_by.all()],
        "status": item.status,
        "events": [
            {
                "kind": e.kind,
                "date": partial(e.date),
                "meeting": meeting_ref(e.meeting),
                "note": e.note or None,
                "sources": sources(e),
            }
            for e in item.events
        ],
        "note": body.note or None,
        "sources": sources(body),
    }


def schedule_dict(entry: MeetingSchedule) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "start": partial(entry.start),
        "end": partial(entry.end),
        "city": entry.city_en or None,
        "city_ru": entry.city_ru or None,
        "country": actor_ref(entry.country) if entry.country else None,
        "mode": entry.mode,
        "announced": partial(entry.announced),
        "note": entry.note or None,
        "sources": sources(entry),
    }


def meeting_dict(meeting: Meeting, *, detail: bool = False) -> dict[str, Any]:
    when = meeting_when(meeting)
    data = {
        "id": meeting.pk,
        "key": meeting.key,
        "title": meeting_title(meeting),
        "title_ru": meeting.title_ru or None,
        "body": body_ref(meeting.body),
        "ordinal": meeting.ordinal,
        "formal": meeting.formal,
        "status": meeting_status(meeting),
        "start": partial(when.start) if when else None,
        "end": partial(when.end) if when else None,
        "city": when.city_en or None if when else None,
        "country": actor_ref(when.country) if when and when.country else None,
        "mode": when.mode if when else None,
        "chair": actor_ref(meeting.chair) if meeting.chair else None,
        "sources": sources(meeting),
    }
    if detail:
        data["schedule"] = [schedule_dict(e) for e in meeting.schedule.all()]
        data["participants"] = [
            {**actor_ref(p.actor), "role": p.role} for p in meeting.participants.all()
        ]
        data["note"] = meeting.note or None
        data["variants"] = variants(meeting)
    return data


def upcoming_dict(item: Upcoming) -> dict[str, Any]:
    """A meeting as planned on the day asked for: the plan known then, with its sources."""
    meeting, plan = item.meeting, item.plan
    return {
        "id": meeting.pk,
        "key": meeting.key,
        "title": meeting_title(meeting, when=plan),
        "title_ru": meeting.title_ru or None,
        "body": body_ref(meeting.body),
        "ordinal": meeting.ordinal,
        "formal": meeting.formal,
        "status": item.status,
        "start": partial(plan.start),
        "end": partial(plan.end),
        "city": plan.city_en or None,
        "country": actor_ref(plan.country) if plan.country else None,
        "mode": plan.mode,
        "announced": partial(plan.announced),
        "chair": actor_ref(meeting.chair) if meeting.chair else None,
        "sources": sources(plan),
    }
