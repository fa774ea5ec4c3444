"""Loads a dataset folder (see data/README.md) through the services, all or nothing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from secretariat.bodies import services as bodies
from secretariat.bodies.models import Body, BodyEvent, Meeting, MeetingParticipant, MeetingSchedule
from secretariat.core.acting import acting_as
from secretariat.core.models import Organization, Source
from secretariat.core.partial_dates import PartialDate
from secretariat.documents.models import Document
from secretariat.records import services as core
from secretariat.records.services import Outcome
from secretariat.registry import services as registry
from secretariat.registry.models import Actor, Chairmanship, SecretariatHead, Status

from . import schema
from .checklists import ChecklistRecords
from .documents import DocumentRecords
from .figures import FigureRecords
from .initiatives import InitiativeRecords
from .programme import ProgrammeRecords
from .treaties import TreatyRecords
from .yamlfile import DatasetError, Entry, read

FILES = (
    "sources.yaml",
    "organization.yaml",
    "actors.yaml",
    "bodies.yaml",
    "meetings.yaml",
    "chairmanships.yaml",
    "heads.yaml",
)
OPTIONAL_FILES = (
    "documents.yaml",
    "treaties.yaml",
    "checklists.yaml",
    "programme.yaml",
    "initiatives.yaml",
    "figures.yaml",
)
MAPPING_FILES = ("organization.yaml", "programme.yaml", "initiatives.yaml")
# Every record may carry `note` (public: about the organization, for every reader) and
# `editorial_note` (for officers and the dataset only: how the sources were read,
# judgement calls, modelling). A variant's `note` says why its value was not preferred:
# editorial by nature, it is never shown to the public either.
COMMON = {"sources", "variants", "note", "editorial_note"}
Progress = Callable[[str, int, int], None]


def describe(error: ValidationError) -> str:
    """One line from a ValidationError, naming fields where it has them.

    Database-constraint messages marked "backstop" repeat a rule that clean() words
    better; they are dropped when a clean() message is there to say it.
    """
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    items = [(name, e) for name, errors in error.error_dict.items() for e in errors]
    if any(e.code != "backstop" for _, e in items):
        items = [(n, e) for n, e in items if e.code != "backstop"]
    parts = []
    for name, e in items:
        text = " ".join(e.messages)
        parts.append(text if name == "__all__" else f"{name}: {text}")
    return "; ".join(parts)


class Loader(
    DocumentRecords,
    TreatyRecords,
    ChecklistRecords,
    ProgrammeRecords,
    InitiativeRecords,
    FigureRecords,
):
    """Reads the folder, refuses the first bad record with file:line, else saves it all."""

    def __init__(self, folder: Path | str, *, progress: Progress | None = None):
        self.folder = Path(folder)
        self.progress = progress or (lambda file, done, total: None)
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.sources: dict[str, Source] = {}
        self.organization: Organization | None = None
        self.actors: dict[str, Actor] = {}
        self.bodies: dict[str, Body] = {}
        self.meetings: dict[str, Meeting] = {}
        self._source_meetings: list[Entry] = []  # sources that are meetings, set once loaded
        self.renamed: dict[str, str] = {}  # a source's former key -> its key now
        self.documents: dict[str, Document] = {}

    # --- entry point -------------------------------------------------------------

    def load(self) -> dict[str, Counter]:
        if not self.folder.is_dir():
            raise DatasetError(str(self.folder), 0, "no such dataset folder")
        data = {}
        for name in FILES + OPTIONAL_FILES:
            path = self.folder / name
            if not path.exists():
                if name in OPTIONAL_FILES:
                    data[name] = Entry() if name in MAPPING_FILES else []
                    continue
                raise DatasetError(name, 0, "missing: every dataset has this file")
            data[name] = read(path, expect=Entry if name in MAPPING_FILES else list)
            # Every file's shape and types, before anything is saved (schema/).
            schema.check(name, data[name])
        # Audited as the loader, with the folder as the reason; one transaction, one batch.
        with acting_as(via="loader", reason=f"load-dataset {self.folder}"), transaction.atomic():
            self._each("sources.yaml", data["sources.yaml"], self._source)
            self._guarded(data["organization.yaml"], self._organization)
            self._each("actors.yaml", data["actors.yaml"], self._actor)
            self._each("bodies.yaml", data["bodies.yaml"], self._body)
            self._each("meetings.yaml", data["meetings.yaml"], self._meeting)
            for rec in self._source_meetings:
                self._guarded(rec, self._source_meeting)
            # Statuses and body events may name meetings, so they come after them.
            self._each("actors.yaml", data["actors.yaml"], self._statuses)
            self._each("bodies.yaml", data["bodies.yaml"], self._body_events)
            self._each("chairmanships.yaml", data["chairmanships.yaml"], self._chairmanship)
            self._each("heads.yaml", data["heads.yaml"], self._head)
            # Documents first, then what links them: relations may point further down.
            self._each("documents.yaml", data["documents.yaml"], self._document)
            self._each("documents.yaml", data["documents.yaml"], self._document_links)
            self._each("treaties.yaml", data["treaties.yaml"], self._treaty)
            self._each("checklists.yaml", data["checklists.yaml"], self._checklist)
            if data["programme.yaml"]:
                self._guarded(data["programme.yaml"], self._programme)
            if data["initiatives.yaml"]:
                self._initiatives_file(data["initiatives.yaml"])
            # Counts sources state, of records of any file above: last.
            self._each("figures.yaml", data["figures.yaml"], self._figure)
        return dict(self.counts)

    def _each(self, name: str, entries: list[Entry], handler) -> None:
        total = len(entries)
        for done, entry in enumerate(entries, 1):
            self._guarded(entry, handler)
            if done == total or done % 25 == 0:
                self.progress(name, done, total)

    def _guarded(self, entry: Entry, handler, *args) -> Any:
        try:
            return handler(entry, *args)
        except DatasetError:
            raise
        except ValidationError as exc:
            fields = getattr(exc, "error_dict", {})
            line = next((entry.line_of(f) for f in fields if f in entry), entry.line)
            raise DatasetError(entry.file, line, describe(exc)) from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise DatasetError(entry.file, entry.line, f"invalid value: {exc}") from None

    def _count(self, label: str, outcome: Outcome) -> None:
        self.counts[label][outcome.value] += 1

    # --- field readers -----------------------------------------------------------

    def _fields(self, rec: Entry, required: set[str], optional: set[str]) -> None:
        unknown = set(rec) - required - optional - COMMON
        if unknown:
            key = sorted(unknown, key=rec.line_of)[0]
            raise DatasetError(rec.file, rec.line_of(key), f"unknown field '{key}'")
        for key in sorted(required):
            if rec.get(key) in (None, ""):
                raise DatasetError(rec.file, rec.line, f"missing required field '{key}'")
        if "sources" not in rec or not rec["sources"]:
            raise DatasetError(rec.file, rec.line, "every record needs 'sources'")

    # A value's type and shape were checked by schema.check before anything is read here:
    # the readers convert, and check only what a single value's type cannot tell.

    def _text(self, rec: Entry, key: str) -> str:
        value = rec.get(key)
        return "" if value is None else str(value).strip()  # a variant's value may be a number

    def _names(self, rec: Entry, key: str, *, required: bool = False) -> tuple[str, str]:
        value = rec.get(key)
        if value is None:
            if required:
                raise DatasetError(rec.file, rec.line, f"missing required field '{key}'")
            return "", ""
        if required and not value.get("en"):
            raise DatasetError(rec.file, rec.line_of(key), f"'{key}' needs an English text (en)")
        return str(value.get("en") or "").strip(), str(value.get("ru") or "").strip()

    def _date(self, rec: Entry, key: str) -> PartialDate | None:
        value = rec.get(key)
        if value in (None, ""):
            return None
        try:
            return PartialDate.parse(value)
        except ValidationError as exc:
            raise DatasetError(rec.file, rec.line_of(key), f"{key}: {describe(exc)}") from None

    def _choice(self, rec: Entry, key: str, choices: Iterable[str], default: str = "") -> str:
        value = self._text(rec, key) or default
        allowed = list(choices)
        if value and value not in allowed:
            raise DatasetError(
                rec.file,
                rec.line_of(key),
                f"'{key}' is '{value}'; it must be one of: {', '.join(allowed)}",
            )
        return value

    def _bool(self, rec: Entry, key: str, default: bool) -> bool:
        return rec.get(key, default)

    def _ref(self, rec: Entry, key: str, table: dict, what: str):
        slug = self._text(rec, key)
        if not slug:
            return None
        if slug not in table:
            raise DatasetError(rec.file, rec.line_of(key), f"unknown {what} '{slug}'")
        return table[slug]

    def _source_list(self, rec: Entry) -> list[Source]:
        keys = rec.get("sources") or []
        missing = [k for k in keys if k not in self.sources]
        if missing:
            key = missing[0]
            reason = f"unknown source '{key}'"
            if key in self.renamed:
                reason = f"the source '{key}' is now '{self.renamed[key]}': cite it by that key"
            raise DatasetError(rec.file, rec.line_of("sources"), reason)
        return [self.sources[k] for k in keys]

    def _variants(self, rec: Entry) -> list[dict]:
        out = []
        for item in rec.get("variants") or []:
            self._fields(item, {"field", "value"}, set())
            out.append(
                {
                    "field": self._text(item, "field"),
                    "value": self._text(item, "value"),
                    "note": self._text(item, "note"),
                    "sources": self._source_list(item),
                }
            )
        return out

    def _common(self, rec: Entry) -> dict[str, Any]:
        return {
            "sources": self._source_list(rec),
            "variants": self._variants(rec),
            "note": self._text(rec, "note"),
            "editorial_note": self._text(rec, "editorial_note"),
        }

    # --- records -----------------------------------------------------------------

    def _organization(self, rec: Entry) -> None:
        self._fields(
            rec, {"slug", "name", "short_name"}, {"founded", "ordinal_series", "symbol_pattern"}
        )
        name_en, name_ru = self._names(rec, "name", required=True)
        short_en, short_ru = self._names(rec, "short_name", required=True)
        self.organization, outcome = core.organization_upsert(
            slug=self._text(rec, "slug"),
            name_en=name_en,
            name_ru=name_ru,
            short_name_en=short_en,
            short_name_ru=short_ru,
            founded=self._date(rec, "founded"),
            **(
                {"symbol_pattern": self._text(rec, "symbol_pattern")}
                if "symbol_pattern" in rec
                else {}
            ),
            **self._common(rec),
        )
        self._count("organization", outcome)
        series = []
        for item in rec.get("ordinal_series") or []:
            label_en, label_ru = self._names(item, "label", required=True)
            series.append(
                {
                    "slug": self._text(item, "slug"),
                    "label_en": label_en,
                    "label_ru": label_ru,
                    "actor_kind": self._choice(item, "actor_kind", Actor.Kind.values),
                    "status_kinds": list(item["status_kinds"]),
                }
            )
        for result in registry.ordinal_series_set(series=series):
            self._count("ordinal series", result)

    def _source(self, rec: Entry) -> None:
        for key in ("key", "title"):
            if not rec.get(key):
                raise DatasetError(rec.file, rec.line, f"missing required field '{key}'")
        key = self._text(rec, "key")
        if key in self.sources:
            raise DatasetError(rec.file, rec.line_of("key"), f"source '{key}' is defined twice")
        if key in self.renamed:
            raise DatasetError(
                rec.file, rec.line_of("key"), f"'{key}' is the former key of '{self.renamed[key]}'"
            )
        accessed = self._date(rec, "accessed")
        renamed = Outcome.UNCHANGED
        for former in self._former_keys(rec):
            # A database loaded before the rename keeps its row, and what cites it, under
            # the new key.
            if core.source_rename(old_key=former, key=key) is not Outcome.UNCHANGED:
                renamed = Outcome.UPDATED
            self.renamed[former] = key
        source, outcome = core.source_upsert(
            key=key,
            title=self._text(rec, "title"),
            url=self._text(rec, "url"),
            publisher=self._text(rec, "publisher"),
            published=self._date(rec, "published"),
            accessed=accessed.earliest if accessed else None,
            note=self._text(rec, "note"),
            editorial_note=self._text(rec, "editorial_note"),
        )
        self.sources[key] = source
        self._count("sources", renamed if outcome is Outcome.UNCHANGED else outcome)
        if rec.get("meeting"):
            self._source_meetings.append(rec)

    def _former_keys(self, rec: Entry) -> list[str]:
        """The keys a source was known by before (`formerly`), none of them in use now."""
        value = rec.get("formerly") or []
        value = [value] if isinstance(value, str) else value  # one key, or a list of keys
        for former in value:
            if former in self.sources or former in self.renamed:
                raise DatasetError(
                    rec.file, rec.line_of("formerly"),
                    f"'{former}' is already a source's key, or another source's former key",
                )  # fmt: skip
        return value

    def _source_meeting(self, rec: Entry) -> None:
        core.source_target_set(
            source=self.sources[self._text(rec, "key")],
            target=self._ref(rec, "meeting", self.meetings, "meeting"),
        )

    def _actor(self, rec: Entry) -> None:
        self._fields(
            rec,
            {"slug", "kind", "name"},
            {"iso2", "iso3", "short_name", "exists_from", "exists_until", "statuses"},
        )
        slug = self._text(rec, "slug")
        if slug in self.actors:
            raise DatasetError(rec.file, rec.line_of("slug"), f"actor '{slug}' is defined twice")
        name_en, name_ru = self._names(rec, "name", required=True)
        short_en, short_ru = self._names(rec, "short_name")
        actor, outcome = registry.actor_upsert(
            slug=slug,
            kind=self._choice(rec, "kind", Actor.Kind.values),
            name_en=name_en,
            name_ru=name_ru,
            short_name_en=short_en,
            short_name_ru=short_ru,
            iso2=self._text(rec, "iso2"),
            iso3=self._text(rec, "iso3"),
            exists_from=self._date(rec, "exists_from"),
            exists_until=self._date(rec, "exists_until"),
            **self._common(rec),
        )
        self.actors[slug] = actor
        self._count("actors", outcome)

    def _statuses(self, rec: Entry) -> None:
        actor = self.actors[self._text(rec, "slug")]
        for item in rec.get("statuses") or []:
            self._guarded(item, self._status, actor)

    def _status(self, rec: Entry, actor: Actor) -> None:
        self._fields(rec, {"kind", "start"}, {"end", "decided_at", "applied_for", "outcome"})
        _, outcome = registry.status_upsert(
            actor=actor,
            kind=self._choice(rec, "kind", Status.Kind.values),
            start=self._date(rec, "start"),
            end=self._date(rec, "end"),
            decided_at=self._ref(rec, "decided_at", self.meetings, "meeting"),
            applied_for=self._choice(rec, "applied_for", Status.Kind.values),
            outcome=self._choice(rec, "outcome", Status.Outcome.values),
            **self._common(rec),
        )
        self._count("statuses", outcome)

    def _body(self, rec: Entry) -> None:
        self._fields(
            rec, {"slug", "kind", "name"}, {"short_name", "parent", "initiated_by", "events"}
        )
        slug = self._text(rec, "slug")
        if slug in self.bodies:
            raise DatasetError(rec.file, rec.line_of("slug"), f"body '{slug}' is defined twice")
        name_en, name_ru = self._names(rec, "name", required=True)
        short_en, short_ru = self._names(rec, "short_name")
        initiators = rec.get("initiated_by") or []
        unknown = [a for a in initiators if a not in self.actors]
        if unknown:
            raise DatasetError(
                rec.file, rec.line_of("initiated_by"), f"unknown actor '{unknown[0]}'"
            )
        body, outcome = bodies.body_upsert(
            slug=slug,
            kind=self._choice(rec, "kind", Body.Kind.values),
            name_en=name_en,
            name_ru=name_ru,
            short_name_en=short_en,
            short_name_ru=short_ru,
            parent=self._ref(rec, "parent", self.bodies, "body (a parent comes first)"),
            initiated_by=[self.actors[a] for a in initiators],
            **self._common(rec),
        )
        self.bodies[slug] = body
        self._count("bodies", outcome)

    def _body_events(self, rec: Entry) -> None:
        body = self.bodies[self._text(rec, "slug")]
        for item in rec.get("events") or []:
            self._guarded(item, self._body_event, body)

    def _body_event(self, rec: Entry, body: Body) -> None:
        self._fields(rec, {"kind", "date"}, {"meeting"})
        _, outcome = bodies.body_event_upsert(
            body=body,
            kind=self._choice(rec, "kind", BodyEvent.Kind.values),
            date=self._date(rec, "date"),
            meeting=self._ref(rec, "meeting", self.meetings, "meeting"),
            **self._common(rec),
        )
        self._count("body events", outcome)

    def _meeting(self, rec: Entry) -> None:
        self._fields(
            rec,
            {"key", "body", "schedule"},
            {"ordinal", "title", "formal", "chair", "participants"},
        )
        key = self._text(rec, "key")
        if key in self.meetings:
            raise DatasetError(rec.file, rec.line_of("key"), f"meeting '{key}' is defined twice")
        title_en, title_ru = self._names(rec, "title")
        meeting, outcome = bodies.meeting_upsert(
            key=key,
            body=self._ref(rec, "body", self.bodies, "body"),
            ordinal=rec.get("ordinal"),
            title_en=title_en,
            title_ru=title_ru,
            formal=self._bool(rec, "formal", True),
            chair=self._ref(rec, "chair", self.actors, "actor"),
            **self._common(rec),
        )
        entries = [self._guarded(e, self._schedule_entry) for e in rec["schedule"]]
        changed = self._guarded(
            rec, lambda r: bodies.meeting_schedule_set(meeting=meeting, entries=entries)
        )
        participants = []
        for item in rec.get("participants") or []:
            participants.append(
                (
                    self._ref(item, "actor", self.actors, "actor"),
                    self._choice(item, "role", MeetingParticipant.Role.values, "member"),
                )
            )
        changed_p = bodies.meeting_participants_set(meeting=meeting, participants=participants)
        if outcome is Outcome.UNCHANGED and Outcome.UPDATED in (changed, changed_p):
            outcome = Outcome.UPDATED
        self.meetings[key] = meeting
        self._count("meetings", outcome)

    def _schedule_entry(self, rec: Entry) -> dict[str, Any]:
        self._fields(rec, {"kind", "start"}, {"end", "city", "country", "mode", "announced"})
        city_en, city_ru = self._names(rec, "city")
        return {
            "kind": self._choice(rec, "kind", MeetingSchedule.Kind.values),
            "start": self._date(rec, "start"),
            "end": self._date(rec, "end"),
            "city_en": city_en,
            "city_ru": city_ru,
            "country": self._ref(rec, "country", self.actors, "actor"),
            "mode": self._choice(rec, "mode", MeetingSchedule.Mode.values),  # omitted: unknown
            "announced": self._date(rec, "announced"),
            **self._common(rec),
        }

    def _chairmanship(self, rec: Entry) -> None:
        self._fields(
            rec, {"actor", "start"}, {"end", "kind", "decided_at", "decided_on", "taken_over_at"}
        )
        _, outcome = registry.chairmanship_upsert(
            actor=self._ref(rec, "actor", self.actors, "actor"),
            start=self._date(rec, "start"),
            end=self._date(rec, "end"),
            kind=self._choice(rec, "kind", Chairmanship.Kind.values, "term"),
            decided_at=self._ref(rec, "decided_at", self.meetings, "meeting"),
            decided_on=self._date(rec, "decided_on"),
            taken_over_at=self._ref(rec, "taken_over_at", self.meetings, "meeting"),
            **self._common(rec),
        )
        self._count("chairmanships", outcome)

    def _head(self, rec: Entry) -> None:
        self._fields(rec, {"person", "title", "start"}, {"end", "appointed_at"})
        person_rec = rec["person"]
        name_en, name_ru = self._names(person_rec, "name", required=True)
        person, person_outcome = registry.person_upsert(
            slug=self._text(person_rec, "slug"),
            name_en=name_en,
            name_ru=name_ru,
            nationality=self._ref(person_rec, "nationality", self.actors, "actor"),
            note=self._text(person_rec, "note"),
            editorial_note=self._text(person_rec, "editorial_note"),
            sources=self._source_list(rec),
        )
        self._count("people", person_outcome)
        _, outcome = registry.head_upsert(
            person=person,
            title=self._choice(rec, "title", SecretariatHead.Title.values),
            start=self._date(rec, "start"),
            end=self._date(rec, "end"),
            appointed_at=self._ref(rec, "appointed_at", self.meetings, "meeting"),
            **self._common(rec),
        )
        self._count("heads", outcome)
