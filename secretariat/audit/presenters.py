"""The trail as records.admin still calls it, until it calls audit.display itself."""

from __future__ import annotations

from typing import Any

from .display import page_entry
from .models import AuditEntry


def entry_dict(entry: AuditEntry) -> dict[str, Any]:
    return page_entry(entry)
