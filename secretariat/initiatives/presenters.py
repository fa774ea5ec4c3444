"""Plain-data views of initiatives, institutions and relations, for the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from secretariat.bodies.presenters import body_dict, body_ref
from secretariat.checklists.presenters import checklist_dict
from secretariat.core.presenters import partial, sources
from secretariat.documents.presenters import document_ref
from secretariat.figures.answers import ReportedFigureOut
from secretariat.registry.presenters import actor_ref, meeting_ref, status_dict

from . import selectors
from .models import Initiative


def _ordinal(ordinal) -> dict[str, Any] | None:
    if ordinal is None:
        return None
    return {
        "number": ordinal.number,
        "upto": ordinal.upto,
        "exact": ordinal.exact,
        "label": ordinal.label,
    }


def proposer(initiative: Initiative) -> dict[str, Any] | None:
    if initiative.proposer_actor:
        return {
            "kind": "actor",
            "name": initiative.proposer_actor.name_en,
            "actor": actor_ref(initiative.proposer_actor),
        }
    if initiative.proposer_chairmanship:
        term = initiative.proposer_chairmanship
        return {
            "kind": "chairmanship",
            "name": f"Chairmanship of {term.actor.name_en}",
            "actor": actor_ref(term.actor),
            "start": partial(term.start),
        }
    if initiative.proposer_body:
        return {
            "kind": "body",
            "name": initiative.proposer_body.name_en,
            "body": body_ref(initiative.proposer_body),
        }
    return None


def event_dict(event, readable_ids: set[int]) -> dict[str, Any]:
    """A dated event; a document the reader may not read is left out."""
    shown = event.document if event.document_id in readable_ids else None
    data = {
        "kind": event.kind,
        "date": partial(event.date),
        "meeting": meeting_ref(event.meeting),
        "document": document_ref(shown) if shown else None,
        "note": event.note or None,
        "sources": sources(event),
    }
    if hasattr(event, "body_id"):
        data["body"] = body_ref(event.body) if event.body else None
    return data


def initiative_dict(item: selectors.InitiativeAt) -> dict[str, Any]:
    i = item.initiative
    return {
        "slug": i.slug,
        "kind": i.kind,
        "title": i.title_en,
        "title_ru": i.title_ru or None,
        "status": item.status,
        "possible_status": selectors.possible_status_at(i, item.at) if item.at else None,
        "proposer": proposer(i),
        "launched_at": meeting_ref(i.launched_at),
        "priorities": [{"slug": p.slug, "title": p.title_en} for p in i.priorities.all()],
        "note": i.note or None,
        "sources": sources(i),
    }


def initiative_detail(initiative: Initiative, *, at: dt.date, readable_ids: set[int]) -> dict:
    data = initiative_dict(
        selectors.InitiativeAt(initiative, selectors.status_at(initiative, at), at)
    )
    events = sorted(initiative.events.all(), key=lambda e: (e.date.earliest, e.pk))
    data["events"] = [event_dict(e, readable_ids) for e in events if e.date.earliest <= at]
    data["meetings"] = [meeting_ref(m) for m in initiative.meetings.all()]
    data["documents"] = [
        document_ref(d) for d in initiative.documents.all() if d.pk in readable_ids
    ]
    data["next_steps"] = checklist_dict(selectors.next_steps(initiative))
    data["expectations"] = [
        {
            "position": e.expectation.position,
            "text": e.expectation.text_en,
            "text_ru": e.expectation.text_ru or None,
            "from": "all_member_states" if e.expectation.from_all else "listed",
            "addressees": [actor_ref(a) for a in e.expectation.addressees.all()],
            "due": partial(e.expectation.due),
            "responses": [
                {
                    "actor": actor_ref(r.actor),
                    "date": partial(r.date),
                    "text": r.text_en or None,
                    "sources": sources(r),
                }
                for r in e.responses
            ],
            "not_responded": [actor_ref(a) for a in e.not_responded],
            "sources": sources(e.expectation),
        }
        for e in selectors.expectations_at(initiative, at)
    ]
    return data


def institution_dict(item: selectors.InstitutionAt) -> dict[str, Any]:
    data = body_dict(item.body_at)
    data["meetings_held"] = item.meetings_held
    data["reported_meetings_held"] = (
        {
            "value": item.reported.value,
            "as_of": partial(item.reported.as_of),
            "note": item.reported.note or None,
            "sources": sources(item.reported),
        }
        if item.reported
        else None
    )
    data["reported"] = [ReportedFigureOut.build(c) for c in item.figures]
    data["projects"] = [
        {
            "title": p.title_en,
            "title_ru": p.title_ru or None,
            "status": p.status,
            "proposer": actor_ref(p.proposer) if p.proposer else None,
            "start": partial(p.start),
            "end": partial(p.end),
            "sources": sources(p),
        }
        for p in item.projects
    ]
    data["contributions"] = [
        {
            "actor": actor_ref(c.actor),
            "date": partial(c.date),
            "amount": str(c.amount) if c.amount is not None else None,
            "currency": c.currency or None,
            "in_kind": c.in_kind_en or None,
            "sources": sources(c),
        }
        for c in item.contributions
    ]
    return data


def relations_dict(relations: selectors.Relations, readable_ids: set[int]) -> dict[str, Any]:
    return {
        "at": relations.at,
        "partnerships": [
            {
                "actor": actor_ref(p.partnership.actor),
                "stage": p.stage,
                "possible_stage": p.possible_stage,
                "ordinal": _ordinal(p.ordinal),
                "events": [event_dict(e, readable_ids) for e in p.events],
                "note": p.partnership.note or None,
                "sources": sources(p.partnership),
            }
            for p in relations.partnerships
        ],
        "applicants": [status_dict(s, with_actor=True) for s in relations.applicants],
    }
