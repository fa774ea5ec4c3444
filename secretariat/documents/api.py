"""Read API for documents, their texts, meeting outcomes and circulations.

A document the user may not read answers 404 exactly like a missing one, so that
its existence does not leak.
"""

import datetime as dt
from enum import StrEnum

from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import http_date
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Answer
from pydantic import ConfigDict

from secretariat.accounts import policy
from secretariat.accounts.auth import signed_in
from secretariat.bodies.models import Body, Meeting
from secretariat.bodies.selectors import meeting_get
from secretariat.core.acting import because
from secretariat.core.api_http import if_match_version, version_etag
from secretariat.core.api_pagination import Paged, Presented, order_by, ordering, sort
from secretariat.core.models import AccessLevel
from secretariat.core.schemas import AtQuery, Key, Problem
from secretariat.records.write import require_if_match
from secretariat.registry.models import Actor
from secretariat.registry.selectors import speaking_for, today

from . import selectors, services, transitions
from .answers import (
    CirculationOut,
    DocumentDetail,
    DocumentOut,
    FeedbackOut,
    MeetingOutcomeOut,
)
from .models import Document

router = Router(tags=["documents"])

DocumentType = StrEnum("DocumentType", {t: t for t in Document.Type.values})
Status = StrEnum("DocumentStatus", {s: s for s in transitions.STATUSES})
Access = StrEnum("Access", {a: a for a in AccessLevel.values})
DocumentOrdering = ordering("DocumentOrdering", "symbol", "key", "first_day")
CirculationOrdering = ordering("CirculationOrdering", "date", "deadline")
# The largest number a database integer column holds: a larger one names nothing.
MAX_NUMBER = 2**31 - 1
KEY = Path(..., description="The document's key (or its id).")


class DocumentsQuery(AtQuery):
    type: DocumentType | None = Field(None, description="Only documents of this type.")
    status: Status | None = Field(None, description="Status on `at` (default today).")
    body: Key | None = Field(None, description="A body's slug.")
    meeting: Key | None = Field(None, description="A meeting's key.")
    year: int | None = Field(None, ge=1, le=9999, description="Year of the first date.")
    ordering: DocumentOrdering | None = Field(
        None, description="By symbol (default), key or first date (first_day); '-' reverses."
    )


class CirculationsQuery(AtQuery):
    state: Key | None = Field(
        None, description="An actor's slug: circulations addressed to it that lack its feedback."
    )
    overdue: bool | None = Field(
        None, description="true: deadline passed with answers missing; false: still open."
    )
    ordering: CirculationOrdering | None = Field(
        None, description="By date (default: latest first, -date) or deadline."
    )


@router.get(
    "/documents",
    response={200: list[DocumentOut], 404: Problem, 422: Problem},
    summary="Documents, by symbol",
    description="Filter by `type`, `status` (derived from the lifecycle as of `at`, default "
    "today), `body` (slug), `meeting` (key) and `year` (of the first event or version). "
    "Only documents the caller may read are listed or counted.",
)
@paginate(Paged)
def documents(request, query: Query[DocumentsQuery]):
    body = meeting = None
    if query.body:
        body = Body.objects.filter(slug=query.body).first()
        if body is None:
            raise Http404(f"No body with slug '{query.body}'.")
    if query.meeting:
        meeting = Meeting.objects.filter(key=query.meeting).first()
        if meeting is None:
            raise Http404(f"No meeting '{query.meeting}'.")
    at = query.at or today()
    qs = selectors.documents_list(
        user=request.user,
        at=at,
        type=query.type.value if query.type else None,
        status=query.status.value if query.status else None,
        body=body,
        meeting=meeting,
        year=query.year,
    )
    qs = order_by(
        qs, query.ordering, {"symbol": ["symbol"], "key": ["key"], "first_day": ["first_day"]}
    )
    return Presented(qs, DocumentOut.builder(at=at))


