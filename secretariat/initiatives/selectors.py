"""Reads about initiatives, institutions and partnerships, as of any date.

Statuses and stages are derived from dated events: the latest event that certainly
happened by the date (its partial date's whole window is over) stands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from secretariat.bodies.models import Body, Meeting, MeetingSchedule
from secretariat.bodies.selectors import BodyAt, bodies_at, held_count
from secretariat.checklists.selectors import checklist
from secretariat.core.prefetch import cited
from secretariat.figures.compare import Comparison, compare, known_by, nearest
from secretariat.figures.models import Measure, ReportedFigure
from secretariat.figures.selectors import figures_of, key_of
from secretariat.registry.models import Actor, Status
from secretariat.registry.selectors import Ordinal, StatusAt, ordinals_for, statuses_at

from . import transitions
from .models import (
    Expectation,
    ExpectationResponse,
    FundContribution,
    FundProject,
    Initiative,
    InitiativeEvent,
    Partnership,
    PartnershipEvent,
    Priorities,
)


def latest_by(
    events: list, at: dt.date, order: tuple[str, ...] = transitions.STATUSES, *, certain=True
):
    """The latest event that certainly (or, with certain=False, possibly) happened by `at`."""
    past = [e for e in events if (e.date.latest if certain else e.date.earliest) <= at]
    if not past:
        return None
    return max(
        past, key=lambda e: (e.date.earliest, e.date.latest, transitions.rank(e.kind, order))
    )


def status_at(initiative: Initiative, at: dt.date) -> str | None:
    """The initiative's status on `at` (reads prefetched `events`)."""
    event = latest_by(list(initiative.events.all()), at)
    return event.kind if event else None


def possible_status_at(initiative: Initiative, at: dt.date) -> str | None:
    """The status it may have reached on `at` when a partial date blurs the latest event;
    None when that is the certain status (reads prefetched `events`)."""
    event = latest_by(list(initiative.events.all()), at, certain=False)
    possible = event.kind if event else None
    return possible if possible != status_at(initiative, at) else None


@dataclass(frozen=True)
class InitiativeAt:
    """An initiative with its status on a date."""

    initiative: Initiative
    status: str | None
    at: dt.date | None = None


def _events(model) -> Prefetch:
    related = ["meeting__body"] + (["body"] if model is PartnershipEvent else [])
    return Prefetch(
        "events",
        queryset=model.objects.select_related(*related, "document").prefetch_related(
            cited(), "meeting__schedule"
        ),
    )


def initiatives_qs() -> QuerySet[Initiative]:
    return Initiative.objects.select_related(
        "proposer_actor", "proposer_chairmanship__actor", "proposer_body", "launched_at__body"
    ).prefetch_related(_events(InitiativeEvent), "priorities", cited(), "launched_at__schedule")


def initiatives_at(
    at: dt.date, *, status: str | None = None, priorities: str | None = None
) -> list[InitiativeAt]:
    """Initiatives with their status on `at`, filtered by that status and by priorities."""
    qs = initiatives_qs()
    if priorities:
        qs = qs.filter(priorities__slug=priorities)
    items = [InitiativeAt(i, status_at(i, at), at) for i in qs.order_by("slug")]
    return [i for i in items if status is None or i.status == status]


def initiative_get(slug: str) -> Initiative | None:
    """One initiative with everything its page shows."""
    responses = Prefetch(
        "responses",
        queryset=ExpectationResponse.objects.select_related("actor").prefetch_related(cited()),
    )
    expectations = Prefetch(
        "expectations",
        queryset=Expectation.objects.prefetch_related("addressees", responses, cited()),
    )
    return (
        initiatives_qs()
        .prefetch_related(
            expectations,
            Prefetch(
                "meetings",
                queryset=Meeting.objects.select_related("body").prefetch_related("schedule"),
            ),
            "documents",
        )
        .filter(slug=slug)
        .first()
    )


@dataclass(frozen=True)
class ExpectationAt:
    """An expectation with its responses and the states asked that have not responded."""

    expectation: Expectation
    responses: list[ExpectationResponse]
    not_responded: list[Actor]


def expectations_at(initiative: Initiative, at: dt.date) -> list[ExpectationAt]:
    """Responses up to `at`; "all member states" means those members on `at`."""
    members = None
    result = []
    for exp in initiative.expectations.all():
        if exp.from_all:
            if members is None:
                members = [s.status.actor for s in statuses_at(at, kind=Status.Kind.MEMBER)]
            asked = members
        else:
            asked = sorted(exp.addressees.all(), key=lambda a: a.name_en)
        responses = [r for r in exp.responses.all() if r.date.earliest <= at]
        answered = {r.actor_id for r in responses}
        result.append(ExpectationAt(exp, responses, [a for a in asked if a.pk not in answered]))
    return result


def next_steps(initiative: Initiative):
    return checklist(initiative)


