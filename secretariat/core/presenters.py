"""Plain-data views of shared records, for the API, the CLI and exports."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from .partial_dates import PartialDate
from .prefetch import citations_of


def partial(value: PartialDate | None) -> dict[str, Any] | None:
    """A partial date as {value: "2021-06", precision, earliest, latest, display}."""
    if value is None:
        return None
    return {
        "value": value.isoformat(),
        "precision": value.precision.value,
        "earliest": value.earliest,
        "latest": value.latest,
        "display": value.display(),
    }


def source_record(source) -> dict[str, Any] | None:
    """The record in the system that a source is, as {type, id} (no query: cached types)."""
    if not source.target_type_id:
        return None
    model = ContentType.objects.get_for_id(source.target_type_id).model
    return {"type": model, "id": source.target_id}


def sources(record) -> list[dict[str, Any]]:
    """The record's sources, from its citations prefetched by `core.prefetch.cited()`."""
    return [
        {
            "key": c.source.key,
            "title": c.source.title,
            "url": c.source.url or None,
            "publisher": c.source.publisher or None,
            "locator": c.locator or None,
            "record": source_record(c.source),
        }
        for c in citations_of(record)
    ]


def variants(record) -> list[dict[str, Any]]:
    """Other sources' values, from prefetched `variants__sources`, for everyone: without
    their notes, which are editorial (why the value was not preferred)."""
    return [
        {
            "field": v.field.removesuffix("_date"),
            "value": v.value,
            "sources": [s.key for s in v.sources.all()],
        }
        for v in record.variants.all()
    ]
