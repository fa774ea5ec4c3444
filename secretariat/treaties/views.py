"""Treaties pages: the list with each treaty's progress, and its status table.

Thin: reads through `treaties.selectors` (treaties whose document the reader may read,
their status derived as of `?at=`) and the answers.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from secretariat.core.as_of import as_of
from secretariat.documents.display import STEP_LABELS, meeting_names
from secretariat.figures.models import Measure

from . import selectors
from .answers import TreatyOut, TreatyStatusOut
from .models import TreatyAction

ACTION_LABELS = {
    "signature": gettext_lazy("signature"),
    "signature_withdrawal": gettext_lazy("withdrawal of signature"),
    "ratification": gettext_lazy("ratification"),
    "acceptance": gettext_lazy("acceptance (A)"),
    "approval": gettext_lazy("approval (AA)"),
    "accession": gettext_lazy("accession (a)"),
    "succession": gettext_lazy("succession (d)"),
    "reservation": gettext_lazy("reservation"),
    "declaration": pgettext_lazy("treaty action", "declaration"),
    "objection": gettext_lazy("objection"),
    "reservation_withdrawal": gettext_lazy("withdrawal of a reservation"),
    "denunciation": gettext_lazy("denunciation"),
}
METRIC_LABELS = {
    "signatories": gettext_lazy("signatories"),
    "parties": gettext_lazy("parties"),
    "signed_and_ratified": gettext_lazy("signed and ratified"),
    "signed_not_ratified": gettext_lazy("signed but not ratified"),
    "instruments_required": gettext_lazy("instruments still required"),
}
CERTAINTY_LABELS = {
    "yes": gettext_lazy("yes"),
    "no": gettext_lazy("no"),
    "uncertain": gettext_lazy("possibly (partial date)"),
}
PARTIES_LABELS = {
    "member_states": gettext_lazy("member states only"),
    "any_state": gettext_lazy("any state"),
}
assert set(ACTION_LABELS) == set(TreatyAction.Kind.values)
assert set(METRIC_LABELS) <= set(Measure.values)


def progress(summary: dict) -> dict | None:
    """Entry into force as "5 of 14 instruments": the counting instruments deposited by the
    day (from the certain record; up to `high` with the partial dates), of those required."""
    total = summary.get("rule_instruments")
    required = summary["instruments_required"]
    if not total or required is None:
        return None
    counted = total - required["value"]
    return {
        "counted": counted,
        "high": total - required["low"],
        "total": total,
        "required": required["value"],
        "in_force": summary["entry_into_force"]["in_force"],
    }


def _summary(state) -> dict:
    data = TreatyOut.build(state)
    data["rule_instruments"] = state.treaty.eif_instruments
    data["rule"] = {"instruments": state.treaty.eif_instruments}
    return {**data, "treaty": state.treaty, "progress": progress(data)}


@require_safe
def treaties_page(request):
    at = as_of(request)
    states = selectors.treaties_list(user=request.user, at=at)
    return render(request, "treaties/list.html", {"treaties": [_summary(s) for s in states]})


def _row(row: dict) -> dict:
    instrument = row["instrument"]
    return {
        **row,
        "instrument_label": ACTION_LABELS[instrument["kind"]] if instrument else None,
        "signed_label": CERTAINTY_LABELS[row["signed"]],
        "party_label": CERTAINTY_LABELS[row["party"]],
        "statements": [{**s, "label": ACTION_LABELS[s["kind"]]} for s in row["statements"]],
    }


def _comparison(item: dict) -> dict:
    return {**item, "label": METRIC_LABELS[item["metric"]]}


@require_safe
def treaty_page(request, key: str):
    if len(key) > 200 or "\x00" in key:  # no key is so long or holds a NUL
        raise Http404("No such treaty.")
    treaty = selectors.treaty_get(key, user=request.user)
    if treaty is None:
        raise Http404("No such treaty.")
    at = as_of(request)
    state = selectors.treaty_status(treaty, at=at)
    data = TreatyStatusOut.build(state)
    data["rule_instruments"] = treaty.eif_instruments
    steps = data["next_steps"]
    for step in steps["steps"]:
        step["status_label"] = STEP_LABELS.get(step["status"], step["status"])
    csv = reverse("api-1.0.0:treaty_status_csv", kwargs={"key": treaty.document.key})
    return render(
        request,
        "treaties/detail.html",
        {
            "treaty": treaty,
            "document": treaty.document,
            "data": data,
            "progress": progress(data),
            "rows": [_row(r) for r in data["table"]],
            "reported": [_comparison(c) for c in data["reported"]],
            "steps": steps,
            "kinds": [ACTION_LABELS[k] for k in data["rule"]["kinds"] if k in ACTION_LABELS],
            "parties_label": PARTIES_LABELS.get(treaty.parties, treaty.parties),
            "opened_at": meeting_names(treaty.opened_at),
            "csv_url": f"{csv}?at={at.isoformat()}",
        },
    )
