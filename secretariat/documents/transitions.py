"""The one place that says how a document's life may run.

A document's status on a date is derived from its lifecycle events up to that
date; events are judged in date order (partial dates by their first day, then
in the order entered). Each event kind lists the statuses it may follow; an
event that may not follow the status before it is refused with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError

from .models import Document, DocumentEvent

K = DocumentEvent.Kind

# The status a document is in after each kind of event (None: the status stays).
STATUS_AFTER: dict[str, str | None] = {
    K.DRAFTED: "draft",
    K.CIRCULATED: "circulated",
    K.FEEDBACK_RECEIVED: None,
    K.AGREED: "agreed",
    K.ADOPTED: "adopted",
    K.ENDORSED: "endorsed",
    K.TOOK_NOTE: "noted",
    K.SIGNED: "signed",
    K.RATIFIED: "ratified",
    K.ENTERED_INTO_FORCE: "in_force",
    K.SUPERSEDED: "superseded",
    K.WITHDRAWN: "withdrawn",
}
STATUSES = ("draft", "circulated", "agreed", "adopted", "endorsed", "noted", "signed",
            "ratified", "in_force", "superseded", "withdrawn")  # fmt: skip

# None stands for "no event on record yet": history often starts at adoption.
_OPEN = {None, "draft", "circulated", "agreed"}
_DONE = {"adopted", "endorsed", "noted", "signed", "ratified", "in_force"}
ALLOWED_AFTER: dict[str, set[str | None]] = {
    K.DRAFTED: {None},
    K.CIRCULATED: _OPEN,
    K.FEEDBACK_RECEIVED: {"circulated", "agreed"},
    K.AGREED: _OPEN,
    K.ADOPTED: _OPEN,
    K.ENDORSED: _OPEN | {"adopted", "endorsed"},
    K.TOOK_NOTE: _OPEN | _DONE,
    K.SIGNED: _OPEN | {"adopted", "signed"},
    K.RATIFIED: {"signed", "ratified"},
    K.ENTERED_INTO_FORCE: {"adopted", "signed", "ratified", "endorsed"},
    K.SUPERSEDED: _DONE,
    K.WITHDRAWN: _OPEN,
}

# Types whose signature must follow their agreement or adoption by the member states:
# a signature may not follow a draft or a circulation of the text. It may open the record
# (no event on record before it), as an adoption may: that the text was agreed before it
# was signed goes without saying, and where no source dates that agreement the record is
# left to start at the signature rather than be given an agreement nobody dated.
AGREED_BEFORE_SIGNATURE = {
    Document.Type.AGREEMENT,
    Document.Type.CONVENTION,
    Document.Type.MOU,
    Document.Type.MEMORANDUM,
    Document.Type.CHARTER,
    Document.Type.PROTOCOL,
}


def ordered(events: Iterable[DocumentEvent]) -> list[DocumentEvent]:
    """Events in the order they happened (entry order breaks ties within a day)."""
    return sorted(events, key=lambda e: (e.date.earliest, e.date.latest, e.pk or 10**18))


def status_on(events: Iterable[DocumentEvent], at: dt.date | None = None) -> str | None:
    """The status after the events that certainly happened by `at` (all when None)."""
    status = None
    for event in ordered(events):
        if at is not None and event.date.latest > at:
            continue
        status = STATUS_AFTER[event.kind] or status
    return status


def refusal(document_type: str, status: str | None, kind: str) -> str | None:
    """Why an event of `kind` cannot follow `status`, or None when it can."""
    label = K(kind).label
    if status not in ALLOWED_AFTER[kind]:
        was = f"is {status.replace('_', ' ')}" if status else "has no event on record yet"
        return f"A document that {was} cannot be {label}."
    if (
        kind == K.SIGNED
        and document_type in AGREED_BEFORE_SIGNATURE
        and status not in {None, "agreed", "adopted", "signed"}
    ):
        label = Document.Type(document_type).label
        article = "An" if label[0] in "aeiou" else "A"
        return f"{article} {label} is signed only once agreed or adopted."
    return None


def check_sequence(document_type: str, events: Sequence[DocumentEvent]) -> None:
    """Refuse, with the reason, the first event that may not follow the ones before it."""
    status = None
    for event in ordered(events):
        reason = refusal(document_type, status, event.kind)
        if reason:
            raise ValidationError(
                {"kind": f"{reason} ({event.get_kind_display()} on {event.date})"}
            )
        status = STATUS_AFTER[event.kind] or status
