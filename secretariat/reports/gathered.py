"""The part of the record a report reads, fetched once through the apps' selectors: the
records dated in the period and those they name, each set by date ranges on indexed columns,
so that a report costs what its period holds, in a bounded number of queries, however long
the record around it (a sixty-year record is read a chairmanship at a time).

Documents are read as the audience may read them (accounts.policy): the public report as the
anonymous user, the internal one as its user. A confidential paper is the Secretariat's alone
and never enters a report, which is made to be handed around.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.utils import timezone

from secretariat.accounts.policy import documents_q, effective_access
from secretariat.bodies.models import Body, BodyEvent, Meeting, MeetingSchedule
from secretariat.bodies.selectors import meeting_status, meeting_when
from secretariat.checklists.models import NextStep
from secretariat.core.models import AccessLevel, Organization
from secretariat.core.partial_dates import PartialDate
from secretariat.documents.models import Document, DocumentEvent, DocumentRelation
from secretariat.documents.selectors import readable
from secretariat.figures.compare import Comparison, compare
from secretariat.figures.models import Measure, ReportedFigure
from secretariat.figures.selectors import figures_of, key_of
from secretariat.initiatives.models import (
    Expectation,
    Initiative,
    InitiativeEvent,
    PartnershipEvent,
    Priorities,
)
from secretariat.initiatives.selectors import InstitutionAt, institutions_at
from secretariat.programme.models import CatalogueEdition, CbmEvent, Cluster, PriorityArea, Review
from secretariat.programme.selectors import RoadMap, areas_count, quotations, roadmap
from secretariat.registry.models import Chairmanship, SecretariatHead, Status
from secretariat.registry.selectors import (
    ORDINAL_KINDS,
    Ordinal,
    YearCount,
    membership_by_year,
    ordinal_nouns,
    ordinals_for,
    standing_counter,
)
from secretariat.treaties import selectors as treaty_selectors
from secretariat.treaties.models import Treaty, TreatyAction
from secretariat.treaties.selectors import TreatyStatus

from . import period as periods
from .model import Audience, Period


def within(period: Period, date: PartialDate | None) -> bool:
    """Whether a dated event falls in the period (see `Gathered.within`)."""
    return date is not None and period.start <= date.earliest <= period.end


@dataclass
class Gathered:
    """What the composer reads; `within` says whether a dated event falls in the period."""

    period: Period
    audience: Audience
    today: dt.date
    organization: Organization | None
    terms: list[Chairmanship]
    heads: list[SecretariatHead]
    meetings: dict[int, Meeting]
    bodies: list[Body]
    institutions: dict[int, InstitutionAt]
    documents: dict[int, Document]
    statuses: list[Status]
    ordinals: dict[int, Ordinal]
    nouns: dict[str, str]
    membership: list[YearCount]
    priorities: list[Priorities]
    initiatives: list[Initiative]
    partnership_events: list[PartnershipEvent]
    treaties: list[TreatyStatus]
    editions: list[CatalogueEdition]
    areas: list[PriorityArea]
    reviews: list[Review]
    cbm_events: list[CbmEvent]
    roadmaps: list[RoadMap]
    quotations: list
    steps: dict[tuple[str, int], list[NextStep]]  # ("document" | "initiative", id) -> steps
    # Figures sources give as of a date in the period (of members, observers and partners;
    # of the catalogue's priority areas), each beside the record's count that day.
    figures: list[Comparison] = field(default_factory=list)
    shown: set[tuple[str, int]] = field(default_factory=set)  # records said in a section

    # --- the period ---

    def within(self, date: PartialDate | None) -> bool:
        """A dated event falls in the period when its date's window begins in it: "2024"
        counts in a period holding 1 January 2024, so consecutive periods share nothing
        but the handover day."""
        return within(self.period, date)

    def by_end(self, date: PartialDate | None) -> bool:
        """The event had certainly happened by the end of the period."""
        return date is not None and date.latest <= self.period.end

    # --- documents ---

    def document(self, pk: int | None) -> Document | None:
        """The document, if this report's audience may read it (else None: say nothing)."""
        return self.documents.get(pk) if pk else None

    def restricted(self, document: Document | None) -> bool:
        return document is not None and effective_access(document) != AccessLevel.PUBLIC

    def events_in_period(self, document: Document, kinds=None) -> list[DocumentEvent]:
        return [
            e
            for e in document.events.all()
            if self.within(e.date) and (kinds is None or e.kind in kinds)
        ]

    def meeting(self, pk: int | None) -> Meeting | None:
        return self.meetings.get(pk) if pk else None

    def held_in_period(self, meeting: Meeting) -> bool:
        when = meeting_when(meeting)
        return meeting_status(meeting) == "held" and when is not None and self.within(when.start)

    def mark(self, kind: str, pk: int) -> None:
        self.shown.add((kind, pk))

    def was_shown(self, kind: str, pk: int) -> bool:
        return (kind, pk) in self.shown


