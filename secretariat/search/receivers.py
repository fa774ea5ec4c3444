"""Index updates inside the transaction of the write: each saved or deleted record names
the entries it changes, and they are written just before the transaction commits.

Why not after the commit (transaction.on_commit), as before: a server that dies between
the commit and the callback (killed, out of memory, power) leaves a record saved and
unsearchable until someone runs `reindex`. Written in the transaction, the entries
commit with the record or not at all, and a rolled-back write leaves none. Why not at
each save: a document's creation saves the document, its versions, texts and events,
each of which changes its entries; collected for the transaction, each record is
indexed once, at the commit (core.db.precommit runs the hook).

A failure to index must not refuse the write (a text that breaks the index builder,
say): the hook indexes in a savepoint, and when that fails it logs the error and queues
the records, in the same transaction, in PendingIndex, which the periodic catch-up job
(search.tasks) indexes. The same job finds records that have no entries, and entries
of records that are gone, which only a write that bypasses the model signals (a
queryset update, raw SQL) leaves; such an update of an indexed record is caught up by
`secretariat reindex`. Bulk paths (generate-synthetic, a dump's import) write raw rows
and rebuild the index at their end.

A document's access (level, embargo, sharing) is not in its entries: searches
join the live document row, so a change of access shows at once, without indexing.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from secretariat.bodies.models import Body, BodyEvent, Meeting, MeetingSchedule
from secretariat.core.db import precommit
from secretariat.documents.models import Document, DocumentEvent, DocumentText, DocumentVersion
from secretariat.initiatives.models import Initiative, InitiativeEvent
from secretariat.registry.models import Actor, Status

from . import indexer
from .models import PendingIndex, SearchEntry

logger = logging.getLogger(__name__)
Kind = SearchEntry.Kind
# Targets known only by a related row, resolved at the commit (no query at save time).
_VERSION = "document-of-version"
_BODY_MEETINGS = "meetings-of-body"

# What each model's rows change: (target, attribute naming the record).
TARGETS: dict[type, list[tuple[str, str]]] = {
    Document: [(Kind.DOCUMENT, "pk")],
    DocumentVersion: [(Kind.DOCUMENT, "document_id")],
    DocumentText: [(_VERSION, "version_id")],
    DocumentEvent: [(Kind.DOCUMENT, "document_id")],  # status and year
    Meeting: [(Kind.MEETING, "pk")],
    MeetingSchedule: [(Kind.MEETING, "meeting_id")],  # year, status, places
    Actor: [(Kind.ACTOR, "pk")],
    Status: [(Kind.ACTOR, "actor_id")],
    Body: [(Kind.INSTITUTION, "pk"), (_BODY_MEETINGS, "pk")],  # meetings show its name
    BodyEvent: [(Kind.INSTITUTION, "body_id")],
    Initiative: [(Kind.INITIATIVE, "pk")],
    InitiativeEvent: [(Kind.INITIATIVE, "initiative_id")],
}


class _Pending:
    """The targets of one transaction, indexed just before it commits."""

    def __init__(self, using: str):
        self.using = using
        self.targets: dict[str, set[int]] = defaultdict(set)

    def __call__(self) -> None:
        connection = transaction.get_connection(self.using)
        if connection.__dict__.get("_search_pending") is self:
            del connection._search_pending  # writes from here on start a new batch
        # Inside an atomic block, reads go to the primary (core.replicas), never a replica.
        with transaction.atomic(using=self.using):
            targets = _resolve(self.targets)
            try:
                with transaction.atomic(using=self.using):  # a savepoint: undone alone
                    indexer.index(targets)
            except Exception:
                logger.exception(
                    "Could not index %s: queued for the catch-up job",
                    ", ".join(f"{len(ids)} {kind}" for kind, ids in targets.items()),
                )
                PendingIndex.queue(targets, error="failed when its transaction committed")


def _resolve(targets: dict[str, set[int]]) -> dict[str, set[int]]:
    """The records to index: targets known by a related row, found now."""
    targets = {kind: set(ids) for kind, ids in targets.items()}
    if versions := targets.pop(_VERSION, None):
        rows = DocumentVersion.objects.filter(pk__in=versions).values_list("document_id")
        targets.setdefault(Kind.DOCUMENT, set()).update(pk for (pk,) in rows)
    if bodies := targets.pop(_BODY_MEETINGS, None):
        rows = Meeting.objects.filter(body_id__in=bodies).values_list("pk")
        targets.setdefault(Kind.MEETING, set()).update(pk for (pk,) in rows)
    return targets


def schedule(targets: dict[str, list[int]], *, using: str = "default") -> None:
    """Reindex these targets just before the current transaction commits (now, outside
    one)."""
    connection = transaction.get_connection(using)
    pending = connection.__dict__.get("_search_pending")
    if pending is None or not any(h is pending for h in precommit.pending(using)):
        pending = connection._search_pending = _Pending(using)
    for kind, ids in targets.items():
        pending.targets[kind].update(i for i in ids if i is not None)
    precommit.before_commit(pending, using=using)


def _changed(sender, instance, using, **kwargs) -> None:
    schedule(
        {kind: [getattr(instance, attr)] for kind, attr in TARGETS[sender]},
        using=using,
    )


def connect() -> None:
    for model in TARGETS:
        uid = f"search-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
