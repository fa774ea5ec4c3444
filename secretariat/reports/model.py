"""What a report is, apart from how it is drawn: sections of statements, each statement
with the records it came from. The composer fills it from the record (compose.py); the
renderers (html, pdf, pptx, markdown) only draw it, so the four formats cannot disagree."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field


class Audience(enum.StrEnum):
    PUBLIC = "public"  # nothing restricted appears
    INTERNAL = "internal"  # restricted items included, and marked


@dataclass(frozen=True)
class Period:
    start: dt.date  # inclusive
    end: dt.date  # inclusive
    label: str  # "Kazakhstan's chairmanship, 2020-2024" / "1 January 2021 to 31 December 2022"
    chairmanship: str | None = None  # the term's slug when the period is a chairmanship

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Link:
    """A record a statement rests on: its label and its page (a path on the site)."""

    label: str
    url: str
    at: int = -1  # where the label stands in its item's text (-1: look for its first occurrence)


@dataclass
class Item:
    """One statement: text (plain; **bold** is not used, emphasis is the renderers' job),
    an optional date shown before it, the records it came from, sub-statements.

    A link's label normally occurs in the text: renderers link it there (the first occurrence),
    and list the links whose label does not occur after the text."""

    text: str
    date: str | None = None  # already formatted for the report's language ("October 2022")
    links: list[Link] = field(default_factory=list)
    restricted: bool = False  # from a record the public may not read (internal audience only)
    children: list[Item] = field(default_factory=list)
    note: str = ""  # the record's own remark on the event (plain text), said after the text
    # Parts of text, note or link labels given in English because the record has them in no
    # other language (a Russian report): renderers mark them, as the portal does.
    fallbacks: list[str] = field(default_factory=list)


@dataclass
class Series:
    label: str
    points: list[tuple[str | int | float, float]]  # (x, y)


@dataclass
class Chart:
    """Data for one chart; charts.py draws it as SVG (web, PDF) or PNG (deck)."""

    key: str  # "membership", "ratifications-<treaty>", "cbm-events", "meetings"
    title: str
    kind: str  # "line" | "step" | "bar" | "stacked-bar"
    series: list[Series]
    x_label: str = ""
    y_label: str = ""
    threshold: float | None = None  # e.g. instruments required for entry into force
    threshold_label: str = ""


@dataclass
class Section:
    key: str  # stable: "chairs", "meetings", "transformation", "founding", "cbm",
    # "institutions", "summit-outcomes", "initiatives", "treaties", "expansion", "other"
    title: str
    items: list[Item] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    empty_note: str = ""  # said plainly when the period holds nothing for this section

    @property
    def empty(self) -> bool:
        return not self.items and not self.charts


@dataclass
class Report:
    title: str  # "Achievements 2020-2024"
    organization: str  # "CICA" (the organization's short name from core.Organization)
    period: Period
    audience: Audience
    language: str  # "en" | "ru"
    generated_on: dt.date
    sections: list[Section]
    base_url: str = ""  # prefixed to Link.url in formats read off the site (PDF, PPTX, MD)
