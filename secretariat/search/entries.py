"""What the index holds for each kind of record: its entries, built from the records.

Each builder takes record ids and returns unsaved entries, a few queries per batch
whatever its size. Years and statuses are the ones the apps' own selectors give
(status as of the day of indexing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from secretariat.bodies.models import Body, BodyEvent, Meeting
from secretariat.bodies.selectors import body_status, meeting_status, meeting_title, meeting_when
from secretariat.core.partial_dates import Certainty, holds_on
from secretariat.documents.models import Document, DocumentEvent, DocumentVersion
from secretariat.documents.selectors import document_status
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


def _entries(record, kind: str, *, languages: dict[str, tuple[str, str]], **fields):
    """Entries of one record: {language: (title, text)}, each text split into parts."""
    for language, (title, text) in languages.items():
        for part, chunk in enumerate(_parts(text)):
            yield SearchEntry(
                kind=kind, object_id=record.pk, language=language, part=part,
                title=clean(title)[:TITLE_CHARS], text=chunk, **fields,
            )  # fmt: skip


# --- Documents ------------------------------------------------------------------------


def documents(ids: Iterable[int]) -> list[SearchEntry]:
    """A document in English and in every language it has a title or a text in; each
    language's text joins that language's texts across versions, the latest first."""
    today = timezone.localdate()
    fields = ("id", "document_id", "kind", "date_date", "date_precision")
    events = Prefetch("events", queryset=DocumentEvent.objects.only(*fields))
    versions = Prefetch(
        "versions", queryset=DocumentVersion.objects.prefetch_related("texts").order_by("-number")
    )
    result = []
    qs = Document.objects.filter(pk__in=list(ids)).select_related("meeting")
    for doc in qs.prefetch_related(events, versions):
        texts: dict[str, list[str]] = defaultdict(list)
        seen: set[str] = set()
        days = [e.date_date for e in doc.events.all()]
        for version in doc.versions.all():
            if version.date_date:
                days.append(version.date_date)
            for text in version.texts.all():
                if text.sha256 not in seen:
                    seen.add(text.sha256)
                    language = clean(text.language).strip().lower()[:8] or "und"
                    texts[language].append(text.text)
        languages = {"en": (doc.title_en, _join(doc.symbol, doc.note, *texts.pop("en", [])))}
        if doc.title_ru or "ru" in texts:
            languages["ru"] = (
                doc.title_ru or doc.title_en,
                _join(doc.symbol, *texts.pop("ru", [])),
            )
        for language, items in sorted(texts.items()):
            languages[language] = (doc.title_en, _join(doc.symbol, *items))
        result += _entries(
            doc, Kind.DOCUMENT, languages=languages, key=doc.key, document=doc,
            url=_api("document_detail", key=doc.key), year=min(days).year if days else None,
            status=document_status(doc, today) or "",
            body_id=doc.body_id or (doc.meeting.body_id if doc.meeting else None),
        )  # fmt: skip
    return result


# --- Meetings -------------------------------------------------------------------------


def meetings(ids: Iterable[int]) -> list[SearchEntry]:
    """A meeting by its title, body and places, in English and (with a title) Russian."""
    result = []
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
            meeting, Kind.MEETING, languages=languages, key=meeting.key,
            url=_api("meeting_detail", key=meeting.key), year=when.start.year if when else None,
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
            actor, Kind.ACTOR, languages=languages, key=actor.slug,
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
            body, Kind.INSTITUTION, languages=languages, key=body.slug, url=_api(listing),
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
            initiative, Kind.INITIATIVE, languages=languages, key=initiative.slug,
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
