"""How the app's records are shown on pages: labels and presenting helpers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy, pgettext_lazy

from . import selectors

ROLE_LABELS = {
    "coordinator": gettext_lazy("coordinator"),
    "co_coordinator": gettext_lazy("co-coordinator"),
}
EVENT_KINDS = {
    "conference": gettext_lazy("conference"),
    "seminar": gettext_lazy("seminar"),
    "workshop": gettext_lazy("workshop"),
    "training": gettext_lazy("training"),
    "other": gettext_lazy("other event"),
}
TASK_STATUSES = {
    "pending": pgettext_lazy("task status", "pending"),
    "in_progress": pgettext_lazy("task status", "in progress"),
    "done": pgettext_lazy("task status", "done"),
    "dropped": pgettext_lazy("task status", "dropped"),
}
# Badge class of each task or step status (site.css: ok, warn).
STATUS_BADGES = {"done": "ok", "in_progress": "warn", "pending": "", "dropped": ""}


# --- titles in both languages for the answers' references ------------------------

DOCUMENT_FIELDS = frozenset({"document", "documents", "decided_by", "added_by"})
MEETING_FIELDS = frozenset({"meeting", "meetings", "decided_at", "added_at", "launched_at"})
BODY_FIELDS = frozenset({"body"})


def _collect(data: Any, found: dict[str, list[dict]], field: str | None = None) -> None:
    if isinstance(data, list):
        for item in data:
            _collect(item, found, field)
        return
    if not isinstance(data, dict):
        return
    if field in DOCUMENT_FIELDS and "id" in data and "symbol" in data:
        found["documents"].append(data)
    elif field in MEETING_FIELDS and "id" in data and "key" in data:
        found["meetings"].append(data)
    elif field in BODY_FIELDS and "slug" in data and "name" in data:
        found["bodies"].append(data)
    for name, value in data.items():
        _collect(value, found, name)


def with_titles(data: Any) -> Any:
    """The answers' data with Russian titles added to its document, meeting and body
    references (and English titles to bare meeting keys), so `{% tr ref "title" %}` (or
    "name", for bodies) works on them.

    Only references already in the data are touched: what the answers left out for
    the reader stays out. A fixed number of queries, whatever the size of the data.
    """
    found: dict[str, list[dict]] = {"documents": [], "meetings": [], "bodies": []}
    _collect(data, found)
    documents = selectors.document_titles_ru({ref["id"] for ref in found["documents"]})
    for ref in found["documents"]:
        ref["title_ru"] = documents.get(ref["id"])
    meetings = selectors.meeting_titles({ref["id"] for ref in found["meetings"]})
    for ref in found["meetings"]:
        titles = meetings.get(ref["id"], {})
        ref.setdefault("title", titles.get("title") or ref["key"])
        ref["title_ru"] = titles.get("title_ru")
    bodies = selectors.body_names_ru({ref["slug"] for ref in found["bodies"]})
    for ref in found["bodies"]:
        ref["name_ru"] = bodies.get(ref["slug"])
    return data


def _label_roles(roles: list[dict]) -> list[dict]:
    for role in roles:
        role["role_label"] = ROLE_LABELS.get(role["role"], role["role"])
    return roles


def label_statuses(items: list[dict]) -> list[dict]:
    """Tasks or next steps with their status in the page's language and its badge class."""
    for item in items:
        item["status_label"] = TASK_STATUSES.get(item["status"], item["status"])
        item["badge"] = STATUS_BADGES.get(item["status"], "")
    return items
