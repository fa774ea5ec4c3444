"""Pages of members and partners: the table and chart as of a date, and each actor's record."""

from __future__ import annotations

import math

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from secretariat.accounts.policy import is_secretariat
from secretariat.bodies.views import present_meeting
from secretariat.core.partial_dates import Certainty, holds_on
from secretariat.portal.dates import as_of
from secretariat.programme.selectors import roles_of

from . import selectors
from .models import Chairmanship, SecretariatHead, Status
from .selectors import Ordinal, StatusAt

# The status filter of the members page, in the order of its menu ("all" first).
STATUS_FILTERS = [
    ("all", gettext_lazy("All standings")),
    (Status.Kind.MEMBER, gettext_lazy("Member States")),
    (Status.Kind.OBSERVER, gettext_lazy("Observers")),
    (Status.Kind.PARTNER, gettext_lazy("Partners")),
    (Status.Kind.APPLICANT, gettext_lazy("Applicants")),
    (Status.Kind.DIALOGUE_PARTNER, gettext_lazy("Dialogue partners")),
]
STATUS_LABELS = {
    Status.Kind.MEMBER: gettext_lazy("Member State"),
    Status.Kind.OBSERVER: gettext_lazy("Observer"),
    Status.Kind.PARTNER: gettext_lazy("Partner"),
    Status.Kind.APPLICANT: gettext_lazy("Applicant"),
    Status.Kind.DIALOGUE_PARTNER: gettext_lazy("Dialogue partner"),
}
OUTCOMES = {
    Status.Outcome.PENDING: gettext_lazy("pending"),
    Status.Outcome.GRANTED: gettext_lazy("granted"),
    Status.Outcome.WITHDRAWN: gettext_lazy("withdrawn"),
    Status.Outcome.REJECTED: gettext_lazy("rejected"),
}
# Nouns of ordinals ("28th Member State") without a Russian label in an OrdinalSeries.
ORDINAL_NOUNS = {
    "Member State": pgettext_lazy("ordinal noun", "Member State"),
    "Observer": pgettext_lazy("ordinal noun", "Observer"),
    "Partner Organization": pgettext_lazy("ordinal noun", "Partner Organization"),
    "Observer Organization": pgettext_lazy("ordinal noun", "Observer Organization"),
    "Partner State": pgettext_lazy("ordinal noun", "Partner State"),
    "Dialogue partner": pgettext_lazy("ordinal noun", "Dialogue partner"),
}
TERM_KINDS = {
    Chairmanship.Kind.TERM: gettext_lazy("term"),
    Chairmanship.Kind.EXTENSION: gettext_lazy("extension"),
    Chairmanship.Kind.RENEWAL: gettext_lazy("renewal"),
}
HEAD_TITLES = {
    SecretariatHead.Title.EXECUTIVE_DIRECTOR: gettext_lazy("Executive Director"),
    SecretariatHead.Title.SECRETARY_GENERAL: gettext_lazy("Secretary General"),
}
TREATY_ACTIONS = {
    "signature": gettext_lazy("signature"),
    "signature_withdrawal": gettext_lazy("withdrawal of signature"),
    "ratification": gettext_lazy("ratification"),
    "acceptance": gettext_lazy("acceptance"),
    "approval": gettext_lazy("approval"),
    "accession": gettext_lazy("accession"),
    "succession": gettext_lazy("succession"),
    "reservation": gettext_lazy("reservation"),
    "declaration": gettext_lazy("declaration"),
    "objection": gettext_lazy("objection"),
    "reservation_withdrawal": gettext_lazy("withdrawal of a reservation"),
    "denunciation": gettext_lazy("denunciation"),
}
CBM_ROLES = {
    "coordinator": gettext_lazy("coordinator"),
    "co_coordinator": gettext_lazy("co-coordinator"),
}
POSITIONS = {
    "support": gettext_lazy("support / no objection"),
    "objection": gettext_lazy("objection"),
    "withdrawal": gettext_lazy("withdrawal of an objection"),
    "reservation": gettext_lazy("joins consensus with a reservation"),
    "interpretative": gettext_lazy("joins consensus with an interpretative statement"),
    "comment": gettext_lazy("comment"),
}


def _lang() -> str:
    return (get_language() or "en")[:2]


def ordinal_label(ordinal: Ordinal | None, nouns: dict[str, str]) -> str:
    """ "28th Member State" in the page's language ("28-е государство-член"); a range when the
    record cannot tell the place. `nouns`: the organization's Russian nouns (ordinal_nouns)."""
    if ordinal is None:
        return ""
    if _lang() != "ru":
        return ordinal.label
    noun = nouns.get(ordinal.noun) or str(ORDINAL_NOUNS.get(ordinal.noun, ordinal.noun))
    first = noun.split()[0].split("-")[0].lower()
    # The ending agrees with the noun: государство -> 28-е, организация -> 6-я, else 10-й.
    ending = "-е" if first.endswith(("о", "е")) else "-я" if first.endswith(("а", "я")) else "-й"
    if ordinal.exact:
        return f"{ordinal.number}{ending} {noun}"
    return f"{ordinal.number}{ending}–{ordinal.upto}{ending} {noun}"


def status_row(item: StatusAt, nouns: dict[str, str]) -> dict:
    """What a table row shows of a status on a date."""
    status = item.status
    present_meeting(status.decided_at)
    return {
        "status": status,
        "actor": status.actor,
        "label": STATUS_LABELS.get(status.kind, status.kind),
        "ordinal": ordinal_label(item.ordinal, nouns),
        "certain": item.certainty is Certainty.YES,
        "holds": item.certainty is not Certainty.NO,
        "applied_for": STATUS_LABELS.get(status.applied_for, "") if status.applied_for else "",
        "outcome": OUTCOMES.get(status.outcome, "") if status.outcome else "",
    }


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
    actions = selectors.actor_treaty_actions(found, user=request.user)
    for action in actions:
        action.kind_label = TREATY_ACTIONS.get(action.kind, action.kind)
    roles = [role for role, _certainty in roles_of(found)]
    for role in roles:
        role.role_label = CBM_ROLES.get(role.role, role.role)
        role.holds = holds_on(role.start, role.end, at) is not Certainty.NO
    positions = selectors.actor_positions(found, user=request.user)
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
