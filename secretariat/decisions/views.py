"""Procedures pages: the list, and a page per procedure where states record positions.

Thin: reads through `decisions.selectors` (procedures on documents the reader may read)
and the presenters; a position is written only by `decisions.services.position_record`,
which the policy checks (a delegate speaks for its own state only).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from secretariat.accounts import policy
from secretariat.accounts.selectors import speaking_for
from secretariat.core.forms import REFUSALS, refusal_on_form
from secretariat.documents.views import meeting_names
from secretariat.portal.dates import as_of

from . import presenters, selectors, services
from .forms import KIND_LABELS, PositionForm

PROCEDURE_LABELS = {
    "meeting": gettext_lazy("decision at a meeting"),
    "silence": gettext_lazy("silence procedure"),
}
STATE_LABELS = {
    "open": gettext_lazy("open"),
    "adopted": gettext_lazy("adopted"),
    "failed": gettext_lazy("failed"),
}
STATE_BADGE = {"open": "warn", "adopted": "ok", "failed": "error"}


def _moment(request) -> tuple[dt.datetime, bool]:
    """The moment the page shows: now, or the end of the `?at=` day when that is past.
    Also whether it is now (positions are recorded only then)."""
    at, _error = as_of(request)
    real = timezone.now()
    if at >= timezone.localdate():
        return real, True
    end = dt.datetime.combine(at + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(end) - dt.timedelta(microseconds=1), False


def time_left(deadline: dt.datetime | None, now: dt.datetime) -> str | None:
    """ "3 days 4 hours left", computed on the server; None when there is no time left."""
    if deadline is None or deadline <= now:
        return None
    delta = deadline - now
    days, hours, minutes = delta.days, delta.seconds // 3600, delta.seconds % 3600 // 60
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if not days and minutes:
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    if not parts:
        return _("less than a minute left")
    return _("%(time)s left") % {"time": " ".join(parts)}


def _summary(state, now: dt.datetime) -> dict:
    data = presenters.procedure_dict(state)
    procedure = state.procedure
    return {
        **data,
        "label": PROCEDURE_LABELS[procedure.kind],
        "state": data["outcome"]["state"],
        "state_label": STATE_LABELS[data["outcome"]["state"]],
        "state_badge": STATE_BADGE[data["outcome"]["state"]],
        "document_model": procedure.version.document,
        "body_model": procedure.body,
        "meeting": meeting_names(procedure.meeting),
        "pending_count": len(state.pending),
        "eligible_count": len(state.eligibility.eligible),
        "time_left": time_left(procedure.deadline, now)
        if data["outcome"]["state"] == "open"
        else None,
    }


@require_safe
def procedures_page(request):
    now, live = _moment(request)
    state = request.GET.get("state", "")
    notices = []
    if state and state not in STATE_LABELS:
        notices.append(_("The outcome asked for is not open, adopted or failed: showing all."))
        state = ""
    states = selectors.procedures_list(user=request.user, state=state or None, now=now)
    return render(
        request,
        "decisions/list.html",
        {
            "procedures": [_summary(s, now) for s in states],
            "state": state,
            "states": list(STATE_LABELS.items()),
            "notices": notices,
            "now": now,
            "live": live,
        },
    )


# --- One procedure ---------------------------------------------------------------------


def _position(item: dict) -> dict:
    return {**item, "label": KIND_LABELS[item["kind"]]}


def _detail_context(request, procedure, now: dt.datetime, live: bool, **extra) -> dict:
    state = selectors.procedure_state(procedure, now=now)
    data = presenters.procedure_dict(state, detail=True)
    elig = state.eligibility
    own = policy.actor_of(request.user)
    officer = policy.is_secretariat(request.user)
    open_now = live and not state.verdict.final
    if procedure.kind == "silence" and procedure.deadline and procedure.deadline <= now:
        open_now = False
    own_eligible = bool(own and elig.is_eligible(own.pk))
    own_takes_part = bool(own and elig.may_comment(own.pk))
    kinds = list(KIND_LABELS.items())
    if own and not officer and not own_eligible:
        kinds = [("comment", KIND_LABELS["comment"])]
    broken = data["outcome"]["broken_by"]
    return {
        "procedure": procedure,
        "document": procedure.version.document,
        "data": data,
        "summary": _summary(state, now),
        "current": [
            {
                "actor": row["actor"],
                "position": _position(row["position"]) if row["position"] else None,
            }
            for row in data["current_positions"]
        ],
        "history": [_position(p) for p in data["positions"]],
        "broken_by": {**broken, "position": _position(broken["position"])} if broken else None,
        "blocked_by": [_position(p) for p in data["outcome"]["blocked_by"]],
        "now": now,
        "live": live,
        "officer": officer,
        "own": own,
        "own_eligible": own_eligible,
        "can_record": open_now and (officer or own_takes_part),
        "kinds": kinds,
        "actors": [*elig.eligible, *elig.uncertain, *elig.associates],
        "form": None,
        "recorded": False,
        **extra,
    }


def _record(request, procedure) -> tuple[PositionForm, int]:
    """Record the position posted; (the form, the status: 201 when recorded)."""
    form = PositionForm(request.POST)
    if not request.user.is_authenticated:
        form.is_valid()
        form.add_error(None, _("Sign in as a delegate of a state to record its position."))
        return form, 403
    if not form.is_valid():
        return form, 422
    data = form.cleaned_data
    try:
        missing = _("Name the state whose position this is.")
        actor = speaking_for(request.user, data["actor"], missing=missing)
    except ValidationError as exc:
        return form, refusal_on_form(form, exc)
    stated_at = timezone.now()
    if data["stated_at"] and policy.is_secretariat(request.user):
        stated_at = data["stated_at"]
    try:
        services.position_record(
            procedure=procedure,
            actor=actor,
            kind=data["kind"],
            stated_at=stated_at,
            statement=data["statement"],
            entered_by=request.user,
        )
    except REFUSALS as exc:
        return form, refusal_on_form(form, exc)
    return form, 201


def _readable(procedure_id: int, user):
    procedure = selectors.procedure_get(procedure_id, user=user)
    if procedure is None:
        raise Http404("No such procedure.")
    return procedure


@require_http_methods(["GET", "HEAD", "POST"])
def procedure_page(request, procedure_id: int):
    procedure = _readable(procedure_id, request.user)
    now, live = _moment(request)
    htmx = request.headers.get("HX-Request") == "true"
    if request.method != "POST":
        context = _detail_context(request, procedure, now, live)
        if request.GET.get("part") == "countdown":
            return render(request, "decisions/_countdown.html", context)
        return render(request, "decisions/detail.html", context)
    form, status = _record(request, procedure)
    if status == 201:
        if not htmx:
            messages.success(request, _("The position is recorded."))
            url = reverse("decisions:procedure", kwargs={"procedure_id": procedure.pk})
            return redirect(f"{url}#positions")
        procedure = _readable(procedure.pk, request.user)  # with the position just recorded
        context = _detail_context(request, procedure, timezone.now(), True, recorded=True)
        return render(request, "decisions/_positions.html", context)
    context = _detail_context(request, procedure, now, live, form=form)
    template = "decisions/_positions.html" if htmx else "decisions/detail.html"
    return render(request, template, context, status=status)
