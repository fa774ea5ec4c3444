"""The as-of date (`?at=`), read one way by every page, API route and export.

The documented form is a day, YYYY-MM-DD (README, the API's description). Nothing else
is taken for one: not a number (pydantic would read `?at=20210101` as a Unix time, and
Python's ISO reader "20210101" as a day), not an ISO week, not a word. A refusal says
what was sent and what to send instead; empty means today, as no `at` does.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.core.exceptions import BadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# A moment (procedures are judged at one): a day and a time, ISO 8601, with a zone or not.
MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)
PARAM = "at"


class BadAsOf(ValueError):
    """A value of `at` that is not a day in the documented form, with what to send."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_as_of(raw: Any) -> dt.date | None:
    """The day `raw` names (YYYY-MM-DD), None for none (today); else BadAsOf."""
    if raw is None:
        return None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        day = raw  # a caller in Python, already a day
    else:
        text = raw.strip() if isinstance(raw, str) else None
        if text == "":
            return None
        match = DAY.fullmatch(text) if text is not None else None
        shown = str(raw)[:40]
        if match is None:
            raise BadAsOf(
                _("“%(value)s” is not a date: write YYYY-MM-DD, e.g. 2021-06-19.")
                % {"value": shown}
            )
        try:
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise BadAsOf(
                _("“%(value)s” is not a day of the calendar (YYYY-MM-DD).") % {"value": shown}
            ) from None
    if not EARLIEST <= day <= LATEST:
        raise BadAsOf(
            _("%(value)s is outside the years %(first)s to %(last)s.")
            % {"value": day.isoformat(), "first": EARLIEST.year, "last": LATEST.year}
        )
    return day


def parse_moment(raw: Any) -> dt.datetime | None:
    """The moment `raw` names: a day (its start) or YYYY-MM-DDTHH:MM[:SS][zone], without a
    zone in UTC; None for none (now); else BadAsOf."""
    if raw is None or isinstance(raw, dt.datetime):
        moment = raw
    else:
        text = str(raw).strip()
        if MOMENT.fullmatch(text):
            try:
                moment = dt.datetime.fromisoformat(text)
            except ValueError:
                raise BadAsOf(
                    _("“%(value)s” is not a moment of the calendar.") % {"value": text[:40]}
                ) from None
            parse_as_of(moment.date())  # within the years taken
        elif text == "" or DAY.fullmatch(text):
            day = parse_as_of(text)
            moment = None if day is None else dt.datetime.combine(day, dt.time())
        else:
            raise BadAsOf(
                _("“%(value)s” is not a moment: write YYYY-MM-DD or YYYY-MM-DDTHH:MM, "
                  "e.g. 2021-06-19T14:30Z.") % {"value": text[:40]}
            )  # fmt: skip
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def _validated(value: Any) -> dt.date | None:
    try:
        return parse_as_of(value)
    except BadAsOf as exc:  # pydantic's own error type: no "Value error," before the words
        raise PydanticCustomError("as_of", "{message}", {"message": exc.message}) from None


def _moment_validated(value: Any) -> dt.datetime | None:
    try:
        return parse_moment(value)
    except BadAsOf as exc:
        raise PydanticCustomError("as_of", "{message}", {"message": exc.message}) from None


# The type of `at` in API schemas: the same parser, so the API refuses exactly what pages do.
AsOf = Annotated[
    dt.date | None,
    BeforeValidator(_validated),
    Field(description="The day the answer is for, YYYY-MM-DD (default today)."),
]

# `at` where a moment is meant (procedures): a day, or a day and a time.
AsOfMoment = Annotated[dt.datetime | None, BeforeValidator(_moment_validated)]


# --- pages ---------------------------------------------------------------------------


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
