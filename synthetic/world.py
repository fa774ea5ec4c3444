"""What the generator knows while it writes: the plan of actors, bodies and meetings.

The later stages ask it who was a member, an observer or the chair on a day, and
which meetings were held in a year, without reading the database back. Membership
is judged by the rule of `core.partial_dates.holds_on` (certainly held: the start's
latest day on or before the day, the end's earliest day after it), which is what
the decisions app uses for eligibility.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field

from secretariat.core.partial_dates import PartialDate

from .sizes import Sizes
from .writer import Writer


@dataclass(slots=True)
class Span:
    """A status held from `start` to `end` (exclusive), as partial dates."""

    kind: str
    start: PartialDate
    end: PartialDate | None

    def certainly_on(self, day: dt.date) -> bool:
        return self.start.latest <= day and (self.end is None or day < self.end.earliest)


@dataclass(slots=True)
class ActorInfo:
    id: int
    kind: str  # state, organization
    slug: str
    name_en: str
    name_ru: str
    short_en: str = ""
    iso2: str = ""
    cities: list[tuple[str, str]] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)

    def holds(self, kinds: tuple[str, ...], day: dt.date) -> bool:
        return any(s.kind in kinds and s.certainly_on(day) for s in self.spans)


@dataclass(slots=True)
class BodyInfo:
    id: int
    slug: str
    kind: str
    name_en: str
    name_ru: str
    short_en: str
    short_ru: str
    established: dt.date
    dissolved: dt.date | None = None
    organ: bool = False  # members all attend (summit, councils, committees)
    per_year: float = 0.0  # meetings a year, for bodies with a fixed rhythm


@dataclass(slots=True)
class MeetingInfo:
    id: int
    body: BodyInfo
    day: dt.date  # first day held (or planned, when cancelled)
    days: int = 1
    ordinal: int | None = None
    formal: bool = True
    cancelled: bool = False
    key: str = ""
    title_en: str = ""
    city: tuple[str, str] = ("", "")
    country_id: int | None = None
    mode: str = "in_person"


class World:
    """The plan so far, shared by the stages."""

    def __init__(self, *, sizes: Sizes, seed: int, writer: Writer):
        self.scale = scale = sizes.scale
        self.seed = seed
        self.sizes = sizes
        self.writer = writer
        self.rng = random.Random(f"synthetic-{seed}-{scale}")
        self.org_short = "SOS"
        self.actors: list[ActorInfo] = []
        self.bodies: dict[str, BodyInfo] = {}
        self.meetings: list[MeetingInfo] = []
        self.held_by_year: dict[int, list[MeetingInfo]] = {}
        self.chair_terms: list[tuple[dt.date, int]] = []  # (first day, state id), in order
        self._chair_days: list[dt.date] = []
        # Answers by day, once the statuses are planned (some 22,000 days at most).
        self._members: dict[dt.date, list[ActorInfo]] = {}
        self._associates: dict[dt.date, list[ActorInfo]] = {}

    def stream(self, name: str) -> random.Random:
        """A generator of its own for one stage, so that stages do not shift each other."""
        return random.Random(f"synthetic-{self.seed}-{self.scale}-{name}")

    @property
    def states(self) -> list[ActorInfo]:
        return [a for a in self.actors if a.kind == "state"]

    @property
    def organizations(self) -> list[ActorInfo]:
        return [a for a in self.actors if a.kind == "organization"]

    def members_on(self, day: dt.date) -> list[ActorInfo]:
        """States certainly members on the day (the list is shared: do not change it)."""
        found = self._members.get(day)
        if found is None:
            found = [a for a in self.actors if a.kind == "state" and a.holds(("member",), day)]
            self._members[day] = found
        return found

    def associates_on(self, day: dt.date) -> list[ActorInfo]:
        """Observers, partners and dialogue partners on the day (certainly), not members."""
        found = self._associates.get(day)
        if found is None:
            kinds = ("observer", "partner", "dialogue_partner")
            found = [
                a for a in self.actors if a.holds(kinds, day) and not a.holds(("member",), day)
            ]
            self._associates[day] = found
        return found

    def set_chairs(self, terms: list[tuple[dt.date, int]]) -> None:
        self.chair_terms = terms
        self._chair_days = [d for d, _ in terms]

    def chair_on(self, day: dt.date) -> int | None:
        i = bisect.bisect_right(self._chair_days, day) - 1
        return self.chair_terms[i][1] if i >= 0 else None

    def index_meetings(self) -> None:
        self.held_by_year = {}
        for m in self.meetings:
            if not m.cancelled:
                self.held_by_year.setdefault(m.day.year, []).append(m)
        for items in self.held_by_year.values():
            items.sort(key=lambda m: (m.day, m.id))


def day_in_year(rng: random.Random, year: int, *, first: int = 1, last: int = 365) -> dt.date:
    """A day of the year, avoiding its last days (so a span after it stays in the year)."""
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(first - 1, min(last, 360)))


def at_time(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment on the day, in UTC."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)
