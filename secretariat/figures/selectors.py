"""Reads of reported figures: those of some records, in one query, with their sources."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from secretariat.core.prefetch import cited

from .models import ReportedFigure


def figures_of(
    subjects: Iterable[models.Model], *, with_sources: bool = True
) -> dict[tuple[int, int], list[ReportedFigure]]:
    """The figures about each subject, by (content type id, id), in date then measure order
    (one query for the figures, and with_sources one for their sources, whatever the number
    of subjects)."""
    by_type: dict[int, set[int]] = defaultdict(set)
    for subject in subjects:
        if subject is not None and subject.pk is not None:
            by_type[ContentType.objects.get_for_model(subject).pk].add(subject.pk)
    result: dict[tuple[int, int], list[ReportedFigure]] = defaultdict(list)
    if not by_type:
        return result
    where = Q()
    for type_id, ids in by_type.items():
        where |= Q(subject_type_id=type_id, subject_id__in=ids)
    rows = ReportedFigure.objects.filter(where).order_by("as_of_date", "measure", "id")
    if with_sources:
        rows = rows.prefetch_related(cited())
    for figure in rows:
        result[figure.subject_type_id, figure.subject_id].append(figure)
    return result


def figures_for(subject: models.Model | None) -> list[ReportedFigure]:
    """The figures about one subject, in date then measure order."""
    if subject is None or subject.pk is None:
        return []
    key = (ContentType.objects.get_for_model(subject).pk, subject.pk)
    return figures_of([subject]).get(key, [])


def key_of(subject: models.Model) -> tuple[int, int]:
    """The key of `figures_of` for a subject."""
    return ContentType.objects.get_for_model(subject).pk, subject.pk
