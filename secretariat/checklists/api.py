"""Read API for next-step checklists."""

from django.http import Http404
from ninja import Path, Router

from secretariat.core.schemas import Problem
from secretariat.documents.selectors import document_get

from . import selectors
from .answers import ChecklistOut

router = Router(tags=["checklists"])


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
    return ChecklistOut.build(selectors.checklist(document))
