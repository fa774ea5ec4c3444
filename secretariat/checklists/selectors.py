"""Reads about checklists."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

from secretariat.core.prefetch import cited

from .models import NextStep


@dataclass(frozen=True)
class Progress:
    """Steps done out of the steps still planned (dropped ones do not count)."""

    done: int
    total: int

    @property
    def label(self) -> str:
        return f"{self.done} of {self.total} steps done"


def checklist(subject: models.Model) -> list[NextStep]:
    """The record's steps in order, with their responsible actors and sources."""
    ct = ContentType.objects.get_for_model(subject)
    return list(
        NextStep.objects.filter(subject_type=ct, subject_id=subject.pk)
        .select_related("responsible")
        .prefetch_related(cited())
        .order_by("position")
    )


def progress(steps: list[NextStep]) -> Progress:
    planned = [s for s in steps if s.status != NextStep.Status.DROPPED]
    return Progress(
        done=sum(1 for s in planned if s.status == NextStep.Status.DONE), total=len(planned)
    )


def next_pending(steps: list[NextStep]) -> NextStep | None:
    """The first step not yet done nor dropped: what the procedure waits on."""
    return next(
        (s for s in steps if s.status in (NextStep.Status.PENDING, NextStep.Status.IN_PROGRESS)),
        None,
    )
