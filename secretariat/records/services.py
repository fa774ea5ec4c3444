"""Writes shared by every app: saving validated records, citing sources, variants.

Every write is audited here, in the transaction of the change (audit.trail), and
an update of a versioned row is a compare-and-set on the version the edit started
from, so that no one's change is silently overwritten.
"""

from __future__ import annotations

import contextlib
import enum
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from secretariat.accounts.policy import require_write
from secretariat.audit import trail
from secretariat.audit.models import AuditEntry
from secretariat.core import acting
from secretariat.core.models import (
    Citation,
    Organization,
    ReadModel,
    Source,
    Variant,
    is_versioned,
)

logger = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    """What a create-or-update service did, for loaders to count."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class EditConflict(ValidationError):
    """The edit started from a version of the record that someone else has changed since."""

    def __init__(self, message: str, *, expected_version: int | None, current_version: int | None):
        super().__init__(message, code="edit_conflict")
        self.expected_version = expected_version
        self.current_version = current_version


def _shown(value: Any) -> str:
    """A value of the trail, quoted and cut short, for a message."""
    if value is None or value == "":
        return "empty"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return f"'{text}'" if len(text) <= 60 else f"'{text[:57]}...'"


def _conflict(model: type[models.Model], pk: Any, expected: int | None) -> EditConflict:
    """The refusal of a stale edit, saying who changed what since `expected`."""
    current = (
        model._base_manager.filter(pk=pk).values_list("version", flat=True).first()
        if is_versioned(model)
        else None
    )
    ct = ContentType.objects.get_for_model(model)
    since = AuditEntry.objects.filter(content_type=ct, object_id=pk)
    if expected is not None:
        since = since.filter(version__gt=expected)
    lines = []
    for entry in since.order_by("at", "id")[:10]:
        when = timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M")
        what = "; ".join(
            f"{name} {_shown(before)} → {_shown(after)}"
            for name, (before, after) in sorted(entry.changes.items())
        )
        lines.append(f"{entry.get_action_display().capitalize()} by {entry.who} at {when}"
                     + (f": {what}" if what and entry.action == "update" else ""))  # fmt: skip
    name = model._meta.verbose_name
    if current is None and not model._base_manager.filter(pk=pk).exists():
        head = f"This {name} was deleted since you opened it."
    else:
        head = (
            f"This {name} was changed by someone else since you opened it "
            f"(you started from version {expected}; it is now at version {current})."
        )
    tail = "Reload it and make your change again."
    message = " ".join([head, *(line + "." for line in lines), tail])
    return EditConflict(message, expected_version=expected, current_version=current)


def require_version(instance: models.Model, expected: int, *, lock: bool = False) -> None:
    """Refuse with EditConflict unless the stored row is still at version `expected`.

    `lock`: inside a transaction, hold the row until it ends, so that the save that
    follows cannot meet a change made in between (a form checked, then saved).
    """
    model = type(instance)
    rows = model._base_manager.filter(pk=instance.pk)
    if lock and transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    current = rows.values_list("version", flat=True).first()
    if current != expected:
        raise _conflict(model, instance.pk, expected)


def validated_save(instance: models.Model, *, expected_version: int | None = None) -> None:
    """Validate then save: the one way services, the admin and loaders persist a row.

    Check constraints are left to the database: Django would spend a query on each
    to test it, and every one of them restates a rule that clean() already words
    for people. Unique constraints are checked here, for their messages.

    An update of a versioned row lands only if the row is still at the version the
    edit started from: `expected_version` (sent by a client), else the instance's
    `version` as loaded; otherwise EditConflict says who changed what meanwhile.
    """
    with refusals_logged("save", instance):
        require_write(instance)
        instance.full_clean(validate_constraints=False)
        validate_unique_constraints(instance)
        with transaction.atomic(using=router.db_for_write(type(instance), instance=instance)):
            _write(instance, expected_version)


@contextlib.contextmanager
def refusals_logged(verb: str, instance: models.Model):
    """Log a refused write at INFO (who, through what, which record, why), then let the
    refusal go on to the caller, who words it for the user."""
    try:
        yield
    except (
        PermissionDenied,
        ValidationError,
        models.ProtectedError,
        models.RestrictedError,
    ) as exc:
        who = acting.current()
        user = getattr(who.user, "pk", None)
        reason = "; ".join(getattr(exc, "messages", None) or [str(exc)])
        logger.info(
            "write refused",
            extra={
                "verb": verb,
                "record": instance._meta.label_lower,
                "record_id": instance.pk,
                "refusal": type(exc).__name__,
                "reason": reason[:300],
                "user_id": user,
                "via": who.via or "nobody",
            },
        )
        raise


def _write(instance: models.Model, expected_version: int | None, *, audit: bool = True) -> None:
    model = type(instance)
    part = trail.PARTS.get(model)
    if part is not None and audit:
        owner = trail.owner_of(instance)
        before = trail.part_state(model, instance.content_type_id, instance.object_id)
        _write(instance, None, audit=False)
        after = trail.part_state(model, instance.content_type_id, instance.object_id)
        if owner is not None:
            trail.part_changed(owner, part, before, after)
        return
    if instance._state.adding:
        instance.save()
        if audit:
            trail.created(instance)
        return
    before = trail.stored_row(model, instance.pk)
    versioned = is_versioned(model)
    expected = None
    if versioned:
        expected = instance.version if expected_version is None else expected_version
        if before is None or before["version"] != expected:
            raise _conflict(model, instance.pk, expected)
    elif before is None:
        raise _conflict(model, instance.pk, None)
    changes = trail.diff(model, before, trail.row_of(instance))
    if not changes:
        return  # nothing to write: no new version, no entry
    if versioned:
        # Compare-and-set: claim the next version only if the row is still at the one
        # the edit started from. The UPDATE holds the row to the end of the transaction,
        # so the save below writes over no one's change.
        claimed = model._base_manager.filter(pk=instance.pk, version=expected)
        if not claimed.update(version=expected + 1):
            raise _conflict(model, instance.pk, expected)
        instance.version = expected + 1
    instance.save(force_update=True)
    if audit:
        trail.updated(instance, changes)


def validate_unique_constraints(instance: models.Model) -> None:
    """Raise the messages of the unique constraints the row would break."""
    errors: dict[str, list] = {}
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            if not isinstance(constraint, models.UniqueConstraint):
                continue
            try:
                constraint.validate(model, instance)
            except ValidationError as exc:
                exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def record_delete(instance: models.Model, *, expected_version: int | None = None) -> None:
    """The one way a record is deleted (protected references refuse it with a message).

    The deleted row and every row deleted with it (its citations, variants, links
    and cascaded parts) are kept in the audit trail, from which audit.services.
    record_restore brings them back.
    """
    with refusals_logged("delete", instance):
        _delete(instance, expected_version)


def _delete(instance: models.Model, expected_version: int | None) -> None:
    require_write(instance)
    model = type(instance)
    using = router.db_for_write(model, instance=instance)
    with transaction.atomic(using=using):
        if expected_version is not None and is_versioned(model):
            require_version(instance, expected_version)
        part = trail.PARTS.get(model)
        if part is not None:
            owner = trail.owner_of(instance)
            before = trail.part_state(model, instance.content_type_id, instance.object_id)
            instance.delete()
            after = trail.part_state(model, instance.content_type_id, instance.object_id)
            if owner is not None:
                trail.part_changed(owner, part, before, after)
            return
        collector = Collector(using=using, origin=instance)
        collector.collect([instance])  # raises ProtectedError before anything is written
        rows = [
            (copy, snapshot)
            for cascaded, pks in _deleted_rows(collector, instance)
            for copy, snapshot in trail.snapshots(cascaded, pks)
        ]
        gone = {(type(copy)._meta.label, copy.pk) for copy, _ in rows}
        links = [(label, r) for _, snap in rows for label, found in snap["links"].items()
                 for r in found]  # fmt: skip
        # Records that stay but lose links to the deleted rows: that is a change of theirs.
        losses = trail.links_changed(links, skip=gone, removed=True)
        for copy, snapshot in rows:
            trail.deleted(copy, snapshot)
        collector.delete()
        for record, field, before, after in losses:
            trail.part_changed(record, field, before, after)


def _deleted_rows(collector: Collector, root: models.Model):
    """(model, pks) of the rows the collector will delete, the root first; citations,
    variants and many-to-many rows are kept inside their record's snapshot instead, and
    read models are left out."""
    found: dict[type[models.Model], list] = {type(root): [root.pk]}
    for qs in collector.fast_deletes:
        found.setdefault(qs.model, []).extend(qs.values_list("pk", flat=True))
    for cascaded, objs in collector.data.items():
        found.setdefault(cascaded, []).extend(o.pk for o in objs if o is not root)
    for cascaded, pks in found.items():
        if cascaded._meta.auto_created or cascaded in trail.PARTS:
            continue
        if issubclass(cascaded, ReadModel):  # derived: a restore's receivers rebuild it
            continue
        yield cascaded, list(dict.fromkeys(pks))


def assign(instance: models.Model, values: Mapping[str, Any]) -> bool:
    """Set attributes (fields or partial-date properties); True if any value changed."""
    changed = False
    for name, value in values.items():
        before = getattr(instance, name)
        setattr(instance, name, value)
        if getattr(instance, name) != before:
            changed = True
    return changed


def upsert(
    model: type[models.Model], *, lookup: Mapping[str, Any], values: Mapping[str, Any]
) -> tuple[models.Model, Outcome]:
    """Find the row by its natural key, create or update it, validated."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model()
        for name, value in {**lookup, **values}.items():
            setattr(instance, name, value)
        validated_save(instance)
        return instance, Outcome.CREATED
    if assign(instance, values):
        validated_save(instance)
        return instance, Outcome.UPDATED
    return instance, Outcome.UNCHANGED


