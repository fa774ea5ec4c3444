"""A treaty's status as of any day: pure functions over plain values, no database.

Everything here is derived from the dated actions on record, never stored.

Which actions are known on day D
    Those whose date window starts on or before D (`date.earliest <= D`). An
    action dated "2023" is certainly deposited by 31 December 2023; on a day
    inside its window it is *uncertain* (core.partial_dates.holds_on).

Who is a signatory, who is a party
    A state is a signatory from its signature until it withdraws it. It is a
    party from the deposit of its instrument (ratification, acceptance,
    approval, accession or succession) until its denunciation takes effect
    (`effective`, else the denunciation's date): the end is exclusive, as for
    every span in the project. Each answer is yes, no, or uncertain.

Entry into force (general)
    The rule: the `instruments`-th counting instrument (the kinds the treaty
    names; succession counts like accession) brings the treaty into force
    `delay_days` after its deposit. The triggering day is the first day on
    which that many states hold a counting instrument not yet denounced, so an
    instrument withdrawn (denounced) before then does not count. Once in
    force, a treaty stays in force: later denunciations lower the number of
    parties, never the in-force status.

    With partial dates the triggering day is computed twice: with every
    deposit on the first day of its window and every denunciation taking
    effect on the last (the earliest it can be), and the other way round (the
    latest). Equal: the date is exact; otherwise it is a range, marked
    uncertain, never guessed. When even the latest cannot be reached on the
    record (an uncertain denunciation may have undone it), `latest` is None.

Entry into force for each party
    A state whose instrument counted on or before the triggering day: the
    general date. A state depositing later: `later_delay_days` after its own
    deposit (default: `delay_days`), never before the general date.

Counts
    Each figure is a `Figure`: `value` is what the certain record gives,
    `uncertain` how many states with a partial date inside their window may
    change it, and `low`..`high` the range the truth lies in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from secretariat.core.partial_dates import Certainty, PartialDate, holds_on

# The kinds, as plain strings (the same values as TreatyAction.Kind).
SIGNATURE = "signature"
SIGNATURE_WITHDRAWAL = "signature_withdrawal"
RATIFICATION = "ratification"
ACCEPTANCE = "acceptance"
APPROVAL = "approval"
ACCESSION = "accession"
SUCCESSION = "succession"
RESERVATION = "reservation"
DECLARATION = "declaration"
OBJECTION = "objection"
RESERVATION_WITHDRAWAL = "reservation_withdrawal"
DENUNCIATION = "denunciation"

# Instruments by which a state becomes a party.
CONSENT = (RATIFICATION, ACCEPTANCE, APPROVAL, ACCESSION, SUCCESSION)
# Instruments that follow a signature (accession and succession need none).
AFTER_SIGNATURE = (RATIFICATION, ACCEPTANCE, APPROVAL)
# The kinds each state performs at most once.
ONCE = (SIGNATURE, SIGNATURE_WITHDRAWAL, *CONSENT, DENUNCIATION)
# Statements listed beside a participant.
STATEMENTS = (RESERVATION, DECLARATION, OBJECTION, RESERVATION_WITHDRAWAL)
# The UN Treaty Collection's markers after the date of an instrument.
MARKERS = {RATIFICATION: "", ACCEPTANCE: "A", APPROVAL: "AA", ACCESSION: "a", SUCCESSION: "d"}
CONSENT_HEADING = "Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)"

# Actions on the same day are taken in this order, so sorting never depends on entry order.
_RANK = {
    k: i
    for i, k in enumerate((SIGNATURE, *CONSENT, *STATEMENTS, SIGNATURE_WITHDRAWAL, DENUNCIATION))
}

METRICS = (
    "signatories",
    "parties",
    "signed_and_ratified",
    "signed_not_ratified",
    "instruments_required",
)


@dataclass(frozen=True)
class Act:
    """A treaty action as the rules see it; `ref` carries the caller's record along."""

    actor: Hashable
    kind: str
    date: PartialDate
    effective: PartialDate | None = None
    ref: Any = field(default=None, compare=False, hash=False, repr=False)

    @property
    def takes_effect(self) -> PartialDate:
        """When a denunciation takes effect (its date when no effective date is given)."""
        return self.effective or self.date


@dataclass(frozen=True)
class Rule:
    """The entry-into-force rule, as the treaty says it."""

    instruments: int | None
    kinds: frozenset[str] = frozenset(CONSENT)
    delay_days: int = 0
    later_delay_days: int | None = None

    @property
    def later(self) -> int:
        return self.delay_days if self.later_delay_days is None else self.later_delay_days

    def counts(self, kind: str) -> bool:
        """Whether an instrument of this kind counts towards entry into force."""
        return kind in self.kinds or (kind == SUCCESSION and ACCESSION in self.kinds)


