"""The search page: the same search as the API, as HTML (the portal's design comes later)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors
from .models import SearchEntry
from .query import clean

PAGE = 20


def _int(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


@require_safe
def search_page(request):
    params = request.GET
    q = clean(params.get("q", ""))
    page = _int(params.get("page"), 1, 5_000) or 1
    filters = {
        "type": params.get("type") or None,
        "year": _int(params.get("year"), 1, 9999),
        "body": params.get("body") or None,
        "status": params.get("status") or None,
        "language": params.get("language") or None,
    }
    found = None
    if q.strip():
        found = selectors.search(
            q, user=request.user, limit=PAGE, offset=(page - 1) * PAGE, **filters
        )
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "search/search.html",
        {
            "q": q,
            "found": found,
            "filters": filters,
            "kinds": SearchEntry.Kind.choices,
            "page": page,
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if found and found.total > page * PAGE else None,
            "base": query.urlencode(),
        },
    )
