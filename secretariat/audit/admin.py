"""The trail in the admin: read only, for the Secretariat; deleted records with Restore."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html, format_html_join

from secretariat.accounts.policy import is_secretariat

from . import selectors
from .display import page_entry
from .models import AuditEntry, DeletedRecord
from .services import record_restore


class TrailAdmin(admin.ModelAdmin):
    """Nobody adds, changes or deletes entries, whatever their permissions say."""

    list_display = ["at", "action", "kind", "object_repr", "who", "via", "reason"]
    list_filter = ["action", "via", "content_type"]
    search_fields = ["object_repr", "who", "reason"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]
    fields = [
        "at", "action", "kind", "object_id", "object_repr", "version",
        "who", "user", "via", "reason", "batch", "changes_table", "snapshot_json",
    ]  # fmt: skip
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return is_secretariat(request.user)

    def has_module_permission(self, request):
        return is_secretariat(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="kind of record", ordering="content_type")
    def kind(self, obj):
        return obj.content_type.name

    @admin.display(description="changes")
    def changes_table(self, obj):
        rows = page_entry(obj)["changes"]
        if not rows:
            return "-"
        return format_html(
            "<table><tr><th>field</th><th>before</th><th>after</th></tr>{}</table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                ((r["field"], r["before_display"], r["after_display"]) for r in rows),
            ),
        )

    @admin.display(description="snapshot (to restore)")
    def snapshot_json(self, obj):
        if not obj.snapshot:
            return "-"
        return format_html("<pre>{}</pre>", json.dumps(obj.snapshot, indent=2, ensure_ascii=False))


@admin.register(AuditEntry)
class AuditEntryAdmin(TrailAdmin):
    pass


@admin.register(DeletedRecord)
class DeletedRecordAdmin(TrailAdmin):
    """Deleted records, newest first; Restore brings back a deletion with all it took."""

    list_display = ["at", "kind", "object_repr", "who", "reason", "restored"]
    list_filter = ["content_type", "via"]
    actions = ["restore"]

    def get_queryset(self, request):
        return selectors.deletions()

    @admin.display(boolean=True, description="restored")
    def restored(self, obj):
        return obj.restored

    @admin.action(description="Restore the selected deleted records")
    def restore(self, request, queryset):
        done, batches = 0, set()
        for entry in queryset.order_by("id"):
            if entry.batch in batches:
                continue  # restored with an earlier one: a deletion comes back whole
            batches.add(entry.batch)
            try:
                done += len(record_restore(entry))
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, " ".join(getattr(exc, "messages", [str(exc)])),
                                  messages.ERROR)  # fmt: skip
        if done:
            self.message_user(request, f"Restored {done} record(s).", messages.SUCCESS)
