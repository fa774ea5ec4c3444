"""Writes about bodies, their events and meetings: one function per verb."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from secretariat.audit.acts import act_record
from secretariat.audit.models import Act
from secretariat.core.models import Source
from secretariat.core.partial_dates import PartialDate
from secretariat.core.services import (
    Outcome,
    citations_set,
    links_set,
    record_delete,
    sourced_upsert,
    validated_save,
)

from .models import Body, BodyEvent, Meeting, MeetingParticipant, MeetingSchedule

Variants = Iterable[Mapping[str, Any]]


@transaction.atomic
def body_upsert(
    *,
    slug: str,
    kind: str,
    name_en: str,
    sources: Iterable[Source],
    name_ru: str = "",
    short_name_en: str = "",
    short_name_ru: str = "",
    parent: Body | None = None,
    initiated_by: Iterable = (),
    note: str = "",
    variants: Variants = (),
) -> tuple[Body, Outcome]:
    """Create or update the body with this slug."""
    body, outcome = sourced_upsert(
        Body,
        lookup={"slug": slug},
        values={
            "kind": kind,
            "name_en": name_en,
            "name_ru": name_ru,
            "short_name_en": short_name_en,
            "short_name_ru": short_name_ru,
            "parent": parent,
            "note": note,
        },
        sources=sources,
        variants=variants,
    )
    if links_set(record=body, field="initiated_by", targets=initiated_by):
        outcome = Outcome.UPDATED if outcome is Outcome.UNCHANGED else outcome
    return body, outcome


@transaction.atomic
def body_event_record(
    *,
    body: Body,
    kind: str,
    date: PartialDate | str,
    sources: Iterable[Source],
    meeting: Meeting | None = None,
    note: str = "",
    variants: Variants = (),
) -> tuple[BodyEvent, Outcome]:
    """Record a dated event in a body's life (matched on body, kind and date)."""
    parsed = PartialDate.parse(date)
    return sourced_upsert(
        BodyEvent,
        lookup={
            "body": body,
            "kind": kind,
            "date_date": parsed.earliest,
            "date_precision": parsed.precision.value,
        },
        values={"meeting": meeting, "note": note},
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def meeting_upsert(
    *,
    key: str,
    body: Body,
    sources: Iterable[Source],
    ordinal: int | None = None,
    title_en: str = "",
    title_ru: str = "",
    formal: bool = True,
    chair=None,
    note: str = "",
    variants: Variants = (),
) -> tuple[Meeting, Outcome]:
    """Create or update the meeting with this key (its schedule is set separately)."""
    return sourced_upsert(
        Meeting,
        lookup={"key": key},
        values={
            "body": body,
            "ordinal": ordinal,
            "title_en": title_en,
            "title_ru": title_ru,
            "formal": formal,
            "chair": chair,
            "note": note,
        },
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def meeting_schedule_set(*, meeting: Meeting, entries: Iterable[Mapping[str, Any]]) -> Outcome:
    """Make the meeting's schedule exactly these entries (planned, held, cancelled).

    Each entry: kind, start, and optionally end, city_en, city_ru, country, mode,
    announced, note, sources (required), variants. Entries are matched on kind and start.
    """
    entries = list(entries)
    if not entries:
        raise ValidationError(f"Meeting '{meeting.key}' needs at least one schedule entry.")
    outcome = Outcome.UNCHANGED
    wanted = {(e["kind"], PartialDate.parse(e["start"])) for e in entries}
    # Drop entries no longer wanted first: a moved "held" date must not meet the old one.
    for old in [e for e in meeting.schedule.all() if (e.kind, e.start) not in wanted]:
        record_delete(old)
        outcome = Outcome.UPDATED
    for entry in entries:
        entry = dict(entry)
        start = PartialDate.parse(entry.pop("start"))
        sources = entry.pop("sources", ())
        variants = entry.pop("variants", ())
        values = {"end": None, "city_en": "", "city_ru": "", "country": None, "note": "",
                  "announced": None, "mode": MeetingSchedule.Mode.IN_PERSON, **entry}  # fmt: skip
        kind = values.pop("kind")
        _, result = sourced_upsert(
            MeetingSchedule,
            lookup={
                "meeting": meeting,
                "kind": kind,
                "start_date": start.earliest,
                "start_precision": start.precision.value,
            },
            values=values,
            sources=sources,
            variants=variants,
        )
        if result is not Outcome.UNCHANGED:
            outcome = Outcome.UPDATED
    return outcome


@transaction.atomic
def meeting_schedule_add(
    *,
    meeting: Meeting,
    kind: str,
    start: PartialDate | str,
    sources: Iterable[Source],
    end: PartialDate | str | None = None,
    city_en: str = "",
    city_ru: str = "",
    country=None,
    mode: str = MeetingSchedule.Mode.IN_PERSON,
    announced: PartialDate | str | None = None,
    note: str = "",
) -> MeetingSchedule:
    """Add one entry to a meeting's schedule, keeping the earlier ones: the meeting is
    planned (or planned anew: moved), held, or cancelled.

    Planning, moving and cancelling are acts that the body's followers are told of.
    """
    start = PartialDate.parse(start)
    earlier = list(meeting.schedule.all())
    if any(e.kind == kind and e.start == start for e in earlier):
        raise ValidationError({"start": "The meeting already has such an entry on this date."})
    if kind == MeetingSchedule.Kind.HELD and any(e.kind == kind for e in earlier):
        raise ValidationError({"kind": "The meeting is already recorded as held."})
    entry = MeetingSchedule(
        meeting=meeting, kind=kind, city_en=city_en, city_ru=city_ru, country=country,
        mode=mode, note=note,
    )  # fmt: skip
    entry.start, entry.end, entry.announced = start, end, announced
    sources = list(sources)
    if not sources:
        raise ValidationError("Every record needs at least one source.", code="no_source")
    validated_save(entry)
    citations_set(record=entry, sources=sources)
    planned_before = any(e.kind == MeetingSchedule.Kind.PLANNED for e in earlier)
    verb = {
        MeetingSchedule.Kind.PLANNED: Act.Verb.MEETING_MOVED
        if planned_before
        else Act.Verb.MEETING_SCHEDULED,
        MeetingSchedule.Kind.CANCELLED: Act.Verb.MEETING_CANCELLED,
    }.get(kind)
    if verb is not None:
        act_record(verb=verb, record=entry)
    return entry


@transaction.atomic
def meeting_participants_set(
    *, meeting: Meeting, participants: Iterable[tuple[Any, str]]
) -> Outcome:
    """Make the meeting's participants exactly these (actor, role) pairs."""
    wanted = {actor.pk: role for actor, role in participants}
    current = {p.actor_id: p for p in meeting.participants.all()}
    outcome = Outcome.UNCHANGED
    for actor_id, role in wanted.items():
        row = current.get(actor_id)
        if row is None:
            row = MeetingParticipant(meeting=meeting, actor_id=actor_id, role=role)
        elif row.role == role:
            continue
        row.role = role
        validated_save(row)
        outcome = Outcome.UPDATED
    for actor_id, row in current.items():
        if actor_id not in wanted:
            record_delete(row)
            outcome = Outcome.UPDATED
    return outcome
