"""Plain-data views of documents, versions, lifecycles and circulations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from secretariat.accounts.policy import effective_access
from secretariat.core.models import AccessLevel
from secretariat.core.presenters import partial, sources, variants
from secretariat.registry.presenters import actor_ref, meeting_ref

from . import selectors
from .models import (
    Document,
    DocumentEvent,
    DocumentRelation,
    DocumentText,
    DocumentVersion,
    OfficialText,
    TextSearch,
)

# How a relation reads from the document it points at.
INVERSE = {
    DocumentRelation.Kind.AMENDS: "is amended by",
    DocumentRelation.Kind.SUPERSEDES: "is superseded by",
    DocumentRelation.Kind.IMPLEMENTS: "is implemented by",
    DocumentRelation.Kind.ANNEX_TO: "has as an annex",
    DocumentRelation.Kind.ANNIVERSARY_OF: "has its anniversary marked by",
    DocumentRelation.Kind.RESPONDS_TO: "is responded to by",
}


def body_ref(body) -> dict[str, Any] | None:
    if body is None:
        return None
    return {"slug": body.slug, "kind": body.kind, "name": body.name_en}


def document_ref(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "key": document.key,
        "symbol": document.symbol,
        "type": document.type,
        "title": document.title_en,
        "access": effective_access(document),
    }


def visible_ref(document: Document | None, visible: set[int]) -> dict[str, Any] | None:
    """The reference, if the reader may read the document (ids in `visible`); else None."""
    if document is None or document.pk not in visible:
        return None
    return document_ref(document)


def document_dict(document: Document, *, at: dt.date) -> dict[str, Any]:
    """A document in a list: what it is, where it belongs, its status on `at`."""
    first_day = getattr(document, "first_day", None)
    return {
        **document_ref(document),
        "type_label": document.get_type_display(),
        "title_ru": document.title_ru or None,
        "access_label": AccessLevel(effective_access(document)).label,
        "public_from": document.public_from,
        "body": body_ref(document.body),
        "meeting": meeting_ref(document.meeting),
        "year": first_day.year if first_day else None,
        "status": selectors.document_status(document, at),
        "sources": sources(document),
    }


def event_dict(event: DocumentEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "label": event.get_kind_display(),
        "date": partial(event.date),
        "version": event.version.number if event.version_id else None,
        "body": body_ref(event.body),
        "meeting": meeting_ref(event.meeting),
        "actor": actor_ref(event.actor) if event.actor_id else None,
        "deadline": event.deadline,
        "note": event.note or None,
        "sources": sources(event),
    }


def text_url(document: Document, text: DocumentText, number: int) -> str:
    return reverse(
        "api-1.0.0:document_text",
        kwargs={"key": document.key, "number": number, "language": text.language},
    )


def version_dict(document: Document, version: DocumentVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "date": partial(version.date),
        "note": version.note or None,
        "locked": version.locked,  # annotated by rules.with_locked
        "texts": [
            {
                "language": t.language,
                "media_type": t.media_type,
                "size": t.size,
                "sha256": t.sha256,
                "url": text_url(document, t, version.number),
            }
            for t in version.texts.all()
        ],
    }


def official_text_dict(text: OfficialText) -> dict[str, Any]:
    """Where the official text in a language is published, and where it was found."""
    return {
        "language": text.language,
        "url": text.url,
        "found_at": text.found_at or None,
        "found_on": text.found_on,
        "note": text.note or None,
        "sources": sources(text),
    }


def text_search_dict(search: TextSearch | None, *, officer: bool) -> dict[str, Any] | None:
    """That no published official text was found, and when; the places searched are shown
    to the Secretariat only (how the record was researched)."""
    if search is None:
        return None
    return {
        "found": False,
        "searched_on": search.searched_on,
        "places": list(search.places) if officer else None,
        "note": search.note or None,
        "sources": sources(search),
    }


def circulation_dict(item: selectors.Circulation) -> dict[str, Any]:
    event = item.event
    late = event.deadline
    return {
        "id": event.pk,
        "document": document_ref(event.document),
        "version": event.version.number if event.version_id else None,
        "date": partial(event.date),
        "deadline": event.deadline,
        "to_all_members": not event.recipients.all(),
        "open": item.open,
        "responded": [
            {
                **actor_ref(actor),
                "received_on": feedback.received_on,
                "late": bool(late and feedback.received_on > late),
            }
            for actor, feedback in item.responded
        ],
        "pending": [actor_ref(a) for a in item.pending],
        "overdue": [actor_ref(a) for a in item.overdue],
    }


def relation_dict(relation: DocumentRelation, *, inverse: bool) -> dict[str, Any]:
    """A relation as read from one end: "amends X", or from X, "is amended by"."""
    other = relation.from_document if inverse else relation.to_document
    return {
        "kind": relation.kind,
        "label": INVERSE[relation.kind] if inverse else relation.get_kind_display(),
        "document": document_ref(other),
        "inverse": inverse,
        "note": relation.note or None,
        "sources": sources(relation),
    }


def document_detail(document: Document, *, at: dt.date, officer: bool = False) -> dict[str, Any]:
    """A document with its lifecycle up to `at`, versions, official texts published
    elsewhere (or that none was found: where, for `officer`s), relations and circulations."""
    events = list(document.events.all())
    circulated = [e for e in events if e.kind == DocumentEvent.Kind.CIRCULATED]
    circulations = [selectors.circulation_at(e, at) for e in circulated if e.date.latest <= at]
    return {
        **document_dict(document, at=at),
        "at": at,
        "note": document.note or None,
        "events": [event_dict(e) for e in events if e.date.earliest <= at],
        "versions": [version_dict(document, v) for v in document.versions.all()],
        "official_texts": [official_text_dict(t) for t in document.official_texts.all()],
        "text_search": text_search_dict(selectors.text_search_of(document), officer=officer),
        "relations": [relation_dict(r, inverse=False) for r in document.relations.all()]
        + [relation_dict(r, inverse=True) for r in document.related_from.all()],
        "circulations": [circulation_dict(c) for c in circulations],
        "variants": variants(document),
    }


def outcome_dict(event: DocumentEvent) -> dict[str, Any]:
    return {**event_dict(event), "document": document_ref(event.document)}
