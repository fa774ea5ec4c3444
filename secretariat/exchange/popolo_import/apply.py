"""Applying an import: the document is read (read.py), planned outside any transaction
(plan.py: reads only), then written in one short transaction, so that the write lock is
held for moments, not for the whole import. Should the record change between the plan
and the write (another user's write: the audit trail moved), the plan is made again; the
last attempt plans inside the transaction. All or nothing: the first refusal leaves the
database as it was.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import get_resolver

from secretariat.audit.models import AuditEntry
from secretariat.core import acting
from secretariat.records.bulk import CreationRefused

from ..formats import Progress, no_progress
from ..safe import ImportRefused
from .events import Events
from .memberships import Memberships
from .organizations import Organizations
from .plan import Summary
from .read import Reading, entries
from .vocabulary import FIELDS


class Importer(Organizations, Memberships, Events):
    """A plan of the import (planned by its parts: organizations, memberships, events),
    and its writing."""

    def write(self) -> None:
        """Write the plan (inside the caller's transaction): the new records at once, then
        the changes to records held, through their services."""
        try:
            self.creations.flush()
        except CreationRefused as refused:
            item, fields = refused.tag or (None, {})
            if item is None:
                raise ImportRefused("/", f"refused by the database: {refused.error}") from None
            self._refuse(item, refused.error, fields)
        for item, call in self._calls:
            if item is None:
                call()
            else:
                self._guarded(item, lambda _, call=call: call(), FIELDS, tick=False)
        self.progress(self._total, self._total)


PLANS = 3  # plans made outside the transaction before one is made inside it


def import_data(
    data: Any, *, name: str, dry_run: bool = False, progress: Progress = no_progress
) -> Summary:
    """Import a Popolo document, parsed or (a Path) read as a stream; ImportRefused on
    the first error, nothing kept.

    Audited as the "import" channel with the file's name as the reason when the system
    runs it (the CLI); a signed-in user imports with that user's own rights.
    """
    who = acting.require_actor()  # before reading: a caller that forgot is told at once
    user, via = (None, "import") if who.is_system else (who.user, who.via)
    reading = Reading()
    reading.read(entries(data, name))
    # What the commit's indexing needs and loads on first use (the URL configuration,
    # API routes and all), loaded now: not while the write lock is held.
    get_resolver().reverse_dict  # noqa: B018
    try:
        with acting.acting_as(user, via=via, reason=f"import {name}"):
            for attempt in range(PLANS + 1):
                importer = Importer(reading, name=name, progress=progress)
                last = attempt == PLANS
                with transaction.atomic() if last else nullcontext():
                    mark = _trail_mark()
                    importer.plan()
                with transaction.atomic():
                    if not last and _trail_mark() != mark:
                        continue  # written to meanwhile: plan again
                    importer.write()
                    if dry_run:
                        transaction.set_rollback(True)
                break
    except PermissionDenied as exc:
        raise ImportRefused(name, str(exc)) from None
    importer.summary.dry_run = dry_run
    return importer.summary


def _trail_mark() -> int | None:
    """The last entry of the audit trail: every change of the record writes one."""
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