@dataclass
class InstitutionAt:
    """An institution on a date: status, meetings held (counted; the figures sources give,
    each beside the count on its own date), its fund records."""

    body_at: BodyAt
    meetings_held: int
    reported: ReportedFigure | None  # the figure nearest the date, of those known by then
    figures: list[Comparison] = field(default_factory=list)
    projects: list[FundProject] = field(default_factory=list)
    contributions: list[FundContribution] = field(default_factory=list)


def meetings_held(meetings: list[Meeting], at: dt.date) -> int:
    """How many of these meetings were certainly held by `at` (reads prefetched `schedule`)."""
    return held_count(meetings, at).value


def institutions_at(at: dt.date) -> list[InstitutionAt]:
    """Institution bodies on `at`, each with its meetings held and its fund's records."""
    items = [b for b in bodies_at(at) if b.body.kind == Body.Kind.INSTITUTION]
    ids = [b.body.pk for b in items]
    meetings: dict[int, list[Meeting]] = {pk: [] for pk in ids}
    for m in Meeting.objects.filter(body_id__in=ids).prefetch_related(
        Prefetch("schedule", queryset=MeetingSchedule.objects.order_by("start_date", "id"))
    ):
        meetings[m.body_id].append(m)
    figures = figures_of(b.body for b in items)
    projects: dict[int, list[FundProject]] = {pk: [] for pk in ids}
    for p in (
        FundProject.objects.filter(fund_id__in=ids)
        .select_related("proposer")
        .prefetch_related(cited())
    ):
        if p.start is None or p.start.earliest <= at:
            projects[p.fund_id].append(p)
    contributions: dict[int, list[FundContribution]] = {pk: [] for pk in ids}
    for c in (
        FundContribution.objects.filter(fund_id__in=ids)
        .select_related("actor")
        .prefetch_related(cited())
    ):
        if c.date.earliest <= at:
            contributions[c.fund_id].append(c)
    result = []
    for b in items:
        held = meetings[b.body.pk]
        known = [
            f
            for f in known_by(figures.get(key_of(b.body), []), at)
            if f.measure == Measure.MEETINGS_HELD
        ]
        latest = nearest(known, at)
        result.append(
            InstitutionAt(
                body_at=b,
                meetings_held=meetings_held(held, at),
                reported=latest[0] if latest else None,
                figures=compare(
                    known, lambda day, held=held: {Measure.MEETINGS_HELD: held_count(held, day)}
                ),
                projects=projects[b.body.pk],
                contributions=contributions[b.body.pk],
            )
        )
    return result


@dataclass(frozen=True)
class PartnershipAt:
    """A partnership on a date: its stage, and its ordinal from the registry when a partner."""

    partnership: Partnership
    stage: str | None
    events: list[PartnershipEvent]
    ordinal: Ordinal | None
    possible_stage: str | None = None  # reached, or not, inside a partial date's window


@dataclass(frozen=True)
class Relations:
    at: dt.date
    partnerships: list[PartnershipAt]
    applicants: list[StatusAt]


def relations_at(at: dt.date) -> Relations:
    """Partnerships with their stage on `at`, and the pending applicants from the registry."""
    held = Prefetch(
        "actor__statuses",
        queryset=Status.objects.filter(
            kind__in=[Status.Kind.PARTNER, Status.Kind.DIALOGUE_PARTNER]
        ),
        to_attr="partner_statuses",
    )
    rows = list(
        Partnership.objects.select_related("actor").prefetch_related(
            _events(PartnershipEvent), cited(), held
        )
    )
    ordinals = ordinals_for([Status.Kind.PARTNER, Status.Kind.DIALOGUE_PARTNER]) if rows else {}
    items = []
    for p in rows:
        events = sorted(p.events.all(), key=lambda e: (e.date.earliest, e.pk))
        latest = latest_by(events, at, transitions.STAGES)
        stage = latest.kind if latest else None
        maybe = latest_by(events, at, transitions.STAGES, certain=False)
        possible = maybe.kind if maybe and maybe.kind != stage else None
        ordinal = None
        if stage in ("partner", "dialogue"):
            wanted = Status.Kind.PARTNER if stage == "partner" else Status.Kind.DIALOGUE_PARTNER
            began = [
                s for s in p.actor.partner_statuses if s.kind == wanted and s.start.earliest <= at
            ]
            if began:
                ordinal = ordinals.get(max(began, key=lambda s: s.start_date).pk)
        items.append(
            PartnershipAt(p, stage, [e for e in events if e.date.earliest <= at], ordinal, possible)
        )
    applicants = [
        s
        for s in statuses_at(at, kind=Status.Kind.APPLICANT)
        if s.status.outcome in ("", Status.Outcome.PENDING)
    ]
    return Relations(at=at, partnerships=items, applicants=applicants)


# --- for the pages ------------------------------------------------------------------


def priorities_list() -> list[Priorities]:
    """Every titled set of priorities, in the order of their periods (for filters)."""
    return list(Priorities.objects.order_by("start_date", "slug"))
