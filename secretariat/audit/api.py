"""The history of a record over the API: for the Secretariat; to anyone else, 404."""

from django.http import Http404
from ninja import Path, Router
from ninja.pagination import paginate

from secretariat.core.api_pagination import Paged, Presented
from secretariat.core.schemas import Problem

from . import selectors
from .answers import EntryOut

router = Router(tags=["history"])


@router.get(
    "/history/{label}/{pk}",
    response={200: list[EntryOut], 404: Problem},
    summary="A record's history: who changed what, when, how and why",
    description="`label` is the kind of record, `app_label.model` (e.g. `documents.document`). "
    "Newest first. Secretariat officers only: to anyone else the answer is 404, so that "
    "nothing reveals whether the record exists.",
)
@paginate(Paged)
def record_history(
    request,
    label: str = Path(..., description="The kind of record: app_label.model."),
    pk: int = Path(..., ge=1, le=2**63 - 1, description="The record's id."),
):
    content_type = selectors.content_type_for(label)
    entries = (
        None
        if content_type is None
        else selectors.record_history(user=request.user, content_type=content_type, object_id=pk)
    )
    if entries is None:
        raise Http404(f"No record {label} #{pk}.")
    return Presented(entries, EntryOut.build)