@transaction.atomic
def source_upsert(*, key: str, title: str, **values: Any) -> tuple[Source, Outcome]:
    """Create or update the source with this key."""
    return upsert(Source, lookup={"key": key}, values={"title": title, **values})


@transaction.atomic
def source_rename(*, old_key: str, key: str) -> Outcome:
    """Give the source known by `old_key` the key `key`, keeping every record that cites it
    (a dataset renaming a source: a database loaded before keeps its row).

    Where a source with the new key is on record already, the records citing the old one
    cite it instead (a citation's locator is not carried over), and the old one goes.
    Nothing to do when no source has the old key.
    """
    old = Source.objects.filter(key=old_key).first()
    if old is None:
        return Outcome.UNCHANGED
    new = Source.objects.filter(key=key).first()
    if new is None:
        old.key = key
        validated_save(old)
        return Outcome.UPDATED
    for ct_id, object_id in (
        Citation.objects.filter(source=old).values_list("content_type", "object_id").distinct()
    ):
        record = ContentType.objects.get_for_id(ct_id).get_object_for_this_type(pk=object_id)
        cited = Citation.objects.filter(content_type_id=ct_id, object_id=object_id)
        sources = [new if c.source_id == old.pk else c.source for c in cited.order_by("id")]
        citations_set(record=record, sources=sources)
    holders = {(v.content_type_id, v.object_id) for v in Variant.objects.filter(sources=old)}
    for ct_id, object_id in holders:
        record = ContentType.objects.get_for_id(ct_id).get_object_for_this_type(pk=object_id)
        kept = Variant.objects.filter(content_type_id=ct_id, object_id=object_id)
        items = [
            {"field": v.field, "value": v.value, "note": v.note,
             "sources": [new if s.pk == old.pk else s for s in v.sources.all()]}
            for v in kept.prefetch_related("sources")
        ]  # fmt: skip
        variants_set(record=record, variants=items)
    record_delete(old)
    return Outcome.UPDATED


