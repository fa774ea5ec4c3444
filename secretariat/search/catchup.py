"""The catch-up: the index brought back in step where a commit did not keep it so.

Entries are written in the transaction of their record (receivers), so a crash leaves
none missing. What is left: records whose indexing failed when they committed (queued
in PendingIndex by the receivers), and what a write past the model signals leaves (a
record with no entry at all: every record has at least its English one; entries of a
record that is gone). The periodic jobs (search.tasks) index every queued record, a
batch per transaction, and now and then look for the latter (an index lookup per
record: some 0.2 s for 10,000 documents on SQLite) and queue them. A record that fails
again stays queued with its error and the job fails, so that officers see it among the
failed jobs.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Exists, F, OuterRef

from . import indexer
from .entries import MODELS
from .models import PendingIndex, SearchEntry

logger = logging.getLogger(__name__)


class CatchUpFailed(Exception):
    """Some queued records could not be indexed; they stay queued."""


def out_of_step() -> dict[str, list[int]]:
    """Records without any entry, and records gone that still have entries, by kind: an
    index lookup per record (the entries' unique key starts with kind and id)."""
    found = {}
    for kind, model in MODELS.items():
        entries = SearchEntry.objects.filter(kind=kind)
        missing = model.objects.filter(~Exists(entries.filter(object_id=OuterRef("pk"))))
        gone = entries.filter(~Exists(model.objects.filter(pk=OuterRef("object_id"))))
        ids = {*missing.values_list("pk", flat=True), *gone.values_list("object_id", flat=True)}
        if ids:
            found[kind] = sorted(ids)
    return found


def _index(kind: str, rows: list[tuple[int, int]]) -> None:
    """Index these queued records and take them off the queue, in one transaction."""
    with transaction.atomic():
        indexer.index({kind: [object_id for _, object_id in rows]})
        PendingIndex.objects.filter(pk__in=[pk for pk, _ in rows]).delete()


def catch_up() -> dict[str, int]:
    """Queue what is out of step, then index every queued record (`index_queued`)."""
    found = out_of_step()
    if found:
        logger.warning(
            "The search index was out of step (%s): catching up",
            ", ".join(f"{len(ids)} {kind}" for kind, ids in found.items()),
        )
        with transaction.atomic():
            PendingIndex.queue(found, error="found out of step by the catch-up job")
    return index_queued()


def index_queued() -> dict[str, int]:
    """Index every queued record; the records indexed, by kind. Raises CatchUpFailed,
    naming them, if some could not be (they stay queued, with their error)."""
    done: dict[str, int] = {}
    failed: list[str] = []
    for kind in SearchEntry.Kind.values:
        queued = list(
            PendingIndex.objects.filter(kind=kind).order_by("pk").values_list("pk", "object_id")
        )
        for start in range(0, len(queued), indexer.BATCH):
            batch = queued[start : start + indexer.BATCH]
            try:
                _index(kind, batch)
                done[kind] = done.get(kind, 0) + len(batch)
                continue
            except Exception:
                pass  # one record may break a batch: the others are indexed one at a time
            for row in batch:
                try:
                    _index(kind, [row])
                except Exception as exc:
                    logger.exception("Could not index %s %s", kind, row[1])
                    PendingIndex.objects.filter(pk=row[0]).update(
                        attempts=F("attempts") + 1, error=f"{type(exc).__name__}: {exc}"
                    )
                    failed.append(f"{kind} {row[1]}")
                else:
                    done[kind] = done.get(kind, 0) + 1
    if failed:
        raise CatchUpFailed(
            f"{len(failed)} records could not be indexed and stay queued: "
            + ", ".join(failed[:20])
            + (" ..." if len(failed) > 20 else "")
        )
    return done
