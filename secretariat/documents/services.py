"""Writes about documents: one function per verb.

`document_event_record` is the one way a lifecycle event is written (by officers,
the dataset loader, and the decisions app when a procedure adopts a text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from secretariat.core.models import Source
from secretariat.core.partial_dates import PartialDate
from secretariat.core.services import Outcome, sourced_upsert

from . import lifecycle
from .models import Document, DocumentEvent

Variants = Iterable[Mapping[str, Any]]


@transaction.atomic
def document_event_record(
    *,
    document: Document,
    kind: str,
    date: PartialDate | str,
    sources: Iterable[Source],
    version=None,
    body=None,
    meeting=None,
    actor=None,
    deadline=None,
    recipients: Iterable | None = None,
    note: str = "",
    variants: Variants = (),
) -> tuple[DocumentEvent, Outcome]:
    """Record a lifecycle event (matched on document, kind, date and acting state).

    The whole lifecycle, with this event in its place by date, must follow the
    transitions in `lifecycle`; otherwise nothing is saved and the reason is given.
    """
    parsed = PartialDate.parse(date)
    if version is not None and version.document_id != document.pk:
        raise ValidationError({"version": "That version belongs to another document."})
    # Lock the document: two events written at once must be judged one after the other.
    Document.objects.select_for_update().filter(pk=document.pk).first()
    event, outcome = sourced_upsert(
        DocumentEvent,
        lookup={
            "document": document,
            "kind": kind,
            "date_date": parsed.earliest,
            "date_precision": parsed.precision.value,
            "actor": actor,
        },
        values={
            "version": version,
            "body": body,
            "meeting": meeting,
            "deadline": deadline,
            "note": note,
        },
        sources=sources,
        variants=variants,
    )
    lifecycle.check_sequence(document.type, list(document.events.all()))
    if recipients is not None:
        wanted = {a.pk for a in recipients}
        if {a.pk for a in event.recipients.all()} != wanted:
            if kind != DocumentEvent.Kind.CIRCULATED:
                raise ValidationError({"recipients": "Only a circulation has recipients."})
            event.recipients.set(wanted)
            outcome = Outcome.UPDATED if outcome is Outcome.UNCHANGED else outcome
    return event, outcome
