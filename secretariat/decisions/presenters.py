"""The procedure's answer under the name the other apps still call (until they build their
own answers with core.answers too): made for one reader, `seen` (see decisions.answers)."""

from __future__ import annotations

from typing import Any

from .answers import ProcedureDetail, ProcedureOut
from .selectors import PositionsSeen, ProcedureState


def procedure_dict(
    state: ProcedureState, *, seen: PositionsSeen, detail: bool = False
) -> dict[str, Any]:
    answer = ProcedureDetail if detail else ProcedureOut
    return answer.build(state, context={"seen": seen})
