"""Writes to the index: the entries of some records, or of all, computed afresh.

The index is a read model. Nothing edits it but these functions, which derive every
entry from the records, so running them twice changes nothing and `reindex` can
always rebuild it. Entries are written in bulk, without the services' validation
and write policy: they are derived data, written by the system in the transaction of
a write the policy already allowed (search.receivers).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping

from django.db import connection, transaction

from .backends import backend
from .entries import BUILDERS, MODELS
from .models import SearchEntry

BATCH = 200
REBUILD_BATCH = 2000  # rebuilding a million documents: fewer, larger batches
_KEY = ["kind", "object_id", "language", "part"]
_VALUES = ["key", "url", "title", "text", "year", "status", "body", "document"]
Progress = Callable[[str, int, int], None]  # (kind, records done, records in all)


def _index_batch(kind: str, ids: list[int]) -> int:
    entries = BUILDERS[kind](ids)
    if entries:
        # An upsert, so that two commits indexing the same record at once both succeed.
        SearchEntry.objects.bulk_create(
            entries, update_conflicts=True, unique_fields=_KEY, update_fields=_VALUES
        )
    kept = [e.pk for e in entries]
    SearchEntry.objects.filter(kind=kind, object_id__in=ids).exclude(pk__in=kept).delete()
    backend().synced(kept)
    return len(entries)


@transaction.atomic
def index(targets: Mapping[str, Iterable[int]]) -> int:
    """Bring the entries of these records ({kind: ids}) up to date; a record that no
    longer exists loses its entries. Returns the number of entries written."""
    written = 0
    for kind, ids in targets.items():
        ids = sorted(set(ids))
        for start in range(0, len(ids), BATCH):
            written += _index_batch(kind, ids[start : start + BATCH])
    return written


def _max_params() -> int:
    """How many parameters one statement may carry on this database."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        try:
            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except AttributeError:  # Python before 3.11
            return connection.features.max_query_params
    return connection.features.max_query_params or 65535


def _insert_new(kind: str, ids: list[int], entries: list[SearchEntry]) -> int:
    """Write the entries of records that have none yet (as after emptying the index):
    plain inserts of many rows a statement, without the upsert and the clean-up. (On
    SQLite the triggers fill the FTS5 table; one statement for many rows lets FTS5
    merge their terms at once, about three times faster than a statement a row.)"""
    if not entries:
        return 0
    fields = [f for f in SearchEntry._meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    head = (
        f"INSERT INTO {ops.quote_name(SearchEntry._meta.db_table)} "
        f"({', '.join(ops.quote_name(f.column) for f in fields)}) VALUES "
    )
    one = f"({', '.join(['%s'] * len(fields))})"
    names = [f.attname for f in fields]
    size = max(1, min(len(entries), _max_params() // len(fields)))
    engine = backend()
    with connection.cursor() as cursor:
        for start in range(0, len(entries), size):
            chunk = entries[start : start + size]
            # Text, numbers and ids only: sent as they are.
            params = [getattr(e, name) for e in chunk for name in names]
            cursor.execute(head + ", ".join([one] * len(chunk)), params)
    if engine.vendor != "sqlite":  # SQLite's triggers keep its full-text table in step
        written = SearchEntry.objects.filter(kind=kind, object_id__in=ids)
        engine.synced(list(written.values_list("pk", flat=True)))
    return len(entries)


@transaction.atomic
def rebuild(*, progress: Progress | None = None) -> dict[str, int]:
    """Empty the index and fill it from every record; entries written, by kind."""
    progress = progress or (lambda kind, done, total: None)
    SearchEntry.objects.all().delete()
    plan = {
        kind: list(model.objects.order_by("pk").values_list("pk", flat=True))
        for kind, model in MODELS.items()
    }
    total, done = sum(len(ids) for ids in plan.values()), 0
    counts = {}
    for kind, ids in plan.items():
        counts[kind] = 0
        for start in range(0, len(ids), REBUILD_BATCH):
            batch = ids[start : start + REBUILD_BATCH]
            counts[kind] += _insert_new(kind, batch, BUILDERS[kind](batch))
            done += len(batch)
            progress(kind, done, total)
    return counts


def is_stale() -> bool:
    """The index is empty while there are records to index (e.g. just after upgrading)."""
    if SearchEntry.objects.exists():
        return False
    return any(model.objects.exists() for model in MODELS.values())
