"""Planning events: each becomes a meeting of the body named by organization_id, with one
schedule entry (held, planned or cancelled) for the dates and place given; a meeting
held keeps its other entries.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone

from secretariat.bodies import services as bodies
from secretariat.bodies.models import Meeting, MeetingSchedule
from secretariat.bodies.selectors import meeting_title
from secretariat.core.partial_dates import PartialDate
from secretariat.records.services import Outcome
from secretariat.registry.models import Actor

from .. import popolo as P
from ..safe import ImportRefused
from . import shapes
from .plan import HOME, Planner, _changes, _merge, _new, _variants
from .vocabulary import Item, _slug_for


class Events(Planner):
    """The planning of the file's events (a part of plan.Planner)."""

    def _event(self, item: Item) -> None:
        self._unread(item)
        if item.data.get("organization_id") is None:
            raise ImportRefused(
                item.at("organization_id"),
                "a meeting needs the body that met: give its organization_id",
            )
        ref = self._org_ref(item, "organization_id")
        if ref.kind != "body":
            what = "the organization itself" if ref.kind == HOME else "a state or organization"
            raise ImportRefused(
                item.at("organization_id"),
                f"'{item.data['organization_id']}' is {what}, not one of its bodies: "
                "a meeting needs the body that met",
            )
        body = ref.record
        start = shapes.date(item, "start_date", required="a meeting needs its start_date")
        end = shapes.date(item, "end_date")
        name = shapes.text(item, "name")
        ordinal, others = shapes.ordinal(item)
        if others:
            self._unkept["event", "identifiers"] += others
        classification = (shapes.text(item, "classification") or "").lower()
        formal = ("informal" not in classification) if classification else None
        key = _slug_for(item, P.MEETING) if (item.id or name) else ""
        if not key:
            raise ImportRefused(item.at("id"), "a meeting needs an id or a name")
        existing = self._meetings.get(key)
        title = existing.title_en if existing else ""
        if existing is not None and name and name != meeting_title(existing):
            title = name
        provided = {
            "body": body,
            "ordinal": ordinal,
            "formal": formal,
            "title_en": title,
            "note": shapes.text(item, "description"),
        }
        defaults = {"ordinal": None, "formal": True, "title_en": "", "title_ru": "",
                    "chair": None, "note": ""}  # fmt: skip
        values = _merge(existing, provided, defaults)
        meeting = self._put(
            "meetings",
            item,
            existing,
            values,
            lambda **kw: bodies.meeting_upsert(key=key, **kw),
            key=(key,),
            new=lambda **kw: _new(Meeting, key=key, **kw),
            hold=existing is None,
        )
        entry = self._schedule(item, meeting, start, end)
        if existing is None:
            # Titled only where the name is not the one composed from ordinal and body.
            if name and meeting_title(meeting, when=entry) != name:
                meeting.title_en = name
            self._create(meeting, item)
            self._create(entry, item)

    def _schedule(self, item: Item, meeting: Meeting, start, end) -> MeetingSchedule | None:
        """Add the event's dates and place to the meeting's schedule, keeping its others.
        A new meeting's one entry is returned, for the caller to create after it."""
        kind = _schedule_kind(shapes.text(item, "status"), start, end)
        city, country, mode = self._place(shapes.text(item, "location"))
        label = "meeting schedule entries"
        given = {"end": end, "city_en": city, "country": country, "mode": mode}
        new = {"kind": kind, "start": start, "city_ru": "", "announced": None, "note": "",
               "editorial_note": "", **given,
               "mode": mode or ""}  # fmt: skip
        if meeting.pk is None:  # as meeting_schedule_set would make it
            entry = _new(MeetingSchedule, meeting=meeting, **new)
            entry._import_sources = self._cited(meeting)
            self.summary.count(label, Outcome.CREATED.value)
            return entry
        entries = [_entry(e) for e in meeting.schedule.select_related("country")]
        same = next((e for e in entries if (e["kind"], e["start"]) == (kind, start)), None)
        if same is None:
            entries.append({**new, "sources": self._cited(meeting)})
        else:
            said = {k: v for k, v in given.items() if v not in (None, "")}
            if not any(_changes(same[k], v) for k, v in said.items()):
                self.summary.count(label, Outcome.UNCHANGED.value)
                return None
            same.update(said)

        def call() -> None:
            outcome = bodies.meeting_schedule_set(meeting=meeting, entries=entries)
            self.summary.count(label, outcome.value)

        self._call(item, call)
        return None

    def _meetings_held(self) -> dict[str, Meeting]:
        """The meetings on record that the file's events may name, by key."""
        keys = sorted(
            {_slug_for(i, P.MEETING) for i in self.items["event"] if i.id or i.data.get("name")}
        )
        found: dict[str, Meeting] = {}
        for start in range(0, len(keys), 500):
            chunk = Meeting.objects.filter(key__in=keys[start : start + 500])
            found.update((m.key, m) for m in chunk.select_related("body"))
        return found

    def _place(self, location: str | None) -> tuple[str, Actor | None, str | None]:
        """A location "City, Country (mode)" read back (the country: an actor on record by
        name); no location says nothing, not even the mode."""
        if not location:
            return "", None, None
        mode = ""  # a place alone does not say how the meeting met
        text = location.strip()
        match = re.fullmatch(r"(.*?)\s*\((online|hybrid)\)", text, re.IGNORECASE)
        if match:
            text, mode = match.group(1).strip(), match.group(2).lower()
        if text.lower() == "online":
            return "", None, MeetingSchedule.Mode.ONLINE
        if not text:
            return "", None, mode
        whole = self._find(Actor, name_en=text)
        if whole is not None:
            return "", whole, mode
        city, sep, country = text.rpartition(", ")
        actor = self._find(Actor, name_en=country) if sep else None
        return (city, actor, mode) if actor else (text, None, mode)


def _schedule_kind(status: str | None, start: PartialDate, end: PartialDate | None) -> str:
    """held, planned or cancelled, from the event's status, else from its dates."""
    said = (status or "").lower()
    if said in ("cancelled", "canceled"):
        return MeetingSchedule.Kind.CANCELLED
    if said in ("planned", "postponed", "scheduled", "tentative", "proposed"):
        return MeetingSchedule.Kind.PLANNED
    if said in ("held", "completed", "past", "took place", "finished"):
        return MeetingSchedule.Kind.HELD
    return (
        MeetingSchedule.Kind.HELD
        if (end or start).latest < timezone.localdate()
        else MeetingSchedule.Kind.PLANNED
    )


def _entry(entry: MeetingSchedule) -> dict[str, Any]:
    """A schedule entry as meeting_schedule_set takes it, to keep it as it is."""
    return {
        "kind": entry.kind,
        "start": entry.start,
        "end": entry.end,
        "city_en": entry.city_en,
        "city_ru": entry.city_ru,
        "country": entry.country,
        "mode": entry.mode,
        "announced": entry.announced,
        "note": entry.note,
        "sources": [c.source for c in entry.citations.select_related("source").order_by("id")],
        "variants": _variants(entry),
    }
