"""Writes of reported figures: one verb, used by the loader, the admin and the apps' own
wrappers (treaties.services.reported_figure_upsert, initiatives.services.reported_count_upsert)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from secretariat.core.models import Source
from secretariat.core.partial_dates import PartialDate
from secretariat.records.services import Outcome, sourced_upsert

from .models import ReportedFigure

Variants = Iterable[Mapping[str, Any]]


@transaction.atomic
def figure_upsert(
    *,
    subject: models.Model,
    measure: str,
    as_of: PartialDate | str,
    value: int,
    sources: Iterable[Source],
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[ReportedFigure, Outcome]:
    """Record a count a source states of `subject` as of a date (matched on subject, measure
    and date; recording it again with another value updates it)."""
    if as_of is None or as_of == "":
        raise ValidationError({"as_of": "Give the date the figure is given as of."})
    try:
        parsed = PartialDate.parse(as_of)
    except ValidationError as exc:
        raise ValidationError({"as_of": exc.messages}) from None
    if subject is None or subject.pk is None:
        raise ValidationError({"subject_id": "Name the record the figure counts of."})
    return sourced_upsert(
        ReportedFigure,
        lookup={
            "subject_type": ContentType.objects.get_for_model(subject),
            "subject_id": subject.pk,
            "measure": measure,
            "as_of_date": parsed.earliest,
            "as_of_precision": parsed.precision.value,
        },
        values={"value": value, "note": note, "editorial_note": editorial_note},
        sources=sources,
        variants=variants,
    )