# Every kind, so that a date range on events is read through the (kind, date) index.
EVENT_KINDS = tuple(DocumentEvent.Kind.values)
# The events that make a document a founding one, at a meeting that founded an organ.
ADOPTIONS = ("adopted", "signed")
# The relations that carry a CBM document on to its successors and amendments.
CBM_SUCCESSION = ("supersedes", "amends")
# The organs whose founding meetings adopted the founding documents.
FOUNDING_BODIES = (Body.Kind.SUMMIT, Body.Kind.MINISTERIAL_COUNCIL)


def _window(period: Period, field: str = "date_date") -> Q:
    """Rows whose partial date `field` falls in the period, as `Gathered.within` judges: the
    first day of its window, the column stored, in the period."""
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def founding_meetings(bodies: list[Body]) -> set[int]:
    """The meetings that founded the summit and the ministerial body."""
    return {
        e.meeting_id
        for b in bodies
        if b.kind in FOUNDING_BODIES
        for e in b.events.all()
        if e.kind == BodyEvent.Kind.ESTABLISHED and e.meeting_id
    }


def _documents(user, period: Period, *, summits, founding: set[int], also: set[int]):
    """The documents the report may say something of, with all their events and relations:
    those with a step in the period or at a summit held in it (its outcomes),
    the founding documents and those a statement of the period marks the anniversary of,
    and `also` (documents other records of the period name)."""
    in_period = DocumentEvent.objects.filter(_window(period), kind__in=EVENT_KINDS)
    wanted = (
        Q(pk__in=in_period.values("document_id"))
        # Any step at a summit, not only the decisive ones the outcomes list: so that the
        # meeting's index is read, not every adoption on record.
        | Q(pk__in=DocumentEvent.objects.filter(meeting__in=summits).values("document_id"))
        | Q(
            pk__in=DocumentEvent.objects.filter(meeting_id__in=founding, kind__in=ADOPTIONS).values(
                "document_id"
            )
        )
        | Q(
            pk__in=DocumentRelation.objects.filter(
                kind=DocumentRelation.Kind.ANNIVERSARY_OF,
                from_document__in=in_period.values("document_id"),
            ).values("to_document_id")
        )
        | Q(pk__in=also)
    )
    events = DocumentEvent.objects.select_related("body", "actor").order_by("date_date", "id")
    relations = DocumentRelation.objects.filter(documents_q(user, "to_document__"))
    docs = (
        readable(user)
        .filter(wanted)
        .select_related("body")
        .prefetch_related(Prefetch("events", queryset=events), Prefetch("relations", relations))
        .order_by("id")
    )
    return {d.pk: d for d in docs if effective_access(d) != AccessLevel.CONFIDENTIAL}


def _cbm_candidates(editions: list[CatalogueEdition]) -> set[int]:
    """The catalogue editions' documents, those that go with them, and every document that
    supersedes or amends one of these however far down the chain: the CBM section judges
    among them (one query per link of the longest chain)."""
    ids = {e.document_id for e in editions}
    ids |= {link.document_id for e in editions for link in e.document_links.all()}
    frontier = set(ids)
    while frontier:
        found = set(
            DocumentRelation.objects.filter(
                to_document_id__in=frontier, kind__in=CBM_SUCCESSION
            ).values_list("from_document_id", flat=True)
        )
        frontier = found - ids
        ids |= found
    return ids


def _treaties(user, period: Period) -> list[TreatyStatus]:
    """The treaties readable by `user` with an action or a reported figure dated in the
    period (the others are not reported on), each as of the period's end, by symbol."""
    figures = ReportedFigure.objects.filter(
        _window(period, "as_of_date"), subject_type=ContentType.objects.get_for_model(Treaty)
    )
    moved = Q(pk__in=TreatyAction.objects.filter(_window(period)).values("treaty_id")) | Q(
        pk__in=figures.values("subject_id")
    )
    rows = treaty_selectors.readable(treaty_selectors.treaties_qs(), user).filter(moved)
    treaties = list(rows.order_by("document__symbol", "id"))
    treaties = treaty_selectors.with_figures(treaties, with_sources=False)
    return [treaty_selectors.treaty_status(t, at=period.end) for t in treaties]


