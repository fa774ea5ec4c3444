"""The audit trail: who changed which record, when, how, why, and what it was before."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone


class TrailIsPermanent(PermissionDenied):
    """The audit trail is only ever added to: nothing in the application edits or deletes it."""


_PERMANENT = "The audit trail cannot be edited or deleted."


class AuditEntryQuerySet(models.QuerySet):
    """Refuses every bulk change; entries are only ever created."""

    def update(self, **kwargs):
        # The one change allowed: a deleted account's entries forget it (SET_NULL);
        # `who` keeps the name it had.
        if kwargs == {"user": None}:
            return super().update(**kwargs)
        raise TrailIsPermanent(_PERMANENT)

    def delete(self):
        raise TrailIsPermanent(_PERMANENT)

    def bulk_update(self, objs, fields, batch_size=None):
        raise TrailIsPermanent(_PERMANENT)

    def update_or_create(self, *args, **kwargs):
        raise TrailIsPermanent(_PERMANENT)

    def for_record(self, record: models.Model) -> "AuditEntryQuerySet":
        """The entries about one record, newest first."""
        return self.for_key(ContentType.objects.get_for_model(record), record.pk)

    def for_key(self, content_type: ContentType, object_id) -> "AuditEntryQuerySet":
        return self.filter(content_type=content_type, object_id=object_id).order_by("-at", "-id")


class AuditEntry(models.Model):
    """One create, update, delete or restore of a record, written with the change itself."""

    class Action(models.TextChoices):
        CREATE = "create", "created"
        UPDATE = "update", "changed"
        DELETE = "delete", "deleted"
        RESTORE = "restore", "restored"

    at = models.DateTimeField(default=timezone.now, db_index=True, help_text="When.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # the entry outlives the account; `who` keeps the name
        related_name="+",
        help_text="The user who made the change (none for the system or the loader).",
    )
    who = models.CharField(
        max_length=150, help_text="Who made it, as named then (kept if the user goes)."
    )
    via = models.CharField(
        max_length=10, help_text="How it arrived: web, api, admin, loader, command or system."
    )
    reason = models.TextField(blank=True, help_text="Why, where given.")
    action = models.CharField(max_length=7, choices=Action.choices, help_text="What was done.")
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,  # the trail must keep saying what kind of record it was
        related_name="+",
        help_text="Kind of the record.",
    )
    object_id = models.PositiveBigIntegerField(help_text="Id of the record.")
    object_repr = models.CharField(max_length=300, help_text="The record as it read then.")
    version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The record's edit version after the change."
    )
    changes = models.JSONField(
        default=dict, blank=True, help_text="What changed: {field: [before, after]}."
    )
    snapshot = models.JSONField(
        null=True,
        blank=True,
        help_text="A deleted row in full, with its citations and variants, to restore it.",
    )
    batch = models.UUIDField(
        db_index=True, help_text="Groups the entries written by one transaction."
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "audit entries"
        ordering = ["-at", "-id"]
        # The query manager is the base manager too: nothing reaches the rows around it.
        base_manager_name = "objects"
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["create", "update", "delete", "restore"]),
                name="audit_entry_action_valid",
                violation_error_message="An entry is a create, update, delete or restore.",
            ),
            models.CheckConstraint(
                condition=~Q(action="delete") | Q(snapshot__isnull=False),
                name="audit_entry_delete_has_snapshot",
                violation_error_message="A deletion keeps the deleted row.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr} {self.get_action_display()} by {self.who}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TrailIsPermanent(_PERMANENT)
        kwargs["force_insert"] = True  # never an UPDATE, even with a primary key given
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TrailIsPermanent(_PERMANENT)


class DeletionManager(models.Manager.from_queryset(AuditEntryQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(action=AuditEntry.Action.DELETE)


class DeletedRecord(AuditEntry):
    """A deletion in the trail, listed for officers as a record they may restore."""

    objects = DeletionManager()
    trail = AuditEntryQuerySet.as_manager()  # unfiltered, for Django's own lookups

    class Meta:
        proxy = True
        verbose_name = "deleted record"
        base_manager_name = "trail"


class TrailLength(models.Model):
    """How many entries the trail has been given (one row), raised by a database trigger
    for every entry written, by any path, as the writing transaction commits.

    Every change of the record writes an entry (the test suite proves it of every
    write), so this number moves whenever the record does, and only once the change is
    visible: an answer cached under it (records.cache) stays right until it moves.
    """

    entries = models.PositiveBigIntegerField(default=0, help_text="Entries written so far.")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="trail_length_one_row")]

    def __str__(self) -> str:
        return str(self.entries)


class Act(models.Model):
    """Something the organization did in the system itself: a draft circulated, a
    procedure opened or closed, a meeting scheduled, moved or cancelled, a document added.

    An act is its own source (who, when, on which record: audit.acts.act_source), and
    what the notices to delegates are made from. Loading the record's history is not an
    act: the loader and imports record none.
    """

    class Verb(models.TextChoices):
        CIRCULATED = "circulated", "circulated for feedback"
        PROCEDURE_OPENED = "procedure_opened", "procedure opened"
        PROCEDURE_CLOSED = "procedure_closed", "procedure closed"
        MEETING_SCHEDULED = "meeting_scheduled", "meeting scheduled"
        MEETING_MOVED = "meeting_moved", "meeting moved"
        MEETING_CANCELLED = "meeting_cancelled", "meeting cancelled"
        DOCUMENT_ADDED = "document_added", "document added"

    verb = models.CharField(max_length=20, choices=Verb.choices, help_text="What was done.")
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,  # an act must keep saying what it was done to
        related_name="+",
        help_text="Kind of the record acted on.",
    )
    object_id = models.PositiveBigIntegerField(help_text="Id of the record acted on.")
    at = models.DateTimeField(default=timezone.now, db_index=True, help_text="When.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # the act outlives the account; `who` keeps the name
        related_name="+",
        help_text="Who did it (none when the system did, e.g. closing a due procedure).",
    )
    who = models.CharField(max_length=150, help_text="Who did it, as named then.")
    via = models.CharField(max_length=10, help_text="How: web, api, admin, command, system.")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_verb_display()} by {self.who} at {self.at:%Y-%m-%d %H:%M}"
