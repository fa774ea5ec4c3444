"""Sections on agreements and relations: conventions and agreements, expansion and external
relations year by year, and the other decisions of the period."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat.bodies.models import Body
from secretariat.core.partial_dates import Certainty
from secretariat.registry.models import Status
from secretariat.registry.selectors import STANDING_MEASURES
from secretariat.treaties.selectors import treaty_status

from .compose import Statement, event_day, meeting_phrase, section
from .figures import figure_item, figure_text
from .gathered import Gathered
from .model import Chart, Item, Section, Series
from .sections_governance import ordinal_text
from .sections_programme import INSTITUTION_KINDS, initiative_item
from .statements import document_event, next_steps, where
from .wording import (
    APPLICATION_OUTCOMES,
    BODY_EVENTS,
    DECISIVE_EVENTS,
    METRICS,
    PARTNERSHIP_STAGES,
    STATUS_KINDS,
    TREATY_ACTIONS,
    day_text,
    localized,
)

# Figures said of a treaty open to states in general rather than to member states.
ANY_STATE_METRICS = {
    "signed_and_ratified": gettext_lazy("%(n)s States signed and ratified"),
    "signed_not_ratified": gettext_lazy("%(n)s States signed but not ratified"),
}


# --- Conventions and agreements -------------------------------------------------------


def _figures(treaty, values: dict[str, int]) -> str:
    said = []
    for metric, n in values.items():
        words = METRICS.get(metric)
        if treaty.parties == "any_state" and metric in ANY_STATE_METRICS:
            words = ANY_STATE_METRICS[metric]
        said.append(str(words) % {"n": n} if words else f"{metric}: {n}")
    return "; ".join(said)


def _in_force(status) -> str:
    if not status.rule.instruments:
        return ""
    if status.entry_into_force is None:
        return _("Not in force at the end of the period.")
    if status.in_force is Certainty.YES:
        return _("In force since %(date)s.") % {"date": status.entry_into_force.display()}
    return _("Enters into force %(date)s.") % {"date": status.entry_into_force.display()}


def _ratification_chart(gathered: Gathered, state) -> Chart | None:
    treaty = state.treaty
    if not treaty.eif_instruments:
        return None
    first = treaty.opened.year if treaty.opened else gathered.period.start.year
    years = range(min(first, gathered.period.start.year), gathered.period.end.year + 1)
    points = []
    for year in years:
        day = min(dt.date(year, 12, 31), gathered.period.end)
        points.append((year, treaty_status(treaty, at=day).status.counts["parties"].value))
    series = [Series(_("Parties (instruments on record)"), points)]
    reported = [
        (c.as_of.year, c.reported)
        for c in state.comparisons
        if c.measure in ("parties", "signed_and_ratified") and gathered.by_end(c.as_of)
    ]
    if reported:
        series.append(Series(_("Reported"), reported))
    title = gathered.document(treaty.document_id)
    return Chart(
        key=f"ratifications-{title.key}",
        title=_("Ratifications of %(title)s") % {"title": localized(title, "title")[0]},
        kind="step",
        series=series,
        x_label=_("Year"),
        y_label=_("Instruments"),
        threshold=float(treaty.eif_instruments),
        threshold_label=_("Required for entry into force"),
    )


def treaties(gathered: Gathered) -> Section:
    items, charts = [], []
    for state in gathered.treaties:
        treaty, status = state.treaty, state.status
        document = gathered.document(treaty.document_id)
        actions = [a for a in treaty.actions.all() if gathered.within(a.date)]
        reported = [c for c in state.comparisons if gathered.within(c.as_of)]
        if not actions and not reported:
            continue
        gathered.mark("document", document.pk)
        page = reverse("treaties:detail", kwargs={"key": document.key})
        st = Statement()
        st.restricted = gathered.restricted(document)
        title = st.name(document, "title", url=page)
        children = []
        for action in actions:
            child = Statement()
            child.restricted = st.restricted
            text = f"{child.actor(action.actor)}: {TREATY_ACTIONS.get(action.kind, action.kind)}"
            children.append(child.item(text, date=day_text(action.date), note=action.note))
        if reported:
            child = Statement()
            child.restricted = st.restricted
            by_date: dict = {}
            order = list(METRICS)
            reported.sort(key=lambda c: order.index(c.measure) if c.measure in order else 99)
            for comparison in reported:
                by_date.setdefault(comparison.as_of, {})[comparison.measure] = comparison.reported
            for as_of, values in by_date.items():
                text = _("Reported as of %(date)s: %(figures)s") % {
                    "date": day_text(as_of),
                    "figures": _figures(treaty, values),
                }
                children.append(_linked(child, text, page + "#h-reported"))
            computed = {c.measure: c.computed.value for c in reported if c.computed is not None}
            if computed:
                text = _("The instruments on record give: %(figures)s") % {
                    "figures": _figures(treaty, computed)
                }
                children.append(_linked(child, text, page + "#h-table"))
            # Why a reported figure differs from the record's (the figure's public note).
            for comparison in reported:
                if comparison.differs and comparison.figure.note:
                    why = Statement()
                    why.restricted = st.restricted
                    text = figure_text(comparison)
                    children.append(why.item(text, note=comparison.figure.note, page=page))
        elif status.instruments_required is not None:
            child = Statement()
            child.restricted = st.restricted
            text = _figures(treaty, {"instruments_required": status.instruments_required.value})
            children.append(_linked(child, text, page + "#eif-progress"))
        force = _in_force(status)
        if force:
            child = Statement()
            child.restricted = st.restricted
            children.append(_linked(child, force, page + "#h-summary"))
        children += next_steps(gathered, "document", document.pk)
        items.append(st.item(title, children=children))
        chart = _ratification_chart(gathered, state)
        if chart is not None:
            charts.append(chart)
    return section(
        "treaties",
        _("Conventions and agreements"),
        items,
        charts=charts,
        empty=_("No signature, ratification or reported figure is dated in this period."),
    )


def _linked(st: Statement, text: str, url: str) -> Item:
    """A statement about a record as a whole, linked to its page."""
    fresh = Statement()
    fresh.restricted = st.restricted
    return fresh.item(text, page=url)


# --- Expansion and external relations -------------------------------------------------

STANDINGS = (
    Status.Kind.MEMBER,
    Status.Kind.OBSERVER,
    Status.Kind.PARTNER,
    Status.Kind.DIALOGUE_PARTNER,
    Status.Kind.APPLICANT,
)
# Partnership stages the registry records as a status of its own.
STAGE_STATUS = {"partner": Status.Kind.PARTNER, "dialogue": Status.Kind.DIALOGUE_PARTNER}


def _status_item(gathered: Gathered, status: Status) -> Item:
    st = Statement()
    name = st.actor(status.actor)
    if status.kind == Status.Kind.APPLICANT:
        text = _("%(state)s: application for %(status)s status (%(outcome)s)") % {
            "state": name,
            "status": STATUS_KINDS.get(status.applied_for, status.applied_for),
            "outcome": APPLICATION_OUTCOMES.get(status.outcome, status.outcome),
        }
    else:
        ordinal = gathered.ordinals.get(status.pk)
        what = ordinal_text(ordinal, gathered) if ordinal else ""
        text = f"{name}: {what or STATUS_KINDS.get(status.kind, status.kind)}"
    meeting = gathered.meeting(status.decided_at_id)
    if meeting is not None:
        text += ", " + _("decided at %(meeting)s") % {"meeting": st.meeting(meeting)}
    return st.item(text, date=day_text(status.start), note=status.note)


def _partnership_item(gathered: Gathered, partnership, event) -> Item:
    st = Statement()
    text = f"{st.actor(partnership.actor)}: {PARTNERSHIP_STAGES.get(event.kind, event.kind)}"
    at = where(st, gathered, event)
    if at:
        text += f", {at}"
    document = gathered.document(event.document_id)
    children = []
    if document is not None:
        text += f": {st.document(document, gathered)}"
        gathered.mark("document", document.pk)
        children = next_steps(gathered, "document", document.pk)
    st.link(_("External relations"), reverse("initiatives:relations"))
    date = event_day(event.date, gathered.meeting(getattr(event, "meeting_id", None)))
    return st.item(text, date=date, note=event.note, children=children)


def expansion(gathered: Gathered) -> Section:
    by_year: dict[int, list[tuple[dt.date, Item]]] = {}

    def add(date, item):
        by_year.setdefault(date.earliest.year, []).append((date.earliest, item))

    started = {}
    for status in gathered.statuses:
        if status.kind in STANDINGS and gathered.within(status.start):
            item = _status_item(gathered, status)
            started[status.actor_id, status.kind, status.start.earliest.year] = item
            add(status.start, item)
    for event in gathered.partnership_events:
        if not gathered.within(event.date):
            continue
        partnership = event.partnership
        item = _partnership_item(gathered, partnership, event)
        kind = STAGE_STATUS.get(event.kind)
        twin = started.get((partnership.actor_id, kind, event.date.earliest.year))
        if twin is not None:
            twin.children.append(item)  # the registry's status says it; this adds detail
            continue
        add(event.date, item)
    for document in gathered.documents.values():
        if document.type != "mou" or gathered.was_shown("document", document.pk):
            continue
        for event in gathered.events_in_period(document, DECISIVE_EVENTS):
            add(event.date, document_event(gathered, document, event))
            gathered.mark("document", document.pk)
    # What sources count on a day of the period, beside the record's count that day.
    for comparison in gathered.figures:
        if comparison.measure in STANDING_MEASURES:
            page = reverse("portal:home") + f"?at={comparison.compared_on.isoformat()}"
            add(comparison.as_of, figure_item(comparison, page=page + "#reported"))
    items = []
    for year in sorted(by_year):
        st = Statement()
        label = st.link(str(year), reverse("registry:members") + f"?at={year}-12-31")
        children = [item for _day, item in sorted(by_year[year], key=lambda pair: pair[0])]
        items.append(st.item(label, children=children))
    charts = []
    if gathered.membership:
        points = gathered.membership
        charts.append(
            Chart(
                key="membership",
                title=_("Members, observers and partners"),
                kind="step",
                series=[
                    Series(_("Member States"), [(y.year, y.members) for y in points]),
                    Series(_("Observers"), [(y.year, y.observers) for y in points]),
                    Series(_("Partners"), [(y.year, y.partners) for y in points]),
                ],
                x_label=_("Year"),
                y_label=_("Number at the end of the year"),
            )
        )
    return section(
        "expansion",
        _("Expansion and external relations"),
        items,
        charts=charts,
        empty=_(
            "No new member, observer, partner, application or partnership step is dated "
            "in this period."
        ),
    )


# --- Other decisions ------------------------------------------------------------------


def other(gathered: Gathered) -> Section:
    """The decisions of the period no other section said: documents agreed, adopted or
    signed, initiatives outside any priorities, changes to the organs. Composed last."""
    dated: list[tuple[dt.date, Item]] = []
    for document in gathered.documents.values():
        if gathered.was_shown("document", document.pk):
            continue
        for event in gathered.events_in_period(document, DECISIVE_EVENTS):
            dated.append((event.date.earliest, document_event(gathered, document, event)))
    for initiative in gathered.initiatives:
        if gathered.was_shown("initiative", initiative.pk):
            continue
        steps = [e for e in initiative.events.all() if gathered.within(e.date)]
        if steps:
            dated.append((steps[0].date.earliest, initiative_item(gathered, initiative)))
    summits = {
        m.pk
        for m in gathered.meetings.values()
        if m.body.kind == Body.Kind.SUMMIT and gathered.held_in_period(m)
    }
    for body in gathered.bodies:
        if body.kind in INSTITUTION_KINDS:
            continue
        for event in body.events.all():
            if not gathered.within(event.date) or event.meeting_id in summits:
                continue  # a summit's decisions are said with its outcomes
            st = Statement()
            text = f"{st.body(body)}: {BODY_EVENTS.get(event.kind, event.kind)}"
            meeting = gathered.meeting(event.meeting_id)
            if meeting is not None:
                text += f", {meeting_phrase(st, meeting)}"
            date = event_day(event.date, meeting)
            dated.append((event.date.earliest, st.item(text, date=date, note=event.note)))
    items = [item for _day, item in sorted(dated, key=lambda pair: pair[0])]
    return section(
        "other",
        _("Other decisions"),
        items,
        empty=_("No other decision is dated in this period."),
    )
