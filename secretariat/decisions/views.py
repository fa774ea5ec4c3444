"""Procedures pages: the list, and a page per procedure where states record positions.

Thin: reads through `decisions.selectors` (procedures on documents the reader may read;
whose positions the reader is shown, `positions_seen`) and the answers; a position is
written only by `decisions.services.position_add`, which the policy checks (only a
state's delegates speak for it). A position that would decide the outcome is recorded
only once confirmed: the first post answers a page saying what it will do.
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
from secretariat.core.as_of import as_of
from secretariat.documents.display import meeting_names
from secretariat.records.forms import REFUSALS, refusal_on_form
from secretariat.registry.selectors import speaking_for

from . import selectors, services
from .answers import ProcedureDetail, ProcedureOut
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
    at = as_of(request)
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


def _summary(state, now: dt.datetime, seen) -> dict:
    data = ProcedureOut.build(state, context={"seen": seen})
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
            "procedures": [
                _summary(s, now, selectors.positions_seen(s.procedure, request.user))
                for s in states
            ],
            "state": state,
            "states": list(STATE_LABELS.items()),
            "notices": notices,
            "now": now,
            "live": live,
            "officer": policy.is_secretariat(request.user),
        },
    )


# --- One procedure ---------------------------------------------------------------------


def _position(item: dict) -> dict:
    return {**item, "label": KIND_LABELS[item["kind"]]}


CONSEQUENCES = {
    selectors.BREAKS_SILENCE: gettext_lazy(
        "Your objection ends the silence procedure: the draft will not be adopted by "
        "silence. This cannot be undone."
    ),
    selectors.BLOCKS_CONSENSUS: gettext_lazy(
        "Your objection blocks consensus: the draft will not be adopted at the meeting "
        "while your objection stands."
    ),
}


def _detail_context(request, procedure, now: dt.datetime, live: bool, **extra) -> dict:
    state = selectors.procedure_state(procedure, now=now)
    seen = selectors.positions_seen(procedure, request.user)
    data = ProcedureDetail.build(state, context={"seen": seen})
    elig = state.eligibility
    own = policy.actor_of(request.user)
    open_now = live and not state.verdict.final
    if procedure.kind == "silence" and procedure.deadline and procedure.deadline <= now:
        open_now = False
    own_eligible = bool(own and elig.is_eligible(own.pk))
    own_takes_part = bool(own and elig.may_comment(own.pk))
    kinds = list(KIND_LABELS.items())
    if not own_eligible:
        kinds = [("comment", KIND_LABELS["comment"])]
    broken = data["outcome"]["broken_by"]
    if broken and broken["position"]:
        broken = {**broken, "position": _position(broken["position"])}
    return {
        "procedure": procedure,
        "document": procedure.version.document,
        "data": data,
        "summary": _summary(state, now, seen),
        "seen": seen,
        "current": [
            {
                "actor": row["actor"],
                "position": _position(row["position"]) if row["position"] else None,
            }
            for row in data["current_positions"]
        ],
        "history": [_position(p) for p in data["positions"]],
        "broken_by": broken,
        "blocked_by": [_position(p) for p in data["outcome"]["blocked_by"]],
        "now": now,
        "live": live,
        "officer": policy.is_secretariat(request.user),
        "own": own,
        "own_eligible": own_eligible,
        # Only a state's delegates record its positions (accounts.policy.DELEGATES_ONLY).
        "can_record": open_now and own_takes_part,
        "kinds": kinds,
        "form": None,
        "recorded": False,
        "confirm": None,
        **extra,
    }


def _record(request, procedure) -> tuple[PositionForm, int, str | None]:
    """Record the position posted: (the form, the status, what it would decide).

    The status is 201 when recorded, 200 when it awaits confirmation (a position that
    would decide the outcome, posted without `confirm`: the third item says what it would
    decide), else the refusal's."""
    form = PositionForm(request.POST)
    if not request.user.is_authenticated:
        form.is_valid()
        form.add_error(None, _("Sign in as a delegate of a state to record its position."))
        return form, 403, None
    if not form.is_valid():
        return form, 422, None
    data = form.cleaned_data
    try:
        missing = _("Name the state whose position this is.")
        actor = speaking_for(request.user, data["actor"], missing=missing)
    except ValidationError as exc:
        return form, refusal_on_form(form, exc), None
    try:
        services.position_add(
            procedure=procedure,
            actor=actor,
            kind=data["kind"],
            stated_at=timezone.now(),
            statement=data["statement"],
            entered_by=request.user,
            confirmed=data["confirm"],
        )
    except services.ConfirmationNeeded as exc:
        return form, 200, exc.consequence
    except REFUSALS as exc:
        return form, refusal_on_form(form, exc), None
    return form, 201, None


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
    part = "decisions/_positions.html" if htmx else "decisions/detail.html"
    if request.method != "POST":
        context = _detail_context(request, procedure, now, live)
        if request.GET.get("part") == "countdown":
            return render(request, "decisions/_countdown.html", context)
        return render(request, "decisions/detail.html", context)
    if request.POST.get("back"):  # from the confirmation: the form again, as it was filled
        context = _detail_context(request, procedure, now, live, form=PositionForm(request.POST))
        return render(request, part, context)
    form, status, consequence = _record(request, procedure)
    if consequence is not None:
        confirm = {"consequence": CONSEQUENCES[consequence], "actor": policy.actor_of(request.user)}
        context = _detail_context(request, procedure, now, live, form=form, confirm=confirm)
        template = "decisions/_confirm.html" if htmx else "decisions/detail.html"
        return render(request, template, context)
    if status == 201:
        if not htmx:
            messages.success(request, _("The position is recorded."))
            url = reverse("decisions:procedure", kwargs={"procedure_id": procedure.pk})
            return redirect(f"{url}#positions")
        procedure = _readable(procedure.pk, request.user)  # with the position just recorded
        context = _detail_context(request, procedure, timezone.now(), True, recorded=True)
        return render(request, "decisions/_positions.html", context)
    context = _detail_context(request, procedure, now, live, form=form)
    return render(request, part, context, status=status)
