"""The as-of date every page reads: `?at=YYYY-MM-DD`, today by default, never a 500."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _


def as_of(request) -> tuple[dt.date, str | None]:
    """The date asked for and, if the value could not be read, a message saying so."""
    raw = (request.GET.get("at") or "").strip()
    today = timezone.localdate()
    if not raw:
        return today, None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return today, _("“%(value)s” is not a date (YYYY-MM-DD): showing today.") % {
            "value": raw[:40]
        }
    if not dt.date(1900, 1, 1) <= day <= dt.date(2200, 12, 31):
        return today, _("%(value)s is out of range: showing today.") % {"value": raw}
    return day, None
