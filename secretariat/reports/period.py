"""The period a report covers: a chairmanship (a state's consecutive terms as Chair), or any
two dates. Bad input is refused with a PeriodError saying what was wrong."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from secretariat.core.partial_dates import PartialDate
from secretariat.registry.models import Actor, Chairmanship
from secretariat.registry.selectors import chairmanships

from .model import Period
from .wording import day_text, localized

# Dates outside these are typing mistakes, not periods anyone reports on.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)


class PeriodError(ValueError):
    """The period asked for does not exist or is not a period; the message says why."""


@dataclass(frozen=True)
class Run:
    """A chairmanship as people name it: one state's back-to-back terms ("Kazakhstan
    2020-2024" is a term and its renewal), with the slug that names it."""

    slug: str
    actor: Actor
    terms: tuple[Chairmanship, ...]

    @property
    def start(self) -> PartialDate:
        return self.terms[0].start

    @property
    def end(self) -> PartialDate | None:
        return self.terms[-1].end

    @property
    def years(self) -> str:
        return years_text(self.start, self.end)


def years_text(start: PartialDate, end: PartialDate | None) -> str:
    """ "2020-2024", or "from 2024" while the term runs."""
    if end is None:
        return _("from %(year)s") % {"year": start.year}
    return f"{start.year}-{end.year}"


def _slug(actor: Actor, start: PartialDate, end: PartialDate | None) -> str:
    return f"{actor.slug}-{start.year}" + (f"-{end.year}" if end else "")


def runs(terms: list[Chairmanship] | None = None) -> list[Run]:
    """Every chairmanship in order, consecutive terms of one state taken together."""
    terms = chairmanships() if terms is None else terms
    groups: list[list[Chairmanship]] = []
    for term in terms:
        if groups and groups[-1][-1].actor_id == term.actor_id:
            groups[-1].append(term)
        else:
            groups.append([term])
    return [Run(_slug(g[0].actor, g[0].start, g[-1].end), g[0].actor, tuple(g)) for g in groups]


def current_runs(period: Period, all_runs: list[Run]) -> list[Run]:
    """The chairmanships the period reports on: the one it names (all its terms), else
    those that overlap it."""
    if period.chairmanship:
        run = _named(all_runs).get(period.chairmanship)
        if run is not None:
            return [r for r in all_runs if r.slug == run.slug]
    return [
        r
        for r in all_runs
        if r.start.earliest <= period.end and (r.end is None or r.end.earliest > period.start)
    ]


def _named(all_runs: list[Run]) -> dict[str, Run]:
    """Each run by its slug, and each term of a longer run by its own ("kazakhstan-2022-2024")."""
    named: dict[str, Run] = {}
    for run in all_runs:
        named.setdefault(run.slug, run)
        if len(run.terms) > 1:
            for term in run.terms:
                named.setdefault(
                    _slug(run.actor, term.start, term.end), Run(run.slug, run.actor, (term,))
                )
    return named


def _today() -> dt.date:
    return timezone.localdate()


def _period_of(run: Run, slug: str, language: str) -> Period:
    # A term ends on the day the next chair takes over: the meeting that hands over is the
    # outgoing chairmanship's last, so that day belongs to both periods. A partial date
    # stands for its whole window; a term still running is reported up to today.
    start = run.start.earliest
    end = run.end.latest if run.end else max(_today(), start)
    with translation.override(language):
        label = _("Chairmanship of %(state)s, %(years)s") % {
            "state": localized(run.actor, "name")[0],
            "years": years_text(run.start, run.end),
        }
    return Period(start=start, end=end, label=label, chairmanship=slug)


def period_for(*, chairmanship: str, language: str = "en") -> Period:
    """The period of the chairmanship named by `chairmanship` (a slug of `runs`)."""
    all_runs = runs()
    named = _named(all_runs)
    run = named.get((chairmanship or "").strip().lower())
    if run is None:
        known = ", ".join(r.slug for r in all_runs) or _("none is on record")
        raise PeriodError(
            _("There is no chairmanship “%(slug)s”. Chairmanships: %(known)s.")
            % {"slug": (chairmanship or "")[:80], "known": known}
        )
    return _period_of(run, chairmanship.strip().lower(), language)


def period_default(*, language: str = "en") -> Period:
    """The chairmanship current today, else the latest one that has begun."""
    today = _today()
    all_runs = runs()
    begun = [r for r in all_runs if r.start.earliest <= today]
    current = [r for r in begun if r.end is None or today < r.end.earliest]
    chosen = (current or begun or [None])[-1]
    if chosen is None:
        raise PeriodError(_("No chairmanship is on record: give the dates of the period."))
    return _period_of(chosen, chosen.slug, language)


def parse_day(value: str | dt.date | None, *, what: str) -> dt.date:
    """A YYYY-MM-DD date (`what` names the field in the message)."""
    if isinstance(value, dt.date):
        day = value
    else:
        text = (value or "").strip()
        if not text:
            raise PeriodError(_("Give %(what)s as a date (YYYY-MM-DD).") % {"what": what})
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise PeriodError(
                _("%(what)s: “%(value)s” is not a date (YYYY-MM-DD).")
                % {"what": what.capitalize(), "value": text[:40]}
            ) from None
    if not EARLIEST <= day <= LATEST:
        raise PeriodError(
            _("%(what)s: %(value)s is out of range.")
            % {"what": what.capitalize(), "value": day.isoformat()}
        )
    return day


def period_between(start, end, *, language: str = "en") -> Period:
    """The days from `start` to `end`, both included (dates or YYYY-MM-DD text)."""
    with translation.override(language):
        first = parse_day(start, what=_("the start"))
        last = parse_day(end, what=_("the end"))
        if first > last:
            raise PeriodError(
                _("The start (%(start)s) comes after the end (%(end)s).")
                % {"start": first.isoformat(), "end": last.isoformat()}
            )
        label = _("%(start)s to %(end)s") % {
            "start": day_text(PartialDate.parse(first)),
            "end": day_text(PartialDate.parse(last)),
        }
    return Period(start=first, end=last, label=label)
