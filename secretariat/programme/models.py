"""The programme: the Catalogue of CBMs (editions, dimensions, priority areas), who
coordinates each area, implementation events and annual reviews; the Road Map for
the organization's transformation (clusters, tasks, yearly focus); sourced quotations.

Counts of events and a road map's progress are derived (selectors.py), never stored.
"""

from django.core.exceptions import ValidationError
from django.db import models

from secretariat.core.models import (
    DatedEvent,
    Sourced,
    Span,
    date_check,
    date_columns,
    slug_validator,
    span_constraints,
)
from secretariat.core.partial_dates import PartialDateProperty, certainly_overlap


class CatalogueEdition(Sourced):
    """One edition of the Catalogue of CBMs; its text and adoption are the document's."""

    document = models.OneToOneField(
        "documents.Document",
        on_delete=models.PROTECT,  # the edition's identity and adoption are the document
        related_name="cbm_edition",
        help_text="The Catalogue document of this edition.",
    )
    related_documents = models.ManyToManyField(
        "documents.Document",
        through="EditionDocument",
        related_name="cbm_editions_related",
        blank=True,
        help_text="Guidelines, modalities and other documents that go with the catalogue.",
    )

    class Meta:
        ordering = ["document__symbol", "id"]

    def __str__(self) -> str:
        return str(self.document)


class EditionDocument(Sourced):
    """A document that goes with a catalogue edition (the General Guidelines, Modalities)."""

    edition = models.ForeignKey(
        CatalogueEdition,
        on_delete=models.CASCADE,  # the link is part of the edition
        related_name="document_links",
        help_text="The catalogue edition.",
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,  # a linked document stays while linked
        related_name="cbm_edition_links",
        help_text="The related document.",
    )

    class Meta:
        ordering = ["edition", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "document"],
                name="edition_document_unique",
                violation_error_message="This document is already linked to this edition.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition} → {self.document}"


class Dimension(Sourced):
    """A dimension of the CBMs (economic, environmental, human, military-political...)."""

    slug = models.SlugField(
        max_length=60, unique=True, validators=[slug_validator], help_text="Stable key."
    )
    name_en = models.CharField(max_length=200, help_text="Name in English.")
    name_ru = models.CharField(max_length=200, blank=True, help_text="Name in Russian.")

    class Meta:
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name_en


class PriorityArea(Sourced):
    """A priority area of an edition of the catalogue, in one dimension."""

    edition = models.ForeignKey(
        CatalogueEdition,
        on_delete=models.PROTECT,  # areas are the edition's content
        related_name="areas",
        help_text="The edition the area belongs to.",
    )
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.PROTECT,  # an area keeps its dimension
        related_name="areas",
        help_text="The dimension it falls under.",
    )
    number = models.PositiveSmallIntegerField(help_text="Its number in the edition (1, 2, ...).")
    number_ours = models.BooleanField(
        default=False,
        help_text="The number is the record's own: the sources give the area none (shown as "
        "such to readers).",
    )
    title_en = models.CharField(max_length=300, help_text="Title in English.")
    title_ru = models.CharField(max_length=300, blank=True, help_text="Title in Russian.")
    added_on_date, added_on_precision = date_columns("date it was added", required=False)
    added_on = PartialDateProperty("added_on")
    added_at = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the deciding meeting is part of the record
        related_name="cbm_areas_added",
        help_text="The meeting that added it, when added after the edition.",
    )
    added_by = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the deciding document is part of the record
        related_name="cbm_areas_added",
        help_text="The decision that added it.",
    )

    class Meta:
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"],
                name="priority_area_number_unique",
                violation_error_message="This edition already has an area with this number.",
            ),
            date_check("added_on", "priority_area"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title_en}"


