"""The answers about documents, their lifecycles, versions, texts, relations and
circulations, declared once (core.answers): the API, the pages and the exports."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.urls import reverse
from ninja import Field

from secretariat.accounts.policy import effective_access
from secretariat.bodies.answers import BodyRef
from secretariat.core.answers import Answer, From
from secretariat.core.models import AccessLevel
from secretariat.core.schemas import PartialDateOut, SourceOut, VariantOut
from secretariat.registry.answers import ActorRef, MeetingRef

from . import selectors
from .models import Document, DocumentEvent, DocumentRelation, DocumentText, DocumentVersion

# How a relation reads from the document it points at.
INVERSE = {
    DocumentRelation.Kind.AMENDS: "is amended by",
    DocumentRelation.Kind.SUPERSEDES: "is superseded by",
    DocumentRelation.Kind.IMPLEMENTS: "is implemented by",
    DocumentRelation.Kind.ANNEX_TO: "has as an annex",
    DocumentRelation.Kind.ANNIVERSARY_OF: "has its anniversary marked by",
    DocumentRelation.Kind.RESPONDS_TO: "is responded to by",
}


def _version_number(record) -> int | None:
    return record.version.number if record.version_id else None


class DocumentRef(Answer):
    id: Annotated[int, From("pk")]
    key: str
    symbol: str
    type: str
    title: Annotated[str, From("title_en")]
    access: Annotated[str, From(effective_access)]


def _year(document: Document) -> int | None:
    first_day = getattr(document, "first_day", None)
    return first_day.year if first_day else None


# A document in a list; built with `at` in the context (its status on that day).
class DocumentOut(DocumentRef):
    type_label: Annotated[str, From(lambda document: document.get_type_display())]
    title_ru: str | None = None
    access_label: Annotated[
        str, From(lambda document: AccessLevel(effective_access(document)).label)
    ]
    public_from: dt.date | None = Field(
        None, description="Embargo: the day from which the document is public."
    )
    body: BodyRef | None = None
    meeting: MeetingRef | None = None
    year: Annotated[int | None, From(_year)] = Field(
        None, description="Year of the first event or version."
    )
    status: Annotated[
        str | None,
        From(lambda document, at, **_: selectors.document_status(document, at), context=True),
    ] = Field(None, description="Derived from the lifecycle as of `at`.")
    sources: list[SourceOut]


class DocumentEventOut(Answer):
    id: Annotated[int, From("pk")]
    kind: str
    label: Annotated[str, From(lambda event: event.get_kind_display())]
    date: PartialDateOut
    version: Annotated[int | None, From(_version_number)] = None
    body: BodyRef | None = None
    meeting: MeetingRef | None = None
    actor: ActorRef | None = None
    deadline: dt.date | None = None
    note: str | None = None
    sources: list[SourceOut]


def text_url(document: Document, text: DocumentText, number: int) -> str:
    return reverse(
        "api-1.0.0:document_text",
        kwargs={"key": document.key, "number": number, "language": text.language},
    )


# A version's file; built with `document` and `number` in the context (for its url).
class TextOut(Answer):
    language: str
    media_type: str
    size: int
    sha256: str
    url: Annotated[
        str,
        From(lambda text, document, number: text_url(document, text, number), context=True),
    ] = Field(description="Where to download the file.")


def _texts(version: DocumentVersion, document: Document) -> list[dict[str, Any]]:
    build = TextOut.builder(document=document, number=version.number)
    return [build(t) for t in version.texts.all()]


# A version; built with its `document` in the context.
class VersionOut(Answer):
    number: int
    date: PartialDateOut | None = None
    note: str | None = None
    # annotated by rules.with_locked
    locked: bool = Field(description="Circulated or decided on: it never changes again.")
    texts: Annotated[list[TextOut], From(_texts, context=True)]


class OfficialTextOut(Answer):
    language: str = Field(description="Language of the text (en, ru...).")
    url: str = Field(description="Where the official text is published (outside this system).")
    found_at: str | None = Field(None, description="The page where it was found.")
    found_on: dt.date | None = Field(None, description="The day it was seen there.")
    note: str | None = None
    sources: list[SourceOut]


# That no published official text was found, and when; built with `officer` in the context: the
# places searched are shown to the Secretariat only (how the record was researched).
class TextSearchOut(Answer):
    found: Annotated[bool, From(lambda search: False)] = Field(
        description="Always false: no published official text was found."
    )
    searched_on: dt.date = Field(description="The day of the search.")
    places: Annotated[
        list[str] | None,
        From(lambda search, officer, **_: list(search.places) if officer else None, context=True),
    ] = Field(None, description="The places searched (shown to the Secretariat; null for others).")
    note: str | None = None
    sources: list[SourceOut]


def _other(relation: DocumentRelation, inverse: bool) -> Document:
    return relation.from_document if inverse else relation.to_document


def _relation_label(relation: DocumentRelation, inverse: bool) -> str:
    return INVERSE[relation.kind] if inverse else relation.get_kind_display()


# A relation as read from one end: "amends X", or from X, "is amended by"; built with `inverse` in
# the context.
class RelationOut(Answer):
    kind: str
    label: Annotated[str, From(_relation_label, context=True)]
    document: Annotated[DocumentRef, From(_other, context=True)]
    inverse: Annotated[bool, From(lambda relation, inverse: inverse, context=True)] = Field(
        description="True when the other document relates to this one."
    )
    note: str | None = None
    sources: list[SourceOut]


class CirculationResponseOut(ActorRef):
    received_on: dt.date
    late: bool


def _responded(item: selectors.Circulation) -> list[dict[str, Any]]:
    late = item.event.deadline
    return [
        CirculationResponseOut.build(
            actor,
            received_on=feedback.received_on,
            late=bool(late and feedback.received_on > late),
        )
        for actor, feedback in item.responded
    ]


# A circulation as it stood on a day (built from a documents.selectors.Circulation).
class CirculationOut(Answer):
    id: Annotated[int, From("event.pk")]
    document: Annotated[DocumentRef, From("event.document")]
    version: Annotated[int | None, From(lambda item: _version_number(item.event))] = None
    date: Annotated[PartialDateOut, From("event.date")]
    deadline: Annotated[dt.date | None, From("event.deadline")] = None
    to_all_members: Annotated[bool, From(lambda item: not item.event.recipients.all())] = Field(
        description="Sent to every member state on the day."
    )
    open: bool = Field(description="Feedback still awaited: the deadline has not passed.")
    responded: Annotated[list[CirculationResponseOut], From(_responded)]
    pending: list[ActorRef]
    overdue: list[ActorRef]


def _events(document: Document, at: dt.date, **_) -> list[DocumentEvent]:
    return [e for e in document.events.all() if e.date.earliest <= at]


def _versions(document: Document, **_) -> list[dict[str, Any]]:
    build = VersionOut.builder(document=document)
    return [build(v) for v in document.versions.all()]


def _text_search(document: Document, officer: bool = False, **_) -> dict[str, Any] | None:
    search = selectors.text_search_of(document)
    if search is None:
        return None
    return TextSearchOut.build(search, context={"officer": officer})


def _relations(document: Document, **_) -> list[dict[str, Any]]:
    outgoing, incoming = RelationOut.builder(inverse=False), RelationOut.builder(inverse=True)
    return [outgoing(r) for r in document.relations.all()] + [
        incoming(r) for r in document.related_from.all()
    ]


def _circulations(document: Document, at: dt.date, **_) -> list[selectors.Circulation]:
    circulated = [e for e in document.events.all() if e.kind == DocumentEvent.Kind.CIRCULATED]
    return [selectors.circulation_at(e, at) for e in circulated if e.date.latest <= at]


# A document with its lifecycle up to `at`, versions, official texts published elsewhere (or that
# none was found: where, for `officer`s), relations and circulations; built with `at` and `officer`
# in the context.
class DocumentDetail(DocumentOut):
    at: Annotated[dt.date, From(lambda document, at, **_: at, context=True)]
    note: str | None = None
    events: Annotated[list[DocumentEventOut], From(_events, context=True)]
    versions: Annotated[list[VersionOut], From(_versions, context=True)]
    official_texts: list[OfficialTextOut] = Field(
        description="The official text published elsewhere, per language: links, not files."
    )
    text_search: Annotated[TextSearchOut | None, From(_text_search, context=True)] = Field(
        None, description="When no official text is published: that none was found, and when."
    )
    relations: Annotated[list[RelationOut], From(_relations, context=True)]
    circulations: Annotated[list[CirculationOut], From(_circulations, context=True)]
    variants: list[VariantOut]


class MeetingOutcomeOut(DocumentEventOut):
    document: DocumentRef


# A feedback just recorded; built with `circulation` (its id), `actor`, `received_on` and `late`
# given.
class FeedbackOut(Answer):
    id: Annotated[int, From("pk")]
    circulation: int
    actor: ActorRef
    received_on: dt.date
    late: bool