@transaction.atomic
def organization_upsert(
    *,
    slug: str,
    sources: Iterable[Source],
    variants: Iterable[Mapping[str, Any]] = (),
    **values: Any,
) -> tuple[Organization, Outcome]:
    """Create or update the organization whose record this is."""
    return sourced_upsert(
        Organization, lookup={"slug": slug}, values=values, sources=sources, variants=variants
    )


@transaction.atomic
def source_target_set(*, source: Source, target: models.Model | None) -> Outcome:
    """Make the source stand for a record held in the system (a meeting, a document)."""
    if target is not None and target.pk is None:
        raise ValidationError("A source can only point at a saved record.")
    wanted = (ContentType.objects.get_for_model(target).pk, target.pk) if target else (None, None)
    if (source.target_type_id, source.target_id) == wanted:
        return Outcome.UNCHANGED
    source.target_type_id, source.target_id = wanted
    validated_save(source)
    return Outcome.UPDATED


@transaction.atomic
def source_for_record(*, record: models.Model, title: str) -> Source:
    """The source that stands for a record held here (e.g. a procedure whose outcome
    is cited by the lifecycle event it wrote); made once, then reused."""
    ct = ContentType.objects.get_for_model(record)
    key = f"{ct.app_label}-{ct.model}-{record.pk}"
    source = Source.objects.filter(key=key).first()
    if source is None:
        source = Source(key=key, title=title, target_type=ct, target_id=record.pk)
        validated_save(source)
    return source


def sources_by_key(keys: Iterable[str]) -> list[Source]:
    """The sources with these keys, in the order given; unknown keys are refused."""
    keys = list(keys)
    found = {s.key: s for s in Source.objects.filter(key__in=keys)}
    missing = [k for k in keys if k not in found]
    if missing:
        raise ValidationError(f"Unknown source: {', '.join(missing)}.", code="unknown_source")
    return [found[k] for k in keys]


