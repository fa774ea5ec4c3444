"""Pages of members and partners: the table and chart as of a date, and each actor's record."""

from __future__ import annotations

import math

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from secretariat.accounts.policy import is_secretariat
from secretariat.bodies.display import present_meeting
from secretariat.core.as_of import as_of
from secretariat.core.partial_dates import Certainty, holds_on
from secretariat.decisions import selectors as decision_selectors
from secretariat.programme.selectors import roles_of
from secretariat.treaties import selectors as treaty_selectors

from . import selectors
from .display import (
    CBM_ROLES,
    POSITIONS,
    STATUS_FILTERS,
    TERM_KINDS,
    TREATY_ACTIONS,
    status_row,
)

# The status filter of the members page, in the order of its menu ("all" first).
# --- Members and partners --------------------------------------------------------------


@require_safe
def members(request):
    at = as_of(request)
    wanted = (request.GET.get("status") or "all").strip()
    notice = None
    if wanted not in dict(STATUS_FILTERS):
        notice = _("“%(value)s” is not a status to filter by: showing every standing.") % {
            "value": wanted[:40]
        }
        wanted = "all"
    held = selectors.statuses_at(at, kind=None if wanted == "all" else wanted)
    nouns = selectors.ordinal_nouns()
    rows = [status_row(item, nouns) for item in held]
    certain = sum(1 for r in rows if r["certain"])
    years = selectors.membership_by_year(at)
    return render(
        request,
        "registry/members.html",
        {
            "rows": rows,
            "certain": certain,
            "possible": len(rows) - certain,
            "status": wanted,
            "status_label": dict(STATUS_FILTERS)[wanted],
            "statuses": STATUS_FILTERS,
            "notice": notice,
            "years": years,
            "chart": _chart(years),
            "record_actor_url": reverse("registry:actor_new")
            if is_secretariat(request.user)
            else None,
        },
    )


def _chart(years: list) -> dict | None:
    """The geometry of the membership chart (an inline SVG drawn by the template)."""
    if not years:
        return None
    width, height, left, right, top, bottom = 640, 260, 40, 16, 12, 30
    peak = max(max(y.members, y.observers, y.partners) for y in years)
    ceiling = max(5, math.ceil(peak / 5) * 5)
    span = max(len(years) - 1, 1)

    def x(i: int) -> float:
        return left + (width - left - right) * (i / span if len(years) > 1 else 0.5)

    def y(value: int) -> float:
        return top + (height - top - bottom) * (1 - value / ceiling)

    lines = []
    for css, attr, label in (
        ("members", "members", _("Member States")),
        ("observers", "observers", _("Observers")),
        ("partners", "partners", _("Partners")),
    ):
        points = " ".join(f"{x(i):.1f},{y(getattr(c, attr)):.1f}" for i, c in enumerate(years))
        first, last = getattr(years[0], attr), getattr(years[-1], attr)
        lines.append({"css": css, "label": label, "points": points, "first": first, "last": last})
    step = max(1, ceiling // 5)
    every = max(1, math.ceil(len(years) / 8))
    marks = list(range(0, len(years), every))
    last = len(years) - 1
    if marks[-1] != last:
        if len(marks) > 1 and last - marks[-1] < every / 2:
            marks[-1] = last  # too close to the tick before: the last year takes its place
        else:
            marks.append(last)
    x_ticks = [{"x": f"{x(i):.1f}", "year": years[i].year} for i in marks]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        "label_y": height - bottom + 18,
        "lines": lines,
        "y_ticks": [{"y": f"{y(v):.1f}", "value": v} for v in range(0, ceiling + 1, step)],
        "x_ticks": x_ticks,
        "first_year": years[0].year,
        "last_year": years[-1].year,
    }


# --- An actor's page -------------------------------------------------------------------


@require_safe
def actor(request, slug: str):
    at = as_of(request)
    found = selectors.actor_record(slug)
    if found is None:
        raise Http404(_("No such actor."))
    nouns = selectors.ordinal_nouns()
    history = [status_row(item, nouns) for item in selectors.actor_history(found, at=at)]
    terms = list(found.chairmanships.all())
    for term in terms:
        present_meeting(term.decided_at)
        present_meeting(term.taken_over_at)
        term.kind_label = TERM_KINDS.get(term.kind, term.kind)
        term.holds = holds_on(term.start, term.end, at) is not Certainty.NO
    actions = treaty_selectors.actor_treaty_actions(found, user=request.user)
    for action in actions:
        action.kind_label = TREATY_ACTIONS.get(action.kind, action.kind)
    roles = [role for role, _certainty in roles_of(found)]
    for role in roles:
        role.role_label = CBM_ROLES.get(role.role, role.role)
        role.holds = holds_on(role.start, role.end, at) is not Certainty.NO
    positions = decision_selectors.actor_positions(found, user=request.user)
    for position in positions:
        position.kind_label = POSITIONS.get(position.kind, position.kind)
    return render(
        request,
        "registry/actor.html",
        {
            "actor": found,
            "now": [row for row in history if row["holds"]],
            "history": history,
            "terms": terms,
            "actions": actions,
            "roles": roles,
            "positions": positions,
        },
    )
