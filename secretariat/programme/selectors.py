"""Reads about the programme: the catalogue in force, roles, derived counts and progress."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from secretariat.checklists.models import NextStep
from secretariat.core.partial_dates import Certainty, holds_on, q_holds_on
from secretariat.core.prefetch import cited
from secretariat.documents.lifecycle import status_on
from secretariat.documents.models import Document, DocumentEvent

from .models import (
    CatalogueEdition,
    CbmEvent,
    Cluster,
    ClusterFocus,
    CoordinatorRole,
    PriorityArea,
    Quotation,
    Review,
    Task,
)

NOT_IN_FORCE = {None, "draft", "circulated", "agreed", "withdrawn"}


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _roles() -> QuerySet[CoordinatorRole]:
    return CoordinatorRole.objects.select_related(
        "actor", "decided_at", "decided_by"
    ).prefetch_related(cited())


# --- the catalogue ----------------------------------------------------------------


def adopted_on(events: list[DocumentEvent], at: dt.date) -> dt.date | None:
    """The last day of the first event by `at` that put the document in force, if any."""
    for event in sorted(events, key=lambda e: (e.date.earliest, e.pk)):
        if event.date.latest <= at and status_on([event]) not in NOT_IN_FORCE:
            return event.date.latest
    return None


def edition_in_force(at: dt.date | None = None) -> CatalogueEdition | None:
    """The latest edition whose document was certainly adopted by `at` (default today)."""
    at = at or today()
    editions = CatalogueEdition.objects.select_related("document").prefetch_related(
        Prefetch("document__events", queryset=DocumentEvent.objects.order_by("date_date", "id"))
    )
    best, best_day = None, None
    for edition in editions:
        events = list(edition.document.events.all())
        if status_on(events, at) in NOT_IN_FORCE:
            continue
        day = adopted_on(events, at)
        if day is not None and (best_day is None or day > best_day):
            best, best_day = edition, day
    return best


@dataclass
class Catalogue:
    """An edition as of a day: its dimensions, areas and the roles holding then."""

    edition: CatalogueEdition
    at: dt.date
    areas: list[PriorityArea]
    related: list
    current: dict[int, list[tuple[CoordinatorRole, Certainty]]] = field(default_factory=dict)

    @property
    def dimensions(self) -> list:
        seen = {}
        for area in self.areas:
            seen.setdefault(area.dimension_id, area.dimension)
        return sorted(seen.values(), key=lambda d: d.name_en)


def catalogue(edition: CatalogueEdition, at: dt.date | None = None) -> Catalogue:
    """The edition with its areas (added by `at`) and the coordinators possibly holding on `at`."""
    at = at or today()
    areas = list(
        edition.areas.filter(Q(added_on_date__isnull=True) | Q(added_on_date__lte=at))
        .select_related("dimension", "added_at", "added_by")
        .prefetch_related(
            cited(),
            Prefetch(
                "roles",
                queryset=_roles().filter(q_holds_on("start", "end", at)).order_by("role", "id"),
                to_attr="roles_then",
            ),
        )
    )
    related = list(edition.document_links.select_related("document").prefetch_related(cited()))
    current = {a.pk: [(r, holds_on(r.start, r.end, at)) for r in a.roles_then] for a in areas}
    return Catalogue(edition=edition, at=at, areas=areas, related=related, current=current)


# --- roles --------------------------------------------------------------------------


def roles_of(actor, at: dt.date | None = None) -> list[tuple[CoordinatorRole, Certainty]]:
    """A state's coordinator roles (those possibly holding on `at`, or all when None)."""
    qs = _roles().filter(actor=actor).select_related("area__edition__document", "area__dimension")
    if at is not None:
        qs = qs.filter(q_holds_on("start", "end", at))
    rows = qs.order_by("start_date", "area__number", "id")
    return [(r, holds_on(r.start, r.end, at) if at else Certainty.YES) for r in rows]


# --- events -------------------------------------------------------------------------


def event_counts(events: QuerySet[CbmEvent] | None = None) -> dict[tuple, int]:
    """Events counted per (area id, organizer id, year), in one query."""
    qs = CbmEvent.objects.all() if events is None else events
    rows = (
        qs.annotate(year=ExtractYear("date_date"))
        .values("area_id", "organizer_id", "year")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(r["area_id"], r["organizer_id"], r["year"]): r["n"] for r in rows}


def counts_by(counts: dict[tuple, int], position: int) -> dict:
    """Sum the counts by one part of the key: 0 area, 1 organizer, 2 year."""
    total: Counter = Counter()
    for key, n in counts.items():
        total[key[position]] += n
    return dict(sorted(total.items(), key=lambda kv: (kv[0] is None, kv[0])))


@dataclass
class AreaDetail:
    area: PriorityArea
    roles: list[CoordinatorRole]
    events: list[CbmEvent]
    by_year: dict[int, int]
    by_state: list[tuple]
    reviews: list[Review]


def area_get(pk: int) -> PriorityArea | None:
    return (
        PriorityArea.objects.select_related(
            "edition__document", "dimension", "added_at", "added_by"
        )
        .prefetch_related(cited())
        .filter(pk=pk)
        .first()
    )


def area_detail(area: PriorityArea) -> AreaDetail:
    """Coordinators over time, events, counts by year and state, and the reviews."""
    roles = list(_roles().filter(area=area).order_by("start_date", "role", "id"))
    events = list(area.events.select_related("organizer").prefetch_related(cited()))
    counts = event_counts(CbmEvent.objects.filter(area=area))
    organizers = {e.organizer_id: e.organizer for e in events}
    by_state = [(organizers.get(pk), n) for pk, n in counts_by(counts, 1).items()]
    return AreaDetail(
        area=area,
        roles=roles,
        events=events,
        by_year=counts_by(counts, 2),
        by_state=by_state,
        reviews=reviews_list(),
    )


