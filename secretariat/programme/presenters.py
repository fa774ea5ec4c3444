"""Plain-data views of the programme, for the API and reports.

`visible`: ids of the documents the reader may read (documents.selectors.readable_ids);
a link to any other document is left out, as if it were not there.
"""

from __future__ import annotations

from typing import Any

from secretariat.checklists.presenters import checklist_dict
from secretariat.core.partial_dates import Certainty
from secretariat.core.presenters import partial, sources
from secretariat.documents.presenters import document_ref, visible_ref
from secretariat.registry.presenters import actor_ref

from . import selectors
from .models import CbmEvent, CoordinatorRole, PriorityArea, Quotation, Review


def meeting_key(meeting) -> dict[str, Any] | None:
    """A meeting as {key, id} (no query beyond the row itself)."""
    return {"key": meeting.key, "id": meeting.pk} if meeting else None


def role_dict(
    role: CoordinatorRole, visible: set[int], holds: Certainty | None = None
) -> dict[str, Any]:
    return {
        "id": role.pk,
        "actor": actor_ref(role.actor),
        "role": role.role,
        "start": partial(role.start),
        "start_attested": role.start_attested,
        "end": partial(role.end),
        "holds": holds.value if holds else None,
        "decided_at": meeting_key(role.decided_at),
        "decided_by": visible_ref(role.decided_by, visible),
        "note": role.note or None,
        "sources": sources(role),
    }


def area_ref(area: PriorityArea) -> dict[str, Any]:
    return {
        "id": area.pk,
        "number": area.number,
        "number_ours": area.number_ours,
        "title": area.title_en,
    }


def area_dict(area: PriorityArea, visible: set[int]) -> dict[str, Any]:
    return {
        **area_ref(area),
        "title_ru": area.title_ru or None,
        "dimension": area.dimension.slug,
        "added_on": partial(area.added_on),
        "added_at": meeting_key(area.added_at),
        "added_by": visible_ref(area.added_by, visible),
        "note": area.note or None,
        "sources": sources(area),
    }


def span_dict(span: selectors.EditionSpan | None) -> dict[str, Any]:
    """When an edition's text came into force and when it ended (None: not on record)."""

    def event(e):
        if e is None:
            return None
        return {"kind": e.kind, "date": partial(e.date), "meeting": meeting_key(e.meeting)}

    return {
        "in_force_from": event(span.start) if span else None,
        "in_force_until": event(span.end) if span else None,
    }


def edition_dict(
    edition, visible: set[int], span: selectors.EditionSpan | None = None
) -> dict[str, Any]:
    return {
        "id": edition.pk,
        "document": visible_ref(edition.document, visible),
        "note": edition.note or None,
        **span_dict(span),
    }


def editions_list(spans: list[selectors.EditionSpan], visible: set[int]) -> list[dict[str, Any]]:
    return [
        {**edition_dict(s.edition, visible, s), "first_day": s.first_day, "areas": s.areas}
        for s in spans
    ]


def catalogue_dict(
    view: selectors.Catalogue, visible: set[int], span: selectors.EditionSpan | None = None
) -> dict[str, Any]:
    return {
        "at": view.at,
        "edition": edition_dict(view.edition, visible, span),
        "dimensions": [
            {
                "slug": d.slug,
                "name": d.name_en,
                "name_ru": d.name_ru or None,
                "areas": [
                    {
                        **area_dict(a, visible),
                        "coordinators": [role_dict(r, visible, h) for r, h in view.current[a.pk]],
                    }
                    for a in view.areas
                    if a.dimension_id == d.pk
                ],
            }
            for d in view.dimensions
        ],
        "related_documents": [
            {"document": document_ref(link.document), "sources": sources(link)}
            for link in view.related
            if link.document_id in visible
        ],
    }


def event_dict(event: CbmEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "title": event.title_en,
        "title_ru": event.title_ru or None,
        "organizer": actor_ref(event.organizer) if event.organizer else None,
        "date": partial(event.date),
        "place": event.place_en or None,
        "sources": sources(event),
    }


def review_dict(review: Review, visible: set[int]) -> dict[str, Any]:
    return {
        "id": review.pk,
        "date": partial(review.date),
        "meeting": meeting_key(review.meeting),
        "documents": [document_ref(d) for d in review.documents.all() if d.pk in visible],
        "note": review.note or None,
        "sources": sources(review),
    }


def area_detail_dict(detail: selectors.AreaDetail, visible: set[int]) -> dict[str, Any]:
    area = detail.area
    return {
        **area_dict(area, visible),
        "edition": edition_dict(area.edition, visible, detail.span),
        "coordinators": [role_dict(r, visible) for r in detail.roles],
        "events": [event_dict(e) for e in detail.events],
        "events_by_year": [{"year": y, "count": n} for y, n in detail.by_year.items()],
        "events_by_state": [
            {"state": actor_ref(a) if a else None, "count": n} for a, n in detail.by_state
        ],
        "reviews": [review_dict(r, visible) for r in detail.reviews],
    }


def state_role_dict(role: CoordinatorRole, holds: Certainty, visible: set[int]) -> dict[str, Any]:
    return {
        **role_dict(role, visible, holds),
        "area": area_ref(role.area),
        "edition": visible_ref(role.area.edition.document, visible),
    }


def roadmap_dict(view: selectors.RoadMap, visible: set[int]) -> dict[str, Any]:
    done = view.progress
    clusters = []
    for c in view.clusters:
        tasks = list(c.tasks.all())
        p = selectors.progress(tasks)
        clusters.append(
            {
                "id": c.pk,
                "number": c.number,
                "title": c.title_en,
                "title_ru": c.title_ru or None,
                "tasks": [
                    {
                        "position": t.position,
                        "title": t.title_en,
                        "title_ru": t.title_ru or None,
                        "status": t.status,
                        "lead_states": [actor_ref(a) for a in t.lead_states.all()],
                        "contributing_states": [actor_ref(a) for a in t.contributing_states.all()],
                        "note": t.note or None,
                        "sources": sources(t),
                    }
                    for t in tasks
                ],
                "done": p.done,
                "total": p.total,
                "progress": p.label,
                "focus": [{"year": f.year, "note": f.note or None} for f in c.focus.all()],
                "documents": [document_ref(d) for d in c.documents.all() if d.pk in visible],
                "next_steps": checklist_dict(view.steps[c.pk]),
                "sources": sources(c),
            }
        )
    return {
        "document": document_ref(view.document),
        "clusters": clusters,
        "done": done.done,
        "total": done.total,
        "progress": done.label,
        "focus_by_year": [
            {
                "year": year,
                "clusters": [
                    {
                        "number": f.cluster.number,
                        "title": f.cluster.title_en,
                        "note": f.note or None,
                        "sources": sources(f),
                    }
                    for f in items
                ],
            }
            for year, items in view.focus_by_year.items()
        ],
    }


def quotation_dict(q: Quotation) -> dict[str, Any]:
    return {
        "id": q.pk,
        "topic": q.topic,
        "text": q.text_en,
        "text_ru": q.text_ru or None,
        "speaker": q.speaker_en,
        "speaker_ru": q.speaker_ru or None,
        "speaker_actor": actor_ref(q.speaker_actor) if q.speaker_actor else None,
        "meeting": meeting_key(q.meeting),
        "date": partial(q.date),
        "sources": sources(q),
    }
