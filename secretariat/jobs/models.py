"""What the background jobs did: one row per job, so a failed one is seen, not lost."""

from django.db import models


class JobRun(models.Model):
    """A job handed to the worker: its state, attempts, progress and last error.

    Written from the task engine's signals (jobs.runs); periodic jobs are kept only when
    they fail, so that a job run every minute does not fill the table.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        RETRYING = "retrying", "failed, will be retried"
        DONE = "done", "done"
        FAILED = "failed", "failed"
        CANCELLED = "cancelled", "cancelled"

    task_id = models.CharField(max_length=64, unique=True, help_text="The task engine's id.")
    name = models.CharField(max_length=200, db_index=True, help_text="The job's function.")
    args = models.JSONField(default=list, blank=True, help_text="Its arguments, to run it again.")
    kwargs = models.JSONField(default=dict, blank=True, help_text="Its keyword arguments.")
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.QUEUED, help_text="Where it is."
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times it was started.")
    error = models.TextField(blank=True, help_text="The last failure, as the worker saw it.")
    progress = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Percent done, for jobs that say so."
    )
    message = models.CharField(max_length=300, blank=True, help_text="What it is doing now.")
    enqueued_at = models.DateTimeField(auto_now_add=True, help_text="When it was handed over.")
    started_at = models.DateTimeField(null=True, blank=True, help_text="Last start.")
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When it ended.")

    class Meta:
        ordering = ["-enqueued_at", "-id"]
        indexes = [models.Index(fields=["state", "enqueued_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__isnull=True) | models.Q(progress__lte=100),
                name="jobrun_progress_percent",
                violation_error_message="Progress is a percentage.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_state_display()})"

    @property
    def short_name(self) -> str:
        return self.name.rsplit(".", 1)[-1].replace("_", " ")


class Heartbeat(models.Model):
    """When the worker last started a scheduled job: the sign that one is alive.

    One row ("schedule"), written by the worker that runs the schedule (jobs.runs) and
    read by the readiness answer (operations.health).
    """

    name = models.CharField(max_length=50, unique=True, help_text="Whose beat it is.")
    beat_at = models.DateTimeField(help_text="When it last started a scheduled job.")

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
