"""Reads about procedures: who may take part, where each state stands, the outcome now.

Eligibility is derived, never stored: the eligible states are those certainly
members on the day the procedure opened (in the project's time zone).

Who is shown which state took which position is decided here, once
(`positions_seen`, and `positions_seen_q` for querysets of positions): every reader
of a procedure sees its outcome and how many objected; the states' positions and
statements are shown as the procedure's `positions_visibility` says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from secretariat.accounts import policy
from secretariat.accounts.policy import documents_q
from secretariat.core.partial_dates import Certainty, holds_on
from secretariat.core.prefetch import cited
from secretariat.documents.selectors import circulations_awaiting
from secretariat.registry.models import Actor, Status
from secretariat.registry.selectors import statuses_at

from . import engine
from .models import Position, Procedure, ProcedureClosing

# Standings that let an actor comment, though never block.
ASSOCIATE_KINDS = (Status.Kind.OBSERVER, Status.Kind.PARTNER, Status.Kind.DIALOGUE_PARTNER)
# The largest id a database column holds: larger ones are missing, not an error.
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Eligibility:
    """Who takes part in a procedure, as of the day it opened."""

    day: dt.date
    eligible: tuple[Actor, ...]  # certainly members that day: their positions count
    uncertain: tuple[Actor, ...]  # possibly members (partial dates): listed apart, cannot block
    associates: tuple[Actor, ...]  # observers and partners that day: may comment only

    @cached_property
    def eligible_ids(self) -> frozenset[int]:
        return frozenset(a.pk for a in self.eligible)

    def is_eligible(self, actor_id: int) -> bool:
        return actor_id in self.eligible_ids

    def is_uncertain(self, actor_id: int) -> bool:
        return any(a.pk == actor_id for a in self.uncertain)

    def is_associate(self, actor_id: int) -> bool:
        return any(a.pk == actor_id for a in self.associates)

    def may_comment(self, actor_id: int) -> bool:
        return (
            self.is_eligible(actor_id) or self.is_uncertain(actor_id) or self.is_associate(actor_id)
        )


def opening_day(procedure: Procedure) -> dt.date:
    """The day the procedure opened, in the project's time zone."""
    return timezone.localdate(procedure.opened_at)


def classify(day: dt.date, held: Iterable[tuple[Actor, str, Certainty]]) -> Eligibility:
    """The one rule: members certainly holding are eligible, possible members are apart."""
    certain: dict[int, Actor] = {}
    possible: dict[int, Actor] = {}
    associates: dict[int, Actor] = {}
    for actor, kind, certainty in held:
        if certainty is Certainty.NO:
            continue
        if kind == Status.Kind.MEMBER:
            (certain if certainty is Certainty.YES else possible)[actor.pk] = actor
        elif kind in ASSOCIATE_KINDS:
            associates[actor.pk] = actor
    possible = {pk: a for pk, a in possible.items() if pk not in certain}
    associates = {pk: a for pk, a in associates.items() if pk not in certain and pk not in possible}

    def by_name(actors: dict[int, Actor]) -> tuple[Actor, ...]:
        return tuple(sorted(actors.values(), key=lambda a: (a.name_en, a.pk)))

    return Eligibility(day, by_name(certain), by_name(possible), by_name(associates))


def eligibility(procedure: Procedure) -> Eligibility:
    """Who takes part in one procedure (the registry's statuses_at on the opening day)."""
    day = opening_day(procedure)
    return classify(day, ((s.status.actor, s.status.kind, s.certainty) for s in statuses_at(day)))


def eligibilities(days: Iterable[dt.date]) -> dict[dt.date, Eligibility]:
    """Who takes part, for many opening days at once, in one query.

    Lists cannot ask statuses_at once per procedure without a query each; this
    reads the statuses once and judges each day by the same rule statuses_at
    applies (core.partial_dates.holds_on). A test holds the two to agreeing.
    """
    days = set(days)
    if not days:
        return {}
    rows = list(
        Status.objects.filter(kind__in=[Status.Kind.MEMBER, *ASSOCIATE_KINDS]).select_related(
            "actor"
        )
    )
    return {
        day: classify(day, ((s.actor, s.kind, holds_on(s.start, s.end, day)) for s in rows))
        for day in days
    }


def closing_of(procedure: Procedure) -> ProcedureClosing | None:
    try:
        return procedure.closing
    except ProcedureClosing.DoesNotExist:
        return None


def closes_at(procedure: Procedure) -> dt.datetime | None:
    """When positions stop: a silence procedure's deadline, a meeting's recorded decision."""
    if procedure.kind == Procedure.Kind.SILENCE:
        return procedure.deadline
    closing = closing_of(procedure)
    return closing.closed_at if closing else None


