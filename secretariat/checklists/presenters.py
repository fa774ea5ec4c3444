"""The checklist's answer under the name the other apps still call (until they build their
own answers with core.answers too)."""

from __future__ import annotations

from typing import Any

from .answers import ChecklistOut
from .models import NextStep


def checklist_dict(steps: list[NextStep]) -> dict[str, Any]:
    return ChecklistOut.build(steps)
