"""Writes about the programme: one function per verb, upsert-style for the loader.

Natural keys: an edition by its document; an area by edition and number; a role by
area, actor, role and start; an event by area, title and date; a review by date; a
cluster by road map and number; a task by cluster and position; a focus by cluster
and year; a quotation by speaker, date and first words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from secretariat.checklists.services import checklist_set
from secretariat.core.models import Source
from secretariat.core.partial_dates import PartialDate
from secretariat.records.services import Outcome, links_set, sourced_upsert

from .models import (
    CatalogueEdition,
    CbmEvent,
    Cluster,
    ClusterFocus,
    CoordinatorRole,
    Dimension,
    EditionDocument,
    PriorityArea,
    Quotation,
    Review,
    Task,
)

Variants = Iterable[Mapping[str, Any]]
FIRST_WORDS = 60  # characters of a quotation that identify it with its speaker and date


def _m2m_set(record: models.Model, field: str, items: Iterable[models.Model]) -> bool:
    """Set a many-to-many to exactly these rows (audited); True if it changed."""
    return links_set(record=record, field=field, targets=items)


def _touched(outcome: Outcome, changed: bool) -> Outcome:
    return Outcome.UPDATED if changed and outcome is Outcome.UNCHANGED else outcome


@transaction.atomic
def edition_upsert(
    *,
    document,
    sources: Iterable[Source],
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[CatalogueEdition, Outcome]:
    """Create or update the catalogue edition whose text is this document."""
    return sourced_upsert(
        CatalogueEdition,
        lookup={"document": document},
        values={"note": note, "editorial_note": editorial_note},
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def edition_document_link(
    *,
    edition: CatalogueEdition,
    document,
    sources: Iterable[Source],
    note: str = "",
    editorial_note: str = "",
) -> tuple[EditionDocument, Outcome]:
    """Link a document (guidelines, modalities) to a catalogue edition, citing why."""
    if document.pk == edition.document_id:
        raise ValidationError("An edition cannot be linked to its own document.")
    return sourced_upsert(
        EditionDocument,
        lookup={"edition": edition, "document": document},
        values={"note": note, "editorial_note": editorial_note},
        sources=sources,
    )


@transaction.atomic
def dimension_upsert(
    *,
    slug: str,
    name_en: str,
    sources: Iterable[Source],
    name_ru: str = "",
    note: str = "",
    editorial_note: str = "",
) -> tuple[Dimension, Outcome]:
    """Create or update a dimension of the CBMs."""
    return sourced_upsert(
        Dimension,
        lookup={"slug": slug},
        values={
            "name_en": name_en,
            "name_ru": name_ru,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
    )


@transaction.atomic
def area_upsert(
    *,
    edition: CatalogueEdition,
    number: int,
    dimension: Dimension,
    title_en: str,
    sources: Iterable[Source],
    title_ru: str = "",
    number_ours: bool = False,
    added_on: PartialDate | str | None = None,
    added_at=None,
    added_by=None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[PriorityArea, Outcome]:
    """Create or update the priority area with this number in the edition."""
    return sourced_upsert(
        PriorityArea,
        lookup={"edition": edition, "number": number},
        values={
            "dimension": dimension,
            "title_en": title_en,
            "title_ru": title_ru,
            "number_ours": number_ours,
            "added_on": added_on,
            "added_at": added_at,
            "added_by": added_by,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )


@transaction.atomic
def area_add(
    *,
    edition: CatalogueEdition,
    number: int,
    dimension: Dimension,
    title_en: str,
    sources: Iterable[Source],
    **values: Any,
) -> PriorityArea:
    """Add a new priority area to an edition (refused when the number is taken)."""
    if PriorityArea.objects.filter(edition=edition, number=number).exists():
        raise ValidationError(
            {"number": f"This edition already has an area with the number {number}."}
        )
    area, _ = area_upsert(
        edition=edition, number=number, dimension=dimension, title_en=title_en,
        sources=sources, **values,
    )  # fmt: skip
    return area


@transaction.atomic
def coordinator_role_upsert(
    *,
    area: PriorityArea,
    actor,
    role: str,
    start: PartialDate | str,
    sources: Iterable[Source],
    start_attested: bool = False,
    end: PartialDate | str | None = None,
    decided_at=None,
    decided_by=None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[CoordinatorRole, Outcome]:
    """Record a state's coordinator or co-coordinator role on an area over a period.

    Refused when it overlaps the same role of the same state on the same area.
    """
    if role not in CoordinatorRole.Role.values:
        raise ValidationError(
            {"role": f"'{role}' is not a role; use one of: {', '.join(CoordinatorRole.Role)}."}
        )
    start = PartialDate.parse(start)
    end = PartialDate.parse(end) if end not in (None, "") else None
    # The end-before-start and overlap refusals are in CoordinatorRole.clean(), run by
    # the save below, so the admin and the loader refuse them with the same words.
    return sourced_upsert(
        CoordinatorRole,
        lookup={"area": area, "actor": actor, "role": role,
                "start_date": start.earliest, "start_precision": start.precision.value},
        values={"start_attested": start_attested, "end": end, "decided_at": decided_at,
                "decided_by": decided_by, "note": note, "editorial_note": editorial_note},
        sources=sources,
        variants=variants,
    )  # fmt: skip


@transaction.atomic
def cbm_event_upsert(
    *,
    area: PriorityArea,
    title_en: str,
    date: PartialDate | str,
    kind: str,
    sources: Iterable[Source],
    title_ru: str = "",
    organizer=None,
    place_en: str = "",
    place_ru: str = "",
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[CbmEvent, Outcome]:
    """Create or update an event implementing the CBMs in an area."""
    date = PartialDate.parse(date)
    return sourced_upsert(
        CbmEvent,
        lookup={"area": area, "title_en": title_en,
                "date_date": date.earliest, "date_precision": date.precision.value},
        values={"kind": kind, "title_ru": title_ru, "organizer": organizer,
                "place_en": place_en, "place_ru": place_ru, "note": note,
                "editorial_note": editorial_note},
        sources=sources,
        variants=variants,
    )  # fmt: skip


@transaction.atomic
def review_upsert(
    *,
    date: PartialDate | str,
    sources: Iterable[Source],
    meeting=None,
    documents: Iterable = (),
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Review, Outcome]:
    """Create or update the annual review of implementation held on this date."""
    date = PartialDate.parse(date)
    review, outcome = sourced_upsert(
        Review,
        lookup={"date_date": date.earliest, "date_precision": date.precision.value},
        values={"meeting": meeting, "note": note, "editorial_note": editorial_note},
        sources=sources,
        variants=variants,
    )
    return review, _touched(outcome, _m2m_set(review, "documents", documents))


@transaction.atomic
def cluster_upsert(
    *,
    roadmap,
    number: int,
    title_en: str,
    sources: Iterable[Source],
    title_ru: str = "",
    documents: Iterable = (),
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Cluster, Outcome]:
    """Create or update the cluster with this number in the road map."""
    cluster, outcome = sourced_upsert(
        Cluster,
        lookup={"roadmap": roadmap, "number": number},
        values={
            "title_en": title_en,
            "title_ru": title_ru,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )
    return cluster, _touched(outcome, _m2m_set(cluster, "documents", documents))


@transaction.atomic
def task_upsert(
    *,
    cluster: Cluster,
    position: int,
    title_en: str,
    sources: Iterable[Source],
    title_ru: str = "",
    status: str = Task.Status.PENDING,
    lead_states: Iterable = (),
    contributing_states: Iterable = (),
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Task, Outcome]:
    """Create or update the task at this position in the cluster."""
    if status not in Task.Status.values:
        raise ValidationError(
            {"status": f"'{status}' is not a task status; use one of: "
                       f"{', '.join(Task.Status.values)}."}
        )  # fmt: skip
    lead_states, contributing_states = list(lead_states), list(contributing_states)
    both = {a.pk for a in lead_states} & {a.pk for a in contributing_states}
    if both:
        raise ValidationError("A state either leads a task or contributes to it, not both.")
    task, outcome = sourced_upsert(
        Task,
        lookup={"cluster": cluster, "position": position},
        values={
            "title_en": title_en,
            "title_ru": title_ru,
            "status": status,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )
    changed = _m2m_set(task, "lead_states", lead_states)
    changed = _m2m_set(task, "contributing_states", contributing_states) or changed
    return task, _touched(outcome, changed)


@transaction.atomic
def cluster_focus_upsert(
    *,
    cluster: Cluster,
    year: int,
    sources: Iterable[Source],
    note: str = "",
    editorial_note: str = "",
) -> tuple[ClusterFocus, Outcome]:
    """Record that the cluster is a focus of the road map in this year."""
    return sourced_upsert(
        ClusterFocus,
        lookup={"cluster": cluster, "year": year},
        values={"note": note, "editorial_note": editorial_note},
        sources=sources,
    )


@transaction.atomic
def cluster_steps_set(*, cluster: Cluster, steps: Iterable[Mapping[str, Any]]) -> list[Outcome]:
    """Make the cluster's next-step checklist exactly these steps (see checklists)."""
    return checklist_set(subject=cluster, steps=steps)