class CoordinatorRole(Span, Sourced):
    """A state coordinating (or co-coordinating) a priority area over a period."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "coordinator"
        CO_COORDINATOR = "co_coordinator", "co-coordinator"

    area = models.ForeignKey(
        PriorityArea,
        on_delete=models.CASCADE,  # a role is part of its area's record
        related_name="roles",
        help_text="The priority area.",
    )
    actor = models.ForeignKey(
        "registry.Actor",
        on_delete=models.PROTECT,  # keep the state while its role is on record
        related_name="cbm_roles",
        help_text="The coordinating state.",
    )
    role = models.CharField(max_length=15, choices=Role.choices, help_text="Its role.")
    start_attested = models.BooleanField(
        default=False,
        help_text="The start is only the earliest date a source names the role: it may have "
        "begun earlier.",
    )
    end_date, end_precision = date_columns("end (the first day it no longer holds)", required=False)
    decided_at = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the deciding meeting is part of the record
        related_name="cbm_roles_decided",
        help_text="The meeting that decided it.",
    )
    decided_by = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the deciding document is part of the record
        related_name="cbm_roles_decided",
        help_text="The decision that assigned it.",
    )

    class Meta:
        ordering = ["area", "start_date", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "actor", "role", "start_date", "start_precision"],
                name="coordinator_role_unique",
                violation_error_message="This role of this state on this area is already recorded "
                "from this start.",
            ),
            *span_constraints("coordinator_role"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()}) — {self.area}"

    def clean(self) -> None:
        super().clean()
        start, end = self.start, self.end
        if start is None or not self.area_id or not self.actor_id:
            return

        others = CoordinatorRole.objects.filter(
            area_id=self.area_id, actor_id=self.actor_id, role=self.role
        ).exclude(pk=self.pk)
        for other in others:
            if certainly_overlap(start, end, other.start, other.end):
                until = f" to {other.end.display()}" if other.end else ""
                raise ValidationError(
                    f"{self.actor} is already {other.get_role_display()} of this area from "
                    f"{other.start.display()}{until}; the periods would overlap."
                )


class CbmEvent(DatedEvent, Sourced):
    """An event implementing the CBMs in a priority area, organized by a state."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", "conference"
        SEMINAR = "seminar", "seminar"
        WORKSHOP = "workshop", "workshop"
        TRAINING = "training", "training"
        OTHER = "other", "other"

    area = models.ForeignKey(
        PriorityArea,
        on_delete=models.PROTECT,  # the area's record of implementation keeps its events
        related_name="events",
        help_text="The priority area implemented.",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, help_text="Kind of event.")
    title_en = models.CharField(max_length=300, help_text="Title in English.")
    title_ru = models.CharField(max_length=300, blank=True, help_text="Title in Russian.")
    organizer = models.ForeignKey(
        "registry.Actor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # keep the organizing state while its event is on record
        related_name="cbm_events",
        help_text="The organizing state.",
    )
    place_en = models.CharField(max_length=200, blank=True, help_text="Where, in English.")
    place_ru = models.CharField(max_length=200, blank=True, help_text="Where, in Russian.")

    class Meta:
        ordering = ["date_date", "id"]
        constraints = [date_check("date", "cbm_event", required=True)]

    def __str__(self) -> str:
        return f"{self.title_en} ({self.date})"


class Review(DatedEvent, Sourced):
    """An annual review of the implementation of the CBMs."""

    date_date, date_precision = date_columns("review's date", required=True)
    meeting = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the reviewing meeting is part of the record
        related_name="cbm_reviews",
        help_text="The meeting that held the review.",
    )
    documents = models.ManyToManyField(
        "documents.Document",
        blank=True,
        related_name="cbm_reviews",
        help_text="Reports and documents of the review.",
    )

    class Meta:
        ordering = ["date_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["date_date", "date_precision"],
                name="review_date_unique",
                violation_error_message="A review on this date is already recorded.",
            ),
            date_check("date", "review", required=True),
        ]

    def __str__(self) -> str:
        return f"Review of implementation, {self.date.display() if self.date else '?'}"


