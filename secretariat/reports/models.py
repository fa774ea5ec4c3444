"""Reports drawn by a background job (a PDF, a slide deck: seconds of work), kept until the
record changes."""

from django.conf import settings
from django.db import models


class ReportFile(models.Model):
    """A report rendered for a request, or being rendered; kept while the record is as it
    was when it was asked for (its `record_stamp`), and shared by everyone who may read it."""

    class State(models.TextChoices):
        WAITING = "waiting", "waiting for the worker"
        WORKING = "working", "being drawn"
        READY = "ready", "ready"
        FAILED = "failed", "failed"

    key = models.CharField(
        max_length=64,
        unique=True,
        help_text="Digest of what was asked (period, audience, language, format, reader's "
        "rights) and of the record's state: the same request finds the same file.",
    )
    query = models.JSONField(help_text="The report form's values.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,  # an internal report drawn with someone's rights goes with them
        related_name="+",
        help_text="For an internal report: whose rights it was drawn with (only they get it).",
    )
    record_stamp = models.PositiveBigIntegerField(
        help_text="The audit trail's length when asked: the record as the report shows it."
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.WAITING, help_text="Where it is."
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    message = models.CharField(max_length=200, blank=True, help_text="What is being done.")
    file = models.FileField(upload_to="reports/", blank=True, help_text="The drawn report.")
    filename = models.CharField(max_length=200, blank=True, help_text="Its name for download.")
    content_type = models.CharField(max_length=100, blank=True, help_text="Its media type.")
    error = models.TextField(blank=True, help_text="Why drawing it failed.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was asked for.")
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When it was drawn.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="reportfile_progress_percent",
                violation_error_message="Progress is a percentage.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename or self.key[:12]} ({self.state})"
