"""The documents' read model (DocumentDates): each document's first date."""

from __future__ import annotations

from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, Least

from secretariat.core.readmodels import follow, upsert

from .models import Document, DocumentDates, DocumentEvent, DocumentVersion


def _first(model) -> Subquery:
    return Subquery(
        model.objects.filter(document=OuterRef("pk"))
        .order_by()
        .values("document")
        .annotate(first=Min("date_date"))
        .values("first")
    )


def first_day():
    """SQL for a document's first date: its first event or version, whichever is earlier."""
    event, version = _first(DocumentEvent), _first(DocumentVersion)
    # LEAST is NULL on SQLite when either side is: fall back to the other on both sides.
    return Least(Coalesce(event, version), Coalesce(version, event))


def refresh_dates(ids=None) -> int:
    return upsert(DocumentDates, Document._base_manager.all(), {"first_day": first_day()}, ids)


def connect() -> None:
    """Called once, by the app's ready(): follow the events and versions."""
    follow(DocumentDates, DocumentEvent, Document, "document")
    follow(DocumentDates, DocumentVersion, Document, "document")