@dataclass(frozen=True)
class DayRange:
    """A day known exactly (earliest == latest), within a range, or from a day on at most
    (latest None: the record cannot say it happens at all)."""

    earliest: dt.date
    latest: dt.date | None

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    def on(self, day: dt.date) -> Certainty:
        """Whether the day has come by `day`."""
        if self.latest is not None and self.latest <= day:
            return Certainty.YES
        if self.earliest <= day:
            return Certainty.UNCERTAIN
        return Certainty.NO

    def display(self) -> str:
        if self.exact:
            return _day(self.earliest)
        if self.latest is None:
            return f"not before {_day(self.earliest)} (uncertain)"
        return f"between {_day(self.earliest)} and {_day(self.latest)} (uncertain)"


@dataclass(frozen=True)
class Figure:
    """A count from the record: `value` from the certain record, the truth in low..high."""

    value: int
    low: int
    high: int

    @property
    def uncertain(self) -> int:
        return self.high - self.low

    def admits(self, reported: int) -> bool:
        return self.low <= reported <= self.high


@dataclass(frozen=True)
class Row:
    """One participant in the status table, as of a day."""

    actor: Hashable
    signature: Act | None
    signature_withdrawal: Act | None
    consent: Act | None  # the latest instrument known by the day
    denunciation: Act | None
    statements: tuple[Act, ...]
    signed: Certainty
    party: Certainty
    entry_into_force: DayRange | None

    @property
    def marker(self) -> str:
        return MARKERS[self.consent.kind] if self.consent else ""


@dataclass(frozen=True)
class Status:
    """A treaty as of a day: the table, the counts and entry into force."""

    at: dt.date
    rule: Rule
    rows: tuple[Row, ...]
    counts: dict[str, Figure]
    entry_into_force: DayRange | None  # None: not in force (or no rule on record)
    trigger: DayRange | None  # the day the required instrument was deposited

    @property
    def in_force(self) -> Certainty:
        return self.entry_into_force.on(self.at) if self.entry_into_force else Certainty.NO

    @property
    def instruments_required(self) -> Figure | None:
        return self.counts.get("instruments_required")

    @property
    def denunciations(self) -> list[Row]:
        return [r for r in self.rows if r.denunciation is not None]


def ordered(acts: Iterable[Act]) -> list[Act]:
    """Actions by date (partial dates by their window), then by kind: never by entry."""
    return sorted(
        acts,
        key=lambda a: (
            a.date.earliest,
            a.date.latest,
            _RANK.get(a.kind, 99),
            a.takes_effect,
            str(a.actor),
        ),
    )


def _either(*values: Certainty) -> Certainty:
    if Certainty.YES in values:
        return Certainty.YES
    return Certainty.UNCERTAIN if Certainty.UNCERTAIN in values else Certainty.NO


def _both(*values: Certainty) -> Certainty:
    if Certainty.NO in values:
        return Certainty.NO
    return Certainty.UNCERTAIN if Certainty.UNCERTAIN in values else Certainty.YES


def _not(value: Certainty) -> Certainty:
    return {Certainty.YES: Certainty.NO, Certainty.NO: Certainty.YES}.get(value, value)


def _day(day: dt.date) -> str:
    return PartialDate.parse(day).display()


def periods(acts: Iterable[Act]) -> list[tuple[Act, PartialDate | None]]:
    """A state's spans as a party: each instrument until the denunciation that follows it."""
    result: list[tuple[Act, PartialDate | None]] = []
    current: Act | None = None
    for act in ordered(acts):
        if act.kind in CONSENT and current is None:
            current = act
        elif act.kind == DENUNCIATION and current is not None:
            result.append((current, act.takes_effect))
            current = None
    if current is not None:
        result.append((current, None))
    return result


def _first_day(spans: list[tuple[PartialDate, PartialDate | None]], n: int, *, early: bool):
    """The first day on which n spans hold, every window read at one end."""
    days = [
        (
            s.earliest if early else s.latest,
            None if e is None else (e.latest if early else e.earliest),
        )
        for s, e in spans
    ]
    for day in sorted({start for start, _ in days}):
        if sum(1 for start, end in days if start <= day and (end is None or day < end)) >= n:
            return day
    return None


def _own_day(deposit: dt.date, trigger: dt.date, general: dt.date, rule: Rule) -> dt.date:
    if deposit <= trigger:
        return general
    return max(general, deposit + dt.timedelta(days=rule.later))


