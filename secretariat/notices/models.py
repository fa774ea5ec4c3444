"""Notices: what the organization's people are told, by mail and in their inbox.

A Notice is one announcement (made from an act of the organization, or from a deadline
drawing near); each person told gets a Delivery, rendered in their language, mailed at
once or in the daily digest, and kept in their inbox. What a person wants to hear is
their Preferences and the bodies they Follow.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Notice(models.Model):
    """One announcement, kept in the archive of its body."""

    class Kind(models.TextChoices):
        CIRCULATED = "circulated", "circulated for feedback"
        PROCEDURE_OPENED = "procedure_opened", "procedure opened"
        REMINDER = "reminder", "deadline reminder"
        PROCEDURE_CLOSED = "procedure_closed", "procedure closed"
        MEETING_SCHEDULED = "meeting_scheduled", "meeting scheduled"
        MEETING_MOVED = "meeting_moved", "meeting moved"
        MEETING_CANCELLED = "meeting_cancelled", "meeting cancelled"
        DOCUMENT_ADDED = "document_added", "new document"

    key = models.CharField(
        max_length=120,
        unique=True,
        help_text="What makes it one notice ('act:12', 'reminder:procedure:4:1d'): a job run "
        "twice finds it made.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="What it announces.")
    act = models.ForeignKey(
        "audit.Act",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the act is what the notice told of
        related_name="notices",
        help_text="The act announced (none for a reminder).",
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,  # a notice must keep saying what it was about
        related_name="+",
        help_text="Kind of the record it is about.",
    )
    object_id = models.PositiveBigIntegerField(help_text="Id of the record it is about.")
    subject = GenericForeignKey("content_type", "object_id")
    body = models.ForeignKey(
        "bodies.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the body's archive keeps its notices
        related_name="notices",
        help_text="The body it concerns: its followers are told, its archive keeps it.",
    )
    title = models.CharField(
        max_length=300, blank=True, help_text="What it said, in the site's default language."
    )
    deadline = models.DateTimeField(null=True, blank=True, help_text="The deadline it names.")
    days_before = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A reminder: how many days before the deadline."
    )
    unmissable = models.BooleanField(
        default=False,
        help_text="The last word before a deadline (its last reminder, or the opening when no "
        "reminder falls after it): sent to the states concerned whatever their preferences.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, help_text="When made.")
    fanned_out_at = models.DateTimeField(
        null=True, blank=True, help_text="When everyone concerned was given a copy."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["body", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.key})"


class Delivery(models.Model):
    """One person's copy of a notice: in their inbox, mailed at once or in the digest."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", "at once"
        DIGEST = "digest", "in the daily digest"

    notice = models.ForeignKey(
        Notice,
        on_delete=models.CASCADE,  # a copy is part of its notice
        related_name="deliveries",
        help_text="The notice.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,  # an inbox goes with its account
        related_name="deliveries",
        help_text="Who is told.",
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, help_text="How it is mailed.")
    language = models.CharField(max_length=8, help_text="The language it was written in.")
    title = models.CharField(max_length=300, help_text="Its subject line, as sent.")
    text = models.TextField(help_text="Its text, as sent.")
    url = models.CharField(max_length=500, help_text="The record's page.")
    scope = models.CharField(
        max_length=40, help_text="Why this person is told: 'own' (their state) or 'body:<id>'."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it reached the inbox.")
    read_at = models.DateTimeField(null=True, blank=True, help_text="When it was read.")
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker took it to mail (one worker only)."
    )
    claim = models.UUIDField(
        null=True, blank=True, help_text="Which mailing took it (a digest takes several)."
    )
    mailed_at = models.DateTimeField(null=True, blank=True, help_text="When it was mailed.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Failed mailings.")
    last_error = models.TextField(blank=True, help_text="Why the last mailing failed.")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["mode", "mailed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "user"],
                name="delivery_once_per_person",
                violation_error_message="This person already has this notice.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.user}"


class Preferences(models.Model):
    """What a person wants to be told about their own state's business, and in which
    language they read notices."""

    class OwnState(models.TextChoices):
        IMMEDIATE = "immediate", "every notice at once"
        DIGEST = "digest", "in the daily digest, the last reminder at once"
        LAST_REMINDER = "last_reminder", "only the last reminder before a deadline"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,  # preferences go with their account
        related_name="notice_preferences",
        help_text="Whose preferences.",
    )
    language = models.CharField(
        max_length=8, blank=True, help_text="Language of notices (empty: the site's default)."
    )
    own_state = models.CharField(
        max_length=15,
        choices=OwnState.choices,
        default=OwnState.IMMEDIATE,
        help_text="Deadlines and procedures of one's own state: never entirely off.",
    )

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"{self.user}: {self.own_state}"


class Follow(models.Model):
    """A body a person follows ("module" in e-deleGATE's sense), and how they hear of it."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", "at once"
        DIGEST = "digest", "in the daily digest"
        OFF = "off", "not at all"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,  # follows go with their account
        related_name="follows",
        help_text="Who follows.",
    )
    body = models.ForeignKey(
        "bodies.Body",
        on_delete=models.CASCADE,  # following a body that is gone means nothing
        related_name="followers",
        help_text="The body followed.",
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, help_text="How.")

    class Meta:
        ordering = ["body__name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "body"],
                name="follow_once",
                violation_error_message="This body is already followed.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.body}: {self.mode}"
