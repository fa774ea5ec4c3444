"""Sections on the programme: the transformation of the organization, its founding documents
and their anniversaries, confidence-building measures, institutions, and the chairmanship's
priorities and initiatives."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.urls import reverse
from django.utils.translation import gettext as _

from secretariat.bodies.models import Body, BodyEvent
from secretariat.bodies.selectors import body_status
from secretariat.core.partial_dates import PartialDate
from secretariat.figures.models import Measure
from secretariat.initiatives.models import Initiative
from secretariat.initiatives.selectors import status_at
from secretariat.programme.selectors import progress

from .compose import Statement, event_day, meeting_phrase, section
from .figures import figure_item
from .gathered import Gathered, founding_meetings
from .model import Chart, Item, Section, Series
from .statements import (
    anniversary,
    document_event,
    document_with_events,
    initiative_event,
    next_steps,
    where,
)
from .wording import (
    BODY_EVENTS,
    CBM_EVENT_KINDS,
    DECISIVE_EVENTS,
    DOCUMENT_EVENTS,
    INITIATIVE_STATUSES,
    STEP_STATUSES,
    day_text,
    localized,
)

# Anniversaries worth a statement: every fifth year.
ANNIVERSARY_EVERY = 5
# An institution's events that make it new, and those that put it on the table.
NEW_INSTITUTION = (BodyEvent.Kind.ESTABLISHED, BodyEvent.Kind.TRANSFORMED)
PROPOSED_INSTITUTION = (BodyEvent.Kind.PROPOSED, BodyEvent.Kind.INITIATED)
INSTITUTION_KINDS = (Body.Kind.INSTITUTION, Body.Kind.OTHER)


def _status_label(initiative: Initiative, gathered: Gathered) -> str:
    status = status_at(initiative, gathered.period.end)
    return str(INITIATIVE_STATUSES.get(status, status)) if status else ""


def _in_period(gathered: Gathered, initiative: Initiative) -> bool:
    """The initiative moved in the period: an event of its own or of one of its documents."""
    if any(gathered.within(e.date) for e in initiative.events.all()):
        return True
    linked = [gathered.document(d.pk) for d in initiative.documents.all()]
    return any(gathered.events_in_period(d) for d in linked if d is not None)


def initiative_item(gathered: Gathered, initiative: Initiative, *, history: bool = False) -> Item:
    """The initiative with its status at the end of the period, its steps (with `history`,
    the earlier ones too, for context), its documents' steps, what is expected, next steps."""
    gathered.mark("initiative", initiative.pk)
    st = Statement()
    text = st.initiative(initiative)
    status = _status_label(initiative, gathered)
    if status:
        text += f": {status}"
    dated: list[tuple[dt.date, Item]] = []
    own = list(initiative.events.all())
    for event in own:
        if gathered.within(event.date) or (history and event.date.earliest < gathered.period.start):
            dated.append((event.date.earliest, initiative_event(gathered, initiative, event)))
    said = {(e.document_id, e.date) for e in own if e.document_id}
    skip = _roadmap_documents(gathered) if history else set()
    for document in initiative.documents.all():
        document = gathered.document(document.pk)
        if document is None or document.pk in skip:
            continue
        for event in gathered.events_in_period(document, (*DECISIVE_EVENTS, "circulated")):
            gathered.mark("document", document.pk)
            if (document.pk, event.date) in said:
                continue  # the initiative's own step says it already
            dated.append((event.date.earliest, document_event(gathered, document, event)))
    children = [item for _day, item in sorted(dated, key=lambda pair: pair[0])]
    page = reverse("initiatives:detail", kwargs={"slug": initiative.slug})
    for expectation in initiative.expectations.all():
        child = Statement()
        answered = len({r.actor_id for r in expectation.responses.all() if gathered.by_end(r.date)})
        what = child.name(expectation, "text")
        if answered:
            line = _("Expected: %(what)s (%(n)s responses on record)") % {
                "what": what,
                "n": answered,
            }
        else:
            line = _("Expected: %(what)s (no response on record)") % {"what": what}
        children.append(child.item(line, page=f"{page}#expectation-{expectation.position}"))
    children += next_steps(gathered, "initiative", initiative.pk)
    return st.item(text, children=children)


def _roadmap_documents(gathered: Gathered) -> set[int]:
    """The documents a road map's clusters name: said under their cluster."""
    return {d.pk for view in gathered.roadmaps for c in view.clusters for d in c.documents.all()}


# --- Transformation -------------------------------------------------------------------


def _cluster_url(document, number: int) -> str:
    return reverse("programme:roadmap") + f"?document={document.key}#cluster-{number}"


