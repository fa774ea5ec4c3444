"""Writes about checklists: setting a record's steps, and moving a step along."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from secretariat.core.models import Source
from secretariat.core.partial_dates import PartialDate
from secretariat.records.services import (
    Outcome,
    citations_set,
    record_delete,
    sourced_upsert,
    validated_save,
)

from .models import NextStep

# A step moves forward, or is dropped; a dropped or done step can be reopened.
ALLOWED = {
    NextStep.Status.PENDING: {"in_progress", "done", "dropped"},
    NextStep.Status.IN_PROGRESS: {"pending", "done", "dropped"},
    NextStep.Status.DONE: {"pending", "in_progress"},
    NextStep.Status.DROPPED: {"pending"},
}


@transaction.atomic
def checklist_set(*, subject: models.Model, steps: Iterable[Mapping[str, Any]]) -> list[Outcome]:
    """Make the record's checklist exactly these steps, in this order (for loaders).

    Each step: title_en, sources, and optionally title_ru, responsible,
    responsible_text_en/ru, status, due, done, note, editorial_note, variants.
    """
    ct = ContentType.objects.get_for_model(subject)
    outcomes = []
    steps = list(steps)
    for position, step in enumerate(steps, 1):
        step = dict(step)
        sources, variants = step.pop("sources", ()), step.pop("variants", ())
        values = {"title_ru": "", "responsible": None, "responsible_text_en": "",
                  "responsible_text_ru": "", "status": NextStep.Status.PENDING,
                  "due": None, "done": None, "note": "", "editorial_note": "", **step}  # fmt: skip
        _, outcome = sourced_upsert(
            NextStep,
            lookup={"subject_type": ct, "subject_id": subject.pk, "position": position},
            values=values,
            sources=sources,
            variants=variants,
        )
        outcomes.append(outcome)
    for stale in NextStep.objects.filter(
        subject_type=ct, subject_id=subject.pk, position__gt=len(steps)
    ):
        record_delete(stale)
    return outcomes


@transaction.atomic
def next_step_move(
    *,
    step: NextStep,
    status: str,
    sources: Iterable[Source],
    done: PartialDate | str | None = None,
    note: str | None = None,
) -> NextStep:
    """Move a step to a new status, citing why; a step done needs the date it was done."""
    row = NextStep.objects.select_for_update().get(pk=step.pk)
    if status not in ALLOWED[row.status]:
        raise ValidationError(
            f"A step that is {row.get_status_display()} cannot become "
            f"{NextStep.Status(status).label}."
        )
    if status == NextStep.Status.DONE and done is None:
        raise ValidationError({"done": "Say when the step was done."})
    row.status = status
    row.done = done if status == NextStep.Status.DONE else None
    if note is not None:
        row.note = note
    validated_save(row)
    citations_set(record=row, sources=[*(c.source for c in row.citations.all()), *sources])
    step.refresh_from_db()
    return row