class Cluster(Sourced):
    """A cluster of the Road Map for the organization's transformation."""

    roadmap = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,  # the road map's clusters are its content
        related_name="roadmap_clusters",
        help_text="The Road Map document.",
    )
    number = models.PositiveSmallIntegerField(help_text="Its number in the road map.")
    title_en = models.CharField(max_length=300, help_text="Title in English.")
    title_ru = models.CharField(max_length=300, blank=True, help_text="Title in Russian.")
    documents = models.ManyToManyField(
        "documents.Document",
        blank=True,
        related_name="roadmap_clusters_linked",
        help_text="Documents the cluster works on or produced.",
    )

    class Meta:
        ordering = ["roadmap", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "number"],
                name="cluster_number_unique",
                violation_error_message="This road map already has a cluster with this number.",
            )
        ]

    def __str__(self) -> str:
        return f"Cluster {self.number}: {self.title_en}"


class Task(Sourced):
    """A task of a road-map cluster, with its lead and contributing states."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        IN_PROGRESS = "in_progress", "in progress"
        DONE = "done", "done"
        DROPPED = "dropped", "dropped"

    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.CASCADE,  # a task is part of its cluster
        related_name="tasks",
        help_text="The cluster.",
    )
    position = models.PositiveSmallIntegerField(help_text="1, 2, 3... within the cluster.")
    title_en = models.CharField(max_length=500, help_text="The task, in English.")
    title_ru = models.CharField(max_length=500, blank=True, help_text="The task, in Russian.")
    lead_states = models.ManyToManyField(
        "registry.Actor", blank=True, related_name="roadmap_tasks_led", help_text="Lead states."
    )
    contributing_states = models.ManyToManyField(
        "registry.Actor",
        blank=True,
        related_name="roadmap_tasks_contributed",
        help_text="Contributing states.",
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING, help_text="Where it stands."
    )

    class Meta:
        ordering = ["cluster", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "position"],
                name="task_position_unique",
                violation_error_message="This cluster already has a task at this position.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title_en}"


class ClusterFocus(Sourced):
    """A cluster being a focus of the road map in a year (the note says on what)."""

    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.CASCADE,  # the focus is part of its cluster
        related_name="focus",
        help_text="The cluster.",
    )
    year = models.PositiveSmallIntegerField(help_text="The year of focus, e.g. 2024.")

    class Meta:
        ordering = ["year", "cluster"]
        verbose_name_plural = "cluster focus"
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "year"],
                name="cluster_focus_unique",
                violation_error_message="This cluster is already a focus in this year.",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1000, year__lte=9999),
                name="cluster_focus_year_valid",
                violation_error_message="Give the year as four digits.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} — focus in {self.year}"


class Quotation(Sourced):
    """A sourced quotation that frames a topic (e.g. the transformation)."""

    topic = models.SlugField(
        max_length=60,
        validators=[slug_validator],
        help_text="What it is about, as a key, e.g. 'transformation'.",
    )
    text_en = models.TextField(help_text="The words, in English.")
    text_ru = models.TextField(blank=True, help_text="The words, in Russian.")
    speaker_en = models.CharField(
        max_length=300, help_text="Who said it, as the source names them."
    )
    speaker_ru = models.CharField(max_length=300, blank=True, help_text="The same, in Russian.")
    speaker_actor = models.ForeignKey(
        "registry.Actor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # keep the state spoken for while quoted
        related_name="quotations",
        help_text="The state or organization the speaker spoke for.",
    )
    meeting = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the meeting where it was said is part of the record
        related_name="quotations",
        help_text="Where it was said.",
    )
    date_date, date_precision = date_columns("date it was said", required=False)
    date = PartialDateProperty("date")

    class Meta:
        ordering = ["date_date", "id"]
        constraints = [date_check("date", "quotation")]
        indexes = [models.Index(fields=["topic"])]

    def __str__(self) -> str:
        return f"{self.speaker_en}: “{self.text_en[:60]}”"
