"""Keeping read models (core.models.ReadModel) in step with the records they derive from.

Each app says, in its own `readmodels` module, what a read model holds (SQL expressions
over its parent record) and which child records it follows; this module does the upsert
and the wiring. A refresh runs in the transaction of the save or deletion that calls for
it, so a reader never sees a record and its read model disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from .models import read_models

CHUNK = 2000
# Within deferred(): the ids to refresh, by read model, gathered rather than refreshed.
_deferred: ContextVar[dict | None] = ContextVar("readmodels_deferred", default=None)


@contextmanager
def deferred() -> Iterator[None]:
    """Gather the refreshes that saves and deletions call for, and do them once, at the
    end, for every id named (records.bulk: a batch of rows written at once)."""
    if _deferred.get() is not None:
        yield  # already gathering: the outermost block refreshes
        return
    pending: dict = {}
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    for read_model, ids in pending.items():
        read_model.refresh(ids)


def _refresh(read_model, ids: Iterable[int]) -> None:
    pending = _deferred.get()
    if pending is None:
        read_model.refresh(ids)
    else:
        pending.setdefault(read_model, set()).update(ids)


def _chunks(parents: models.QuerySet, ids: Iterable[int] | None):
    if ids is not None:
        ids = sorted(set(ids))
        for start in range(0, len(ids), CHUNK):
            yield ids[start : start + CHUNK]
        return
    last = 0
    while chunk := list(
        parents.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK]
    ):
        yield chunk
        last = chunk[-1]


def upsert(
    read_model: type[models.Model],
    parents: models.QuerySet,
    values: dict[str, models.Expression],
    ids: Iterable[int] | None = None,
) -> int:
    """Write the read model's row of each parent (those of `ids`, or all): its fields
    computed by the `values` expressions over the parent. Returns the rows written."""
    link = read_model._meta.pk.name  # the one-to-one to the parent
    names = list(values)
    written = 0
    for chunk in _chunks(parents, ids):
        rows = (
            parents.filter(pk__in=chunk)
            .order_by()
            .annotate(**{f"derived_{n}": e for n, e in values.items()})
            .values_list("pk", *(f"derived_{n}" for n in names))
        )
        objs = [
            read_model(**{f"{link}_id": pk}, **dict(zip(names, rest, strict=True)))
            for pk, *rest in rows
        ]
        read_model.objects.bulk_create(
            objs, update_conflicts=True, unique_fields=[link], update_fields=names
        )
        written += len(objs)
    return written


def _deleting(origin, parent: type[models.Model]) -> bool:
    """Whether a deletion started from the parent itself (which takes its read model)."""
    if isinstance(origin, parent):
        return True
    return isinstance(origin, models.QuerySet) and issubclass(origin.model, parent)


def follow(read_model, child: type[models.Model], parent: type[models.Model], link: str) -> None:
    """Refresh `read_model` for the parent (reached by the child's `link` foreign key) at
    every save and deletion of a `child`: the old parent too, if the child moved."""
    attname = child._meta.get_field(link).attname
    uid = f"{read_model._meta.label_lower}:{child._meta.label_lower}"

    def before_save(sender, instance, raw=False, **kwargs):
        if instance.pk is not None and not instance._state.adding:
            old = child._base_manager.filter(pk=instance.pk).values_list(attname, flat=True)
            instance._read_model_parent = old.first()

    def saved(sender, instance, **kwargs):
        ids = {getattr(instance, attname), instance.__dict__.pop("_read_model_parent", None)}
        _refresh(read_model, ids - {None})

    def deleted(sender, instance, origin=None, **kwargs):
        if not _deleting(origin, parent):
            _refresh(read_model, [getattr(instance, attname)])

    pre_save.connect(before_save, sender=child, weak=False, dispatch_uid=uid)
    post_save.connect(saved, sender=child, weak=False, dispatch_uid=uid)
    post_delete.connect(deleted, sender=child, weak=False, dispatch_uid=uid)


def rebuild_all() -> dict[str, int]:
    """Every read model derived afresh from the records: rows written, by model."""
    return {model._meta.label_lower: model.refresh() for model in read_models()}
