"""Writing the trail: called by records.services inside the transaction of the change itself.

Nothing here decides whether a write may happen (the policy does) or performs it
(the services do); it only describes it: JSON-safe values, before and after, the
deleted rows in full, and who was acting.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from secretariat.core import acting
from secretariat.core.models import Citation, Source, Sourced, Variant, is_versioned
from secretariat.core.partial_dates import PartialDate

from .models import AuditEntry

# Columns every row has that say nothing about the record itself.
BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "version"})
# Rows that are parts of another record: their changes are changes of that record.
PARTS: dict[type[models.Model], str] = {Citation: "sources", Variant: "variants"}

Values = dict[str, Any]


# --- values ----------------------------------------------------------------------------


def json_safe(value: Any) -> Any:
    """A value as JSON can hold it: dates as ISO text, decimals and ids as text or numbers."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def withheld(model: type[models.Model]) -> frozenset[str]:
    """Columns a model keeps out of the trail (`TRAIL_WITHHELD`: a secret, like an API
    token's digest): never written to an entry, so never shown by the history pages, the
    API or the admin. A row restored from a snapshot gets them from the model
    (`trail_restored`)."""
    return frozenset(getattr(model, "TRAIL_WITHHELD", ()))


def columns(model: type[models.Model]) -> list[str]:
    """The attribute names of the model's stored columns (FKs as `<name>_id`) that the
    trail records: all but those withheld."""
    hidden = withheld(model)
    return [f.attname for f in model._meta.concrete_fields if f.attname not in hidden]


def row_of(instance: models.Model) -> Values:
    """The instance's columns as they are in memory, JSON-safe."""
    return {name: json_safe(getattr(instance, name)) for name in columns(type(instance))}


def stored_row(model: type[models.Model], pk: Any, *, using: str | None = None) -> Values | None:
    """The row as it is in the database now (None if there is none), JSON-safe."""
    row = model._base_manager.using(using).filter(pk=pk).values(*columns(model)).first()
    return None if row is None else {k: json_safe(v) for k, v in row.items()}


def _partial_dates(model: type[models.Model]) -> list[str]:
    names = {f.attname for f in model._meta.concrete_fields}
    stems = [n.removesuffix("_date") for n in names if n.endswith("_date")]
    return [stem for stem in stems if f"{stem}_precision" in names]


def readable(model: type[models.Model], row: Values | None) -> Values:
    """A row for people: partial dates as one "2021-06" value, FKs by field name (as ids),
    bookkeeping columns left out."""
    if row is None:
        return {}
    out = dict(row)
    for stem in _partial_dates(model):
        day, precision = out.pop(f"{stem}_date", None), out.pop(f"{stem}_precision", "")
        out[stem] = (
            PartialDate.from_parts(dt.date.fromisoformat(day), precision or "day").isoformat()
            if day
            else None
        )
    for field in model._meta.concrete_fields:
        if field.is_relation and field.attname in out:
            out[field.name] = out.pop(field.attname)
    return {k: v for k, v in out.items() if k not in BOOKKEEPING}


def diff(model: type[models.Model], before: Values | None, after: Values | None) -> Values:
    """{field: [before, after]} for the fields that differ; a creation lists what was set."""
    old, new = readable(model, before), readable(model, after)
    if before is None:
        return {k: [None, v] for k, v in new.items() if v not in (None, "", [], {})}
    if after is None:
        return {k: [v, None] for k, v in old.items() if v not in (None, "", [], {})}
    names = sorted(new.keys() | old.keys())
    return {k: [old.get(k), new.get(k)] for k in names if old.get(k) != new.get(k)}


# --- who and which batch ---------------------------------------------------------------


def _who() -> tuple[Any, str, str, str]:
    who = acting.require_actor()
    user = who.user
    if user is not None and getattr(user, "is_authenticated", False) and user.pk is not None:
        return user, user.get_username(), who.via, who.reason
    label = "anonymous" if user is not None and not who.is_system else who.via
    return None, label, who.via, who.reason


def batch_id(using: str | None = None) -> uuid.UUID:
    """The id shared by every entry the current act writes in one database transaction.

    The act (core.acting) carries it: drawn at its first entry in a transaction and
    forgotten when that transaction commits, so the act's next transaction has its own.
    Every call asks to forget it on commit: a transaction rolled back drops its requests
    (Django discards them), and the next transaction, which may then reuse the id of
    entries that no longer exist, makes its own. Outside a transaction every entry is a
    transaction, and a batch, of its own.
    """
    batch = acting.require_actor().batch
    if transaction.get_autocommit(using):
        return uuid.uuid4()
    if batch.id is None:
        batch.id = uuid.uuid4()
    drawn = batch.id

    def forget() -> None:
        if batch.id == drawn:
            batch.id = None

    transaction.on_commit(forget, using=using)
    return drawn