def _roadmap_items(gathered: Gathered) -> list[Item]:
    items = []
    years = range(gathered.period.start.year, gathered.period.end.year + 1)
    for view in gathered.roadmaps:
        document = gathered.document(view.document.pk)
        clusters = []
        for cluster in view.clusters:
            st = Statement()
            tasks = list(cluster.tasks.all())
            done = progress(tasks)
            title = st.name(cluster, "title")
            label = st.link(
                _("Cluster %(n)s. %(title)s") % {"n": cluster.number, "title": title},
                _cluster_url(document, cluster.number),
            )
            text = (
                label
                + ": "
                + _("%(done)s of %(total)s tasks done")
                % {
                    "done": done.done,
                    "total": done.total,
                }
            )
            children = []
            for task in tasks:
                tst = Statement()
                line = f"{tst.name(task, 'title')}: {STEP_STATUSES.get(task.status, task.status)}"
                leads = [tst.actor(a) for a in task.lead_states.all()]
                if leads:
                    line += " (" + _("lead: %(states)s") % {"states": ", ".join(leads)} + ")"
                children.append(
                    tst.item(line, note=task.note, page=_cluster_url(document, cluster.number))
                )
            for linked in cluster.documents.all():
                linked = gathered.document(linked.pk)
                if linked is not None:
                    item = document_with_events(gathered, linked)
                    if item is not None:
                        children.append(item)
            clusters.append(st.item(text, children=children))
        st = Statement()
        overall = view.progress
        text = f"{st.document(document, gathered)}: " + _("%(done)s of %(total)s tasks done") % {
            "done": overall.done,
            "total": overall.total,
        }
        items.append(st.item(text, children=clusters))
        for year, foci in view.focus_by_year.items():
            if year not in years:
                continue
            st = Statement()
            names = []
            for focus in foci:
                title = st.name(focus.cluster, "title")
                label = _("Cluster %(n)s. %(title)s") % {"n": focus.cluster.number, "title": title}
                names.append(st.link(label, _cluster_url(document, focus.cluster.number)))
            text = _("Focus in %(year)s: %(clusters)s") % {
                "year": year,
                "clusters": "; ".join(names),
            }
            items.append(st.item(text))
    return items


def transformation(gathered: Gathered) -> Section:
    items = []
    meetings_shown: set[int] = set()
    for initiative in gathered.initiatives:
        if initiative.kind != Initiative.Kind.TRANSFORMATION or not _in_period(
            gathered, initiative
        ):
            continue
        item = initiative_item(gathered, initiative, history=True)
        meetings_shown |= {e.meeting_id for e in initiative.events.all() if e.meeting_id}
        items.append(item)
    items += _roadmap_items(gathered)
    topics = {Initiative.Kind.TRANSFORMATION.value}
    for quote in gathered.quotations:
        if quote.topic not in topics:
            continue
        if not (gathered.within(quote.date) or quote.meeting_id in meetings_shown):
            continue
        st = Statement()
        words = st.name(quote, "text")
        speaker = st.name(quote, "speaker")
        text = f"{speaker}: “{words}”"
        meeting = gathered.meeting(quote.meeting_id)
        if meeting is not None:
            text += f" ({meeting_phrase(st, meeting)})"
        items.append(st.item(text, date=event_day(quote.date, meeting)))
    return section(
        "transformation",
        _("Transformation"),
        items,
        empty=_("Nothing on the transformation of the organization is dated in this period."),
    )


# --- Founding documents and anniversaries ---------------------------------------------


def _anniversaries(gathered: Gathered, date: PartialDate | None) -> list[tuple[int, PartialDate]]:
    """The round anniversaries of `date` that fall in the period (exact dates only)."""
    if date is None or not date.is_exact:
        return []
    found = []
    for year in range(gathered.period.start.year, gathered.period.end.year + 1):
        years = year - date.year
        if years <= 0 or years % ANNIVERSARY_EVERY:
            continue
        try:
            day = dt.date(year, date.month, date.day)
        except ValueError:  # 29 February
            day = dt.date(year, date.month, 28)
        if gathered.period.start <= day <= gathered.period.end:
            found.append((years, PartialDate.parse(day)))
    return found


