"""Bulk writing for the generator: rows in chunks, their citations and audit entries.

Rows are plain dicts of column values (attnames: `body_id`, `start_date`), written
many at a time: one `executemany` per chunk on SQLite, COPY on PostgreSQL. Neither
makes a model instance per row, which at a million documents is most of the time
bulk_create takes. Values are adapted for the database by the same operations
Django's fields use (`connection.ops.adapt_*`). Ids are given here, counting from
one in each table of an empty database, so the same seed gives the same ids;
`finish()` moves the databases' sequences past them.

Every Sourced row cites the synthetic source (`cite`); every top-level record gets
one audit entry (`audit`), as the loader would leave, all in one batch. Foreign
keys are checked at commit (Django makes them deferrable), so tables may be
written in any order inside the transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models

from secretariat.audit.models import AuditEntry
from secretariat.core.models import Citation, Sourced

CHUNK = 5000
_MISSING = object()


class Table:
    """How rows of one model are written: columns, defaults, adapters, a buffer."""

    def __init__(self, model: type[models.Model], *, now: dt.datetime):
        self.model = model
        self.label = model._meta.label
        self.sourced = issubclass(model, Sourced)
        ops = connection.ops
        fields = list(model._meta.concrete_fields)
        self.index = {f.attname: i for i, f in enumerate(fields)}
        self.adapters: list[Callable[[Any], Any] | None] = [_adapter(f, ops) for f in fields]
        template: list[Any] = []
        for f, adapt in zip(fields, self.adapters, strict=True):
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = now
            elif f.has_default():
                default = f.get_default()
            elif f.null:
                default = None
            elif f.empty_strings_allowed and f.blank and not f.primary_key:
                default = ""
            else:
                default = _MISSING
            if adapt is not None and default is not None and default is not _MISSING:
                default = adapt(default)
            template.append(default)
        self.template = template
        self.required = [i for i, value in enumerate(template) if value is _MISSING]
        self.rows: list[list] = []
        quoted = ", ".join(ops.quote_name(f.column) for f in fields)
        table = ops.quote_name(model._meta.db_table)
        self.insert_sql = (
            f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(fields))})"
        )
        self.copy_sql = f"COPY {table} ({quoted}) FROM STDIN"

    def row(self, values: dict[str, Any]) -> list:
        out = self.template.copy()
        index, adapters = self.index, self.adapters
        for name, value in values.items():
            i = index[name]
            adapt = adapters[i]
            out[i] = value if adapt is None or value is None else adapt(value)
        for i in self.required:
            if out[i] is _MISSING:
                name = next(n for n, j in index.items() if j == i)
                raise KeyError(f"{self.label}: no value for {name}")
        return out

    def write(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.insert_sql, rows)


def _adapter(field: models.Field, ops) -> Callable[[Any], Any] | None:
    """The conversion a value needs before it is sent (None: sent as it is)."""
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, cls=field.encoder)
    if isinstance(field, models.DecimalField | models.UUIDField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


class Writer:
    """Collects rows per table and writes each table's rows a chunk at a time."""

    def __init__(self, *, now: dt.datetime, source_id: int, batch: uuid.UUID, reason: str):
        self.now = now
        self.source_id = source_id
        self.batch = batch
        self.reason = reason
        self.tables: dict[type[models.Model], Table] = {}
        self.next_ids: dict[type[models.Model], int] = {}
        self.counts: Counter[str] = Counter()
        self._types: dict[type[models.Model], int] = {}

    def table(self, model: type[models.Model]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, now=self.now)
        return self.tables[model]

    def content_type_id(self, model: type[models.Model]) -> int:
        if model not in self._types:
            self._types[model] = ContentType.objects.get_for_model(model).pk
        return self._types[model]

    def new_id(self, model: type[models.Model]) -> int:
        pk = self.next_ids.get(model, 1)
        self.next_ids[model] = pk + 1
        return pk

    def add(self, model: type[models.Model], values: dict[str, Any]) -> int:
        """Queue one row (an id is given when it has none); returns its id. A Sourced row
        cites the synthetic source."""
        if values.get("id") is None:
            values["id"] = self.new_id(model)
        table = self.tables.get(model) or self.table(model)
        table.rows.append(table.row(values))
        self.counts[table.label] += 1
        if len(table.rows) >= CHUNK:
            table.write()
        if table.sourced:
            self.cite(model, values["id"])
        return values["id"]

    def cite(self, model: type[models.Model], pk: int) -> None:
        self.add(
            Citation,
            {"content_type_id": self.content_type_id(model), "object_id": pk,
             "source_id": self.source_id},
        )  # fmt: skip

    def audit(self, model: type[models.Model], pk: int, text: str) -> None:
        """The entry of one top-level record: created by the command (its parts, the rows
        that belong to it, are covered by it)."""
        self.add(
            AuditEntry,
            {
                "at": self.now, "user_id": None, "who": "generate-synthetic", "via": "command",
                "reason": self.reason, "action": AuditEntry.Action.CREATE,
                "content_type_id": self.content_type_id(model), "object_id": pk,
                "object_repr": text[:300], "version": 1, "changes": {}, "snapshot": None,
                "batch": self.batch,
            },
        )  # fmt: skip

    def record(self, model: type[models.Model], values: dict[str, Any], text: str) -> int:
        """A top-level record: its row, its citation and its audit entry."""
        pk = self.add(model, values)
        self.audit(model, pk, text)
        return pk

    def flush(self) -> None:
        for table in self.tables.values():
            table.write()

    def finish(self) -> None:
        """Write what is left and move the sequences past the ids given."""
        self.flush()
        written = [m for m in self.tables]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), written):
                cursor.execute(sql)
