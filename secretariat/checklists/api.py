"""Read API for next-step checklists."""

from django.http import Http404
from ninja import Path, Router, Schema

from secretariat.core.schemas import PartialDateOut, Problem, SourceOut
from secretariat.documents.selectors import document_get
from secretariat.registry.answers import ActorRef

from . import presenters, selectors

router = Router(tags=["checklists"])


class StepOut(Schema):
    position: int
    title: str
    title_ru: str | None = None
    responsible: ActorRef | None = None
    responsible_text: str | None = None
    status: str
    due: PartialDateOut | None = None
    done: PartialDateOut | None = None
    note: str | None = None
    sources: list[SourceOut]


class ChecklistOut(Schema):
    steps: list[StepOut]
    done: int
    total: int
    progress: str
    next: int | None = None


@router.get(
    "/documents/{key}/next-steps",
    response={200: ChecklistOut, 404: Problem},
    summary="A document's next steps, in order, with their progress",
)
def document_next_steps(
    request, key: str = Path(..., description="The document's key (or its id).")
):
    document = document_get(key, user=request.user)
    if document is None:
        raise Http404(f"No document '{key}'.")
    return presenters.checklist_dict(selectors.checklist(document))
