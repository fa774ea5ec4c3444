"""Partial dates: "2021", "2021-06" or "2021-06-15", kept with their precision.

A partial date stands for a *window* of days: "2021-06" is some day between
1 and 30 June 2021. We store two columns per partial date, the first day of
the window (``<name>_date``) and the precision (``<name>_precision``); the
last day of the window follows from them.

The rule for "as of date D"
---------------------------
A dated fact (a status, a term of office) runs from ``start`` (inclusive) to
``end`` (exclusive: the first day it no longer holds; none means still holds).
On day D it holds

* **certainly** when ``start.latest <= D`` and (no end or ``D < end.earliest``);
* **possibly** (``Certainty.UNCERTAIN``) when ``start.earliest <= D`` and (no
  end or ``D < end.latest``), but not certainly: D falls inside the window of
  the start or of the end, so the record cannot say which side D is on;
* otherwise **not**.

Answers that rest on an uncertain fact are marked uncertain, never guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass
from functools import total_ordering

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

_PATTERN = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")
MONTHS_EN = [calendar.month_name[i] for i in range(13)]


class Precision(models.TextChoices):
    YEAR = "year", "year"
    MONTH = "month", "month"
    DAY = "day", "day"


class Certainty(enum.StrEnum):
    YES = "yes"
    UNCERTAIN = "uncertain"
    NO = "no"


@total_ordering
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A year, a month or a day; ``earliest``/``latest`` bound the window."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        # Raises ValueError on an impossible date such as 2021-02-30 or 2021-06-00.
        dt.date(
            self.year, 1 if self.month is None else self.month, 1 if self.day is None else self.day
        )
        if not 1 <= self.year <= 9999:
            raise ValueError("year out of range")

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Read "2021", "2021-06", "2021-06-15", a date or a PartialDate.

        Raises ValidationError with a message saying what was wrong.
        """
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and 1000 <= value <= 9999:
            return cls(value)
        text = str(value).strip() if value is not None else ""
        match = _PATTERN.match(text)
        if not match:
            raise ValidationError(
                f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD.", code="invalid"
            )
        y, m, d = (int(g) if g else None for g in match.group("y", "m", "d"))
        try:
            return cls(y, m, d)
        except ValueError:
            raise ValidationError(f"'{text}' is not a real date.", code="invalid") from None

    @classmethod
    def from_parts(cls, first_day: dt.date, precision: str) -> PartialDate:
        if precision == Precision.YEAR:
            return cls(first_day.year)
        if precision == Precision.MONTH:
            return cls(first_day.year, first_day.month)
        return cls(first_day.year, first_day.month, first_day.day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        if self.day is not None:
            return self.earliest
        if self.month is not None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    @property
    def is_exact(self) -> bool:
        return self.day is not None

    def contains(self, day: dt.date) -> bool:
        return self.earliest <= day <= self.latest

    def isoformat(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def display(self) -> str:
        """Human form in English: "2021", "June 2021", "15 June 2021"."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTHS_EN[self.month]} {self.year}"
        return f"{self.day} {MONTHS_EN[self.month]} {self.year}"

    def __str__(self) -> str:
        return self.isoformat()

    def _key(self) -> tuple:
        # Chronological by first day; a narrower window first when both start alike.
        return (self.earliest, self.latest)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()


def certainly_before(a: PartialDate, b: PartialDate) -> bool:
    """Every day of window a falls before every day of window b."""
    return a.latest < b.earliest


def holds_on(start: PartialDate, end: PartialDate | None, day: dt.date) -> Certainty:
    """Whether a fact running from start (inclusive) to end (exclusive) holds on day."""
    if start.latest <= day and (end is None or day < end.earliest):
        return Certainty.YES
    if start.earliest <= day and (end is None or day < end.latest):
        return Certainty.UNCERTAIN
    return Certainty.NO


def certainly_overlap(
    a_start: PartialDate, a_end: PartialDate | None, b_start: PartialDate, b_end: PartialDate | None
) -> bool:
    """Two spans share at least one day whatever days their windows stand for."""
    first = max(a_start.latest, b_start.latest)
    ends = [e.earliest for e in (a_end, b_end) if e is not None]
    return not ends or first < min(ends)


# --- Database side -------------------------------------------------------------------


def _shift_back(day: dt.date, *, months: int) -> dt.date:
    """The same day `months` earlier, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def q_latest_lte(name: str, day: dt.date) -> Q:
    """Rows whose partial date `name` certainly falls on or before `day` (latest <= day).

    Exact in SQL from the two stored columns: a month window ends on or before D
    exactly when its first day is on or before (D + 1 day) one month back, and
    likewise for a year.
    """
    date_col, prec_col = f"{name}_date", f"{name}_precision"
    if day == dt.date.max:
        return Q(**{f"{date_col}__isnull": False})
    after = day + dt.timedelta(days=1)
    condition = Q(**{prec_col: Precision.DAY, f"{date_col}__lte": day})
    for months, precision in ((1, Precision.MONTH), (12, Precision.YEAR)):
        try:
            bound = _shift_back(after, months=months)
        except ValueError:
            continue  # before year 1: no window of that size can have ended yet
        condition |= Q(**{prec_col: precision, f"{date_col}__lte": bound})
    return condition


def q_holds_on(start: str, end: str, day: dt.date, *, certain: bool = False) -> Q:
    """Rows whose span [start, end) possibly (or, with certain=True, certainly) holds on day."""
    if certain:
        return q_latest_lte(start, day) & (
            Q(**{f"{end}_date__isnull": True}) | Q(**{f"{end}_date__gt": day})
        )
    return Q(**{f"{start}_date__lte": day}) & (
        Q(**{f"{end}_date__isnull": True}) | ~q_latest_lte(end, day)
    )


class PartialDateProperty(property):
    """Exposes the `<name>_date` / `<name>_precision` pair as one PartialDate attribute.

    A subclass of property, so `Model(start="2021-06")` works in constructors.
    Assigning a string or a date parses it; invalid input raises ValidationError.
    """

    def __init__(self, name: str):
        date_attr, prec_attr = f"{name}_date", f"{name}_precision"

        def fget(instance):
            first = getattr(instance, date_attr)
            if first is None:
                return None
            return PartialDate.from_parts(first, getattr(instance, prec_attr) or Precision.DAY)

        def fset(instance, value):
            if value is None or value == "":
                setattr(instance, date_attr, None)
                setattr(instance, prec_attr, "")
                return
            parsed = PartialDate.parse(value)
            setattr(instance, date_attr, parsed.earliest)
            setattr(instance, prec_attr, parsed.precision.value)

        super().__init__(fget, fset, doc=f"The partial date `{name}` (PartialDate or None).")


def partial_date_valid(name: str) -> Q:
    """A CheckConstraint condition: a precision is set exactly when a date is."""
    return Q(**{f"{name}_date__isnull": True, f"{name}_precision": ""}) | Q(
        **{f"{name}_date__isnull": False, f"{name}_precision__in": Precision.values}
    )
