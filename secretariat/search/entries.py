"""What the index holds for each kind of record: its entries, built from the records.

Each builder takes record ids and returns unsaved entries, a few queries per batch
whatever its size. Years and statuses are the ones the apps' own selectors give
(status as of the day of indexing).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from secretariat.bodies.models import Body, BodyEvent, Meeting
from secretariat.bodies.selectors import body_status, meeting_status, meeting_title, meeting_when
from secretariat.core.partial_dates import Certainty, PartialDate, holds_on
from secretariat.documents import transitions
from secretariat.documents.models import Document, DocumentEvent, DocumentText, DocumentVersion
from secretariat.initiatives.models import Initiative
from secretariat.initiatives.selectors import status_at
from secretariat.registry.models import Actor, Status

from .models import SearchEntry
from .query import clean

Kind = SearchEntry.Kind
PART_CHARS = 100_000  # a longer text is indexed in parts (PostgreSQL caps a tsvector at 1 MB)
TITLE_CHARS = SearchEntry._meta.get_field("title").max_length
# Statuses of an actor, the most telling first.
ACTOR_STATUSES = list(Status.Kind.values)


def _api(name: str, **kwargs) -> str:
    return reverse(f"api-1.0.0:{name}", kwargs=kwargs or None)


_SLUG = re.compile(r"^[A-Za-z0-9_-]+$")
_SENTINEL = "zz0sentinel0zz"


def _api_of(name: str, param: str) -> Callable[[str], str]:
    """`_api(name, param=value)` for a batch of records: reversed once, then filled in for
    each slug (which reversing leaves as it is); anything else is reversed itself."""
    path = _api(name, **{param: _SENTINEL})
    if path.count(_SENTINEL) != 1:
        return lambda value: _api(name, **{param: value})
    head, tail = path.split(_SENTINEL)
    return lambda value: f"{head}{value}{tail}" if _SLUG.match(value) else _api(
        name, **{param: value})  # fmt: skip


def _join(*pieces: str) -> str:
    return "\n\n".join(p for p in (clean(x).strip() for x in pieces if x) if p)


def _titled(name: str, short: str) -> str:
    return f"{name} ({short})" if short and short != name else name


def _parts(text: str) -> list[str]:
    """The text cut into parts of at most PART_CHARS, at a space where there is one."""
    parts = []
    while len(text) > PART_CHARS:
        cut = text.rfind(" ", PART_CHARS // 2, PART_CHARS)
        cut = PART_CHARS if cut < 0 else cut
        parts.append(text[:cut])
        text = text[cut:].lstrip()
    return [*parts, text]


def _entries(pk: int, kind: str, *, languages: dict[str, tuple[str, str]], **fields):
    """Entries of one record: {language: (title, text)}, each text split into parts."""
    for language, (title, text) in languages.items():
        for part, chunk in enumerate(_parts(text)):
            yield SearchEntry(
                kind=kind, object_id=pk, language=language, part=part,
                title=clean(title)[:TITLE_CHARS], text=chunk, **fields,
            )  # fmt: skip


# --- Documents ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Event:
    """What the lifecycle reads of an event (documents are indexed by the hundred
    thousand: plain rows, not model instances)."""

    pk: int
    kind: str
    date: PartialDate


def documents(ids: Iterable[int]) -> list[SearchEntry]:
    """A document in English and in every language it has a title or a text in; each
    language's text joins that language's texts across versions, the latest first.

    Its status is `documents.selectors.document_status` (the lifecycle's status on the
    day of indexing), read from plain rows: five queries a batch, whatever its size."""
    today = timezone.localdate()
    ids = list(ids)
    events: dict[int, list[_Event]] = defaultdict(list)
    rows = DocumentEvent.objects.filter(document_id__in=ids).order_by()
    for pk, doc_id, kind, day, precision in rows.values_list(
        "pk", "document_id", "kind", "date_date", "date_precision"
    ):
        events[doc_id].append(_Event(pk, kind, PartialDate.from_parts(day, precision)))
    versions: dict[int, list[tuple[int, int, dt.date | None]]] = defaultdict(list)
    rows = DocumentVersion.objects.filter(document_id__in=ids).order_by()
    for pk, doc_id, number, day in rows.values_list("pk", "document_id", "number", "date_date"):
        versions[doc_id].append((number, pk, day))
    texts: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    rows = DocumentText.objects.filter(version__document_id__in=ids).order_by()
    for version_id, language, sha256, text in rows.values_list(
        "version_id", "language", "sha256", "text"
    ):
        texts[version_id].append((language, sha256, text))
    result = []
    url = _api_of("document_detail", "key")
    docs = Document.objects.filter(pk__in=ids).order_by("pk")
    for pk, key, symbol, title_en, title_ru, note, body_id, meeting_body_id in docs.values_list(
        "pk", "key", "symbol", "title_en", "title_ru", "note", "body_id", "meeting__body_id"
    ):
        by_language: dict[str, list[str]] = defaultdict(list)
        seen: set[str] = set()
        own = events.get(pk, [])
        days = [e.date.earliest for e in own]
        for _number, version_id, day in sorted(versions.get(pk, []), reverse=True):
            if day:
                days.append(day)
            for language, sha256, text in sorted(texts.get(version_id, [])):
                if sha256 not in seen:
                    seen.add(sha256)
                    language = clean(language).strip().lower()[:8] or "und"
                    by_language[language].append(text)
        languages = {"en": (title_en, _join(symbol, note, *by_language.pop("en", [])))}
        if title_ru or "ru" in by_language:
            languages["ru"] = (title_ru or title_en, _join(symbol, *by_language.pop("ru", [])))
        for language, items in sorted(by_language.items()):
            languages[language] = (title_en, _join(symbol, *items))
        result += _entries(
            pk, Kind.DOCUMENT, languages=languages, key=key, document_id=pk,
            url=url(key), year=min(days).year if days else None,
            status=transitions.status_on(own, today) or "", body_id=body_id or meeting_body_id,
        )  # fmt: skip
    return result


# --- Meetings -------------------------------------------------------------------------


def meetings(ids: Iterable[int]) -> list[SearchEntry]:
    """A meeting by its title, body and places, in English and (with a title) Russian."""
    result = []
    url = _api_of("meeting_detail", "key")
    qs = Meeting.objects.filter(pk__in=list(ids)).select_related("body")
    for meeting in qs.prefetch_related("schedule"):
        body, schedule = meeting.body, list(meeting.schedule.all())
        cities_en = dict.fromkeys(s.city_en for s in schedule if s.city_en)
        cities_ru = dict.fromkeys(s.city_ru for s in schedule if s.city_ru)
        languages = {
            "en": (
                meeting_title(meeting),
                _join(_titled(body.name_en, body.short_name_en), *cities_en, meeting.note),
            )
        }
        if meeting.title_ru:
            languages["ru"] = (
                meeting.title_ru,
                _join(_titled(body.name_ru, body.short_name_ru), *cities_ru),
            )
        when = meeting_when(meeting)
        result += _entries(
            meeting.pk, Kind.MEETING, languages=languages, key=meeting.key,
            url=url(meeting.key), year=when.start.year if when else None,
            status=meeting_status(meeting), body_id=meeting.body_id,
        )  # fmt: skip
    return result


# --- Actors ---------------------------------------------------------------------------


def actors(ids: Iterable[int]) -> list[SearchEntry]:
    """A state or organization by its names and codes; its status is the one it holds
    today for certain (member before observer before partner...)."""
    today = timezone.localdate()
    result = []
    for actor in Actor.objects.filter(pk__in=list(ids)).prefetch_related("statuses"):
        held = {
            s.kind for s in actor.statuses.all() if holds_on(s.start, s.end, today) is Certainty.YES
        }
        status = next((k for k in ACTOR_STATUSES if k in held), "")
        languages = {
            "en": (
                _titled(actor.name_en, actor.short_name_en),
                _join(actor.iso2, actor.iso3, actor.note),
            )
        }
        if actor.name_ru:
            languages["ru"] = (_titled(actor.name_ru, actor.short_name_ru), "")
        result += _entries(
            actor.pk, Kind.ACTOR, languages=languages, key=actor.slug,
            url=_api("actor_detail", slug=actor.slug),
            year=actor.exists_from.year if actor.exists_from else None, status=status,
        )  # fmt: skip
    return result


# --- Organs and institutions ----------------------------------------------------------


def institutions(ids: Iterable[int]) -> list[SearchEntry]:
    """A body (organ or institution) by its names; its year is when it was established
    (else its first event), its status the latest event that certainly happened."""
    today = timezone.localdate()
    result = []
    for body in Body.objects.filter(pk__in=list(ids)).prefetch_related("events"):
        evts = sorted(body.events.all(), key=lambda e: (e.date, e.pk))
        founded = next((e for e in evts if e.kind == BodyEvent.Kind.ESTABLISHED), None)
        founded = founded or (evts[0] if evts else None)
        languages = {"en": (_titled(body.name_en, body.short_name_en), _join(body.note))}
        if body.name_ru:
            languages["ru"] = (_titled(body.name_ru, body.short_name_ru), "")
        listing = "institutions" if body.kind == Body.Kind.INSTITUTION else "bodies"
        result += _entries(
            body.pk, Kind.INSTITUTION, languages=languages, key=body.slug, url=_api(listing),
            year=founded.date.year if founded else None,
            status=body_status(evts, today) or "", body_id=body.pk,
        )  # fmt: skip
    return result


# --- Initiatives ----------------------------------------------------------------------


def initiatives(ids: Iterable[int]) -> list[SearchEntry]:
    """An initiative by its titles; its year is its first event's, its status today's."""
    today = timezone.localdate()
    result = []
    qs = Initiative.objects.filter(pk__in=list(ids)).select_related("launched_at")
    for initiative in qs.prefetch_related("events"):
        evts = list(initiative.events.all())
        languages = {"en": (initiative.title_en, _join(initiative.note))}
        if initiative.title_ru:
            languages["ru"] = (initiative.title_ru, "")
        body_id = initiative.proposer_body_id or (
            initiative.launched_at.body_id if initiative.launched_at else None
        )
        result += _entries(
            initiative.pk, Kind.INITIATIVE, languages=languages, key=initiative.slug,
            url=_api("initiative_detail", slug=initiative.slug),
            year=min(e.date.earliest for e in evts).year if evts else None,
            status=status_at(initiative, today) or "", body_id=body_id,
        )  # fmt: skip
    return result


BUILDERS: dict[str, Callable[[Iterable[int]], list[SearchEntry]]] = {
    Kind.DOCUMENT: documents,
    Kind.MEETING: meetings,
    Kind.ACTOR: actors,
    Kind.INSTITUTION: institutions,
    Kind.INITIATIVE: initiatives,
}
# Where each kind's records are, for rebuilding.
MODELS = {
    Kind.DOCUMENT: Document,
    Kind.MEETING: Meeting,
    Kind.ACTOR: Actor,
    Kind.INSTITUTION: Body,
    Kind.INITIATIVE: Initiative,
}
