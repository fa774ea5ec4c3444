"""Pages of the programme: the Catalogue of CBMs as of a date, a priority area, the Road Map.

Each view reads through programme.selectors and renders programme.presenters' plain
data with the ids of the documents the reader may read (documents.selectors.readable_ids),
exactly as the API does: a document the reader may not read is never linked.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from secretariat.documents.selectors import readable_ids
from secretariat.figures.presenters import page_items
from secretariat.portal.dates import as_of

from . import presenters, selectors

# The largest id a database column holds: larger ones are missing, not an error.
MAX_ID = 2**63 - 1

ROLE_LABELS = {
    "coordinator": gettext_lazy("coordinator"),
    "co_coordinator": gettext_lazy("co-coordinator"),
}
EVENT_KINDS = {
    "conference": gettext_lazy("conference"),
    "seminar": gettext_lazy("seminar"),
    "workshop": gettext_lazy("workshop"),
    "training": gettext_lazy("training"),
    "other": gettext_lazy("other event"),
}
TASK_STATUSES = {
    "pending": pgettext_lazy("task status", "pending"),
    "in_progress": pgettext_lazy("task status", "in progress"),
    "done": pgettext_lazy("task status", "done"),
    "dropped": pgettext_lazy("task status", "dropped"),
}
# Badge class of each task or step status (site.css: ok, warn).
STATUS_BADGES = {"done": "ok", "in_progress": "warn", "pending": "", "dropped": ""}


# --- titles in both languages for the presenters' references ------------------------

DOCUMENT_FIELDS = frozenset({"document", "documents", "decided_by", "added_by"})
MEETING_FIELDS = frozenset({"meeting", "meetings", "decided_at", "added_at", "launched_at"})
BODY_FIELDS = frozenset({"body"})


def _collect(data: Any, found: dict[str, list[dict]], field: str | None = None) -> None:
    if isinstance(data, list):
        for item in data:
            _collect(item, found, field)
        return
    if not isinstance(data, dict):
        return
    if field in DOCUMENT_FIELDS and "id" in data and "symbol" in data:
        found["documents"].append(data)
    elif field in MEETING_FIELDS and "id" in data and "key" in data:
        found["meetings"].append(data)
    elif field in BODY_FIELDS and "slug" in data and "name" in data:
        found["bodies"].append(data)
    for name, value in data.items():
        _collect(value, found, name)


def with_titles(data: Any) -> Any:
    """The presenters' data with Russian titles added to its document, meeting and body
    references (and English titles to bare meeting keys), so `{% tr ref "title" %}` (or
    "name", for bodies) works on them.

    Only references already in the data are touched: what the presenters left out for
    the reader stays out. A fixed number of queries, whatever the size of the data.
    """
    found: dict[str, list[dict]] = {"documents": [], "meetings": [], "bodies": []}
    _collect(data, found)
    documents = selectors.document_titles_ru({ref["id"] for ref in found["documents"]})
    for ref in found["documents"]:
        ref["title_ru"] = documents.get(ref["id"])
    meetings = selectors.meeting_titles({ref["id"] for ref in found["meetings"]})
    for ref in found["meetings"]:
        titles = meetings.get(ref["id"], {})
        ref.setdefault("title", titles.get("title") or ref["key"])
        ref["title_ru"] = titles.get("title_ru")
    bodies = selectors.body_names_ru({ref["slug"] for ref in found["bodies"]})
    for ref in found["bodies"]:
        ref["name_ru"] = bodies.get(ref["slug"])
    return data


def _label_roles(roles: list[dict]) -> list[dict]:
    for role in roles:
        role["role_label"] = ROLE_LABELS.get(role["role"], role["role"])
    return roles


def label_statuses(items: list[dict]) -> list[dict]:
    """Tasks or next steps with their status in the page's language and its badge class."""
    for item in items:
        item["status_label"] = TASK_STATUSES.get(item["status"], item["status"])
        item["badge"] = STATUS_BADGES.get(item["status"], "")
    return items


# --- the catalogue ------------------------------------------------------------------


