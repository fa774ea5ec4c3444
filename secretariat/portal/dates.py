"""The as-of date every page reads: `?at=YYYY-MM-DD`, today by default, never a 500."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def as_of(request) -> tuple[dt.date, str | None]:
    """The date asked for and, if the value could not be read, a message saying so."""
    raw = (request.GET.get("at") or "").strip()
    today = timezone.localdate()
    if not raw:
        return today, None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return today, f"'{raw[:40]}' is not a date (YYYY-MM-DD): showing today."
    if not dt.date(1900, 1, 1) <= day <= dt.date(2200, 12, 31):
        return today, f"{raw} is out of range: showing today."
    return day, None
