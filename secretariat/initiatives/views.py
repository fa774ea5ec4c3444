"""Pages of initiatives and external relations: the board by stage, an initiative, partnerships.

Statuses and stages are derived from dated events as of `?at=` (initiatives.selectors);
the answers leave out any document the reader may not read.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from secretariat.core.as_of import as_of
from secretariat.documents.selectors import readable_ids
from secretariat.programme.display import label_statuses, with_titles

from . import selectors, transitions
from .answers import InitiativeDetail, InitiativeOut, RelationsOut

STATUS_LABELS = {
    "proposed": pgettext_lazy("initiative status", "Proposed"),
    "under_discussion": pgettext_lazy("initiative status", "Under discussion"),
    "concept_circulated": pgettext_lazy("initiative status", "Concept circulated"),
    "draft_agreed": pgettext_lazy("initiative status", "Draft agreed"),
    "adopted": pgettext_lazy("initiative status", "Adopted"),
    "established": pgettext_lazy("initiative status", "Established"),
    "closed": pgettext_lazy("initiative status", "Closed"),
    "dropped": pgettext_lazy("initiative status", "Dropped"),
}
STAGE_LABELS = {
    "contacts": gettext_lazy("Contacts"),
    "partnership_approved": gettext_lazy("Partnership approved"),
    "mou_under_consideration": gettext_lazy("MoU under consideration"),
    "mou_approved": gettext_lazy("MoU approved"),
    "mou_signed": gettext_lazy("MoU signed"),
    "partner": gettext_lazy("Partner"),
    "dialogue": gettext_lazy("Dialogue partner"),
    "suspended": gettext_lazy("Suspended"),
    "ended": gettext_lazy("Ended"),
}
APPLIED_FOR = {
    "member": gettext_lazy("membership"),
    "observer": gettext_lazy("observer status"),
    "partner": gettext_lazy("partner status"),
    "dialogue_partner": gettext_lazy("dialogue partner status"),
}
# Badge class of each status on the board (site.css: ok, warn, error).
STATUS_BADGES = {"established": "ok", "adopted": "ok", "dropped": "error", "closed": ""}


def _status(data: dict[str, Any]) -> dict[str, Any]:
    """The answer's initiative with its status and possible status in the page's language."""
    status, possible = data.get("status"), data.get("possible_status")
    data["status_label"] = STATUS_LABELS.get(status, status) if status else None
    data["possible_label"] = STATUS_LABELS.get(possible, possible) if possible else None
    data["badge"] = STATUS_BADGES.get(status, "warn" if status else "")
    return data


def _events(events: list[dict], labels: dict) -> list[dict]:
    for event in events:
        event["kind_label"] = labels.get(event["kind"], event["kind"])
    return events


@require_safe
def board(request):
    """Initiatives in columns by their status on `at`, filtered by status or priorities."""
    at = as_of(request)
    notices = []
    status = (request.GET.get("status") or "").strip() or None
    if status is not None and status not in transitions.STATUSES:
        notices.append(
            _("“%(value)s” is not a status: showing every status.") % {"value": status[:40]}
        )
        status = None
    options = selectors.priorities_list()
    priorities = (request.GET.get("priorities") or "").strip() or None
    if priorities is not None and priorities not in {p.slug for p in options}:
        notices.append(
            _("“%(value)s” is not a set of priorities: showing all.") % {"value": priorities[:40]}
        )
        priorities = None
    items = selectors.initiatives_at(at, status=status, priorities=priorities)
    cards = with_titles([_status(InitiativeOut.build(i)) for i in items])
    columns = [
        {"key": key, "label": STATUS_LABELS[key], "cards": [c for c in cards if c["status"] == key]}
        for key in transitions.STATUSES
        if status is None or key == status
    ]
    waiting = [c for c in cards if c["status"] is None]
    if waiting:
        columns.insert(0, {"key": "none", "label": _("No step on record yet"), "cards": waiting})
    return render(
        request,
        "initiatives/board.html",
        {
            "columns": columns,
            "count": len(cards),
            "notices": notices,
            "status": status,
            "statuses": [(key, STATUS_LABELS[key]) for key in transitions.STATUSES],
            "priorities": priorities,
            "priorities_options": options,
        },
    )


@require_safe
def detail(request, slug: str):
    """One initiative on `at`: status, events, expectations and who has not responded, steps."""
    at = as_of(request)
    initiative = selectors.initiative_get(slug)
    if initiative is None:
        raise Http404(_("There is no such initiative."))
    item = selectors.InitiativeAt(initiative, selectors.status_at(initiative, at), at)
    data = InitiativeDetail.build(item, context={"readable_ids": readable_ids(request.user)})
    data = with_titles(_status(data))
    _events(data["events"], STATUS_LABELS)
    label_statuses(data["next_steps"]["steps"])
    return render(request, "initiatives/detail.html", {"initiative": initiative, "data": data})


@require_safe
def relations(request):
    """Partnerships grouped by their stage on `at`, and the applications still pending."""
    at = as_of(request)
    found = selectors.relations_at(at)
    data = with_titles(
        RelationsOut.build(found, context={"readable_ids": readable_ids(request.user)})
    )
    for partnership in data["partnerships"]:
        stage, possible = partnership["stage"], partnership["possible_stage"]
        partnership["possible_label"] = STAGE_LABELS.get(possible, possible) if possible else None
        partnership["stage_label"] = STAGE_LABELS.get(stage, stage) if stage else None
        _events(partnership["events"], STAGE_LABELS)
    groups = [
        {
            "key": key,
            "label": label,
            "items": [p for p in data["partnerships"] if p["stage"] == key],
        }
        for key, label in STAGE_LABELS.items()
    ]
    unstaged = [p for p in data["partnerships"] if p["stage"] is None]
    if unstaged:
        groups.append({"key": "none", "label": _("No step yet"), "items": unstaged})
    for applicant in data["applicants"]:
        wanted = applicant.get("applied_for")
        applicant["applied_for_label"] = APPLIED_FOR.get(wanted, wanted) if wanted else None
    return render(
        request,
        "initiatives/relations.html",
        {
            "groups": [g for g in groups if g["items"]],
            "count": len(data["partnerships"]),
            "applicants": data["applicants"],
        },
    )
