"""Index updates on commit: each saved or deleted record names the entries it changes.

The receivers collect targets for the transaction in progress; one callback per
transaction, run on commit, reindexes them all at once, each record once. A
rolled-back transaction indexes nothing. A write that bypasses the model signals
(a queryset update, raw SQL) is caught up by `secretariat reindex`.

A document's access (level, embargo, sharing) is not in its entries: searches
join the live document row, so a change of access shows at once, without indexing.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from secretariat.bodies.models import Body, BodyEvent, Meeting, MeetingSchedule
from secretariat.documents.models import Document, DocumentEvent, DocumentText, DocumentVersion
from secretariat.initiatives.models import Initiative, InitiativeEvent
from secretariat.registry.models import Actor, Status

from . import indexer
from .models import SearchEntry

Kind = SearchEntry.Kind
# Targets known only by a related row, resolved on commit (no query at save time).
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
    """The targets of one transaction; called once, on its commit."""

    def __init__(self):
        self.targets: dict[str, set[int]] = defaultdict(set)
        self.done = False
        self.hooks: list | None = None  # the connection's list of commit hooks holding us
        # Django names a robust hook that failed by its __qualname__, which instances lack.
        self.__qualname__ = f"{__name__}.{type(self).__name__}"

    def __call__(self) -> None:
        self.done = True
        targets = self.targets
        if versions := targets.pop(_VERSION, None):
            rows = DocumentVersion.objects.filter(pk__in=versions).values_list("document_id")
            targets[Kind.DOCUMENT].update(pk for (pk,) in rows)
        if bodies := targets.pop(_BODY_MEETINGS, None):
            rows = Meeting.objects.filter(body_id__in=bodies).values_list("pk")
            targets[Kind.MEETING].update(pk for (pk,) in rows)
        indexer.index(targets)


def _registered(connection, pending: _Pending) -> bool:
    """Whether the callback still awaits this transaction's commit. Django replaces its
    list of hooks on commit and on rollback (of the transaction or of a savepoint); a
    hook survives a savepoint rollback only if registered outside that savepoint."""
    if pending.done:
        return False
    if connection.run_on_commit is not pending.hooks:
        if not any(func is pending for _, func, _ in connection.run_on_commit):
            return False
        pending.hooks = connection.run_on_commit
    return True


def schedule(targets: dict[str, list[int]], *, using: str = "default") -> None:
    """Reindex these targets when the current transaction commits (now, outside one)."""
    connection = transaction.get_connection(using)
    pending = connection.__dict__.get("_search_pending")
    fresh = pending is None or not _registered(connection, pending)
    if fresh:
        pending = connection._search_pending = _Pending()
    for kind, ids in targets.items():
        pending.targets[kind].update(i for i in ids if i is not None)
    if fresh:
        # robust: a failure to index is logged, never undoes or fails the write itself.
        transaction.on_commit(pending, using=using, robust=True)
        pending.hooks = connection.run_on_commit


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