def founding(gathered: Gathered) -> Section:
    """The founding documents (those adopted at the meetings that founded the summit and the
    ministerial body) and any document whose anniversary a statement of the period marks, each
    with its round anniversaries in the period and the statements marking them."""
    items = []
    founded_at = founding_meetings(gathered.bodies)
    marking: dict[int, list] = {}
    for document in gathered.documents.values():
        for relation in document.relations.all():
            if relation.kind == "anniversary_of" and gathered.events_in_period(document):
                marking.setdefault(relation.to_document_id, []).append(document)
    organization = gathered.organization
    if organization is not None:
        for years, day in _anniversaries(gathered, organization.founded):
            st = Statement()
            text = _("%(anniversary)s of %(name)s (founded %(date)s)") % {
                "anniversary": anniversary(years),
                "name": st.name(organization, "short_name"),
                "date": day_text(organization.founded),
            }
            items.append(st.item(text, date=day_text(day), page=reverse("portal:home")))
    for document in gathered.documents.values():
        adoption = next((e for e in document.events.all() if e.kind in ("adopted", "signed")), None)
        founded = adoption is not None and adoption.meeting_id in founded_at
        if not founded and document.pk not in marking:
            continue
        children = []
        url = reverse("documents:detail", kwargs={"key": document.key})
        if adoption is not None:
            for years, day in _anniversaries(gathered, adoption.date):
                child = Statement()
                text = child.link(anniversary(years).capitalize(), url)
                children.append(child.item(text, date=day_text(day)))
        for statement in marking.get(document.pk, []):
            for event in gathered.events_in_period(statement, DECISIVE_EVENTS):
                children.append(document_event(gathered, statement, event))
            gathered.mark("document", statement.pk)
        if not children:
            continue
        st = Statement()
        text = st.document(document, gathered)
        if adoption is not None:
            at = where(st, gathered, adoption)
            text += f": {DOCUMENT_EVENTS[adoption.kind]} {day_text(adoption.date)}"
            if at:
                text += f", {at}"
        items.append(
            st.item(text, date=str(adoption.date.year) if adoption else None, children=children)
        )
    return section(
        "founding",
        _("Founding documents and anniversaries"),
        items,
        empty=_("No anniversary of a founding document falls in this period."),
    )


# --- Confidence-building measures -----------------------------------------------------


def _cbm_documents(gathered: Gathered) -> list:
    """The catalogue editions' documents, those that go with them (guidelines, modalities),
    and the documents that supersede or amend any of these."""
    ids = set()
    for edition in gathered.editions:
        ids.add(edition.document_id)
        ids |= {link.document_id for link in edition.document_links.all()}
    for document in gathered.documents.values():
        for relation in document.relations.all():
            if relation.to_document_id in ids and relation.kind in ("supersedes", "amends"):
                ids.add(document.pk)
    return [gathered.documents[pk] for pk in sorted(ids) if pk in gathered.documents]


def cbm(gathered: Gathered) -> Section:
    dated: list[tuple[dt.date, Item]] = []
    for area in gathered.areas:
        if not gathered.within(area.added_on):
            continue
        st = Statement()
        url = reverse("programme:area", kwargs={"area_id": area.pk})
        text = _("New CBM priority area: %(title)s") % {"title": st.name(area, "title", url=url)}
        meeting = gathered.meeting(area.added_at_id)
        if meeting is not None:
            text += f", {meeting_phrase(st, meeting)}"
        date = event_day(area.added_on, meeting)
        dated.append((area.added_on.earliest, st.item(text, date=date)))
    for document in _cbm_documents(gathered):
        for event in gathered.events_in_period(document, DECISIVE_EVENTS):
            dated.append((event.date.earliest, document_event(gathered, document, event)))
        gathered.mark("document", document.pk)
    for review in gathered.reviews:
        if not gathered.within(review.date):
            continue
        st = Statement()
        text = st.link(_("Annual review of CBM implementation"), reverse("programme:catalogue"))
        meeting = gathered.meeting(review.meeting_id)
        if meeting is not None:
            text += f", {meeting_phrase(st, meeting)}"
        date = event_day(review.date, meeting)
        dated.append((review.date.earliest, st.item(text, date=date, note=review.note)))
    # How many priority areas sources give an edition, beside the areas on record.
    for comparison in gathered.figures:
        if comparison.measure == Measure.AREAS:
            page = reverse("programme:catalogue") + f"?at={comparison.compared_on.isoformat()}"
            dated.append((comparison.as_of.earliest, figure_item(comparison, page=page)))
    items = [item for _day, item in sorted(dated, key=lambda pair: pair[0])]
    events = gathered.cbm_events
    if events:
        children = []
        for event in events:
            st = Statement()
            url = reverse("programme:area", kwargs={"area_id": event.area_id}) + "#events"
            text = f"{st.name(event, 'title', url=url)} ({CBM_EVENT_KINDS.get(event.kind)})"
            if event.organizer is not None:
                text += ", " + _("organized by %(state)s") % {"state": st.actor(event.organizer)}
            children.append(st.item(text, date=day_text(event.date), note=event.note))
        text = _("CBM implementation events held: %(n)s") % {"n": len(events)}
        page = reverse("programme:catalogue") + "#events"
        items.append(Statement().item(text, children=children, page=page))
    charts = []
    if events:
        counts = Counter((e.area_id, e.date.year) for e in events)
        areas = {e.area_id: e.area for e in events}
        years = sorted({year for _area, year in counts})
        charts.append(
            Chart(
                key="cbm-events",
                title=_("CBM events per priority area and year"),
                kind="stacked-bar",
                series=[
                    Series(
                        str(year),
                        [
                            (localized(a, "title")[0], counts.get((pk, year), 0))
                            for pk, a in sorted(areas.items(), key=lambda kv: kv[1].number)
                        ],
                    )
                    for year in years
                ],
                x_label=_("Priority area"),
                y_label=_("Events"),
            )
        )
    return section(
        "cbm",
        _("Confidence-building measures"),
        items,
        charts=charts,
        empty=_("No step on the confidence-building measures is dated in this period."),
    )


