"""The documents' answers as the other apps still call them, until they nest the answers
(documents.answers) themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .answers import DocumentOut, DocumentRef
from .models import Document


def document_ref(document: Document) -> dict[str, Any]:
    return DocumentRef.build(document)


def visible_ref(document: Document | None, visible: set[int]) -> dict[str, Any] | None:
    """The reference, if the reader may read the document (ids in `visible`); else None."""
    if document is None or document.pk not in visible:
        return None
    return DocumentRef.build(document)


def document_dict(document: Document, *, at: dt.date) -> dict[str, Any]:
    """A document in a list: what it is, where it belongs, its status on `at`."""
    return DocumentOut.build(document, context={"at": at})
