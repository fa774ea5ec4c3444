"""The history page of a record: for the Secretariat; to anyone else it does not exist."""

from django.http import Http404
from django.shortcuts import render

from . import selectors
from .display import page_entry


def record_history(request, label: str, pk: int):
    """Every change of the record, newest first, with before and after."""
    content_type = selectors.content_type_for(label)
    entries = (
        None
        if content_type is None
        else selectors.record_history(user=request.user, content_type=content_type, object_id=pk)
    )
    if entries is None:
        raise Http404("No such record.")  # 404, not 403: nothing says the record exists
    items = [page_entry(e) for e in entries]
    model = content_type.model_class()
    current = model._base_manager.filter(pk=pk).first() if model is not None else None
    context = {
        "kind": content_type.name,
        "record": str(current) if current is not None else (items[0]["record"] if items else ""),
        "deleted": current is None,
        "entries": items,
    }
    return render(request, "audit/history.html", context)