# --- entries ---------------------------------------------------------------------------


def _repr(instance: models.Model) -> str:
    try:
        return str(instance)[:300]
    except Exception:  # a half-built row may fail to describe itself; its key still does
        return f"{instance._meta.verbose_name} #{instance.pk}"[:300]


def entry(
    action: str,
    instance: models.Model,
    *,
    changes: Values | None = None,
    snapshot: Values | None = None,
    using: str | None = None,
) -> AuditEntry:
    """Write one entry about `instance`, as whoever is acting."""
    record = unsaved_entry(action, instance, changes=changes, snapshot=snapshot, using=using)
    record.save(using=using)
    return record


def unsaved_entry(
    action: str,
    instance: models.Model,
    *,
    changes: Values | None = None,
    snapshot: Values | None = None,
    using: str | None = None,
    batch: uuid.UUID | None = None,
) -> AuditEntry:
    """The entry `entry` would write, not yet saved (records.bulk writes many at once,
    drawing their `batch` once)."""
    user, who, via, reason = _who()
    return AuditEntry(
        user=user,
        who=who,
        via=via,
        reason=reason,
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        object_repr=_repr(instance),
        version=instance.version if is_versioned(instance) else None,
        changes=changes or {},
        snapshot=snapshot,
        batch=batch or batch_id(using),
    )


def created(instance: models.Model) -> AuditEntry:
    changes = diff(type(instance), None, row_of(instance))
    return entry(AuditEntry.Action.CREATE, instance, changes=changes)


def updated(instance: models.Model, changes: Values) -> AuditEntry:
    return entry(AuditEntry.Action.UPDATE, instance, changes=changes)


# --- parts of a record: citations, variants, many-to-many links ------------------------


def owner_of(part: models.Model) -> models.Model | None:
    """The record a citation or variant belongs to."""
    model = ContentType.objects.get_for_id(part.content_type_id).model_class()
    return None if model is None else model._base_manager.filter(pk=part.object_id).first()


def sources_of(content_type_id: int, object_id: Any) -> list[str]:
    """The keys of the sources a record cites, in citing order ("key (locator)")."""
    rows = (
        Citation.objects.filter(content_type_id=content_type_id, object_id=object_id)
        .order_by("id")
        .values_list("source__key", "locator")
    )
    return [f"{key} ({locator})" if locator else key for key, locator in rows]


def variants_of(content_type_id: int, object_id: Any) -> list[Values]:
    """The variants a record carries, with the keys of their sources."""
    found = Variant.objects.filter(content_type_id=content_type_id, object_id=object_id)
    return variants_state(found.prefetch_related("sources"))


def variants_state(variants: Iterable[Variant]) -> list[Values]:
    """Variants (with their sources prefetched) as the trail shows them."""
    return [
        {
            "field": v.field,
            "value": v.value,
            "note": v.note,
            "sources": sorted(s.key for s in v.sources.all()),
        }
        for v in sorted(variants, key=lambda v: (v.field, v.value))
    ]


def part_state(part_model: type[models.Model], content_type_id: int, object_id: Any) -> Any:
    """A record's sources (for a citation) or variants (for a variant), as the trail shows them."""
    if part_model is Citation:
        return sources_of(content_type_id, object_id)
    return variants_of(content_type_id, object_id)


def part_changed(record: models.Model, name: str, before: Any, after: Any) -> AuditEntry | None:
    """Record a change of a record's sources, variants or links, if there was one."""
    if before == after:
        return None
    return updated(record, {name: [json_safe(before), json_safe(after)]})


# --- deletions: everything needed to bring the rows back --------------------------------


