"""Writes about bodies, their events and meetings: one function per verb."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from secretariat.audit.acts import act_record
from secretariat.audit.models import Act
from secretariat.core.models import Source
from secretariat.core.partial_dates import PartialDate
from secretariat.records.services import (
    Outcome,
    citations_set,
    links_set,
    record_delete,
    sourced_upsert,
    validated_save,
)

from .models import Body, BodyEvent, Meeting, MeetingParticipant, MeetingSchedule
from .selectors import meeting_status

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
    editorial_note: str = "",
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
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )
    if links_set(record=body, field="initiated_by", targets=initiated_by):
        outcome = Outcome.UPDATED if outcome is Outcome.UNCHANGED else outcome
    return body, outcome


@transaction.atomic
def body_event_upsert(
    *,
    body: Body,
    kind: str,
    date: PartialDate | str,
    sources: Iterable[Source],
    meeting: Meeting | None = None,
    note: str = "",
    editorial_note: str = "",
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
        values={"meeting": meeting, "note": note, "editorial_note": editorial_note},
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
    editorial_note: str = "",
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
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


def _meeting_key(
    body: Body, *, ordinal: int | None, formal: bool, start: PartialDate | None
) -> str:
    """A free key for a new meeting: from the body and its number (summit-6,
    soc-informal-3), else its first day (soc-2021-06-15); -2, -3... when taken."""
    base = body.slug[:60] + ("" if formal else "-informal")
    if ordinal:
        base = f"{base}-{ordinal}"
    elif start is not None:
        base = f"{base}-{start.isoformat()}"
    else:
        base = f"{base}-meeting"
    taken = set(Meeting.objects.filter(key__startswith=base).values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


@transaction.atomic
def meeting_create(
    *,
    body: Body,
    kind: str,
    start: PartialDate | str,
    sources: Iterable[Source],
    key: str = "",
    ordinal: int | None = None,
    title_en: str = "",
    title_ru: str = "",
    formal: bool = True,
    chair=None,
    end: PartialDate | str | None = None,
    city_en: str = "",
    city_ru: str = "",
    country=None,
    mode: str = "",
    announced: PartialDate | str | None = None,
    participants: Iterable[tuple[Any, str]] = (),
    note: str = "",
) -> Meeting:
    """Record a new meeting of `body` with its first schedule entry (planned or held) and
    its participants ((actor, role) pairs).

    Without a key, one is made from the body and the number or date. A key, or a number
    in the body's series, already on record is refused: a new meeting never overwrites
    another (meeting_upsert is the loader's way to update one).
    """
    start = PartialDate.parse(start)
    sources = list(sources)
    if key and Meeting.objects.filter(key=key).exists():
        raise ValidationError(
            {"key": _("A meeting with the key “%(key)s” is already on record.") % {"key": key}}
        )
    if ordinal:
        same = Meeting.objects.filter(body=body, ordinal=ordinal, formal=formal).first()
        if same is not None:
            raise ValidationError(
                {
                    "ordinal": _("%(body)s already has a meeting no. %(number)s (%(key)s).")
                    % {"body": body, "number": ordinal, "key": same.key}
                }
            )
    key = key or _meeting_key(body, ordinal=ordinal, formal=formal, start=start)
    meeting, _outcome = meeting_upsert(
        key=key, body=body, sources=sources, ordinal=ordinal, title_en=title_en,
        title_ru=title_ru, formal=formal, chair=chair, note=note,
    )  # fmt: skip
    meeting_schedule_add(
        meeting=meeting, kind=kind, start=start, sources=sources, end=end, city_en=city_en,
        city_ru=city_ru, country=country, mode=mode, announced=announced,
    )  # fmt: skip
    participants = list(participants)
    if participants:
        meeting_participants_set(meeting=meeting, participants=participants)
    return meeting


@transaction.atomic
def meeting_schedule_set(*, meeting: Meeting, entries: Iterable[Mapping[str, Any]]) -> Outcome:
    """Make the meeting's schedule exactly these entries (planned, held, cancelled).

    Each entry: kind, start, and optionally end, city_en, city_ru, country, mode,
    announced, note, editorial_note, sources (required), variants. Entries are matched on
    kind and start.
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
                  "editorial_note": "", "announced": None,
                  "mode": "", **entry}  # fmt: skip
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
    mode: str = "",
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
    held = any(e.kind == MeetingSchedule.Kind.HELD for e in earlier)
    if kind == MeetingSchedule.Kind.HELD and held:
        raise ValidationError({"kind": _("The meeting is already recorded as held.")})
    if held:  # what took place is no longer planned nor cancelled
        raise ValidationError(
            _("The meeting is already recorded as held: it cannot be planned anew or cancelled.")
        )
    if kind == MeetingSchedule.Kind.CANCELLED and meeting_status(meeting) == "cancelled":
        raise ValidationError(_("The meeting is already cancelled."))
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
    *, meeting: Meeting, participants: Iterable[tuple[Any, str]], sources: Iterable[Source] = ()
) -> Outcome:
    """Make the meeting's participants exactly these (actor, role) pairs.

    `sources`, where the list comes from, are added to the meeting's own: attendance rows
    carry none of their own.
    """
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
    sources = list(sources)
    if sources:
        cited = [c.source for c in meeting.citations.select_related("source").order_by("id")]
        if citations_set(record=meeting, sources=[*cited, *sources]):
            outcome = Outcome.UPDATED
    return outcome
