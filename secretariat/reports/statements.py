"""Statements several sections make alike: a document's step, an initiative's step, the next
steps of a procedure, an institution's events."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from secretariat.core.ordinals import ordinal_en

from .compose import Statement, event_day, meeting_phrase
from .gathered import Gathered
from .model import Item
from .wording import (
    DECISIVE_EVENTS,
    DOCUMENT_EVENTS,
    INITIATIVE_STATUSES,
    STEP_STATUSES,
    day_text,
    lang,
)


def where(st: Statement, gathered: Gathered, event) -> str:
    """ "Sixth CICA Summit (Astana)", else the acting body: the place of an event."""
    meeting = gathered.meeting(getattr(event, "meeting_id", None))
    if meeting is not None:
        return meeting_phrase(st, meeting)
    body = getattr(event, "body", None)
    return st.body(body) if body is not None else ""


def document_event(gathered: Gathered, document, event, *, titled: bool = True) -> Item:
    """ "Almaty Act: adopted, First CICA Summit (Almaty)", dated, with its note."""
    st = Statement()
    what = str(DOCUMENT_EVENTS.get(event.kind, event.kind))
    text = f"{st.document(document, gathered)}: {what}" if titled else what.capitalize()
    if not titled:
        st.restricted = gathered.restricted(document)
    at = where(st, gathered, event)
    if at:
        text += f", {at}"
    page = reverse("documents:detail", kwargs={"key": document.key})
    date = event_day(event.date, gathered.meeting(event.meeting_id))
    return st.item(text, date=date, note=event.note, page=page)


def document_events(
    gathered: Gathered, document, *, kinds=DECISIVE_EVENTS, titled: bool = True
) -> list[Item]:
    """The document's steps of these kinds that fall in the period."""
    return [
        document_event(gathered, document, e, titled=titled)
        for e in gathered.events_in_period(document, kinds)
    ]


def document_with_events(gathered: Gathered, document, *, kinds=None) -> Item | None:
    """The document, with its steps in the period beneath it and its next steps (None when
    none of its steps falls in the period)."""
    events = document_events(gathered, document, kinds=kinds, titled=False)
    if not events:
        return None
    gathered.mark("document", document.pk)
    st = Statement()
    title = st.document(document, gathered)
    return st.item(title, children=events + next_steps(gathered, "document", document.pk))


def initiative_event(gathered: Gathered, initiative, event) -> Item:
    st = Statement()
    text = str(INITIATIVE_STATUSES.get(event.kind, event.kind)).capitalize()
    at = where(st, gathered, event)
    if at:
        text += f", {at}"
    document = gathered.document(event.document_id)
    if document is not None:
        text += f": {st.document(document, gathered)}"
        gathered.mark("document", document.pk)
    page = reverse("initiatives:detail", kwargs={"slug": initiative.slug}) + "#timeline"
    date = event_day(event.date, gathered.meeting(event.meeting_id))
    return st.item(text, date=date, note=event.note, page=page)


def next_steps(gathered: Gathered, kind: str, pk: int) -> list[Item]:
    """ "Next steps" with the recorded steps beneath (none: nothing)."""
    steps = gathered.steps.get((kind, pk), [])
    if not steps:
        return []
    if kind == "document":
        document = gathered.document(pk)
        url = reverse("documents:detail", kwargs={"key": document.key})
    else:
        slug = next(i.slug for i in gathered.initiatives if i.pk == pk)
        url = reverse("initiatives:detail", kwargs={"slug": slug}) + "#next-steps"
    restricted = kind == "document" and gathered.restricted(document)
    children = []
    for step in steps:
        st = Statement()
        st.restricted = restricted
        text = f"{st.name(step, 'title')}: {STEP_STATUSES.get(step.status, step.status)}"
        if step.responsible is not None:
            text += " (" + _("responsible: %(who)s") % {"who": st.actor(step.responsible)} + ")"
        elif step.responsible_text_en:
            who = st.name(step, "responsible_text")
            text += " (" + _("responsible: %(who)s") % {"who": who} + ")"
        date = day_text(step.done) if step.done else ""
        if not date and step.due and step.status != "done":
            text += ", " + _("due %(date)s") % {"date": day_text(step.due)}
        children.append(st.item(text, date=date, note=step.note, page=url))
    st = Statement()
    st.restricted = restricted
    return [st.item(st.link(_("Next steps"), url), children=children)]


def anniversary(years: int) -> str:
    """ "25th anniversary" ("25-летие")."""
    if lang() == "ru":
        return f"{years}-летие"
    return f"{ordinal_en(years)} anniversary"
