"""Sections on who led and where the organization met: the chairs, the summits and
ministerial meetings held, and what each summit decided."""

from __future__ import annotations

from collections import Counter

from django.urls import reverse
from django.utils.translation import gettext as _

from secretariat.bodies.models import Body, MeetingSchedule
from secretariat.bodies.selectors import meeting_status, meeting_when
from secretariat.registry.display import ordinal_label

from . import period as periods
from .compose import Statement, event_day, meeting_phrase, place_of, section, when
from .gathered import Gathered
from .model import Chart, Item, Section, Series
from .wording import (
    BODY_EVENTS,
    CHAIR_TERMS,
    DECISIVE_EVENTS,
    DOCUMENT_EVENTS,
    HEAD_TITLES,
    day_text,
    localized,
    span_text,
)

# How many chairmanships before the period's the report recalls.
PREVIOUS_CHAIRS = 3
# The bodies whose meetings the report lists as summits and ministerial meetings.
TOP_BODIES = (Body.Kind.SUMMIT, Body.Kind.MINISTERIAL_COUNCIL)


def ordinal_text(ordinal, gathered: Gathered) -> str:
    """ "28th Member State" in the report's language (the registry's ordinal, worded as the
    portal words it)."""

    return ordinal_label(ordinal, gathered.nouns)


# --- The chairs -----------------------------------------------------------------------


def _term_item(gathered: Gathered, term) -> Item:
    st = Statement()
    kind = str(CHAIR_TERMS.get(term.kind, term.kind))
    parts = [f"{kind} {periods.years_text(term.start, term.end)}"]
    decided = gathered.meeting(term.decided_at_id)
    if decided is not None:
        parts.append(_("decided at %(meeting)s") % {"meeting": st.meeting(decided)})
    elif term.decided_on is not None:
        parts.append(_("decided on %(date)s") % {"date": day_text(term.decided_on)})
    handover = gathered.meeting(term.taken_over_at_id)
    if handover is not None:
        parts.append(_("taken over at %(meeting)s") % {"meeting": st.meeting(handover)})
    return st.item("; ".join(parts), date=day_text(term.start))


def _handover_item(gathered: Gathered, meeting) -> Item:
    """When and where the next chair takes over: the meeting, as held or as last planned,
    and the plans made for it before, as the record keeps them."""
    st = Statement()
    title = st.meeting(meeting)
    entry = meeting_when(meeting)
    held = meeting_status(meeting) == "held"
    if held:
        text = _("Took over at %(meeting)s") % {"meeting": title}
    else:
        text = _("Takes over at %(meeting)s") % {"meeting": title}
    # "held online, 17 December 2024" / "planned Baku, 19 December 2024"
    if entry is not None:
        where = place_of(entry)
        days = span_text(entry.start, entry.end)
        how = f"{where}, {days}" if where else days
        text += ": " + (_("held %(how)s") if held else _("planned %(how)s")) % {"how": how}
    earlier = [
        f"{place_of(e)}, {span_text(e.start, e.end)}" if place_of(e) else span_text(e.start, e.end)
        for e in meeting.schedule.all()
        if e.kind == MeetingSchedule.Kind.PLANNED
        and entry is not None
        and e.pk != entry.pk
        and (e.start, e.city_en, e.mode) != (entry.start, entry.city_en, entry.mode)
    ]
    if earlier:
        text += " (" + _("earlier planned: %(plans)s") % {"plans": "; ".join(earlier)} + ")"
    return st.item(text, date=day_text(entry.start) if entry else None)


def chairs(gathered: Gathered) -> Section:
    runs = periods.runs(gathered.terms)
    current = periods.current_runs(gathered.period, runs)
    items: list[Item] = []
    if current:
        first = runs.index(current[0])
        last = runs.index(current[-1])
        previous = runs[max(0, first - PREVIOUS_CHAIRS) : first]
        if previous:
            st = Statement()
            names = ", ".join(f"{st.actor(r.actor)} ({r.years})" for r in previous)
            items.append(st.item(_("Previous chairs: %(chairs)s") % {"chairs": names}))
        for run in current:
            st = Statement()
            label = _("Current chair") if gathered.period.chairmanship else _("Chair")
            text = f"{label}: {st.actor(run.actor)} ({run.years})"
            children = [_term_item(gathered, t) for t in run.terms]
            items.append(st.item(text, children=children))
        if last + 1 < len(runs):
            nxt = runs[last + 1]
            st = Statement()
            text = _("Next chair: %(state)s (%(years)s)") % {
                "state": st.actor(nxt.actor),
                "years": nxt.years,
            }
            first_term = nxt.terms[0]
            decided = first_term.decided_on
            if decided is None and first_term.decided_at_id:
                entry = meeting_when(gathered.meeting(first_term.decided_at_id))
                decided = entry.start if entry else None
            if decided is not None:
                text += ", " + _("decided on %(date)s") % {"date": day_text(decided)}
            handover = gathered.meeting(first_term.taken_over_at_id)
            children = [_handover_item(gathered, handover)] if handover else []
            items.append(st.item(text, children=children))
    return section(
        "chairs",
        _("The chairs"),
        items,
        empty=_("No chairmanship on record covers this period."),
    )