def stances(positions: Iterable[Position]) -> list[engine.Stance]:
    return [engine.Stance(p.actor_id, p.kind, p.stated_at, ref=p) for p in positions]


def verdict_for(
    procedure: Procedure,
    positions: Iterable[Position],
    eligible: frozenset[int],
    *,
    now: dt.datetime,
) -> engine.Verdict:
    """The outcome at `now` of a procedure with these positions."""
    return engine.verdict(
        kind=procedure.kind,
        opened_at=procedure.opened_at,
        closes_at=closes_at(procedure),
        eligible=eligible,
        positions=stances(positions),
        now=now,
    )


@dataclass(frozen=True)
class ProcedureState:
    """A procedure as of a moment: who takes part, where each stands, the outcome."""

    procedure: Procedure
    eligibility: Eligibility
    verdict: engine.Verdict
    now: dt.datetime

    @cached_property
    def positions(self) -> list[Position]:
        """Every position stated by `now`, in the order stated."""
        return [
            s.ref
            for s in engine.ordered(stances(self.procedure.positions.all()))
            if s.stated_at <= self.now
        ]

    @cached_property
    def current(self) -> dict[int, Position]:
        """Each eligible state's standing position on adoption as of `now`."""
        held = engine.standing(stances(self.positions), at=self.now, strict=False)
        return {a: s.ref for a, s in held.items() if self.eligibility.is_eligible(a)}

    @property
    def pending(self) -> list[Actor]:
        """Eligible states without a position on adoption yet."""
        return [a for a in self.eligibility.eligible if a.pk not in self.current]


def procedure_state(
    procedure: Procedure, *, now: dt.datetime | None = None, elig: Eligibility | None = None
) -> ProcedureState:
    """The procedure as of `now` (default: this moment)."""
    now = now or timezone.now()
    elig = elig or eligibility(procedure)
    verdict = verdict_for(procedure, procedure.positions.all(), elig.eligible_ids, now=now)
    return ProcedureState(procedure, elig, verdict, now)


# --- Who sees the positions -----------------------------------------------------------


@dataclass(frozen=True)
class PositionsSeen:
    """Which states' positions and statements one reader is shown in one procedure."""

    every: bool  # every state's
    own: int | None = None  # else (and always): the reader's own state's, for a delegate

    def shows(self, actor_id: int) -> bool:
        return self.every or (self.own is not None and actor_id == self.own)

    @property
    def scope(self) -> str:
        """Whose positions are shown: all, own (a delegate's own state's only) or none."""
        if self.every:
            return "all"
        return "own" if self.own is not None else "none"


def positions_seen(procedure: Procedure, user, *, day: dt.date | None = None) -> PositionsSeen:
    """The one rule for who sees which state took which position, and the statements.

    Everyone who may read the procedure sees its outcome and the number of
    objections. Positions and statements: on a "public" procedure, everyone's; on a
    "members" one (the default), the Secretariat's and the delegates' of states that
    are certainly members on `day` (today); on an "officers" one, the Secretariat's
    only. A delegate always sees its own state's positions.
    """
    own = policy.actor_of(user)
    visibility = procedure.positions_visibility
    every = (
        visibility == Procedure.Visibility.PUBLIC
        or policy.is_secretariat(user)
        or (visibility == Procedure.Visibility.MEMBERS and policy.is_member_delegate(user, day))
    )
    return PositionsSeen(every=every, own=own.pk if own is not None else None)


def positions_seen_q(user, *, day: dt.date | None = None) -> Q:
    """`positions_seen` as a condition on positions (their procedure readable apart)."""
    if policy.is_secretariat(user):
        return Q()
    shown = [Procedure.Visibility.PUBLIC]
    if policy.is_member_delegate(user, day):
        shown.append(Procedure.Visibility.MEMBERS)
    condition = Q(procedure__positions_visibility__in=shown)
    own = policy.actor_of(user)
    if own is not None:
        condition |= Q(actor=own)
    return condition


# --- What a position would decide ------------------------------------------------------

BREAKS_SILENCE = "breaks_silence"
BLOCKS_CONSENSUS = "blocks_consensus"


def position_decides(
    procedure: Procedure, actor_id: int, kind: str, *, now: dt.datetime
) -> str | None:
    """What a position stated now would decide, before it is recorded: BREAKS_SILENCE (an
    eligible state's objection to a silence procedure silence has held so far: it fails,
    for good), BLOCKS_CONSENSUS (an eligible state's objection to a decision at a meeting
    still to be taken: no consensus while it stands), or None."""
    if kind != Position.Kind.OBJECTION:
        return None
    state = procedure_state(procedure, now=now)
    if state.verdict.final or not state.eligibility.is_eligible(actor_id):
        return None
    if procedure.kind == Procedure.Kind.SILENCE:
        return BREAKS_SILENCE if now < procedure.deadline else None
    standing = state.current.get(actor_id)
    if standing is not None and standing.kind == Position.Kind.OBJECTION:
        return None  # its objection stands already: saying it again decides nothing new
    return BLOCKS_CONSENSUS


