"""Writes the trail itself allows: bringing deleted records back.

A deletion keeps every row it takes away in the snapshots of its entries (one
entry per row, all in the batch of that deletion). `record_restore` re-creates
them with the same keys, so that whatever pointed at them by id finds them again.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from secretariat.accounts.policy import require_write
from secretariat.core.models import Citation, Source, Variant, is_versioned
from secretariat.records.services import validate_unique_constraints

from . import trail
from .models import AuditEntry


def _rebuilt(entry: AuditEntry) -> models.Model:
    """The deleted row as an unsaved instance, from its snapshot."""
    model = apps.get_model(entry.snapshot["model"])
    values = entry.snapshot["fields"]
    kwargs = {
        f.attname: f.to_python(values[f.attname])
        for f in model._meta.concrete_fields
        if f.attname in values
    }
    row = model(**kwargs)
    if trail.withheld(model):
        row.trail_restored()  # the model's own values for what the trail never held
    return row


def _points_at(row: models.Model, keys: set[tuple[str, Any]]) -> bool:
    """Whether the row has a foreign key to one of these (model label, pk)."""
    return any(
        (f.related_model._meta.label, getattr(row, f.attname)) in keys
        and (f.related_model is not type(row) or getattr(row, f.attname) != row.pk)
        for f in type(row)._meta.concrete_fields
        if f.is_relation and f.related_model is not None
    )


def _parents_first(rows: list[tuple[AuditEntry, models.Model]]):
    """Rows ordered so that a row comes after the rows (of this restore) it points at."""
    pending = list(rows)
    while pending:
        keys = {(type(r)._meta.label, r.pk) for _, r in pending}
        ready = [(e, r) for e, r in pending if not _points_at(r, keys)] or pending  # a cycle
        yield from ready
        pending = [p for p in pending if p not in ready]


def _refuse(entry: AuditEntry, message: str) -> ValidationError:
    return ValidationError(
        f"Cannot restore {entry.content_type.name} '{entry.object_repr}' (#{entry.object_id}): "
        f"{message}",
        code="restore_refused",
    )


def _key_taken(entry: AuditEntry, model: type[models.Model]) -> ValidationError:
    again = (
        AuditEntry.objects.filter(
            content_type=entry.content_type,
            object_id=entry.object_id,
            action__in=[AuditEntry.Action.RESTORE, AuditEntry.Action.CREATE],
            id__gt=entry.id,
        )
        .order_by("-id")
        .first()
    )
    if again is not None:
        when = timezone.localtime(again.at).strftime("%Y-%m-%d %H:%M")
        how = "restored" if again.action == AuditEntry.Action.RESTORE else "created again"
        return _refuse(entry, f"it was {how} by {again.who} at {when}.")
    return _refuse(entry, f"a {model._meta.verbose_name} with this key exists again.")


def _missing(model: type[models.Model], pks: set[Any]) -> set[Any]:
    return pks - set(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True))


@transaction.atomic
def record_restore(entry: AuditEntry) -> list[models.Model]:
    """Bring back the rows deleted with this entry's deletion (same keys, parents first),
    with their citations, variants and links; each gets a "restore" entry.

    Refused, with nothing restored, if a key is taken meanwhile, a row no longer
    passes the record's rules, or something it pointed at is gone.
    """
    if entry.action != AuditEntry.Action.DELETE or not entry.snapshot:
        raise ValidationError("Only a deletion can be undone.", code="not_a_deletion")
    entries = AuditEntry.objects.filter(batch=entry.batch, action=AuditEntry.Action.DELETE)
    rows = [(e, _rebuilt(e)) for e in entries.select_related("content_type").order_by("id")]
    restored = []
    for deletion, row in _parents_first(rows):
        model = type(row)
        if model._base_manager.filter(pk=row.pk).exists():
            raise _key_taken(deletion, model)
        require_write(row)
        try:
            row.full_clean(validate_constraints=False)
            validate_unique_constraints(row)
        except ValidationError as exc:
            raise _refuse(deletion, " ".join(exc.messages)) from None
        created_at = getattr(row, "created_at", None)
        if is_versioned(model):
            row.version += 1  # an edit begun before the deletion must not land on it
        row.save(force_insert=True)
        if created_at is not None:
            # save() stamps a new creation time; the record keeps the one it had.
            model._base_manager.filter(pk=row.pk).update(created_at=created_at)
            row.created_at = created_at
        restored.append((deletion, row))
    for deletion, row in restored:
        _restore_parts(deletion, row)
    back = {(type(row)._meta.label, row.pk) for _, row in restored}
    links = [(label, r) for d, _ in restored for label, rows in d.snapshot["links"].items()
             for r in rows]  # fmt: skip
    _restore_links([d for d, _ in restored])
    # Records that stayed and get their links to the restored rows back.
    for record, field, before, after in trail.links_changed(links, skip=back, removed=False):
        trail.part_changed(record, field, before, after)
    for deletion, row in restored:
        changes = trail.diff(type(row), None, trail.row_of(row))
        if deletion.snapshot["citations"]:
            changes["sources"] = [None, trail.sources_of(deletion.content_type_id, row.pk)]
        if deletion.snapshot["variants"]:
            changes["variants"] = [None, trail.variants_of(deletion.content_type_id, row.pk)]
        trail.entry(AuditEntry.Action.RESTORE, row, changes=changes)
    return [row for _, row in restored]


def _restore_parts(deletion: AuditEntry, row: models.Model) -> None:
    snapshot = deletion.snapshot
    wanted = {c["source"] for c in snapshot["citations"]} | {
        s for v in snapshot["variants"] for s in v["sources"]
    }
    gone = _missing(Source, wanted)
    if gone:
        raise _refuse(deletion, f"the sources it cited are gone (#{', #'.join(map(str, gone))}).")
    ct_id = deletion.content_type_id
    Citation.objects.bulk_create(
        Citation(content_type_id=ct_id, object_id=row.pk, source_id=c["source"],
                 locator=c["locator"])
        for c in snapshot["citations"]
    )  # fmt: skip
    for item in snapshot["variants"]:
        variant = Variant.objects.create(
            content_type_id=ct_id, object_id=row.pk, field=item["field"],
            value=item["value"], note=item["note"],
        )  # fmt: skip
        variant.sources.set(item["sources"])


def _restore_links(deletions: list[AuditEntry]) -> None:
    """Many-to-many rows of the restored records, where both ends exist (again)."""
    by_table: dict[str, set[tuple]] = {}
    for deletion in deletions:
        for label, rows in deletion.snapshot["links"].items():
            by_table.setdefault(label, set()).update(tuple(sorted(r.items())) for r in rows)
    for label, rows in by_table.items():
        through = apps.get_model(label)
        links = [dict(r) for r in rows]
        ends = [f for f in through._meta.concrete_fields if f.is_relation]
        gone = {
            f.attname: _missing(f.related_model, {link[f.attname] for link in links}) for f in ends
        }
        through._base_manager.bulk_create(
            [
                through(**link)
                for link in links
                if not any(link[f.attname] in gone[f.attname] for f in ends)
            ],
            ignore_conflicts=True,
        )
