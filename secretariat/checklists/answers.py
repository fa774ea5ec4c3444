"""The answers about next-step checklists, declared once (core.answers): the API, the
pages and the other apps' answers that carry a record's next steps."""

from __future__ import annotations

from typing import Annotated

from secretariat.core.answers import Answer, From
from secretariat.core.schemas import PartialDateOut, SourceOut
from secretariat.registry.answers import ActorRef

from .selectors import next_pending
from .selectors import progress as progress_of


class StepOut(Answer):
    position: int
    title: Annotated[str, From("title_en")]
    title_ru: str | None = None
    responsible: ActorRef | None = None
    responsible_text: Annotated[str | None, From("responsible_text_en")] = None
    status: str
    due: PartialDateOut | None = None
    done: PartialDateOut | None = None
    note: str | None = None
    sources: list[SourceOut]


def _next(steps) -> int | None:
    waiting = next_pending(steps)
    return waiting.position if waiting else None


# A record's steps in order with their progress (built from its list of steps,
# checklists.selectors.checklist).
class ChecklistOut(Answer):
    steps: Annotated[list[StepOut], From(lambda steps: steps)]
    done: Annotated[int, From(lambda steps: progress_of(steps).done)]
    total: Annotated[int, From(lambda steps: progress_of(steps).total)]
    progress: Annotated[str, From(lambda steps: progress_of(steps).label)]
    next: Annotated[int | None, From(_next)] = None
