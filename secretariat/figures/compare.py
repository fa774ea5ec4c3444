"""The one rule by which a reported figure is set beside the computed one.

A figure given as of a partial date is compared with the count the record gives on the
last day of that date's window ("as of September 2024": 30 September 2024). The record's
count is a range where partial dates blur it (`low`..`high`); the figure agrees when the
range admits it, and differs otherwise, or when the record has nothing to count it with.
What the record counts is never worked out here: each measure's count comes from the
selectors of the app that owns the subject, handed in as `counts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from secretariat.core.partial_dates import PartialDate

from .models import Measure, ReportedFigure


@dataclass(frozen=True)
class Computed:
    """A count from the record: `value` from the certain record, the truth in low..high."""

    value: int
    low: int
    high: int

    @classmethod
    def of(cls, certain: int, possible: int = 0) -> Computed:
        """`certain` records, and `possible` more whose partial dates may place them in."""
        return cls(certain, certain, certain + possible)

    @property
    def uncertain(self) -> int:
        return self.high - self.low

    def admits(self, reported: int) -> bool:
        return self.low <= reported <= self.high

    def display(self) -> str:
        return f"{self.low} to {self.high}" if self.uncertain else str(self.value)


# A measure's counts on a day, by measure; a measure absent (or None) has nothing to count.
Counts = Callable[[dt.date], Mapping[str, Computed | None]]


@dataclass(frozen=True)
class Comparison:
    """A reported figure beside the count the record gives on the figure's date."""

    figure: ReportedFigure
    computed: Computed | None

    @property
    def measure(self) -> str:
        return self.figure.measure

    @property
    def as_of(self) -> PartialDate:
        return self.figure.as_of

    @property
    def reported(self) -> int:
        return self.figure.value

    @property
    def compared_on(self) -> dt.date:
        return self.figure.as_of.latest

    @property
    def differs(self) -> bool:
        return self.computed is None or not self.computed.admits(self.reported)

    @property
    def detail(self) -> str:
        """The two counts in one sentence (the figure's public note says why they differ)."""
        day = self.as_of.display()
        if self.computed is None:
            return (
                f"The source counts {self.reported} as of {day}; the record has nothing to count."
            )
        if not self.differs:
            return (
                f"The source counts {self.reported} as of {day}; the record holds "
                f"{self.computed.display()}: they agree."
            )
        return (
            f"The source counts {self.reported} as of {day}; the record holds "
            f"{self.computed.display()} on {self.compared_on:%-d %B %Y}."
        )


def compare(figures: Iterable[ReportedFigure], counts: Counts) -> list[Comparison]:
    """Each figure beside the record's count on the last day of its date (`counts` is asked
    once per day), in the order given."""
    figures = list(figures)
    by_day: dict[dt.date, Mapping[str, Computed | None]] = {}
    for day in sorted({f.as_of.latest for f in figures}):
        by_day[day] = counts(day)
    return [Comparison(f, by_day[f.as_of.latest].get(f.measure)) for f in figures]


def known_by(figures: Iterable[ReportedFigure], at: dt.date) -> list[ReportedFigure]:
    """The figures given as of a date begun by `at` (a page as of `at` may show them)."""
    return [f for f in figures if f.as_of.earliest <= at]


def _nearness(figure: ReportedFigure, at: dt.date) -> tuple:
    """How near `at` a figure known by then speaks: a date whose window holds `at`, the
    narrowest first, else the latest before it."""
    window = (figure.as_of.latest - figure.as_of.earliest).days
    return (min(figure.as_of.latest, at), -window)


def nearest(figures: Iterable[ReportedFigure], at: dt.date) -> list[ReportedFigure]:
    """For each measure, the figure known by `at` that speaks of the day nearest it, in
    measure order."""
    best: dict[str, ReportedFigure] = {}
    for figure in known_by(figures, at):
        held = best.get(figure.measure)
        if held is None or (_nearness(figure, at), figure.pk or 0) > (
            _nearness(held, at),
            held.pk or 0,
        ):
            best[figure.measure] = figure
    return [best[m] for m in sorted(best, key=Measure.values.index)]


def latest_statement(figures: Iterable[ReportedFigure], at: dt.date) -> list[ReportedFigure]:
    """The figures given as of the one date nearest `at` (of those known by then): all that
    sources say of that day, in measure order, so that a page never sets a figure of one
    year beside another's."""
    known = known_by(figures, at)
    if not known:
        return []
    best = max(_nearness(f, at) for f in known)
    chosen = [f for f in known if _nearness(f, at) == best]
    return sorted(chosen, key=lambda f: (Measure.values.index(f.measure), f.pk or 0))
