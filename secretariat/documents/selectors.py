"""Reads about documents, their texts, meeting outcomes and circulations, as of any date.

Every read filters with `accounts.policy.documents_q`: a document the user may not
read is absent, in lists, counts, relations, outcomes and downloads alike.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet

from secretariat.accounts.policy import documents_q
from secretariat.bodies.models import Body, Meeting
from secretariat.core.partial_dates import Certainty, holds_on, q_latest_lte
from secretariat.core.prefetch import cited
from secretariat.registry.selectors import members_ever

from . import rules, transitions
from .models import (
    Document,
    DocumentEvent,
    DocumentRelation,
    DocumentText,
    DocumentVersion,
    OfficialText,
    TextSearch,
)

K = DocumentEvent.Kind


def readable(user) -> QuerySet[Document]:
    """The documents `user` may read (None: the public)."""
    return Document.objects.filter(documents_q(user))


def readable_ids(user) -> set[int]:
    """Ids of the documents `user` may read, for answers that link to documents."""
    return set(readable(user).values_list("pk", flat=True))


def document_status(document: Document, at: dt.date | None = None) -> str | None:
    """The status on `at`, derived from the events (prefetched into `status_events` when
    listing: a plain list is far cheaper per document than the manager's cache)."""
    events = getattr(document, "status_events", None)
    return transitions.status_on(document.events.all() if events is None else events, at)


def documents_list(
    *,
    user,
    at: dt.date,
    type: str | None = None,
    status: str | None = None,
    body=None,
    meeting=None,
    year: int | None = None,
) -> QuerySet[Document]:
    """Readable documents by symbol, filtered; `status` is the one derived as of `at`."""
    events = Prefetch(
        "events", queryset=DocumentEvent.objects.only(*_STATUS_FIELDS), to_attr="status_events"
    )
    qs = (
        readable(user)
        .select_related("body", "meeting__body")
        .prefetch_related(events, "meeting__schedule", cited())
        .annotate(first_day=F("dates__first_day"))
    )
    if type:
        qs = qs.filter(type=type)
    if body is not None:
        qs = qs.filter(body=body)
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    if year is not None:
        qs = qs.filter(first_day__gte=dt.date(year, 1, 1), first_day__lte=dt.date(year, 12, 31))
    if status:
        qs = qs.filter(pk__in=_with_status(qs, status, at))
    return qs.order_by("symbol")


_STATUS_FIELDS = ("id", "document_id", "kind", "date_date", "date_precision")


def _with_status(qs: QuerySet[Document], status: str, at: dt.date) -> list[int]:
    """Ids of the documents in `qs` whose derived status on `at` is `status` (one query)."""
    by_document: dict[int, list[DocumentEvent]] = defaultdict(list)
    rows = DocumentEvent.objects.filter(document__in=qs.values("pk")).only(*_STATUS_FIELDS)
    for event in rows:
        by_document[event.document_id].append(event)
    return [pk for pk, evts in by_document.items() if transitions.status_on(evts, at) == status]


def _events_qs() -> QuerySet[DocumentEvent]:
    return (
        DocumentEvent.objects.select_related("body", "meeting__body", "actor", "version")
        .prefetch_related(cited(), "meeting__schedule", "recipients")
        .order_by("date_date", "id")
    )


def _is_id(text: str) -> bool:
    """Whether the text can be a row's id: decimal digits ("²" is a digit, not a number) and
    no larger than a database integer holds (a larger one names nothing)."""
    return text.isdecimal() and 0 < int(text) <= 2**63 - 1


def document_get(key_or_id: str, *, user) -> Document | None:
    """A readable document by key or id, with everything its page shows; None otherwise."""
    lookup = Q(key=key_or_id)
    if _is_id(key_or_id):
        lookup |= Q(pk=int(key_or_id))
    return (
        readable(user)
        .filter(lookup)
        .select_related("body", "meeting__body", "text_search")
        .prefetch_related(
            "meeting__schedule",
            cited(),
            "variants__sources",
            Prefetch("official_texts", queryset=OfficialText.objects.prefetch_related(cited())),
            cited("text_search__"),
            Prefetch("events", queryset=_events_qs().prefetch_related("feedback__actor")),
            Prefetch(
                "versions",
                queryset=rules.with_locked(DocumentVersion.objects.all())
                .prefetch_related("texts")
                .order_by("number"),
            ),
            Prefetch(
                "relations",
                queryset=DocumentRelation.objects.filter(documents_q(user, "to_document__"))
                .select_related("to_document")
                .prefetch_related(cited()),
            ),
            Prefetch(
                "related_from",
                queryset=DocumentRelation.objects.filter(documents_q(user, "from_document__"))
                .select_related("from_document")
                .prefetch_related(cited()),
            ),
        )
        .first()
    )


def text_search_of(document: Document) -> TextSearch | None:
    """The finding that no official text of the document was published, if there is one
    (selected with the document by `document_get`)."""
    try:
        return document.text_search
    except TextSearch.DoesNotExist:
        return None


def document_with_versions(key: str, *, user) -> Document | None:
    """A readable document by key with its versions (in order, each annotated `locked`) and
    their texts: what the officers' forms on a document offer to choose from."""
    if "\x00" in key:  # no key holds it, and PostgreSQL refuses it in a query
        return None
    versions = rules.with_locked(DocumentVersion.objects.all()).prefetch_related("texts")
    return (
        readable(user)
        .filter(key=key[:200])
        .select_related("body", "meeting")
        .prefetch_related(Prefetch("versions", queryset=versions.order_by("number")))
        .first()
    )


def document_named(text: str, *, user) -> Document | None:
    """A readable document named by its key or its symbol, as an officer types it."""
    text = text.strip()[:200]
    if not text or "\x00" in text:
        return None
    return readable(user).filter(Q(key=text) | Q(symbol=text)).first()


def text_get(*, user, key_or_id: str, number: int, language: str) -> DocumentText | None:
    """A version's text in a language, if the user may read the document; None otherwise."""
    lookup = Q(version__document__key=key_or_id)
    if _is_id(key_or_id):
        lookup |= Q(version__document__pk=int(key_or_id))
    return (
        DocumentText.objects.filter(lookup, version__number=number, language=language)
        .filter(documents_q(user, "version__document__"))
        .select_related("version__document")
        .first()
    )


def meeting_outcomes(meeting, *, user) -> list[DocumentEvent]:
    """What the meeting adopted, endorsed, signed, took note of...: the lifecycle events
    recorded at it, of the documents the user may read, by kind then symbol."""
    events = (
        _events_qs()
        .filter(documents_q(user, "document__"), meeting=meeting)
        .select_related("document")
    )
    order = {kind: i for i, kind in enumerate(K.values)}
    return sorted(events, key=lambda e: (order[e.kind], e.document.symbol, e.pk))


# --- Circulations ----------------------------------------------------------------------


@dataclass(frozen=True)
class Circulation:
    """A circulation as it stood on `at`: who answered, who has not, whether it is overdue."""

    event: DocumentEvent
    at: dt.date
    recipients: list
    responded: list  # (actor, first feedback received by `at`)
    pending: list
    takes_feedback: bool  # the document is still at a stage where feedback counts

    @property
    def deadline_passed(self) -> bool:
        return self.event.deadline is not None and self.at > self.event.deadline

    @property
    def open(self) -> bool:
        """Still awaiting answers: feedback counts and the deadline has not passed."""
        return self.takes_feedback and not self.deadline_passed

    @property
    def overdue(self) -> list:
        """The states that have not answered by a deadline now past."""
        return self.pending if self.takes_feedback and self.deadline_passed else []


class _Members:
    """Member states on any day: the memberships are read once, then judged per day by
    the registry's rule (`holds_on`), so a list of circulations costs one query."""

    def __init__(self):
        self._memberships: list | None = None
        self._days: dict[dt.date, list] = {}

    def on(self, day: dt.date) -> list:
        if day not in self._days:
            if self._memberships is None:
                self._memberships = list(members_ever())
            actors = {
                s.actor_id: s.actor
                for s in self._memberships
                if holds_on(s.start, s.end, day) is not Certainty.NO
            }
            self._days[day] = sorted(actors.values(), key=lambda a: a.name_en)
        return self._days[day]


def circulation_recipients(event: DocumentEvent, *, members: _Members | None = None) -> list:
    """The states a circulation was sent to: those listed, else every member state that day
    (a state whose membership possibly held that day, by a partial date, is included)."""
    listed = list(event.recipients.all())
    if listed:
        return sorted(listed, key=lambda a: a.name_en)
    return (members or _Members()).on(event.date.earliest)


def circulation_at(event: DocumentEvent, at: dt.date, *, members=None) -> Circulation:
    """Where a circulation stood on `at` (prefetch recipients, feedback and document events)."""
    recipients = circulation_recipients(event, members=members)
    first: dict[int, object] = {}
    for feedback in sorted(event.feedback.all(), key=lambda f: (f.received_on, f.pk)):
        if feedback.received_on <= at:
            first.setdefault(feedback.actor_id, feedback)
    status = transitions.status_on(event.document.events.all(), at)
    document_type = event.document.type
    return Circulation(
        event=event,
        at=at,
        recipients=recipients,
        responded=[(a, first[a.pk]) for a in recipients if a.pk in first],
        pending=[a for a in recipients if a.pk not in first],
        takes_feedback=transitions.refusal(document_type, status, K.FEEDBACK_RECEIVED) is None,
    )


def circulations(
    *,
    user,
    at: dt.date,
    actor=None,
    overdue: bool | None = None,
    document: Document | None = None,
) -> list[Circulation]:
    """Circulations made by `at` of the documents the user may read, latest first.

    `actor`: only those addressed to it that still lack its feedback on `at`.
    `overdue`: True, only those whose deadline passed with answers missing (for
    `actor`, its own); False, only those still open.
    """
    events = (
        DocumentEvent.objects.filter(q_latest_lte("date", at), kind=K.CIRCULATED)
        .filter(documents_q(user, "document__"))
        .select_related("document", "version", "body", "meeting__body")
        .prefetch_related(
            "recipients",
            "feedback__actor",
            "meeting__schedule",
            Prefetch("document__events", queryset=DocumentEvent.objects.only(*_STATUS_FIELDS)),
        )
        .order_by("-date_date", "-id")
    )
    if document is not None:
        events = events.filter(document=document)
    members = _Members()
    result = []
    for event in events:
        item = circulation_at(event, at, members=members)
        if actor is not None and actor.pk not in {a.pk for a in item.pending}:
            continue
        if overdue is True and not item.overdue:
            continue
        if overdue is False and not item.open:
            continue
        result.append(item)
    return result


def circulation_get(event_id: int, *, user) -> DocumentEvent | None:
    """A circulation (its event) of a document the user may read; None otherwise."""
    return (
        DocumentEvent.objects.filter(
            documents_q(user, "document__"), pk=event_id, kind=K.CIRCULATED
        )
        .select_related("document")
        .first()
    )


def circulations_awaiting(actor, *, at: dt.date, user=None) -> list[Circulation]:
    """What awaits a state on `at`: open circulations addressed to it without its feedback."""
    return circulations(user=user, at=at, actor=actor, overdue=False)


def circulations_overdue(*, at: dt.date, user=None) -> list[Circulation]:
    """Circulations whose deadline passed by `at` with some states not having answered."""
    return circulations(user=user, at=at, overdue=True)


# --- The portal's registry page ---------------------------------------------------------


def registry_filters(user) -> tuple[list, list]:
    """The bodies and the meetings that readable documents belong to, for the filters."""

    docs = readable(user)
    bodies = Body.objects.filter(documents__in=docs).distinct().order_by("name_en")
    meetings = (
        Meeting.objects.filter(documents__in=docs)
        .distinct()
        .select_related("body")
        .prefetch_related("schedule")
        .order_by("body__name_en", "ordinal", "key")
    )
    return list(bodies), list(meetings)


def body_by_slug(slug: str):
    """A body by its slug, for a filter (None when there is none)."""

    if "\x00" in slug:  # no key holds it, and PostgreSQL refuses it in a query
        return None
    return Body.objects.filter(slug=slug[:100]).first()


def meeting_by_key(key: str):
    """A meeting by its key, for a filter (None when there is none)."""

    if "\x00" in key:  # no key holds it, and PostgreSQL refuses it in a query
        return None
    return Meeting.objects.filter(key=key[:200]).first()