def _links(model: type[models.Model], pks: list) -> dict[Any, dict[str, list[Values]]]:
    """Per row: the rows of many-to-many tables that point at it, from either side."""
    sides = [(f.remote_field.through, f.m2m_field_name()) for f in model._meta.many_to_many] + [
        (rel.field.remote_field.through, rel.field.m2m_reverse_field_name())
        for rel in model._meta.related_objects
        if rel.many_to_many
    ]
    out: dict[Any, dict[str, list[Values]]] = {}
    for through, side in sides:
        if not through._meta.auto_created:
            continue  # an explicit through model holds records of its own, deleted as such
        column = through._meta.get_field(side).attname
        names = [f.attname for f in through._meta.concrete_fields if not f.primary_key]
        for row in through._base_manager.filter(**{f"{column}__in": pks}).values(*names):
            out.setdefault(row[column], {}).setdefault(through._meta.label, []).append(
                json_safe(row)
            )
    return out


def snapshots(model: type[models.Model], pks: Iterable) -> list[tuple[models.Model, Values]]:
    """For each row: an unsaved copy (to describe it) and its snapshot (to restore it).

    A snapshot holds every column, the row's citations and variants, and its rows in
    many-to-many tables: what the deletion takes away with it.
    """
    pks = list(pks)
    key = model._meta.pk.attname
    rows = {r[key]: r for r in model._base_manager.filter(pk__in=pks).values(*columns(model))}
    citations: dict[Any, list[Values]] = {}
    variants: dict[Any, list[Values]] = {}
    if issubclass(model, Sourced):
        ct = ContentType.objects.get_for_model(model)
        for c in Citation.objects.filter(content_type=ct, object_id__in=pks).order_by("id"):
            citations.setdefault(c.object_id, []).append(
                {"source": c.source_id, "locator": c.locator}
            )
        found = Variant.objects.filter(content_type=ct, object_id__in=pks)
        for v in found.prefetch_related("sources"):
            variants.setdefault(v.object_id, []).append(
                {"field": v.field, "value": v.value, "note": v.note,
                 "sources": sorted(s.pk for s in v.sources.all())}
            )  # fmt: skip
    links = _links(model, pks)
    out = []
    for pk in pks:
        row = rows.get(pk)
        if row is None:
            continue
        snapshot = {
            "model": model._meta.label_lower,
            "fields": {k: json_safe(v) for k, v in row.items()},
            "citations": citations.get(pk, []),
            "variants": variants.get(pk, []),
            "links": links.get(pk, {}),
        }
        out.append((model(**row), snapshot))
    return out


def _m2m_of(through: type[models.Model]) -> tuple[type[models.Model], models.Field, str, str]:
    """For a many-to-many table: the model holding the field, the field, and the columns
    naming the holder and the target."""
    owner = through._meta.auto_created
    field = next(f for f in owner._meta.many_to_many if f.remote_field.through is through)
    holder = through._meta.get_field(field.m2m_field_name()).attname
    target = through._meta.get_field(field.m2m_reverse_field_name()).attname
    return owner, field, holder, target


def links_changed(
    links: Iterable[tuple[str, Values]], *, skip: set[tuple[str, Any]], removed: bool
) -> list[tuple[models.Model, str, list, list]]:
    """The records that lose (or regain) many-to-many links when rows go (or come back):
    (record, field, ids before, ids after), for records not themselves in `skip`
    ((model label, pk) of the rows deleted or restored, which have entries of their own)."""
    touched: dict[tuple[type[models.Model], Any, str], set] = {}
    for label, row in links:
        owner, field, holder, target = _m2m_of(apps.get_model(label))
        if (owner._meta.label, row[holder]) in skip:
            continue
        touched.setdefault((owner, row[holder], field.name), set()).add(row[target])
    out = []
    for (owner, pk, name), ids in touched.items():
        record = owner._base_manager.filter(pk=pk).first()
        if record is None:
            continue
        now = set(getattr(record, name).values_list("pk", flat=True))
        before, after = (now, now - ids) if removed else (now - ids, now)
        out.append((record, name, sorted(before), sorted(after)))
    return out


def deleted(instance: models.Model, snapshot: Values) -> AuditEntry:
    """The deletion of a row, with what it was (readable) and its snapshot (to restore it)."""
    changes = diff(type(instance), snapshot["fields"], None)
    if snapshot["citations"]:
        keys = dict(
            Source.objects.filter(pk__in=[c["source"] for c in snapshot["citations"]]).values_list(
                "pk", "key"
            )
        )
        changes["sources"] = [[keys.get(c["source"]) for c in snapshot["citations"]], None]
    if snapshot["variants"]:
        changes["variants"] = [[f"{v['field']}: {v['value']}" for v in snapshot["variants"]], None]
    return entry(AuditEntry.Action.DELETE, instance, changes=changes, snapshot=snapshot)