@require_safe
def catalogue(request):
    """The catalogue in force on `at`: dimensions × priority areas with coordinators then,
    and the events held in each area by year; every edition, with when it was in force."""
    at = as_of(request)
    visible = readable_ids(request.user)
    edition = selectors.edition_in_force(at)
    spans = selectors.edition_spans()
    editions = with_titles(presenters.editions_list(spans, visible))
    for item in editions:
        item["current"] = edition is not None and item["id"] == edition.pk
    context: dict[str, Any] = {"edition": edition, "data": None, "editions": editions}
    if edition is not None:
        view = selectors.catalogue(edition, at)
        span = next((s for s in spans if s.edition.pk == edition.pk), None)
        data = with_titles(presenters.catalogue_dict(view, visible, span))
        matrix = selectors.event_matrix([a.pk for a in view.areas], at)
        for dimension in data["dimensions"]:
            for area in dimension["areas"]:
                _label_roles(area["coordinators"])
                area["coordinators_only"] = [
                    r for r in area["coordinators"] if r["role"] == "coordinator"
                ]
                area["co_coordinators"] = [
                    r for r in area["coordinators"] if r["role"] != "coordinator"
                ]
                area["event_row"] = matrix.row(area["id"])
                area["event_total"] = matrix.totals.get(area["id"], 0)
        context.update(
            data=data,
            years=matrix.years,
            areas_count=len(view.areas),
            numbers_ours=any(a.number_ours for a in view.areas),
            previous=_previous(editions, edition.pk),
            figures=page_items(selectors.edition_figures(edition, at)),
        )
    return render(request, "programme/catalogue.html", context)


def _previous(editions: list[dict], edition_id: int) -> dict | None:
    """The edition listed just before this one (editions are oldest first)."""
    ids = [e["id"] for e in editions]
    place = ids.index(edition_id) if edition_id in ids else 0
    return editions[place - 1] if place > 0 else None


@require_safe
def area(request, area_id: int):
    """A priority area: coordinators over time, events by year and by state, reviews."""
    found = selectors.area_get(area_id) if 0 < area_id <= MAX_ID else None
    if found is None:
        raise Http404(_("There is no such priority area."))
    detail = selectors.area_detail(found)
    data = with_titles(presenters.area_detail_dict(detail, readable_ids(request.user)))
    _label_roles(data["coordinators"])
    for event in data["events"]:
        event["kind_label"] = EVENT_KINDS.get(event["kind"], event["kind"])
    years = data["events_by_year"]
    peak = max((y["count"] for y in years), default=0)
    for year in years:
        year["percent"] = round(100 * year["count"] / peak) if peak else 0
    return render(request, "programme/area.html", {"area": found, "data": data})


# --- the road map -------------------------------------------------------------------


@require_safe
def roadmap(request):
    """The road map's clusters with tasks, progress, focus by year and next steps.

    `?document=<key>` picks another road map the reader may read; by default the latest.
    """
    maps = selectors.roadmaps(user=request.user)
    wanted = (request.GET.get("document") or "").strip()
    notice = None
    document = maps[-1] if maps else None
    if wanted:
        chosen = next((d for d in maps if d.key == wanted), None)
        if chosen is None:
            notice = _("There is no road map “%(key)s”: showing the latest.") % {"key": wanted[:80]}
        else:
            document = chosen
    context: dict[str, Any] = {"maps": maps, "notice": notice, "data": None, "document": document}
    if document is not None:
        view = selectors.roadmap(document)
        data = with_titles(presenters.roadmap_dict(view, readable_ids(request.user)))
        russian = {c["number"]: c["title_ru"] for c in data["clusters"]}
        for cluster in data["clusters"]:
            label_statuses(cluster["tasks"])
            label_statuses(cluster["next_steps"]["steps"])
        for year in data["focus_by_year"]:
            for focus in year["clusters"]:
                focus["title_ru"] = russian.get(focus["number"])
        context.update(
            data=data,
            clusters=list(zip(view.clusters, data["clusters"], strict=True)),
        )
    return render(request, "programme/roadmap.html", context)
