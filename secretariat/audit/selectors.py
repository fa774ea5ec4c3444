"""Reads of the trail: a record's history, for the Secretariat only."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet

from secretariat.accounts.policy import is_secretariat

from .models import AuditEntry, DeletedRecord


def content_type_for(label: str) -> ContentType | None:
    """The kind of record named "app_label.model_name" (e.g. "documents.document")."""
    app_label, _, model = label.lower().partition(".")
    if not app_label or not model:
        return None
    return ContentType.objects.filter(app_label=app_label, model=model).first()


def record_history(
    *, user, content_type: ContentType, object_id: Any
) -> QuerySet[AuditEntry] | None:
    """The record's entries, newest first; None (answer "not found") unless the user is of
    the Secretariat, or when the trail knows nothing of the record and it does not exist."""
    if not is_secretariat(user):
        return None
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        return None
    entries = AuditEntry.objects.for_key(content_type, object_id).select_related("user")
    if entries.exists():
        return entries
    model = content_type.model_class()
    if model is None or not model._base_manager.filter(pk=object_id).exists():
        return None
    return entries


def deletions() -> QuerySet[DeletedRecord]:
    """Deletions, newest first, each marked `restored` once its record exists again."""
    again = AuditEntry.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        action=AuditEntry.Action.RESTORE,
        id__gt=OuterRef("id"),
    )
    return (
        DeletedRecord.objects.annotate(restored=Exists(again))
        .select_related("content_type")
        .order_by("-at", "-id")
    )
