"""Reads about the programme: the catalogue in force, roles, derived counts and progress."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from secretariat.bodies.models import Body, Meeting
from secretariat.bodies.selectors import meeting_title
from secretariat.checklists.models import NextStep
from secretariat.core.partial_dates import Certainty, PartialDate, holds_on, q_holds_on
from secretariat.core.prefetch import cited
from secretariat.documents.models import Document, DocumentEvent, DocumentRelation
from secretariat.documents.selectors import document_status, readable
from secretariat.figures.compare import Comparison, Computed, compare, known_by
from secretariat.figures.models import Measure
from secretariat.figures.selectors import figures_for

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


def today() -> dt.date:

    return timezone.localdate()


def _roles() -> QuerySet[CoordinatorRole]:
    return CoordinatorRole.objects.select_related(
        "actor", "decided_at", "decided_by"
    ).prefetch_related(cited())


# --- the catalogue ----------------------------------------------------------------

# The statuses (documents.lifecycle) in which a catalogue's text is in force.
IN_FORCE = {"adopted", "endorsed", "in_force"}
# Events that put a document in force and that end it, for the span shown to readers.
IN_FORCE_EVENTS = {
    DocumentEvent.Kind.ADOPTED,
    DocumentEvent.Kind.ENDORSED,
    DocumentEvent.Kind.ENTERED_INTO_FORCE,
}
ENDING_EVENTS = {DocumentEvent.Kind.SUPERSEDED, DocumentEvent.Kind.WITHDRAWN}


def _editions() -> QuerySet[CatalogueEdition]:
    """Every edition with what the lifecycle rule reads: its document's events (as
    `status_events`, the documents selectors' prefetch) and the documents it supersedes."""
    return (
        CatalogueEdition.objects.select_related("document")
        .annotate(areas_count=Count("areas"))
        .prefetch_related(
            Prefetch(
                "document__events",
                queryset=DocumentEvent.objects.select_related("meeting").order_by(
                    "date_date", "id"
                ),
                to_attr="status_events",
            ),
            Prefetch(
                "document__relations",
                queryset=DocumentRelation.objects.filter(kind=DocumentRelation.Kind.SUPERSEDES),
                to_attr="supersedes",
            ),
        )
    )


def _came_in_force(edition: CatalogueEdition, at: dt.date) -> dt.date:
    """The first day of the latest event by `at` that put the edition's text in force."""
    days = [
        e.date.earliest
        for e in edition.document.status_events
        if e.kind in IN_FORCE_EVENTS and e.date.latest <= at
    ]
    return max(days, default=dt.date.min)


def edition_in_force(at: dt.date | None = None) -> CatalogueEdition | None:
    """The edition of the Catalogue in force on `at` (default today), or None.

    The rule, in one place: an edition is in force on a day when its document's status
    that day (documents.selectors.document_status, derived from the document's events)
    is adopted, endorsed or in force, i.e. adopted and not yet superseded or withdrawn.
    When partial dates leave two editions in force on the same day (the old one's
    supersession dated only to the month of the new one's adoption), the one whose
    document supersedes the other's wins; failing that, the one in force latest.
    """
    at = at or today()
    live = [e for e in _editions() if document_status(e.document, at) in IN_FORCE]
    ids = {e.document_id for e in live}
    replaced = {
        r.to_document_id for e in live for r in e.document.supersedes if r.to_document_id in ids
    }
    live = [e for e in live if e.document_id not in replaced] or live
    return max(live, key=lambda e: (_came_in_force(e, at), e.pk), default=None)


@dataclass(frozen=True)
class EditionSpan:
    """An edition with the events that brought its text into force and ended it."""

    edition: CatalogueEdition
    start: DocumentEvent | None
    end: DocumentEvent | None

    @property
    def areas(self) -> int:
        """How many priority areas of the edition are on record."""
        return self.edition.areas_count

    @property
    def first_day(self) -> dt.date | None:
        """The first day it was certainly in force (for links to the catalogue as of then)."""
        return self.start.date.latest if self.start else None


def edition_spans() -> list[EditionSpan]:
    """Every edition, oldest first, with the events that started and ended its time in
    force (from the document's lifecycle, in two queries)."""
    spans = []
    for edition in _editions():
        events = edition.document.status_events
        start = next((e for e in events if e.kind in IN_FORCE_EVENTS), None)
        end = next((e for e in events if e.kind in ENDING_EVENTS), None)
        spans.append(EditionSpan(edition=edition, start=start, end=end))
    return sorted(
        spans,
        key=lambda s: (
            s.start is None,
            s.start.date.earliest if s.start else dt.date.max,
            s.edition.pk,
        ),
    )


def edition_span(edition: CatalogueEdition) -> EditionSpan | None:
    return next((s for s in edition_spans() if s.edition.pk == edition.pk), None)


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
        """The dimensions of the areas, in the order of their first area's number."""
        seen = {}
        for area in sorted(self.areas, key=lambda a: a.number):
            seen.setdefault(area.dimension_id, area.dimension)
        return list(seen.values())


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
    span: EditionSpan | None = None


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
        span=edition_span(area.edition),
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

    For pages that show the answers' document references (which carry the English title
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

    ids = [pk for pk in ids if pk]
    if not ids:
        return {}
    meetings = (
        Meeting.objects.filter(pk__in=ids).select_related("body").prefetch_related("schedule")
    )
    return {m.pk: {"title": meeting_title(m), "title_ru": m.title_ru or None} for m in meetings}


def body_names_ru(slugs) -> dict[str, str]:
    """The Russian names of these bodies (those that have one), in one query."""

    slugs = [s for s in slugs if s]
    if not slugs:
        return {}
    return dict(
        Body.objects.filter(slug__in=slugs).exclude(name_ru="").values_list("slug", "name_ru")
    )


# --- figures sources give of the catalogue --------------------------------------------


def areas_count(edition: CatalogueEdition, day: dt.date) -> Computed:
    """The edition's priority areas on record by `day`: those with no date of their own
    and those certainly added by then (`high`: with those added on a partial date that
    holds `day`)."""
    added = [
        PartialDate.from_parts(first, precision) if first else None
        for first, precision in edition.areas.values_list("added_on_date", "added_on_precision")
    ]
    certain = sum(1 for a in added if a is None or a.latest <= day)
    possible = sum(1 for a in added if a is not None and a.earliest <= day < a.latest)
    return Computed.of(certain, possible)


def edition_figures(edition: CatalogueEdition, at: dt.date) -> list[Comparison]:
    """The figures sources give of the edition (how many priority areas), known by `at`,
    each beside the areas on record on the last day of its own date."""
    figures = known_by(figures_for(edition), at)
    if not figures:
        return []
    return compare(figures, lambda day: {Measure.AREAS: areas_count(edition, day)})
