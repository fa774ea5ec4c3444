"""Pages of the programme: the Catalogue of CBMs as of a date, a priority area, the Road Map.

Each view reads through programme.selectors and renders programme.answers' plain
data with the ids of the documents the reader may read (documents.selectors.readable_ids),
exactly as the API does: a document the reader may not read is never linked.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from secretariat.core.as_of import as_of
from secretariat.documents.selectors import readable_ids
from secretariat.figures.display import page_items

from . import selectors
from .answers import AreaDetailOut, CatalogueOut, EditionOut, RoadMapOut
from .display import (
    EVENT_KINDS,
    _label_roles,
    label_statuses,
    with_titles,
)

# The largest id a database column holds: larger ones are missing, not an error.
MAX_ID = 2**63 - 1

# --- the catalogue ------------------------------------------------------------------


@require_safe
def catalogue(request):
    """The catalogue in force on `at`: dimensions × priority areas with coordinators then,
    and the events held in each area by year; every edition, with when it was in force."""
    at = as_of(request)
    visible = readable_ids(request.user)
    edition = selectors.edition_in_force(at)
    spans = selectors.edition_spans()
    editions = with_titles([EditionOut.build(s, context={"visible": visible}) for s in spans])
    for item in editions:
        item["current"] = edition is not None and item["id"] == edition.pk
    context: dict[str, Any] = {"edition": edition, "data": None, "editions": editions}
    if edition is not None:
        view = selectors.catalogue(edition, at)
        span = next((s for s in spans if s.edition.pk == edition.pk), None)
        span = span or selectors.EditionSpan(edition=edition, start=None, end=None)
        figures = selectors.edition_figures(edition, at)
        data = with_titles(
            CatalogueOut.build(view, edition=span, reported=figures, context={"visible": visible})
        )
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
            figures=page_items(figures),
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
    data = with_titles(AreaDetailOut.build(detail, context={"visible": readable_ids(request.user)}))
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
        data = with_titles(RoadMapOut.build(view, context={"visible": readable_ids(request.user)}))
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
