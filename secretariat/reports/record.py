"""The part of the record a report reads, fetched once through the apps' selectors, so that a
report costs the same fixed number of queries whatever the length of its period.

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
from secretariat.initiatives.models import (
    Expectation,
    Initiative,
    InitiativeEvent,
    PartnershipEvent,
    Priorities,
)
from secretariat.initiatives.selectors import InstitutionAt, institutions_at
from secretariat.programme.models import CatalogueEdition, CbmEvent, PriorityArea, Review
from secretariat.programme.selectors import RoadMap, quotations, roadmap, roadmaps
from secretariat.registry.models import Chairmanship, SecretariatHead, Status
from secretariat.registry.selectors import (
    ORDINAL_KINDS,
    Ordinal,
    YearCount,
    membership_by_year,
    ordinal_nouns,
    ordinals_for,
)
from secretariat.treaties.selectors import TreatyStatus, treaties_list

from .model import Audience, Period


@dataclass
class Record:
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
    shown: set[tuple[str, int]] = field(default_factory=set)  # records said in a section

    # --- the period ---

    def within(self, date: PartialDate | None) -> bool:
        """A dated event falls in the period when its date's window begins in it: "2024"
        counts in a period holding 1 January 2024, so consecutive periods share nothing
        but the handover day."""
        return date is not None and self.period.start <= date.earliest <= self.period.end

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


def _documents(user) -> dict[int, Document]:
    events = DocumentEvent.objects.select_related("body", "actor").order_by("date_date", "id")
    relations = DocumentRelation.objects.filter(documents_q(user, "to_document__"))
    docs = (
        readable(user)
        .select_related("body")
        .prefetch_related(Prefetch("events", queryset=events), Prefetch("relations", relations))
        .order_by("id")
    )
    return {d.pk: d for d in docs if effective_access(d) != AccessLevel.CONFIDENTIAL}


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


def load(*, period: Period, audience: Audience, user) -> Record:
    """Everything a report of `period` reads, as `audience` may read it."""
    reader = user if audience == Audience.INTERNAL else None
    at = period.end
    documents = _documents(reader)
    meetings = {
        m.pk: m
        for m in Meeting.objects.select_related("body", "chair").prefetch_related(
            Prefetch(
                "schedule",
                queryset=MeetingSchedule.objects.select_related("country").order_by(
                    "start_date", "id"
                ),
            )
        )
    }
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
    initiatives = list(
        Initiative.objects.prefetch_related(
            Prefetch("events", queryset=InitiativeEvent.objects.order_by("date_date", "id")),
            "priorities",
            "documents",
            expectations,
        ).order_by("slug")
    )
    statuses = list(Status.objects.select_related("actor").order_by("start_date", "id"))
    treaties = [t for t in treaties_list(user=reader, at=at) if t.treaty.document_id in documents]
    maps = [roadmap(d) for d in roadmaps(user=reader) if d.pk in documents]
    window = Q(date_date__gte=period.start, date_date__lte=period.end)
    return Record(
        period=period,
        audience=audience,
        today=timezone.localdate(),
        organization=Organization.objects.first(),
        terms=list(Chairmanship.objects.select_related("actor").order_by("start_date")),
        heads=list(SecretariatHead.objects.select_related("person").order_by("start_date")),
        meetings=meetings,
        bodies=bodies,
        institutions={i.body_at.body.pk: i for i in institutions_at(at)},
        documents=documents,
        statuses=statuses,
        ordinals=ordinals_for(ORDINAL_KINDS),
        nouns=ordinal_nouns(),
        membership=membership_by_year(at),
        priorities=list(Priorities.objects.order_by("start_date", "slug")),
        initiatives=initiatives,
        partnership_events=list(
            PartnershipEvent.objects.select_related("partnership__actor", "body").order_by(
                "date_date", "id"
            )
        ),
        treaties=treaties,
        editions=list(CatalogueEdition.objects.prefetch_related("document_links").order_by("id")),
        areas=list(
            PriorityArea.objects.select_related("edition", "dimension").order_by(
                "edition", "number"
            )
        ),
        reviews=list(Review.objects.prefetch_related("documents").order_by("date_date", "id")),
        cbm_events=list(
            CbmEvent.objects.filter(window)
            .select_related("area", "organizer")
            .order_by("date_date", "id")
        ),
        roadmaps=maps,
        quotations=quotations(),
        steps=_steps(documents, initiatives),
    )
