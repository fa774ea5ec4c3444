"""The trail on pages (the history page, the admin): each entry's answer with what a
reader sees of it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .answers import EntryOut
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


def page_entry(entry: AuditEntry) -> dict[str, Any]:
    """An entry's answer, with its time, action and record as shown, and each change's
    before and after as shown; for pages, never for the API."""
    data = EntryOut.build(entry)
    return {
        **data,
        "at_display": timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
        "action_label": entry.get_action_display(),
        "record": entry.object_repr,
        "changes": [
            {
                **change,
                "before_display": shown(change["before"]),
                "after_display": shown(change["after"]),
            }
            for change in data["changes"]
        ],
    }
