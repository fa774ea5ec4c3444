"""The as-of date every page reads: `?at=YYYY-MM-DD`, today by default.

A value that is not a day in that form is refused (400, portal.errors says why and
shows the page's form again), never read as something else nor quietly replaced by
today: a reader who asked for a date must not be shown another without noticing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import BadRequest
from django.utils import timezone

from secretariat.core.as_of import PARAM, BadAsOf, parse_as_of


class AsOfRefused(BadRequest):
    """`?at=` holds something that is not a day (YYYY-MM-DD): a 400 saying so."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def as_of(request) -> dt.date:
    """The day asked for (`?at=`), today if none; AsOfRefused for anything else."""
    try:
        day = parse_as_of(request.GET.get(PARAM))
    except BadAsOf as exc:
        raise AsOfRefused(exc.message) from None
    return day or timezone.localdate()
