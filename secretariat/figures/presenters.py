"""Plain-data views of reported figures beside the computed ones, for the API and reports."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from secretariat.core.presenters import partial, sources

from .compare import Comparison, Computed
from .models import Measure


def computed_dict(value: Computed | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "value": value.value,
        "low": value.low,
        "high": value.high,
        "uncertain": value.uncertain,
    }


def label_of(measure: str) -> str:
    return Measure(measure).label if measure in Measure.values else measure


def comparison_dict(item: Comparison) -> dict[str, Any]:
    """A figure beside the record's count: what, of what, as of when, both values, whether
    they differ, the sentence that sets them side by side, the public note that says why."""
    figure = item.figure
    kind = ContentType.objects.get_for_id(figure.subject_type_id).model
    return {
        "measure": figure.measure,
        "label": label_of(figure.measure),
        "subject": {"type": kind, "id": figure.subject_id},
        "as_of": partial(figure.as_of),
        "compared_on": item.compared_on,
        "reported": figure.value,
        "computed": computed_dict(item.computed),
        "differs": item.differs,
        "detail": item.detail,
        "note": figure.note or None,
        "sources": sources(figure),
    }


def page_items(items) -> list[dict[str, Any]]:
    """The figures for a page: comparison_dict with the figure itself as "record" (for its
    sources and, for officers, its editorial note); never for the API or exports."""
    return [{**comparison_dict(c), "record": c.figure} for c in items]