@router.get(
    "/documents/{key}",
    response={200: DocumentDetail, 404: Problem, 422: Problem},
    url_name="document_detail",
    summary="One document: lifecycle, versions, texts, relations, circulations",
    description="`key` is the document's key or id. `status` and `events` are as of `at` "
    "(default today); relations go both ways. `official_texts` link to the official text "
    "published elsewhere, per language; without one, `text_search` says none was found.",
)
def document_detail(request, query: Query[AtQuery], response: HttpResponse, key: str = KEY):
    document = selectors.document_get(key, user=request.user)
    if document is None:
        raise Http404(f"No document '{key}'.")
    officer = policy.is_secretariat(request.user)
    data = DocumentDetail.build(document, context={"at": query.at or today(), "officer": officer})
    # The version, for If-Match; and a digest of this very answer, for If-None-Match.
    response["ETag"] = version_etag(document.version, data)
    return data


class DocumentPatch(Schema):
    """The fields to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    title_en: str | None = None
    title_ru: str | None = None
    type: DocumentType | None = None
    access: Access | None = None
    public_from: dt.date | None = Field(
        None, description="From this day the document is public whatever its level; null: never."
    )
    note: str | None = None
    reason: str | None = Field(None, description="Why: kept in the record's history.")


@router.patch(
    "/documents/{key}",
    auth=signed_in,
    response={
        200: DocumentDetail, 401: Problem, 403: Problem, 404: Problem, 409: Problem,
        412: Problem, 422: Problem, 428: Problem,
    },
    summary="Change a document's titles, type, access level, embargo or note",
    description="Send `If-Match` with the ETag from `GET /documents/{key}`: if the document "
    "changed since, the answer is 412 with what changed (and the current ETag), nothing "
    "saved; a change landing meanwhile, 409; without If-Match, 428. Officers edit "
    "documents; the answer carries the new ETag.",
)  # fmt: skip
def document_patch(request, payload: DocumentPatch, response: HttpResponse, key: str = KEY):
    document = selectors.document_get(key, user=request.user)
    if document is None:
        raise Http404(f"No document '{key}'.")
    expected = if_match_version(request, what="document")
    policy.require_write(document)  # before the 412, whose detail tells the record's history
    officer = policy.is_secretariat(request.user)
    current = DocumentDetail.build(document, context={"at": today(), "officer": officer})
    require_if_match(
        document, expected, what="document", current=version_etag(document.version, current)
    )
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason", None) or ""
    for name in ("type", "access"):
        if changes.get(name) is not None:
            changes[name] = str(changes[name])
    # The answer is read in the write's own transaction, the row still held: read after
    # the commit, it could already show (and tag) a later writer's change.
    with because(reason), transaction.atomic():
        services.document_update(document=document, expected_version=expected, **changes)
        data = DocumentDetail.build(document, context={"at": today(), "officer": officer})
    response["ETag"] = version_etag(document.version, data)
    return data


@router.get(
    "/documents/{key}/versions/{number}/texts/{language}",
    response={200: None, 404: Problem, 422: Problem},
    url_name="document_text",
    summary="Download a version's text in a language",
    description="The file as received. Answers 404 when the document is not readable. "
    "Its ETag is the file's SHA-256.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment.",
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def document_text(
    request,
    key: str = KEY,
    number: int = Path(..., ge=1, le=MAX_NUMBER, description="The version's number."),
    language: str = Path(..., max_length=10, description="The text's language: en, ru..."),
):
    text = selectors.text_get(user=request.user, key_or_id=key, number=number, language=language)
    if text is None or not text.file.storage.exists(text.file.name):
        raise Http404(f"No text '{language}' of version {number} of document '{key}'.")
    document = text.version.document
    response = FileResponse(
        text.file.open("rb"),
        as_attachment=True,
        filename=f"{document.key}-v{number}-{language}.{text.file.name.rsplit('.', 1)[-1]}",
        content_type=text.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # The file's own digest: the same bytes, the same tag, whoever may read them.
    response["ETag"] = f'"{text.sha256}"'
    response["Last-Modified"] = http_date(text.updated_at.timestamp())
    return response


@router.get(
    "/meetings/{key}/outcomes",
    response={200: list[MeetingOutcomeOut], 404: Problem},
    summary="What a meeting adopted, endorsed, signed or took note of",
    description="The lifecycle events recorded at the meeting, of the documents you may "
    "read: the same records as the documents' lifecycles, by kind then symbol.",
)
@paginate(Paged)
def meeting_outcomes(request, key: str = Path(..., description="The meeting's key (or its id).")):
    meeting = meeting_get(key)
    if meeting is None:
        raise Http404(f"No meeting '{key}'.")
    events = selectors.meeting_outcomes(meeting, user=request.user)
    return Presented(events, MeetingOutcomeOut.build)


@router.get(
    "/circulations",
    response={200: list[CirculationOut], 404: Problem, 422: Problem},
    summary="Circulations for feedback: who has answered, who has not",
    description="Circulations made by `at` (default today), latest first. `state` keeps "
    "those addressed to the state still lacking its feedback (with `overdue=false`: what "
    "awaits it); `overdue=true` keeps those whose deadline passed with answers missing.",
)
@paginate(Paged)
def circulations(request, query: Query[CirculationsQuery]):
    actor = None
    if query.state:
        actor = Actor.objects.filter(slug=query.state).first()
        if actor is None:
            raise Http404(f"No actor with slug '{query.state}'.")
    items = selectors.circulations(
        user=request.user, at=query.at or today(), actor=actor, overdue=query.overdue
    )
    items = sort(
        items,
        query.ordering,
        {
            "date": lambda c: (c.event.date.earliest, c.event.pk),
            # Circulations without a deadline come last (first, reversed).
            "deadline": lambda c: (
                c.event.deadline is None,
                c.event.deadline or c.event.date.earliest,
                c.event.pk,
            ),
        },
    )
    return Presented(items, CirculationOut.build)


class FeedbackIn(Schema):
    text: str = Field(..., min_length=1, max_length=50000, description="The state's feedback.")
    actor: str | None = Field(
        None,
        description="The state's slug: a delegate answers for its own state and may leave "
        "this out; officers entering feedback received otherwise name the state.",
    )
    received_on: dt.date | None = Field(
        None,
        description="Officers: when it was received (default today); a delegate's "
        "feedback is received the day it is sent.",
    )


@router.post(
    "/circulations/{circulation_id}/feedback",
    auth=signed_in,
    response={201: FeedbackOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
    summary="Send a state's feedback on a circulated draft",
    description="Feedback is never replaced: a second answer is a second record. Delegates "
    "answer for their own state (if it was among the recipients); officers record feedback "
    "received by other means. The answer carries the new record's ETag.",
)
def feedback_create(
    request,
    payload: FeedbackIn,
    response: HttpResponse,
    circulation_id: int = Path(..., description="The circulation's id (its event's)."),
):
    circulation = selectors.circulation_get(circulation_id, user=request.user)
    if circulation is None:
        raise Http404(f"No circulation {circulation_id}.")
    actor = speaking_for(
        request.user, payload.actor, missing="Name the state whose feedback this is."
    )
    received_on = today()
    if payload.received_on is not None and policy.is_secretariat(request.user):
        received_on = payload.received_on
    # The policy refuses another state's feedback (403), the rules a stranger's (422).
    feedback = services.feedback_add(
        circulation=circulation,
        actor=actor,
        received_on=received_on,
        text=payload.text,
        entered_by=request.user,
    )
    late = circulation.deadline is not None and received_on > circulation.deadline
    response["ETag"] = version_etag(feedback.version)
    return Answer(
        201,
        FeedbackOut.build(
            feedback, circulation=circulation.pk, actor=actor, received_on=received_on, late=late
        ),
    )