@transaction.atomic
def quotation_upsert(
    *,
    text_en: str,
    speaker_en: str,
    topic: str,
    sources: Iterable[Source],
    date: PartialDate | str | None = None,
    text_ru: str = "",
    speaker_ru: str = "",
    speaker_actor=None,
    meeting=None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Quotation, Outcome]:
    """Create or update the quotation of this speaker on this date with these first words."""
    text_en = text_en.strip()
    if not text_en:
        raise ValidationError({"text_en": "A quotation needs its words."})
    date = PartialDate.parse(date) if date not in (None, "") else None
    when = (
        {"date_date": date.earliest, "date_precision": date.precision.value}
        if date
        else {"date_date": None, "date_precision": ""}
    )
    same = Quotation.objects.filter(
        speaker_en=speaker_en, text_en__startswith=text_en[:FIRST_WORDS], **when
    ).first()
    lookup = {"pk": same.pk} if same else {"speaker_en": speaker_en, "text_en": text_en, **when}
    return sourced_upsert(
        Quotation,
        lookup=lookup,
        values={"text_en": text_en, "text_ru": text_ru, "topic": topic, "speaker_ru": speaker_ru,
                "speaker_actor": speaker_actor, "meeting": meeting, "note": note,
                "editorial_note": editorial_note},
        sources=sources,
        variants=variants,
    )  # fmt: skip
