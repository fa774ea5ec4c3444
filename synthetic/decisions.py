"""Consensus procedures on a document's last version, with the positions of states.

The outcome is never chosen: it is what `decisions.outcome.verdict` (the function the
services close procedures with) gives for the positions written, and the closing row
and the document's "adopted" event follow from it as `procedure_decide` and
`procedure_close` would write them. Eligible states are those certainly members on
the opening day (in the project's time zone), as `decisions.selectors` counts them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from secretariat.decisions import engine
from secretariat.decisions.models import Position, Procedure, ProcedureClosing
from secretariat.documents.models import DocumentEvent

from .world import World, at_time

STATEMENTS = [
    "Joins the consensus.",
    "Supports the draft as circulated.",
    "Joins the consensus on the understanding that the text does not create new obligations.",
    "Asks that its interpretation of paragraph 3 be placed on record.",
    "Cannot agree to the draft in its present form.",
    "",
]


@dataclass
class Closed:
    state: str  # adopted, failed
    at: dt.datetime
    day: dt.date  # the day of the close, in the project's time zone
    event_id: int | None  # the document's "adopted" event, when adopted


def run(
    world: World,
    rng: random.Random,
    *,
    version_id: int,
    version_label: str,
    body_id: int,
    body_name: str,
    meeting_id: int | None,
    opened_on: dt.date,
    decided_on: dt.date | None,
) -> Closed:
    """Write one procedure: opened on `opened_on`, decided at the meeting on `decided_on`
    (None: a silence procedure with a deadline some days later). Returns its close."""
    w = world.writer
    kind = "meeting" if meeting_id is not None else "silence"
    opened_at = at_time(opened_on, 9, rng.randrange(0, 60))
    if kind == "meeting":
        closes_at = at_time(decided_on, 16, rng.randrange(0, 60))
        deadline = closes_at
    else:
        closes_at = at_time(opened_on + dt.timedelta(days=rng.randrange(5, 15)), 18)
        deadline = closes_at
    pk = w.new_id(Procedure)
    eligible = [a for a in world.members_on(timezone.localdate(opened_at))]
    eligible_ids = {a.id for a in eligible}
    label = "decision at a meeting" if kind == "meeting" else "silence procedure"
    w.record(
        Procedure,
        {"id": pk, "version_id": version_id, "body_id": body_id, "kind": kind,
         "meeting_id": meeting_id, "opened_at": opened_at, "deadline": deadline},
        f"{label.capitalize()} on {version_label} before {body_name}"[:300],
    )  # fmt: skip
    window = (closes_at - opened_at).total_seconds()
    stances: list[engine.Stance] = []

    def moment() -> dt.datetime:
        # Whole minutes inside the window, never at its ends.
        return opened_at + dt.timedelta(minutes=rng.randrange(1, int(window // 60) - 1))

    speakers = rng.sample(eligible, min(len(eligible), rng.randrange(2, 13)))
    objector = speakers[0] if rng.random() < 0.1 else None
    for actor in speakers:
        if actor is objector:
            first = moment()
            stances.append(engine.Stance(actor.id, "objection", first))
            if rng.random() < 0.5:
                later = first + dt.timedelta(minutes=rng.randrange(1, 240))
                if later < closes_at:
                    stances.append(engine.Stance(actor.id, "withdrawal", later))
            continue
        roll = rng.random()
        position = "support" if roll < 0.8 else "reservation" if roll < 0.9 else "interpretative"
        stances.append(engine.Stance(actor.id, position, moment()))
    associates = world.associates_on(timezone.localdate(opened_at))
    if associates and rng.random() < 0.2:
        commenter = associates[rng.randrange(len(associates))]
        stances.append(engine.Stance(commenter.id, "comment", moment()))
    seen: set[tuple[int, dt.datetime]] = set()
    for stance in stances:
        if (stance.actor, stance.stated_at) in seen:
            continue  # one position of a state at one instant
        seen.add((stance.actor, stance.stated_at))
        w.add(
            Position,
            {"procedure_id": pk, "actor_id": stance.actor, "kind": stance.kind,
             "stated_at": stance.stated_at, "statement": _statement(rng, stance.kind),
             "entered_by_id": None},
        )  # fmt: skip
    verdict = engine.verdict(
        kind=kind, opened_at=opened_at, closes_at=closes_at, eligible=eligible_ids,
        positions=stances, now=closes_at,
    )  # fmt: skip
    event_id = w.new_id(DocumentEvent) if verdict.state is engine.State.ADOPTED else None
    w.add(
        ProcedureClosing,
        {"procedure_id": pk, "outcome": verdict.state.value, "closed_at": verdict.since,
         "event_id": event_id, "adoption_refused": ""},
    )  # fmt: skip
    return Closed(verdict.state.value, verdict.since, timezone.localdate(verdict.since), event_id)


def _statement(rng: random.Random, kind: str) -> str:
    if kind == "objection":
        return STATEMENTS[4]
    if kind in ("reservation", "interpretative"):
        return STATEMENTS[2 if kind == "reservation" else 3]
    if kind == "comment":
        return "Welcomes the draft and offers its cooperation."
    return STATEMENTS[rng.choice((0, 1, 5))]