def _figures(period: Period, organization, editions) -> list[Comparison]:
    """The figures sources give as of a date in the period, of the organization's members,
    observers and partners and of the catalogue's areas, each beside the count its app's
    selectors give on its own date (one query for them all, one or two to count)."""
    found = figures_of([organization, *editions], with_sources=False)

    def dated(subject):
        mine = found.get(key_of(subject), []) if subject is not None else []
        return [f for f in mine if within(period, f.as_of)]

    result = []
    if dated(organization):
        result += compare(dated(organization), standing_counter())
    for edition in editions:
        if dated(edition):
            result += compare(
                dated(edition), lambda day, e=edition: {Measure.AREAS: areas_count(e, day)}
            )
    return result


def _chair_meetings(period: Period, terms: list[Chairmanship]) -> set[int]:
    """The meetings that decided or handed over the period's chairmanships and the next one."""
    runs = periods.runs(terms)
    current = periods.current_runs(period, runs)
    said = [t for r in current for t in r.terms]
    if current and runs.index(current[-1]) + 1 < len(runs):
        said.append(runs[runs.index(current[-1]) + 1].terms[0])
    return {pk for t in said for pk in (t.decided_at_id, t.taken_over_at_id) if pk}


def _steps(documents, initiatives) -> dict[tuple[str, int], list[NextStep]]:
    kinds = {
        ContentType.objects.get_for_model(Document).pk: "document",
        ContentType.objects.get_for_model(Initiative).pk: "initiative",
    }
    by_kind = {v: k for k, v in kinds.items()}
    rows = (
        NextStep.objects.filter(
            Q(subject_type_id=by_kind["document"], subject_id__in=list(documents))
            | Q(subject_type_id=by_kind["initiative"], subject_id__in=[i.pk for i in initiatives])
        )
        .select_related("responsible")
        .order_by("subject_type", "subject_id", "position")
    )
    steps: dict[tuple[str, int], list[NextStep]] = defaultdict(list)
    for step in rows:
        steps[kinds[step.subject_type_id], step.subject_id].append(step)
    return dict(steps)