@transaction.atomic
def citations_set(*, record: models.Model, sources: Iterable[Source]) -> bool:
    """Make the record cite exactly these sources, in this order; True if anything changed.

    Audited as a change of the record's "sources" (keys, in citing order).
    """
    require_write(record)
    sources = list({s.pk: s for s in sources}.values())
    wanted = {s.pk for s in sources}
    if not wanted:
        raise ValidationError("Every record needs at least one source.", code="no_source")
    ct = ContentType.objects.get_for_model(record)
    cited = list(
        Citation.objects.filter(content_type=ct, object_id=record.pk)
        .order_by("id")
        .values_list("source_id", "source__key", "locator")
    )
    current = {pk for pk, _, _ in cited}
    if current == wanted:
        return False
    if current - wanted:
        Citation.objects.filter(
            content_type=ct, object_id=record.pk, source_id__in=current - wanted
        ).delete()
    Citation.objects.bulk_create(
        Citation(content_type=ct, object_id=record.pk, source_id=s.pk)
        for s in sources
        if s.pk not in current
    )
    before = [f"{key} ({locator})" if locator else key for _, key, locator in cited]
    after = [
        f"{key} ({locator})" if locator else key for pk, key, locator in cited if pk in wanted
    ] + [s.key for s in sources if s.pk not in current]
    trail.part_changed(record, "sources", before, after)
    return True


@transaction.atomic
def variants_set(
    *, record: models.Model, variants: Iterable[Mapping[str, Any]], created: bool = False
) -> bool:
    """Make the record carry exactly these variants ({field, value, note, sources}).

    `created`: the record was made just now, so it has none yet to compare with.
    Audited as one change of the record's "variants".
    """
    require_write(record)
    variants = list(variants)
    if not variants and created:
        return False
    ct = ContentType.objects.get_for_model(record)
    existing = {
        (v.field, v.value): v
        for v in Variant.objects.filter(content_type=ct, object_id=record.pk).prefetch_related(
            "sources"
        )
    }
    before = trail.variants_state(existing.values())
    changed = False
    seen = set()
    for item in variants:
        field, value = str(item["field"]), str(item["value"])
        if not hasattr(record, field):
            raise ValidationError(f"A variant names '{field}', which this record does not have.")
        sources = list(item.get("sources") or [])
        if not sources:
            raise ValidationError(f"The variant of '{field}' needs a source.", code="no_source")
        seen.add((field, value))
        variant = existing.get((field, value))
        if variant is None:
            variant = Variant(content_type=ct, object_id=record.pk, field=field, value=value)
        note = str(item.get("note") or "")
        if variant.pk is None or variant.note != note:
            variant.note = note
            require_write(variant)
            variant.full_clean(validate_constraints=False)
            validate_unique_constraints(variant)
            _write(variant, None, audit=False)  # audited below, as a change of the record
            changed = True
        if {s.pk for s in variant.sources.all()} != {s.pk for s in sources}:
            variant.sources.set(sources)
            changed = True
    stale = [v.pk for key, v in existing.items() if key not in seen]
    if stale:
        Variant.objects.filter(pk__in=stale).delete()
        changed = True
    if changed:
        trail.part_changed(record, "variants", before, trail.variants_of(ct.pk, record.pk))
    return changed


@transaction.atomic
def links_set(*, record: models.Model, field: str, targets: Iterable[Any]) -> bool:
    """Make a many-to-many field of the record link exactly these rows (or their ids);
    True if it changed. Audited as a change of that field (ids, sorted)."""
    require_write(record)
    manager = getattr(record, field)
    wanted = {t.pk if isinstance(t, models.Model) else t for t in targets}
    current = set(manager.values_list("pk", flat=True))
    if current == wanted:
        return False
    manager.set(wanted)
    trail.part_changed(record, field, sorted(current), sorted(wanted))
    return True


def sourced_upsert(
    model: type[models.Model],
    *,
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    sources: Iterable[Source],
    variants: Iterable[Mapping[str, Any]] = (),
) -> tuple[models.Model, Outcome]:
    """upsert() for a Sourced record, then set its citations and variants.

    Call inside a transaction: a refused citation or variant must undo the row too.
    """
    sources = list(sources)
    if not sources:
        raise ValidationError("Every record needs at least one source.", code="no_source")
    instance, outcome = upsert(model, lookup=lookup, values=values)
    touched = citations_set(record=instance, sources=sources)
    created = outcome is Outcome.CREATED
    touched = variants_set(record=instance, variants=variants, created=created) or touched
    if touched and outcome is Outcome.UNCHANGED:
        outcome = Outcome.UPDATED
    return instance, outcome
