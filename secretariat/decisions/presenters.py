"""Plain-data views of procedures, for the API and the pages.

Every view of a procedure is made for one reader (`seen`, from
`selectors.positions_seen`): the positions and statements of states the reader may
not see are left out, and so are the per-state lists that would name them by
difference (who is pending); their counts stay.
"""

from __future__ import annotations

from typing import Any

from secretariat.bodies.presenters import body_ref
from secretariat.core.presenters import partial, sources
from secretariat.registry.presenters import actor_ref, meeting_ref

from .engine import Verdict
from .models import Position, Procedure, ProcedureClosing
from .rules import when
from .selectors import PositionsSeen, ProcedureState, closing_of, objections


def document_ref(procedure: Procedure) -> dict[str, Any]:
    document = procedure.version.document
    return {
        "key": document.key,
        "symbol": document.symbol,
        "title": document.title_en,
        "type": document.type,
        "access": document.access,
    }


def version_ref(procedure: Procedure) -> dict[str, Any]:
    version = procedure.version
    return {"number": version.number, "date": partial(version.date)}


def position_dict(position: Position, *, counts: bool) -> dict[str, Any]:
    return {
        "id": position.pk,
        "actor": actor_ref(position.actor),
        "kind": position.kind,
        "label": position.get_kind_display(),
        "stated_at": position.stated_at,
        "statement": position.statement or None,
        "counts": counts,
    }


def outcome_dict(verdict: Verdict, state: ProcedureState, *, seen: PositionsSeen) -> dict[str, Any]:
    broken = None
    if verdict.broken_by is not None:
        objection = verdict.broken_by.ref
        shown = seen.shows(objection.actor_id)
        whose = f"{objection.actor}'s objection" if shown else "an objection"
        text = f"Silence was broken by {whose} of {when(objection.stated_at)}"
        if verdict.withdrawn_at is not None:
            text += (
                f"; it was withdrawn at {when(verdict.withdrawn_at)}, which is on record but "
                "does not restore silence"
            )
        broken = {
            "position": position_dict(objection, counts=True) if shown else None,
            "stated_at": objection.stated_at,
            "withdrawn_at": verdict.withdrawn_at,
            "detail": text + ".",
        }
    return {
        "state": verdict.state.value,
        "since": verdict.since,
        "final": verdict.final,
        "as_of": state.now,
        "objections": objections(state),
        "broken_by": broken,
        "blocked_by": [
            position_dict(s.ref, counts=True) for s in verdict.blocked_by if seen.shows(s.actor)
        ],
    }


def closing_dict(closing: ProcedureClosing | None) -> dict[str, Any] | None:
    if closing is None:
        return None
    return {
        "outcome": closing.outcome,
        "closed_at": closing.closed_at,
        "recorded_at": closing.recorded_at,
        "adoption_event": closing.event_id is not None,
        "adoption_refused": closing.adoption_refused or None,
    }


def procedure_dict(
    state: ProcedureState, *, seen: PositionsSeen, detail: bool = False
) -> dict[str, Any]:
    """The procedure as `seen` by one reader (see the module's docstring)."""
    procedure = state.procedure
    data = {
        "id": procedure.pk,
        "kind": procedure.kind,
        "label": procedure.get_kind_display(),
        "document": document_ref(procedure),
        "version": version_ref(procedure),
        "body": body_ref(procedure.body),
        "meeting": meeting_ref(procedure.meeting),
        "opened_at": procedure.opened_at,
        "deadline": procedure.deadline,
        "positions_visibility": procedure.positions_visibility,
        "positions_shown": seen.scope,
        "eligible_count": len(state.eligibility.eligible),
        "pending_count": len(state.pending),
        "outcome": outcome_dict(state.verdict, state, seen=seen),
    }
    if not detail:
        return data
    elig = state.eligibility
    eligible = elig.eligible_ids
    current = state.current
    data |= {
        "eligibility_day": elig.day,
        "eligible": [actor_ref(a) for a in elig.eligible],
        "eligibility_uncertain": [actor_ref(a) for a in elig.uncertain],
        "positions": [
            position_dict(p, counts=p.actor_id in eligible and p.kind != Position.Kind.COMMENT)
            for p in state.positions
            if seen.shows(p.actor_id)
        ],
        "current_positions": [
            {
                "actor": actor_ref(a),
                "position": position_dict(current[a.pk], counts=True) if a.pk in current else None,
            }
            for a in elig.eligible
            if seen.shows(a.pk)
        ],
        # Who has not answered names, by difference, who has: shown with the positions.
        "pending": [actor_ref(a) for a in state.pending] if seen.every else None,
        "closing": closing_dict(closing_of(procedure)),
        "note": procedure.note or None,
        "sources": sources(procedure),
    }
    return data