def gather(*, period: Period, audience: Audience, user) -> Gathered:
    """Everything a report of `period` reads, as `audience` may read it. Each section says
    what is dated in the period and what those records name (a summit's outcomes, a treaty's
    document, the meeting a step was taken at...): that, and no more, is read."""
    reader = user if audience == Audience.INTERNAL else None
    at = period.end
    window = _window(period)
    held = MeetingSchedule.objects.filter(
        _window(period, "start_date"), kind=MeetingSchedule.Kind.HELD
    ).values("meeting_id")
    summits = held.filter(meeting__body__kind=Body.Kind.SUMMIT)
    bodies = list(
        Body.objects.prefetch_related(
            Prefetch("events", queryset=BodyEvent.objects.order_by("date_date", "id")),
            "initiated_by",
        ).order_by("name_en")
    )
    expectations = Prefetch(
        "expectations",
        queryset=Expectation.objects.prefetch_related("addressees", "responses").order_by(
            "position"
        ),
    )
    # The selectors' lists carry the sources their pages cite; a report links to the pages
    # instead, so it reads the same rows without them.
    # The initiatives that moved in the period (a step of theirs or of one of their
    # documents) or were launched at one of its summits: no other is reported on.
    moved_documents = DocumentEvent.objects.filter(window, kind__in=EVENT_KINDS)
    initiatives = list(
        Initiative.objects.filter(
            Q(pk__in=InitiativeEvent.objects.filter(window).values("initiative_id"))
            | Q(
                pk__in=Initiative.documents.through.objects.filter(
                    document__in=moved_documents.values("document_id")
                ).values("initiative_id")
            )
            | Q(launched_at__in=summits)
        )
        .prefetch_related(
            Prefetch("events", queryset=InitiativeEvent.objects.order_by("date_date", "id")),
            "priorities",
            "documents",
            expectations,
        )
        .order_by("slug")
    )
    # Standings, partnership steps, CBM areas and reviews are said when dated in the period
    # (a standing also when decided at one of its summits).
    statuses = list(
        Status.objects.filter(_window(period, "start_date") | Q(decided_at__in=summits))
        .select_related("actor")
        .order_by("start_date", "id")
    )
    partnership_events = list(
        PartnershipEvent.objects.filter(window)
        .select_related("partnership__actor", "body")
        .order_by("date_date", "id")
    )
    editions = list(CatalogueEdition.objects.prefetch_related("document_links").order_by("id"))
    areas = list(
        PriorityArea.objects.filter(_window(period, "added_on_date"))
        .select_related("edition", "dimension")
        .order_by("edition", "number")
    )
    reviews = list(
        Review.objects.filter(window).prefetch_related("documents").order_by("date_date", "id")
    )
    terms = list(Chairmanship.objects.select_related("actor").order_by("start_date"))
    said = quotations()
    treaties = _treaties(reader, period)
    # The road maps are the documents with clusters: found from the clusters, where
    # programme.selectors.roadmaps joins every document to its clusters to find the few.
    maps = list(readable(reader).filter(pk__in=Cluster.objects.values("roadmap_id")).order_by("id"))

    # The documents: those of the period, and those its records name.
    # A transformation initiative is told with its history; any other, its steps in the period.
    initiative_events = [
        e
        for i in initiatives
        for e in i.events.all()
        if i.kind == Initiative.Kind.TRANSFORMATION or within(period, e.date)
    ]
    named = {e.document_id for e in initiative_events}
    named |= {e.document_id for e in partnership_events}
    named |= {t.treaty.document_id for t in treaties}
    named |= {d.pk for d in maps}
    named |= _cbm_candidates(editions)
    named.discard(None)
    founding = founding_meetings(bodies)
    documents = _documents(reader, period, summits=summits, founding=founding, also=named)

    # The meetings: those held in the period, and those its records name.
    moved_bodies = [b for b in bodies if any(within(period, e.date) for e in b.events.all())]
    meetings_named = _chair_meetings(period, terms)
    meetings_named |= {s.decided_at_id for s in statuses}
    meetings_named |= {e.meeting_id for e in initiative_events}
    meetings_named |= {e.meeting_id for e in partnership_events}
    meetings_named |= {a.added_at_id for a in areas}
    meetings_named |= {r.meeting_id for r in reviews}
    meetings_named |= {
        e.meeting_id for b in moved_bodies for e in b.events.all() if e.date.earliest <= at
    }
    meetings_named |= {
        e.meeting_id
        for d in documents.values()
        for e in d.events.all()
        if e.kind in ADOPTIONS or within(period, e.date)
    }
    meetings_named |= {q.meeting_id for q in said if within(period, q.date)}
    meetings_named.discard(None)
    meetings = {
        m.pk: m
        for m in Meeting.objects.filter(Q(pk__in=held) | Q(pk__in=meetings_named))
        .select_related("body", "chair")
        .prefetch_related(
            Prefetch(
                "schedule",
                queryset=MeetingSchedule.objects.select_related("country").order_by(
                    "start_date", "id"
                ),
            )
        )
        .order_by("id")
    }
    # Only the institutions with a step in the period are reported on: when none is, their
    # figures (counted over all their meetings) are not needed.
    institutions = {}
    if any(b.kind == Body.Kind.INSTITUTION for b in moved_bodies):
        institutions = {i.body_at.body.pk: i for i in institutions_at(at)}
    treaties = [t for t in treaties if t.treaty.document_id in documents]
    organization = Organization.objects.first()
    figures = _figures(period, organization, editions)
    return Gathered(
        period=period,
        audience=audience,
        today=timezone.localdate(),
        organization=organization,
        terms=terms,
        heads=list(SecretariatHead.objects.select_related("person").order_by("start_date")),
        meetings=meetings,
        bodies=bodies,
        institutions=institutions,
        documents=documents,
        statuses=statuses,
        ordinals=ordinals_for(ORDINAL_KINDS),
        nouns=ordinal_nouns(),
        membership=membership_by_year(at),
        priorities=list(Priorities.objects.order_by("start_date", "slug")),
        initiatives=initiatives,
        partnership_events=partnership_events,
        treaties=treaties,
        editions=editions,
        areas=areas,
        reviews=reviews,
        cbm_events=list(
            CbmEvent.objects.filter(window)
            .select_related("area", "organizer")
            .order_by("date_date", "id")
        ),
        roadmaps=[roadmap(d) for d in maps if d.pk in documents],
        quotations=said,
        steps=_steps(documents, initiatives),
        figures=figures,
    )
