"""The trail for people and programs: each entry with its changes as before/after rows."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .models import AuditEntry


def shown(value: Any) -> str:
    """A stored value as a reader sees it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(shown(v) if not isinstance(v, dict) else _variant(v) for v in value) or "—"
    if isinstance(value, dict):
        return _variant(value)
    return str(value)


def _variant(value: dict) -> str:
    if {"field", "value"} <= value.keys():
        return f"{value['field']}: {value['value']}"
    return ", ".join(f"{k}={v}" for k, v in value.items())


def entry_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "at": entry.at,
        "at_display": timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
        "who": entry.who,
        "via": entry.via,
        "reason": entry.reason,
        "action": entry.action,
        "action_label": entry.get_action_display(),
        "record": entry.object_repr,
        "version": entry.version,
        "batch": str(entry.batch),
        "changes": [
            {
                "field": name,
                "before": before,
                "after": after,
                "before_display": shown(before),
                "after_display": shown(after),
            }
            for name, (before, after) in sorted(entry.changes.items())
        ],
    }
