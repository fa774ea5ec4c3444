"""Plain-data views of procedures, for the API and the CLI."""

from __future__ import annotations

from typing import Any

from secretariat.bodies.presenters import body_ref
from secretariat.core.presenters import partial, sources
from secretariat.registry.presenters import actor_ref, meeting_ref

from .models import Position, Procedure, ProcedureClosing
from .outcome import Verdict
from .rules import when
from .selectors import ProcedureState, closing_of


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


def outcome_dict(verdict: Verdict, state: ProcedureState) -> dict[str, Any]:
    broken = None
    if verdict.broken_by is not None:
        objection = verdict.broken_by.ref
        text = f"Silence was broken by {objection.actor}'s objection of {when(objection.stated_at)}"
        if verdict.withdrawn_at is not None:
            text += (
                f"; it was withdrawn at {when(verdict.withdrawn_at)}, which is on record but "
                "does not restore silence"
            )
        broken = {
            "position": position_dict(objection, counts=True),
            "withdrawn_at": verdict.withdrawn_at,
            "detail": text + ".",
        }
    return {
        "state": verdict.state.value,
        "since": verdict.since,
        "final": verdict.final,
        "as_of": state.now,
        "broken_by": broken,
        "blocked_by": [position_dict(s.ref, counts=True) for s in verdict.blocked_by],
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


def procedure_dict(state: ProcedureState, *, detail: bool = False) -> dict[str, Any]:
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
        "outcome": outcome_dict(state.verdict, state),
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
        ],
        "current_positions": [
            {
                "actor": actor_ref(a),
                "position": position_dict(current[a.pk], counts=True) if a.pk in current else None,
            }
            for a in elig.eligible
        ],
        "pending": [actor_ref(a) for a in state.pending],
        "closing": closing_dict(closing_of(procedure)),
        "note": procedure.note or None,
        "sources": sources(procedure),
    }
    return data
