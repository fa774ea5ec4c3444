"""The document's answer under the name the exports still call, until they build it
(documents.answers) themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .answers import DocumentOut
from .models import Document


def document_dict(document: Document, *, at: dt.date) -> dict[str, Any]:
    """A document in a list: what it is, where it belongs, its status on `at`."""
    return DocumentOut.build(document, context={"at": at})