# --- Institutions ---------------------------------------------------------------------


def _institution_item(gathered: Gathered, body: Body) -> Item:
    page = reverse("bodies:body", kwargs={"body_slug": body.slug})
    st = Statement()
    name = st.body(body)
    events = [e for e in body.events.all() if e.date.earliest <= gathered.period.end]
    status = body_status(events, gathered.period.end)
    text = name
    initiators = [st.actor(a) for a in body.initiated_by.all()]
    if initiators:
        text += " (" + _("initiated by %(states)s") % {"states": ", ".join(initiators)} + ")"
    if status:
        text += ": " + str(BODY_EVENTS.get(status, status))
    children = []
    for event in events:
        child = Statement()
        line = str(BODY_EVENTS.get(event.kind, event.kind)).capitalize()
        meeting = gathered.meeting(event.meeting_id)
        if meeting is not None:
            line += f", {meeting_phrase(child, meeting)}"
        date = event_day(event.date, meeting)
        children.append(child.item(line, date=date, note=event.note, page=page))
    facts = gathered.institutions.get(body.pk)
    if facts is not None and (facts.meetings_held or facts.reported):
        child = Statement()
        # The figure nearest the period's end, beside the meetings on record on its own date.
        shown = next((c for c in facts.figures if c.figure == facts.reported), None)
        if shown is not None:
            line = _("%(n)s meetings held (reported as of %(date)s; %(m)s on record)") % {
                "n": shown.reported,
                "date": day_text(shown.as_of),
                "m": shown.computed.value if shown.computed else 0,
            }
            children.append(child.item(line, note=shown.figure.note, page=page))
        else:
            line = _("%(m)s meetings held on record") % {"m": facts.meetings_held}
            children.append(child.item(line, page=page))
    return st.item(text, children=children)


def institutions(gathered: Gathered) -> Section:
    new, proposed, changed = [], [], []
    for body in gathered.bodies:
        if body.kind not in INSTITUTION_KINDS:
            continue
        kinds = {e.kind for e in body.events.all() if gathered.within(e.date)}
        if not kinds:
            continue
        item = _institution_item(gathered, body)
        gathered.mark("body", body.pk)
        if kinds & set(NEW_INSTITUTION):
            new.append(item)
        elif kinds & set(PROPOSED_INSTITUTION):
            proposed.append(item)
        else:
            changed.append(item)
    items = []
    for group, label in (
        (new, _("New permanent institutions: %(n)s")),
        (proposed, _("Institutions proposed in the period: %(n)s")),
    ):
        if group:
            st = Statement()
            text = st.link(label % {"n": len(group)}, reverse("bodies:bodies"))
            items.append(st.item(text, children=group))
    items += changed
    return section(
        "institutions",
        _("New institutions and their state"),
        items,
        empty=_("No institution was proposed, established or changed in this period."),
    )


# --- Priorities and initiatives -------------------------------------------------------


def initiatives(gathered: Gathered) -> Section:
    items = []
    period = gathered.period
    for priorities in gathered.priorities:
        start, end = priorities.start, priorities.end
        if start is not None and start.earliest > period.end:
            continue
        if end is not None and end.latest < period.start:
            continue
        members = [i for i in gathered.initiatives if priorities in i.priorities.all()]
        children = []
        for initiative in members:
            if not _in_period(gathered, initiative):
                continue
            if initiative.kind == Initiative.Kind.TRANSFORMATION:
                st = Statement()  # said in full under the transformation
                text = st.initiative(initiative)
                status = _status_label(initiative, gathered)
                children.append(st.item(f"{text}: {status}" if status else text))
                continue
            children.append(initiative_item(gathered, initiative))
        if not children:
            continue
        st = Statement()
        url = reverse("initiatives:board") + f"?priorities={priorities.slug}"
        title = st.name(priorities, "title", url=url)
        items.append(st.item(title, children=children))
    return section(
        "initiatives",
        _("Priorities and initiatives"),
        items,
        empty=_("No initiative moved in this period."),
    )