def reviews_list() -> list[Review]:
    return list(Review.objects.select_related("meeting").prefetch_related("documents", cited()))


# --- the road map -------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Tasks done out of the tasks planned (dropped ones do not count)."""

    done: int
    total: int

    @property
    def label(self) -> str:
        return f"{self.done} of {self.total} tasks done"


def progress(tasks: list[Task]) -> Progress:
    planned = [t for t in tasks if t.status != Task.Status.DROPPED]
    return Progress(sum(1 for t in planned if t.status == Task.Status.DONE), len(planned))


@dataclass
class RoadMap:
    document: Document
    clusters: list[Cluster]
    steps: dict[int, list[NextStep]]

    @property
    def progress(self) -> Progress:
        return progress([t for c in self.clusters for t in c.tasks.all()])

    @property
    def focus_by_year(self) -> dict[int, list[ClusterFocus]]:
        years: dict[int, list[ClusterFocus]] = {}
        for cluster in self.clusters:
            for focus in cluster.focus.all():
                years.setdefault(focus.year, []).append(focus)
        return dict(sorted(years.items()))


def roadmaps(*, user) -> list[Document]:
    """The road-map documents (those with clusters) the user may read, oldest first."""
    from secretariat.documents.selectors import readable

    return list(readable(user).filter(roadmap_clusters__isnull=False).distinct().order_by("id"))


def roadmap(document: Document) -> RoadMap:
    """The road map's clusters with tasks, focus, documents and next steps, in fixed queries."""
    clusters = list(
        Cluster.objects.filter(roadmap=document).prefetch_related(
            cited(),
            "documents",
            Prefetch(
                "tasks",
                queryset=Task.objects.prefetch_related(
                    "lead_states", "contributing_states", cited()
                ),
            ),
            Prefetch("focus", queryset=ClusterFocus.objects.prefetch_related(cited())),
        )
    )
    ct = ContentType.objects.get_for_model(Cluster)
    steps: dict[int, list[NextStep]] = {c.pk: [] for c in clusters}
    for step in (
        NextStep.objects.filter(subject_type=ct, subject_id__in=steps)
        .select_related("responsible")
        .prefetch_related(cited())
        .order_by("subject_id", "position")
    ):
        steps[step.subject_id].append(step)
    return RoadMap(document=document, clusters=clusters, steps=steps)


# --- quotations ---------------------------------------------------------------------


def quotations(topic: str | None = None) -> list[Quotation]:
    qs = Quotation.objects.select_related("speaker_actor", "meeting").prefetch_related(cited())
    if topic:
        qs = qs.filter(topic=topic)
    return list(qs)


# --- for the pages ------------------------------------------------------------------


@dataclass(frozen=True)
class EventMatrix:
    """CBM events counted per area and year (those held by a day), in one query."""

    years: list[int]
    counts: dict[int, dict[int, int]]  # area id -> year -> count
    totals: dict[int, int]  # area id -> count over the years

    def row(self, area_id: int) -> list[int]:
        """The area's counts in the order of `years` (0 where none)."""
        by_year = self.counts.get(area_id, {})
        return [by_year.get(year, 0) for year in self.years]


def event_matrix(area_ids: list[int], at: dt.date | None = None) -> EventMatrix:
    """Events of these areas counted by area and year, only those begun by `at` (if given)."""
    qs = CbmEvent.objects.filter(area_id__in=area_ids)
    if at is not None:
        qs = qs.filter(date_date__lte=at)
    counts: dict[int, dict[int, int]] = {}
    totals: Counter = Counter()
    years: set[int] = set()
    for (area_id, _, year), n in event_counts(qs).items():
        row = counts.setdefault(area_id, {})
        row[year] = row.get(year, 0) + n
        totals[area_id] += n
        years.add(year)
    return EventMatrix(years=sorted(years), counts=counts, totals=dict(totals))


def document_titles_ru(ids) -> dict[int, str]:
    """The Russian titles of these documents (those that have one), in one query.

    For pages that show presenters' document references (which carry the English title
    only); the ids come from those references, already filtered by the reader's access.
    """
    ids = [pk for pk in ids if pk]
    if not ids:
        return {}
    return dict(
        Document.objects.filter(pk__in=ids).exclude(title_ru="").values_list("pk", "title_ru")
    )


def meeting_titles(ids) -> dict[int, dict[str, str | None]]:
    """{meeting id: {"title": English, "title_ru": Russian or None}}, in a fixed number of
    queries. The English title is composed when none is recorded (bodies.meeting_title);
    the Russian one is the recorded title only, so a page falls back to English visibly."""
    from secretariat.bodies.models import Meeting
    from secretariat.bodies.selectors import meeting_title

    ids = [pk for pk in ids if pk]
    if not ids:
        return {}
    meetings = (
        Meeting.objects.filter(pk__in=ids).select_related("body").prefetch_related("schedule")
    )
    return {m.pk: {"title": meeting_title(m), "title_ru": m.title_ru or None} for m in meetings}


def body_names_ru(slugs) -> dict[str, str]:
    """The Russian names of these bodies (those that have one), in one query."""
    from secretariat.bodies.models import Body

    slugs = [s for s in slugs if s]
    if not slugs:
        return {}
    return dict(
        Body.objects.filter(slug__in=slugs).exclude(name_ru="").values_list("slug", "name_ru")
    )
