"""The outcome of a consensus procedure at any moment: one pure function, no database.

Positions are judged by when they were stated (`stated_at`), never by when they
were entered, so the outcome does not depend on the order of entry. Only the
positions of eligible states count; comments never count.

Silence procedure (closes at its deadline):
* "failed" from the moment the first objection by an eligible state was stated
  before the deadline: silence is broken, for good. A later withdrawal of that
  objection is on record but does not restore silence;
* otherwise "adopted" from the deadline on;
* otherwise "open".

Decision at a meeting (closes when the decision is recorded):
* "open" until the decision;
* from the decision on, "adopted" when no eligible state has a standing objection
  at that moment (an objection withdrawn before it does not count), else "failed".

A state's standing position at a moment is its latest position on adoption
stated before then (comments aside): an objection stands until the state
withdraws it or states another position.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any


class State(enum.StrEnum):
    OPEN = "open"
    ADOPTED = "adopted"
    FAILED = "failed"


# The kinds, as plain strings (the same values as Position.Kind).
SUPPORT = "support"
OBJECTION = "objection"
WITHDRAWAL = "withdrawal"
RESERVATION = "reservation"
INTERPRETATIVE = "interpretative"
COMMENT = "comment"
SILENCE = "silence"
MEETING = "meeting"

# Positions stated at the same instant are taken in this order, so that even
# then the answer does not depend on entry order (the services refuse two
# positions of one state at one instant; this keeps the function total).
_RANK = {OBJECTION: 0, WITHDRAWAL: 1, SUPPORT: 2, RESERVATION: 3, INTERPRETATIVE: 4, COMMENT: 5}


@dataclass(frozen=True)
class Stance:
    """A position as the rule sees it; `ref` carries the caller's record along."""

    actor: Hashable
    kind: str
    stated_at: dt.datetime
    ref: Any = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Verdict:
    """The outcome at a moment, since when it holds, and what decided it."""

    state: State
    since: dt.datetime
    # Silence: the objection that broke silence, and when it was withdrawn (if by now).
    broken_by: Stance | None = None
    withdrawn_at: dt.datetime | None = None
    # Meeting: the objections standing at the decision.
    blocked_by: tuple[Stance, ...] = ()

    @property
    def final(self) -> bool:
        return self.state is not State.OPEN


def ordered(positions: Iterable[Stance]) -> list[Stance]:
    """Positions in the order they were stated (ties broken by kind, then state)."""
    return sorted(positions, key=lambda p: (p.stated_at, _RANK.get(p.kind, 9), p.actor))


def standing(
    positions: Iterable[Stance], *, at: dt.datetime, strict: bool = True
) -> dict[Hashable, Stance]:
    """Each state's latest position on adoption stated before `at` (or by `at`, not strict)."""
    result: dict[Hashable, Stance] = {}
    for p in ordered(positions):
        if p.kind != COMMENT and (p.stated_at < at or (not strict and p.stated_at == at)):
            result[p.actor] = p
    return result


def verdict(
    *,
    kind: str,
    opened_at: dt.datetime,
    closes_at: dt.datetime | None,
    eligible: Collection[Hashable],
    positions: Iterable[Stance],
    now: dt.datetime,
) -> Verdict:
    """The outcome at `now`.

    `closes_at` is the silence deadline, or the moment a meeting's decision was
    taken (None while it is not recorded). Positions stated after `now` are not
    known at `now` and do not count.
    """
    counted = [
        p
        for p in positions
        if p.actor in eligible and p.kind != COMMENT and opened_at <= p.stated_at <= now
    ]
    if kind == SILENCE:
        return _silence(opened_at, closes_at, counted, now)
    if kind == MEETING:
        return _meeting(opened_at, closes_at, counted, now)
    raise ValueError(f"unknown procedure kind {kind!r}")


def _silence(opened_at, deadline, counted: list[Stance], now) -> Verdict:
    if deadline is None:
        raise ValueError("a silence procedure needs its deadline")
    in_time = [p for p in ordered(counted) if p.stated_at < deadline]
    first = next((p for p in in_time if p.kind == OBJECTION), None)
    if first is not None:
        later = [p for p in in_time if p.actor == first.actor and p.stated_at > first.stated_at]
        withdrawn = next((p.stated_at for p in later if p.kind != OBJECTION), None)
        return Verdict(State.FAILED, first.stated_at, broken_by=first, withdrawn_at=withdrawn)
    if now >= deadline:
        return Verdict(State.ADOPTED, deadline)
    return Verdict(State.OPEN, opened_at)


def _meeting(opened_at, decided_at, counted: list[Stance], now) -> Verdict:
    if decided_at is None or now < decided_at:
        return Verdict(State.OPEN, opened_at)
    held = standing(counted, at=decided_at)
    objections = tuple(p for p in ordered(held.values()) if p.kind == OBJECTION)
    if objections:
        return Verdict(State.FAILED, decided_at, blocked_by=objections)
    return Verdict(State.ADOPTED, decided_at)
