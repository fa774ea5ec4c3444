"""Creating many new records at once (imports): the checks, rows and audit trail that
sourced_upsert gives one new record, in a few statements per batch instead of a dozen
per record.

`Creations.add` checks a new record as validated_save does (the acting user's right to
write it, full_clean) but for what needs the rows beside it: its references to records
that are themselves waiting to be created, and its uniqueness, which the database
checks when the batch is written. Nothing is written then, so the checks can run
before the writing transaction begins. `flush`, inside that transaction, writes the
waiting records (each after the records it points at or cites), their citations and
their trail entries (created, then its sources), as sourced_upsert would, and sends
each row's pre_save and post_save, so that the search index and the read models follow
(read models once per batch). Should the database refuse a batch, it is written again
one row at a time with validated_save's checks, to say which row and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, router, transaction
from django.db.models.signals import post_save, pre_save

from secretariat.accounts.policy import require_write
from secretariat.audit import trail
from secretariat.audit.models import AuditEntry
from secretariat.core import readmodels
from secretariat.core.models import Citation, Source

from .services import validate_unique_constraints


class CreationRefused(Exception):
    """The database refused a waiting record: `tag` is what the caller gave with it."""

    def __init__(self, tag: Any, error: Exception):
        self.tag, self.error = tag, error
        super().__init__(str(error))


@dataclass
class _Waiting:
    instance: models.Model
    sources: list[Source] | None  # None: a record that cites nothing (a source itself)
    tag: Any


class Creations:
    """New records waiting to be written together; see the module's docstring."""

    def __init__(self):
        self._waiting: list[_Waiting] = []
        self._sources: dict[int, list[Source]] = {}  # id(instance) -> the sources it cites

    def __len__(self) -> int:
        return len(self._waiting)

    def add(
        self,
        instance: models.Model,
        *,
        sources: Iterable[Source] | None = None,
        tag: Any = None,
    ) -> models.Model:
        """Check a new record and keep it to be written; ValidationError (or
        PermissionDenied) as validated_save would raise them."""
        require_write(instance)
        if sources is not None:
            sources = list({id(s): s for s in sources}.values())
            if not sources:
                raise ValidationError("Every record needs at least one source.", code="no_source")
        waiting = [f.name for f in _waiting_references(instance)]
        instance.full_clean(exclude=waiting, validate_unique=False, validate_constraints=False)
        self._waiting.append(_Waiting(instance, sources, tag))
        if sources is not None:
            self._sources[id(instance)] = sources
        return instance

    def sources_of(self, instance: models.Model) -> list[Source]:
        """The sources a waiting (or just written) record cites."""
        return list(self._sources.get(id(instance), []))

    def flush(self) -> int:
        """Write every waiting record (inside the caller's transaction); the rows written.
        CreationRefused if the database refuses one."""
        written = 0
        with readmodels.deferred():
            while self._waiting:
                ready = [w for w in self._waiting if _ready(w)]
                if not ready:
                    raise ValueError("records waiting on each other: nothing can be written")
                chosen = {id(w) for w in ready}
                self._waiting = [w for w in self._waiting if id(w) not in chosen]
                by_model: dict[type[models.Model], list[_Waiting]] = {}
                for w in ready:
                    by_model.setdefault(type(w.instance), []).append(w)
                for model, group in by_model.items():
                    _write(model, group)
                    written += len(group)
        return written


def _waiting_references(instance: models.Model) -> list[models.Field]:
    """The foreign keys of `instance` set to a record not yet written."""
    return [
        f
        for f in instance._meta.concrete_fields
        if f.is_relation
        and f.is_cached(instance)
        and (target := f.get_cached_value(instance)) is not None
        and target.pk is None
    ]


def _ready(waiting: _Waiting) -> bool:
    refs = _waiting_references(waiting.instance)
    return not refs and all(s.pk is not None for s in waiting.sources or ())


def _write(model: type[models.Model], group: list[_Waiting]) -> None:
    using = router.db_for_write(model)
    instances = [w.instance for w in group]
    for instance in instances:
        pre_save.send(model, instance=instance, raw=False, using=using, update_fields=None)
    try:
        with transaction.atomic(using=using):
            model._base_manager.using(using).bulk_create(instances)
    except DatabaseError as exc:
        _locate(group, exc, using)
    ct = ContentType.objects.get_for_model(model)
    citations = [
        Citation(content_type=ct, object_id=w.instance.pk, source_id=s.pk)
        for w in group
        for s in w.sources or ()
    ]
    _append(Citation, citations, using)
    entries = []
    batch = trail.batch_id(using)  # one for the group: one request to forget it on commit
    for w in group:
        changes = trail.diff(model, None, trail.row_of(w.instance))
        entries.append(
            trail.unsaved_entry(AuditEntry.Action.CREATE, w.instance, changes=changes, batch=batch)
        )
        if w.sources:
            keys = [s.key for s in w.sources]
            sourced = {"sources": [[], keys]}  # as citations_set says it of a new record
            entries.append(
                trail.unsaved_entry(
                    AuditEntry.Action.UPDATE, w.instance, changes=sourced, batch=batch
                )
            )
    _append(AuditEntry, entries, using)
    for rows in (instances, citations, entries):
        for row in rows:
            post_save.send(
                type(row), instance=row, created=True, raw=False, using=using, update_fields=None
            )


def _append(model: type[models.Model], rows: list[models.Model], using: str) -> None:
    """Insert rows whose keys nobody needs back (citations, trail entries) with one
    prepared statement: the same values bulk_create would write, without its per-row
    SQL. Their `pk` stays None."""
    if not rows:
        return
    connection = transaction.get_connection(using)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    values = [
        [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in fields] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _locate(group: list[_Waiting], error: DatabaseError, using: str) -> None:
    """Find the row of a refused batch: written one at a time, with the checks of
    validated_save, in a savepoint undone afterwards (the caller refuses the whole)."""
    try:
        with transaction.atomic(using=using):
            for w in group:
                try:
                    w.instance.validate_unique()
                    validate_unique_constraints(w.instance)
                    with transaction.atomic(using=using):
                        w.instance.save(force_insert=True)
                except (ValidationError, DatabaseError) as exc:
                    raise CreationRefused(w.tag, exc) from None
            raise CreationRefused(None, error)
    finally:
        for w in group:  # undone: none of them is written
            w.instance.pk = None
            w.instance._state.adding = True
