"""The home page: the organization as of a chosen date."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from secretariat.bodies.display import present_body, present_upcoming
from secretariat.bodies.selectors import meetings_upcoming
from secretariat.core.as_of import as_of
from secretariat.core.partial_dates import Certainty
from secretariat.decisions.selectors import procedures_list
from secretariat.documents.selectors import circulations, documents_list
from secretariat.figures.display import page_items
from secretariat.registry.display import HEAD_TITLES, TERM_KINDS
from secretariat.registry.selectors import overview_at

LATEST = 6  # documents listed under "Latest documents"


def _moment(at: dt.date) -> dt.datetime:
    """The moment the page stands at: now for today, else the end of the day asked for."""
    if at == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(at, dt.time.max))


def _open_procedures(user, now: dt.datetime) -> list:
    """The procedures the user may read that stand open at `now` (opened by then)."""
    states = procedures_list(user=user, state="open", now=now)
    return [state for state in states if state.procedure.opened_at <= now]


def _latest_documents(user, at: dt.date) -> list:
    """The readable documents whose record begins latest, by `at`."""
    readable = documents_list(user=user, at=at).filter(first_day__lte=at)
    return list(readable.order_by("-first_day", "-pk")[:LATEST])


@require_safe
def home(request):
    at = as_of(request)
    user = request.user
    overview = overview_at(at)
    for holder in overview.head:
        holder.term.title_label = HEAD_TITLES.get(holder.term.title, holder.term.title)
    for holder in overview.chair:
        holder.term.kind_label = TERM_KINDS.get(holder.term.kind, holder.term.kind)
    upcoming = [present_upcoming(item) for item in meetings_upcoming(at)]
    for meeting in upcoming:
        present_body(meeting.body)
    now = _moment(at)
    procedures = _open_procedures(user, now)
    open_circulations = circulations(user=user, at=at, overdue=False)
    latest = _latest_documents(user, at)
    groups = [
        ("member", overview.members),
        ("observer", overview.observers),
        ("partner", overview.partners),
    ]
    counts = {
        kind: {
            "count": sum(1 for s in items if s.certainty is Certainty.YES),
            "possible": sum(1 for s in items if s.certainty is not Certainty.YES),
        }
        for kind, items in groups
    }
    return render(
        request,
        "portal/home.html",
        {
            "overview": overview,
            "organization": overview.organization,
            "counts": counts,
            "figures": page_items(overview.figures),
            "upcoming": upcoming,
            "as_planned": at < timezone.localdate(),  # a past day: its plans, not ours
            "procedures": procedures,
            "circulations": open_circulations,
            "latest": latest,
            "now": now,
        },
    )
