"""Writes shared by every app: saving validated records, citing sources, variants."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from secretariat.accounts.policy import require_write

from .models import Citation, Organization, Source, Variant


class Outcome(enum.StrEnum):
    """What a create-or-update service did, for loaders to count."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def validated_save(instance: models.Model) -> None:
    """Validate then save: the one way services, the admin and loaders persist a row.

    Check constraints are left to the database: Django would spend a query on each
    to test it, and every one of them restates a rule that clean() already words
    for people. Unique constraints are checked here, for their messages.
    """
    require_write(instance)
    instance.full_clean(validate_constraints=False)
    validate_unique_constraints(instance)
    instance.save()


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


def record_delete(instance: models.Model) -> None:
    """The one way a record is deleted (protected references refuse it with a message)."""
    require_write(instance)
    instance.delete()


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
    """Make the record cite exactly these sources, in this order; True if anything changed."""
    require_write(record)
    ordered = list(dict.fromkeys(s.pk for s in sources))
    wanted = set(ordered)
    if not wanted:
        raise ValidationError("Every record needs at least one source.", code="no_source")
    ct = ContentType.objects.get_for_model(record)
    current = set(
        Citation.objects.filter(content_type=ct, object_id=record.pk).values_list(
            "source_id", flat=True
        )
    )
    if current == wanted:
        return False
    if current - wanted:
        Citation.objects.filter(
            content_type=ct, object_id=record.pk, source_id__in=current - wanted
        ).delete()
    Citation.objects.bulk_create(
        Citation(content_type=ct, object_id=record.pk, source_id=pk)
        for pk in ordered
        if pk not in current
    )
    return True


@transaction.atomic
def variants_set(
    *, record: models.Model, variants: Iterable[Mapping[str, Any]], created: bool = False
) -> bool:
    """Make the record carry exactly these variants ({field, value, note, sources}).

    `created`: the record was made just now, so it has none yet to compare with.
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
            validated_save(variant)
            changed = True
        if {s.pk for s in variant.sources.all()} != {s.pk for s in sources}:
            variant.sources.set(sources)
            changed = True
    stale = [v.pk for key, v in existing.items() if key not in seen]
    if stale:
        Variant.objects.filter(pk__in=stale).delete()
        changed = True
    return changed


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
