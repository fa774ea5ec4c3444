"""The search page: the same access-filtered search as the API, in the portal's layout."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from secretariat.bodies.selectors import bodies_at
from secretariat.core.as_of import as_of
from secretariat.documents.transitions import STATUSES as DOCUMENT_STATUSES
from secretariat.initiatives.transitions import STATUSES as INITIATIVE_STATUSES

from . import selectors
from .query import clean

PAGE = 20
LANGUAGES = {"en": "English", "ru": "Русский"}
KINDS = {
    "document": gettext_lazy("Documents"),
    "meeting": gettext_lazy("Meetings"),
    "actor": gettext_lazy("States and organizations"),
    "institution": gettext_lazy("Bodies and institutions"),
    "initiative": gettext_lazy("Initiatives"),
}
KIND_LABELS = {
    "document": gettext_lazy("document"),
    "meeting": gettext_lazy("meeting"),
    "actor": gettext_lazy("state or organization"),
    "institution": gettext_lazy("body or institution"),
    "initiative": gettext_lazy("initiative"),
}
# Where each kind of record has its page (the index keeps the API's path).
PAGES = {
    "document": "/documents/{key}/",
    "meeting": "/meetings/{key}/",
    "actor": "/actors/{key}/",
    "institution": "/bodies/{key}/",
    "initiative": "/initiatives/{key}/",
}
STATUS_LABELS = {
    "draft": pgettext_lazy("record status", "draft"),
    "circulated": pgettext_lazy("record status", "circulated"),
    "agreed": pgettext_lazy("record status", "agreed"),
    "adopted": pgettext_lazy("record status", "adopted"),
    "endorsed": pgettext_lazy("record status", "endorsed"),
    "noted": pgettext_lazy("record status", "taken note of"),
    "signed": pgettext_lazy("record status", "signed"),
    "ratified": pgettext_lazy("record status", "ratified"),
    "in_force": pgettext_lazy("record status", "in force"),
    "superseded": pgettext_lazy("record status", "superseded"),
    "withdrawn": pgettext_lazy("record status", "withdrawn"),
    "held": pgettext_lazy("record status", "held"),
    "planned": pgettext_lazy("record status", "planned"),
    "postponed": pgettext_lazy("record status", "postponed"),
    "cancelled": pgettext_lazy("record status", "cancelled"),
    "member": pgettext_lazy("record status", "member state"),
    "observer": pgettext_lazy("record status", "observer"),
    "partner": pgettext_lazy("record status", "partner organization"),
    "dialogue_partner": pgettext_lazy("record status", "dialogue partner"),
    "applicant": pgettext_lazy("record status", "applicant"),
    "proposed": pgettext_lazy("record status", "proposed"),
    "under_discussion": pgettext_lazy("record status", "under discussion"),
    "concept_circulated": pgettext_lazy("record status", "concept circulated"),
    "draft_agreed": pgettext_lazy("record status", "draft agreed"),
    "established": pgettext_lazy("record status", "established"),
    "closed": pgettext_lazy("record status", "closed"),
    "dropped": pgettext_lazy("record status", "dropped"),
}
STATUS_GROUPS = [
    (gettext_lazy("Documents"), DOCUMENT_STATUSES),
    (gettext_lazy("Meetings"), ("held", "planned", "postponed", "cancelled")),
    (
        gettext_lazy("States and organizations"),
        ("member", "observer", "partner", "dialogue_partner", "applicant"),
    ),
    (gettext_lazy("Initiatives"), INITIATIVE_STATUSES),
]


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
    at = as_of(request)
    bodies = [b.body for b in bodies_at(at)]
    notices = []
    filters = {
        "type": params.get("type") or None,
        "year": _int(params.get("year"), 1, 9999),
        "body": params.get("body") or None,
        "status": params.get("status") or None,
        "language": params.get("language") or None,
    }
    allowed = {
        "type": set(KINDS),
        "body": {b.slug for b in bodies},
        "status": set(STATUS_LABELS),
        "language": set(LANGUAGES),
    }
    names = {
        "type": _("Kind of record"),
        "body": _("Body"),
        "status": _("Status"),
        "language": _("Language"),
    }
    for name, values in allowed.items():
        if filters[name] is not None and filters[name] not in values:
            notices.append(
                _("“%(value)s” is not a value of the filter “%(filter)s”: it was left out.")
                % {"value": clean(filters[name])[:40], "filter": names[name]}
            )
            filters[name] = None
    if params.get("year") and filters["year"] is None:
        notices.append(_("The year must be a number such as 2021: that filter was left out."))
    found = None
    if q.strip():
        found = selectors.search(
            q, user=request.user, limit=PAGE, offset=(page - 1) * PAGE, **filters
        )
    query = params.copy()
    query.pop("page", None)
    results = [
        {
            "result": r,
            "page": PAGES[r.type].format(key=r.key) if r.type in PAGES else r.url,
            "kind": KIND_LABELS.get(r.type, r.type),
            "status": STATUS_LABELS.get(r.status, r.status) if r.status else None,
            "language": LANGUAGES.get(r.language, r.language),
        }
        for r in (found.results if found else [])
    ]
    return render(
        request,
        "search/search.html",
        {
            "q": q,
            "found": found,
            "results": results,
            "filters": filters,
            "notices": notices,
            "kinds": list(KINDS.items()),
            "bodies": bodies,
            "status_groups": [
                (label, [(s, STATUS_LABELS[s]) for s in values]) for label, values in STATUS_GROUPS
            ],
            "languages": list(LANGUAGES.items()),
            "page": page,
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if found and found.total > page * PAGE else None,
            "base": query.urlencode(),
        },
    )
