"""Writes about actors, statuses and posts: one function per verb.

Each validates (Model.clean() delegates to .rules), saves in a transaction and
sets the record's sources. The admin, the API, the CLI and the dataset loader
all call these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from secretariat.core.models import Source
from secretariat.core.partial_dates import PartialDate
from secretariat.records.services import (
    Outcome,
    citations_set,
    record_delete,
    sourced_upsert,
    upsert,
    validated_save,
)

from .models import Actor, Chairmanship, OrdinalSeries, Person, SecretariatHead, Status

Variants = Iterable[Mapping[str, Any]]


def _start_lookup(start: PartialDate | str) -> dict[str, Any]:
    parsed = PartialDate.parse(start)
    return {"start_date": parsed.earliest, "start_precision": parsed.precision.value}


@transaction.atomic
def actor_upsert(
    *,
    slug: str,
    kind: str,
    name_en: str,
    sources: Iterable[Source],
    name_ru: str = "",
    short_name_en: str = "",
    short_name_ru: str = "",
    iso2: str = "",
    iso3: str = "",
    exists_from: PartialDate | str | None = None,
    exists_until: PartialDate | str | None = None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Actor, Outcome]:
    """Create or update the actor with this slug."""
    return sourced_upsert(
        Actor,
        lookup={"slug": slug},
        values={
            "kind": kind,
            "name_en": name_en,
            "name_ru": name_ru,
            "short_name_en": short_name_en,
            "short_name_ru": short_name_ru,
            "iso2": iso2.upper(),
            "iso3": iso3.upper(),
            "exists_from": exists_from,
            "exists_until": exists_until,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def actor_create(
    *,
    kind: str,
    name_en: str,
    sources: Iterable[Source],
    slug: str = "",
    name_ru: str = "",
    short_name_en: str = "",
    short_name_ru: str = "",
    iso2: str = "",
    iso3: str = "",
    note: str = "",
) -> Actor:
    """Record a new state or organization; a key or an ISO code already on record is
    refused, never overwritten. Without a key, one is made from the English name."""
    if slug and Actor.objects.filter(slug=slug).exists():
        raise ValidationError(
            {"slug": _("An actor with the key “%(key)s” is already on record.") % {"key": slug}}
        )
    for field, code in (("iso2", iso2.upper()), ("iso3", iso3.upper())):
        holder = Actor.objects.filter(**{field: code}).first() if code else None
        if holder is not None:
            message = _("%(actor)s already has the code %(code)s.")
            raise ValidationError({field: message % {"actor": holder, "code": code}})
    if not slug:
        base = slugify(name_en)[:70].strip("-") or "actor"
        slug, n = base, 1
        while Actor.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
    actor, _outcome = actor_upsert(
        slug=slug, kind=kind, name_en=name_en, sources=sources, name_ru=name_ru,
        short_name_en=short_name_en, short_name_ru=short_name_ru, iso2=iso2, iso3=iso3,
        note=note,
    )  # fmt: skip
    return actor


@transaction.atomic
def status_begin(
    *,
    actor: Actor,
    kind: str,
    start: PartialDate | str,
    sources: Iterable[Source],
    end: PartialDate | str | None = None,
    decided_at=None,
    applied_for: str = "",
    outcome: str = "",
    note: str = "",
) -> Status:
    """Record a status decision: an admission, an observer status, a partnership, an
    application. The same status of the actor from the same date, already on record, is
    refused rather than overwritten (status_upsert is the loader's way to update one)."""
    if Status.objects.filter(actor=actor, kind=kind, **_start_lookup(start)).exists():
        raise ValidationError(
            {"start": _("This status of %(actor)s from %(start)s is already on record.")
             % {"actor": actor, "start": PartialDate.parse(start).isoformat()}}
        )  # fmt: skip
    status, _outcome = status_upsert(
        actor=actor, kind=kind, start=start, sources=sources, end=end, decided_at=decided_at,
        applied_for=applied_for, outcome=outcome, note=note,
    )  # fmt: skip
    return status


@transaction.atomic
def status_upsert(
    *,
    actor: Actor,
    kind: str,
    start: PartialDate | str,
    sources: Iterable[Source],
    end: PartialDate | str | None = None,
    decided_at=None,
    applied_for: str = "",
    outcome: str = "",
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Status, Outcome]:
    """Record that `actor` held status `kind` from `start` (matched on actor, kind, start)."""
    return sourced_upsert(
        Status,
        lookup={"actor": actor, "kind": kind, **_start_lookup(start)},
        values={
            "end": end,
            "decided_at": decided_at,
            "applied_for": applied_for,
            "outcome": outcome,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def status_end(*, status: Status, end: PartialDate | str, sources: Iterable[Source]) -> Status:
    """Close a status on `end` (the first day it no longer holds), citing why.

    Works on the row as stored, locked: a caller's stale copy cannot overwrite an
    end recorded meanwhile, and a refusal leaves the caller's object untouched.
    """
    row = Status.objects.select_for_update().get(pk=status.pk)
    if row.end is not None:
        raise ValidationError(f"This status already ended on {row.end}.")
    row.end = end
    validated_save(row)
    citations_set(record=row, sources=[*status_sources(row), *sources])
    status.refresh_from_db()
    return row


def status_sources(status: Status) -> list[Source]:
    return [c.source for c in status.citations.select_related("source")]


@transaction.atomic
def person_upsert(
    *,
    slug: str,
    name_en: str,
    sources: Iterable[Source],
    name_ru: str = "",
    nationality: Actor | None = None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Person, Outcome]:
    """Create or update the person with this slug."""
    return sourced_upsert(
        Person,
        lookup={"slug": slug},
        values={
            "name_en": name_en,
            "name_ru": name_ru,
            "nationality": nationality,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def chairmanship_upsert(
    *,
    actor: Actor,
    start: PartialDate | str,
    sources: Iterable[Source],
    end: PartialDate | str | None = None,
    kind: str = Chairmanship.Kind.TERM,
    decided_at=None,
    decided_on: PartialDate | str | None = None,
    taken_over_at=None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Chairmanship, Outcome]:
    """Record a chairmanship term (matched on state and start)."""
    return sourced_upsert(
        Chairmanship,
        lookup={"actor": actor, **_start_lookup(start)},
        values={
            "end": end,
            "kind": kind,
            "decided_at": decided_at,
            "decided_on": decided_on,
            "taken_over_at": taken_over_at,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def head_upsert(
    *,
    person: Person,
    title: str,
    start: PartialDate | str,
    sources: Iterable[Source],
    end: PartialDate | str | None = None,
    appointed_at=None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[SecretariatHead, Outcome]:
    """Record a term as head of the Secretariat (matched on person and start)."""
    return sourced_upsert(
        SecretariatHead,
        lookup={"person": person, **_start_lookup(start)},
        values={
            "title": title,
            "end": end,
            "appointed_at": appointed_at,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def ordinal_series_set(*, series: Iterable[Mapping[str, Any]]) -> list[Outcome]:
    """Make the organization number its statuses by exactly these series.

    Each: slug, label_en, label_ru, actor_kind, status_kinds. A status kind may
    belong to one series per actor kind. Returns each series' outcome.
    """
    series = list(series)
    seen: dict[tuple[str, str], str] = {}
    for item in series:
        for kind in item.get("status_kinds") or []:
            pair = (kind, item.get("actor_kind"))
            if pair in seen:
                raise ValidationError(
                    f"'{kind}' of {pair[1]}s is numbered by both '{seen[pair]}' "
                    f"and '{item['slug']}'."
                )
            seen[pair] = item["slug"]
    outcomes = []
    kept = []
    for item in series:
        row, result = upsert(
            OrdinalSeries,
            lookup={"slug": item["slug"]},
            values={k: item.get(k, "") for k in ("label_en", "label_ru", "actor_kind")}
            | {"status_kinds": list(item.get("status_kinds") or [])},
        )
        kept.append(row.pk)
        outcomes.append(result)
    for stale in OrdinalSeries.objects.exclude(pk__in=kept):
        record_delete(stale)
    return outcomes