# --- Meetings -------------------------------------------------------------------------


def _held(gathered: Gathered, kinds=None) -> list:
    found = [
        m
        for m in gathered.meetings.values()
        if gathered.held_in_period(m) and (kinds is None or m.body.kind in kinds)
    ]
    return sorted(found, key=lambda m: (meeting_when(m).start, m.pk))


def meetings(gathered: Gathered) -> Section:
    items = []
    for meeting in _held(gathered, TOP_BODIES):
        st = Statement()
        items.append(st.item(meeting_phrase(st, meeting), date=when(meeting)))
    held = _held(gathered)
    chart = None
    if held:
        years = range(gathered.period.start.year, gathered.period.end.year + 1)
        counts = Counter((m.body_id, meeting_when(m).start.year) for m in held)
        bodies = {m.body_id: m.body for m in held}
        series = []
        for body_id, body in sorted(bodies.items(), key=lambda kv: kv[1].name_en):
            label = localized(body, "short_name")[0] or localized(body, "name")[0]
            series.append(Series(label, [(y, counts.get((body_id, y), 0)) for y in years]))
        chart = Chart(
            key="meetings",
            title=_("Meetings held per year, by body"),
            kind="stacked-bar",
            series=series,
            x_label=_("Year"),
            y_label=_("Meetings"),
        )
    return section(
        "meetings",
        _("Summits and ministerial meetings held"),
        items,
        charts=[chart] if chart else [],
        empty=_("No summit or ministerial meeting was held in this period."),
    )


# --- What each summit decided ---------------------------------------------------------


def _outcomes(gathered: Gathered, meeting) -> list[Item]:
    """Everything the record says the meeting decided, in a fixed order: documents, standings,
    chairmanships, appointments, institutions, initiatives launched."""
    items: list[Item] = []
    for document in gathered.documents.values():
        for event in document.events.all():
            if event.meeting_id != meeting.pk or event.kind not in DECISIVE_EVENTS:
                continue
            st = Statement()
            text = f"{st.document(document, gathered)}: {DOCUMENT_EVENTS[event.kind]}"
            items.append(st.item(text, date=event_day(event.date, meeting), note=event.note))
            gathered.mark("document", document.pk)
    for status in gathered.statuses:
        if status.decided_at_id == meeting.pk:
            st = Statement()
            ordinal = gathered.ordinals.get(status.pk)
            what = ordinal_text(ordinal, gathered) if ordinal else ""
            what = what or str(_("status: %(kind)s") % {"kind": status.get_kind_display()})
            items.append(st.item(f"{st.actor(status.actor)}: {what}", date=day_text(status.start)))
    for term in gathered.terms:
        if term.decided_at_id == meeting.pk:
            st = Statement()
            text = _("Chairmanship of %(state)s decided for %(years)s") % {
                "state": st.actor(term.actor),
                "years": periods.years_text(term.start, term.end),
            }
            items.append(st.item(text, date=event_day(term.decided_on, meeting)))
    for head in gathered.heads:
        if head.appointed_at_id == meeting.pk:
            st = Statement()
            text = _("%(person)s appointed %(title)s") % {
                "person": st.name(head.person),
                "title": HEAD_TITLES.get(head.title, head.title),
            }
            page = reverse("bodies:meeting", kwargs={"key": meeting.key}) + "#outcomes"
            items.append(st.item(text, date=day_text(head.start), page=page))
    for body in gathered.bodies:
        for event in body.events.all():
            if event.meeting_id == meeting.pk:
                st = Statement()
                text = f"{st.body(body)}: {BODY_EVENTS.get(event.kind, event.kind)}"
                date = event_day(event.date, meeting)
                items.append(st.item(text, date=date, note=event.note))
    for initiative in gathered.initiatives:
        if initiative.launched_at_id == meeting.pk:
            st = Statement()
            text = _("Initiative launched: %(title)s") % {"title": st.initiative(initiative)}
            # Its step at the meeting dates it, else the meeting's days.
            step = next((e for e in initiative.events.all() if e.meeting_id == meeting.pk), None)
            items.append(st.item(text, date=event_day(step.date if step else None, meeting)))
    return items


def summit_outcomes(gathered: Gathered) -> Section:
    items = []
    for meeting in _held(gathered, (Body.Kind.SUMMIT,)):
        st = Statement()
        items.append(
            st.item(
                meeting_phrase(st, meeting),
                date=when(meeting),
                children=_outcomes(gathered, meeting),
            )
        )
    return section(
        "summit-outcomes",
        _("Outcomes of the summits"),
        items,
        empty=_("No summit was held in this period."),
    )
