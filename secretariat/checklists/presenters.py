"""Plain-data views of checklists, for the API and reports."""

from __future__ import annotations

from typing import Any

from secretariat.core.presenters import partial, sources
from secretariat.registry.presenters import actor_ref

from .models import NextStep
from .selectors import next_pending, progress


def step_dict(step: NextStep) -> dict[str, Any]:
    return {
        "position": step.position,
        "title": step.title_en,
        "title_ru": step.title_ru or None,
        "responsible": actor_ref(step.responsible) if step.responsible else None,
        "responsible_text": step.responsible_text_en or None,
        "status": step.status,
        "due": partial(step.due),
        "done": partial(step.done),
        "note": step.note or None,
        "sources": sources(step),
    }


def checklist_dict(steps: list[NextStep]) -> dict[str, Any]:
    done = progress(steps)
    waiting = next_pending(steps)
    return {
        "steps": [step_dict(s) for s in steps],
        "done": done.done,
        "total": done.total,
        "progress": done.label,
        "next": waiting.position if waiting else None,
    }