def status(
    acts: Iterable[Act],
    *,
    rule: Rule,
    at: dt.date,
    name: Callable[[Hashable], str] = str,
) -> Status:
    """The treaty as of `at`, from its actions; rows sorted by `name` of the participant."""
    known = [a for a in acts if a.date.earliest <= at]
    by_actor: dict[Hashable, list[Act]] = defaultdict(list)
    for act in known:
        by_actor[act.actor].append(act)

    counting: list[tuple[PartialDate, PartialDate | None]] = []
    for own in by_actor.values():
        for start, end in periods(own):
            if rule.counts(start.kind):
                counting.append((start.date, end))
    trigger = general = None
    if rule.instruments:
        early = _first_day(counting, rule.instruments, early=True)
        late = _first_day(counting, rule.instruments, early=False)
        if early is not None:
            delay = dt.timedelta(days=rule.delay_days)
            trigger = DayRange(early, late)
            general = DayRange(early + delay, late + delay if late is not None else None)

    rows = []
    for actor, own in by_actor.items():
        row = _row(actor, own, at=at, rule=rule, trigger=trigger, general=general)
        if row is not None:
            rows.append(row)
    rows.sort(key=lambda r: (name(r.actor), str(r.actor)))
    counts = _counts(rows, by_actor, at=at, rule=rule, trigger=trigger)
    return Status(at, rule, tuple(rows), counts, general, trigger)


def _row(actor, own: list[Act], *, at, rule, trigger, general) -> Row | None:
    first = {}
    for act in ordered(own):
        first.setdefault(act.kind, act)
    spans = periods(own)
    signature = first.get(SIGNATURE)
    if signature is None and not spans:
        return None  # statements without an instrument: not a participant
    withdrawal = first.get(SIGNATURE_WITHDRAWAL)
    signed = Certainty.NO
    if signature is not None:
        signed = holds_on(signature.date, withdrawal.date if withdrawal else None, at)
    else:
        # A ratification on record whose signature is not: the state signed, on a day
        # the record does not give, no later than it ratified.
        ratification = next((a for a in ordered(own) if a.kind in AFTER_SIGNATURE), None)
        if ratification is not None:
            signed = holds_on(ratification.date, None, at)
    party = _either(Certainty.NO, *(holds_on(s.date, e, at) for s, e in spans))
    consent = spans[-1][0] if spans else None
    denunciation = next((a for a in reversed(ordered(own)) if a.kind == DENUNCIATION), None)
    own_eif = None
    if consent is not None and general is not None and spans[-1][1] is None:
        early = _own_day(consent.date.earliest, trigger.earliest, general.earliest, rule)
        late = None
        if trigger.latest is not None:
            late = _own_day(consent.date.latest, trigger.latest, general.latest, rule)
            early, late = min(early, late), max(early, late)
        own_eif = DayRange(early, late)
    statements = tuple(a for a in ordered(own) if a.kind in STATEMENTS)
    return Row(
        actor, signature, withdrawal, consent, denunciation, statements, signed, party, own_eif
    )


def _figure(certainties: Iterable[Certainty]) -> Figure:
    values = list(certainties)
    low = sum(1 for c in values if c is Certainty.YES)
    high = low + sum(1 for c in values if c is Certainty.UNCERTAIN)
    return Figure(low, low, high)


def _counts(rows, by_actor, *, at, rule, trigger) -> dict[str, Figure]:
    ratified, ever = {}, {}
    for row in rows:
        spans = periods(by_actor[row.actor])
        ratified[row.actor] = _either(
            Certainty.NO, *(holds_on(s.date, e, at) for s, e in spans if s.kind in AFTER_SIGNATURE)
        )
        ever[row.actor] = holds_on(spans[0][0].date, None, at) if spans else Certainty.NO
    counts = {
        "signatories": _figure(r.signed for r in rows),
        "parties": _figure(r.party for r in rows),
        "signed_and_ratified": _figure(_both(r.signed, ratified[r.actor]) for r in rows),
        "signed_not_ratified": _figure(_both(r.signed, _not(ever[r.actor])) for r in rows),
    }
    if rule.instruments:
        if trigger is not None and trigger.on(at) is Certainty.YES:
            counts["instruments_required"] = Figure(0, 0, 0)
        else:
            held = _figure(
                _either(
                    Certainty.NO,
                    *(
                        holds_on(s.date, e, at)
                        for s, e in periods(by_actor[r.actor])
                        if rule.counts(s.kind)
                    ),
                )
                for r in rows
            )
            most = max(0, rule.instruments - held.low)
            least = max(0, rule.instruments - held.high)
            if trigger is not None and trigger.on(at) is Certainty.UNCERTAIN:
                least = 0
            counts["instruments_required"] = Figure(most, least, most)
    return counts
