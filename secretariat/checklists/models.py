"""Ordered next steps of a pending procedure, on any record (document, treaty, initiative)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from secretariat.core.models import Sourced, date_check, date_columns
from secretariat.core.partial_dates import PartialDateProperty


class NextStep(Sourced):
    """One step in a record's checklist, with who is responsible and where it stands."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        IN_PROGRESS = "in_progress", "in progress"
        DONE = "done", "done"
        DROPPED = "dropped", "dropped"

    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,  # a checklist is part of its record
        help_text="Kind of record the step belongs to.",
    )
    subject_id = models.PositiveBigIntegerField(help_text="Id of that record.")
    subject = GenericForeignKey("subject_type", "subject_id")
    position = models.PositiveSmallIntegerField(help_text="1, 2, 3... in the order to be done.")
    title_en = models.CharField(max_length=300, help_text="The step, in English.")
    title_ru = models.CharField(max_length=300, blank=True, help_text="The step, in Russian.")
    responsible = models.ForeignKey(
        "registry.Actor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # keep the responsible state while its step is on record
        related_name="next_steps",
        help_text="The state or organization responsible.",
    )
    responsible_text_en = models.CharField(
        max_length=200, blank=True, help_text="Who is responsible, when not an actor."
    )
    responsible_text_ru = models.CharField(
        max_length=200, blank=True, help_text="The same, in Russian."
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING, help_text="Where it stands."
    )
    due_date, due_precision = date_columns("due date", required=False)
    due = PartialDateProperty("due")
    done_date, done_precision = date_columns("date it was done", required=False)
    done = PartialDateProperty("done")

    class Meta:
        ordering = ["subject_type", "subject_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "position"],
                name="next_step_position_unique",
                violation_error_message="This checklist already has a step at this position.",
            ),
            date_check("due", "next_step"),
            date_check("done", "next_step"),
            models.CheckConstraint(
                condition=models.Q(done_date__isnull=True) | models.Q(status="done"),
                name="next_step_done_date_only_when_done",
                violation_error_message="Only a step that is done has a date it was done.",
                violation_error_code="backstop",
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.position}. {self.title_en} ({self.get_status_display()})"

    def clean(self) -> None:
        if self.done is not None and self.status != self.Status.DONE:
            raise ValidationError({"done": "Only a step that is done has a date it was done."})