def objections(state: ProcedureState) -> int:
    """How many eligible states object, a number everyone may see: for a silence
    procedure, those who objected before the deadline (the first broke silence, and a
    withdrawal does not undo it); for a decision at a meeting, the objections standing
    (at the decision, once taken)."""
    if state.procedure.kind == Procedure.Kind.SILENCE:
        deadline = state.procedure.deadline
        return len(
            {
                p.actor_id
                for p in state.positions
                if p.kind == Position.Kind.OBJECTION
                and state.eligibility.is_eligible(p.actor_id)
                and p.stated_at < deadline
            }
        )
    if state.verdict.final:
        return len(state.verdict.blocked_by)
    return sum(1 for p in state.current.values() if p.kind == Position.Kind.OBJECTION)


def procedures_qs() -> QuerySet[Procedure]:
    positions = Position.objects.select_related("actor")
    return Procedure.objects.select_related(
        "version__document", "body", "meeting__body", "closing"
    ).prefetch_related(Prefetch("positions", queryset=positions), "meeting__schedule")


def readable(qs: QuerySet[Procedure], user) -> QuerySet[Procedure]:
    """Only procedures on documents `user` may read."""
    return qs.filter(documents_q(user, "version__document__"))


def procedure_get(pk: int, *, user) -> Procedure | None:
    """One procedure the user may read, with its sources, or None."""
    if not 0 < pk <= MAX_ID:
        return None
    qs = procedures_qs().prefetch_related(cited())
    return readable(qs, user).filter(pk=pk).first()


def procedures_list(
    *, user, state: str | None = None, now: dt.datetime | None = None, document=None
) -> list[ProcedureState]:
    """The procedures the user may read, newest first, each as of `now`, by state
    (only those on `document`'s versions, when given).

    The state is derived, so it is judged here rather than in SQL: a constant
    number of queries whatever the number of procedures.
    """
    now = now or timezone.now()
    qs = readable(procedures_qs(), user)
    if document is not None:
        qs = qs.filter(version__document=document)
    procedures = list(qs.order_by("-opened_at", "-id"))
    eligs = eligibilities(opening_day(p) for p in procedures)
    states = [procedure_state(p, now=now, elig=eligs[opening_day(p)]) for p in procedures]
    if state:
        states = [s for s in states if s.verdict.state == state]
    return states


def procedures_due(*, now: dt.datetime) -> list[ProcedureState]:
    """Silence procedures without a closing whose outcome is final at `now`."""
    candidates = list(
        procedures_qs()
        .filter(kind=Procedure.Kind.SILENCE, closing__isnull=True, opened_at__lte=now)
        .filter(Q(deadline__lte=now) | Q(positions__kind=Position.Kind.OBJECTION))
        .distinct()
        .order_by("deadline", "id")
    )
    eligs = eligibilities(opening_day(p) for p in candidates)
    states = [procedure_state(p, now=now, elig=eligs[opening_day(p)]) for p in candidates]
    return [s for s in states if s.verdict.final]


def actor_positions(actor: Actor, *, user) -> list:
    """The positions the actor stated, newest first, only in procedures `user` may read and
    only where `user` is shown which state took which position (decisions' one rule)."""
    return list(
        Position.objects.filter(actor=actor, procedure__in=readable(Procedure.objects.all(), user))
        .filter(positions_seen_q(user))
        .select_related("procedure__version__document", "procedure__body")
        .order_by("-stated_at", "-id")
    )


# --- What awaits a delegate's state ------------------------------------------------------


@dataclass(frozen=True)
class Awaiting:
    """Circulations still open for the state's feedback, and procedures awaiting its position."""

    circulations: list
    procedures: list


def awaiting(user, *, at: dt.date | None = None) -> Awaiting | None:
    """What awaits the delegate's state (None for users who represent none)."""
    actor = policy.actor_of(user)
    if actor is None:
        return None
    at = at or timezone.localdate()
    circulations = circulations_awaiting(actor, at=at, user=user)
    procedures = [
        state
        for state in procedures_list(user=user)
        if not state.verdict.final and any(a.pk == actor.pk for a in state.pending)
    ]
    return Awaiting(circulations=circulations, procedures=procedures)
