"""Planning an import: everything read is resolved and checked against the record with
reads only, outside any transaction. New records are made and validated in memory
(records.bulk's Creations), changes to records held are prepared as calls of their services,
and what the import did (or would do) is counted in a Summary. apply.py writes the plan.

Planner holds what every kind shares: the items read, the records on record and planned
(`_find`), the sources a record cites, and `_put`, which plans one record. How each kind
of entity becomes records is in organizations.py, memberships.py and events.py.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models

from secretariat.bodies.models import Meeting
from secretariat.core.models import Organization, Source
from secretariat.core.partial_dates import PartialDate
from secretariat.datasets.loader import describe
from secretariat.records import services as core
from secretariat.records.bulk import Creations
from secretariat.records.services import Outcome
from secretariat.registry.models import Person

from ..formats import Progress, no_progress
from ..safe import ImportRefused
from . import shapes
from .read import Reading
from .vocabulary import _CYRILLIC, COLLECTIONS, FIELDS, KEPT, READ, Item, Skip, _plural, _slug


@dataclass
class Summary:
    """What an import did (or, in a dry run, would do): counts per kind, and notes."""

    name: str
    dry_run: bool = False
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    def lines(self) -> list[str]:
        head = f"{self.name}: Popolo" + (" (dry run: nothing saved)" if self.dry_run else "")
        lines = [head]
        for kind in sorted(self.counts):
            c = self.counts[kind]
            parts = [f"{c[o]} {o}" for o in ("created", "updated", "unchanged", "skipped") if c[o]]
            lines.append(f"  {kind}: {', '.join(parts)}")
        lines += [f"  note: {note}" for note in self.notes]
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


HOME = "organization"


@dataclass(frozen=True)
class Ref:
    """What an organization id stands for here: the organization, a body or an actor."""

    kind: str  # HOME, "body" or "actor"
    record: models.Model | None


class Planner:
    """A plan of an import of what was read; each attempt at planning starts afresh."""

    def __init__(self, reading: Reading, *, name: str, progress: Progress = no_progress):
        self.name = name
        self.progress = progress
        self.summary = Summary(name=name, notes=list(reading.notes))
        self.items, self.by_id, self.single = reading.items, reading.by_id, reading.single
        self.written: dict[tuple, str] = {}  # natural key of a record -> where it came from
        self.refs: dict[str, Ref] = {}  # organization id in the file -> what it became
        self.persons: dict[str, Person] = {}
        self.posts: dict[str, str] = {}  # post id -> "chair" | "head" | "other"
        self._file_source: Source | None = None
        self._sources: dict[tuple[str, str], Source] = {}
        self._skips: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._unkept: Counter = Counter()
        self._done = 0
        self._total = 0
        self.creations = Creations()
        self._calls: list[tuple[Item, Callable[[], None]]] = []  # changes to records held
        self._known: dict[type, list] = {}  # records on record, loaded once (small tables)
        self._planned: dict[type, list] = defaultdict(list)  # new records, not yet written
        self._meetings: dict[str, Meeting] = {}
        self._index: dict[tuple[type, str], dict[Any, list]] = {}

    # --- the run ---------------------------------------------------------------------

    def plan(self) -> None:
        """Resolve and check everything against the record, writing nothing."""
        kept = [i for kind in KEPT for i in self.items[kind]]
        self._total = len(kept)
        for kind in COLLECTIONS.values():
            if kind not in KEPT:
                for item in self.items[kind]:
                    self._skip(item, f"{_plural(kind)} are not kept here")
        for item in self.items["contact_detail"]:
            self._skip(item, "contact details are not kept here")
        self.stored = Organization.objects.first()
        self._meetings = self._meetings_held()
        self._organizations()
        self._read_posts()
        plans = [(item, self._plan(item)) for item in self.items["membership"]]
        self._persons({p[1]["person"] for _, p in plans if p and p[0] == "head"})
        for item, plan in plans:
            self._membership(item, plan)
        for item in self.items["event"]:
            self._guarded(item, self._event)
        self._notes()

    def _refuse(self, item: Item, error: Exception, fields: dict[str, str]) -> None:
        if isinstance(error, ValidationError):
            raise ImportRefused(self._where(item, error, fields), describe(error)) from None
        raise ImportRefused(item.at(), f"refused by the database: {error}") from None

    def _tick(self) -> None:
        self._done += 1
        if self._done % 25 == 0:
            self.progress(min(self._done, self._total), self._total)

    def _guarded(
        self, item: Item, handler: Callable[[Item], None], fields=None, *, tick: bool = True
    ) -> Any:
        """Run a handler, turning a refusal of the rules into one with the item's place."""
        if tick:
            self._tick()
        try:
            return handler(item)
        except Skip as skip:
            self._skip(item, str(skip))
        except (ValidationError, DatabaseError) as exc:
            self._refuse(item, exc, fields or {})
        return None

    def _where(self, item: Item, exc: ValidationError, fields: dict[str, str]) -> str:
        names = [n for n in getattr(exc, "error_dict", {}) if n in fields]
        return item.at(fields[names[0]]) if names else item.at()

    def _skip(self, item: Item, reason: str) -> None:
        plural = _plural(item.kind)
        self.summary.count(plural, "skipped")
        self._skips[plural, reason].append(item.at())

    def _notes(self) -> None:
        for (plural, reason), places in sorted(self._skips.items()):
            shown = ", ".join(places[:3]) + (", ..." if len(places) > 3 else "")
            self.summary.notes.append(f"{len(places)} {plural} skipped: {reason} ({shown})")
        for (kind, name), n in sorted(self._unkept.items()):
            self.summary.notes.append(f"'{name}' of {kind}s is not kept here ({n})")

    def _unread(self, item: Item) -> None:
        for key in sorted(set(item.data) - READ.get(item.kind, set()) - {"@type"}):
            if item.data[key] not in (None, "", [], {}):
                self._unkept[item.kind, key] += 1

    # --- values and sources ----------------------------------------------------------

    def _names(self, item: Item) -> dict[str, str]:
        """name_ru, short_name_en and short_name_ru from other_names (by `lang`, else by
        script), the others noted as not kept."""
        found: dict[str, str] = {}
        for _, entry in shapes.entries(item, "other_names", shapes.OtherName):
            name = entry.name.strip()
            lang = (entry.lang or "").strip().lower()
            note = (entry.note or "").strip().lower()
            if not lang:
                lang = "ru" if _CYRILLIC.search(name) else ""
            short = "short" in note or "abbreviation" in note
            target = {
                ("ru", False): "name_ru",
                ("ru", True): "short_name_ru",
                ("en", True): "short_name_en",
            }.get((lang, short))
            if target is None or target in found:
                self._unkept[item.kind, "other_names"] += 1
                continue
            found[target] = name
        return found

    def _links(self, item: Item) -> list[Source]:
        """The sources the file's links for this record stand for (found or made)."""
        links = shapes.entries(item, "sources", shapes.Link)
        found = [self._link_source(link.url, (link.note or "").strip()[:500]) for _, link in links]
        return list({id(s): s for s in found}.values())

    def _link_source(self, url: str, title: str) -> Source:
        cached = self._sources.get((url, title))
        if cached is not None:
            return cached
        found = Source.objects.filter(url=url)
        source = (found.filter(title=title) if title else found).order_by("key").first()
        if source is None:
            digest = hashlib.sha256(f"{url}\n{title}".encode()).hexdigest()[:16]
            source = self._new_source(f"popolo-link-{digest}", title or url[:500], url=url)
        self._sources[url, title] = source
        return source

    def _file(self) -> Source:
        if self._file_source is None:
            key = _slug(f"popolo-{self.name}", limit=120) or "popolo-import"
            title = f"Popolo file {self.name}"[:500]
            found = Source.objects.filter(key=key).first()
            if found is None:
                self._file_source = self._new_source(key, title)
            elif found.title != title:
                self._file_source = found
                self._call(None, lambda: core.source_upsert(key=key, title=title))
                self.summary.count("sources", Outcome.UPDATED.value)
            else:
                self._file_source = found
                self.summary.count("sources", Outcome.UNCHANGED.value)
        return self._file_source

    def _new_source(self, key: str, title: str, **values: Any) -> Source:
        """A source to be made with the rest (core.source_upsert's creation)."""
        source = _new(Source, key=key, title=title, **values)
        self.creations.add(source, tag=None)
        self.summary.count("sources", Outcome.CREATED.value)
        return source

    def _call(self, item: Item | None, call: Callable[[], Any]) -> None:
        """A change to a record held, made through its service when the plan is written."""
        self._calls.append((item, call))

    # --- writing one record ----------------------------------------------------------

    def _put(
        self,
        label: str,
        item: Item,
        existing: models.Model | None,
        values: dict[str, Any],
        save: Callable[..., tuple[models.Model, Outcome]],
        *,
        key: tuple,
        new: Callable[..., models.Model],
        fields: dict[str, str] = FIELDS,
        hold: bool = False,
    ) -> models.Model:
        """Create a record, or plan the update of one held through its service
        `save(**values, sources, variants)`.

        A new record is `new(**values)`, checked now and written with the rest
        (records.bulk: sourced_upsert's checks, rows and trail); `hold`: kept back for the
        caller to finish and hand to self._create. A record already held keeps its
        other sources and variants; the file becomes one of its sources only where it
        adds or changes something.
        """
        seen = self.written.get((label, *key))
        if seen is not None:
            raise ImportRefused(item.at(), f"describes the same {label} record as {seen}")
        self.written[label, *key] = item.at()
        links = self._links(item)
        if existing is None:
            record = new(**values)
            record._import_sources = links or [self._file()]
            if not hold:
                self._create(record, item, fields)
            self.summary.count(label, Outcome.CREATED.value)
            return record
        cited = self._cited(existing)
        changed = _differs(existing, values)
        added = [s for s in links if s not in cited]
        if changed and not links and self._file() not in cited:
            added.append(self._file())
        if not changed and not added:
            self.summary.count(label, Outcome.UNCHANGED.value)
            return existing
        variants = _variants(existing)

        def call() -> None:
            _, outcome = save(**values, sources=cited + added, variants=variants)
            self.summary.count(label, outcome.value)

        self._call(item, call)
        return existing

    def _create(self, record: models.Model, item: Item, fields: dict[str, str] = FIELDS) -> None:
        """Check a new record now and keep it to be written with the rest."""
        sources = record.__dict__.pop("_import_sources")
        self.creations.add(record, sources=sources, tag=(item, fields))
        self._planned[type(record)].append(record)
        for (model, name), index in self._index.items():
            if model is type(record):
                index[getattr(record, name)].append(record)

    def _cited(self, record) -> list[Source]:
        """The sources a record cites (one waiting to be written: those it will cite)."""
        if record.pk is None:
            return list(record.__dict__.get("_import_sources") or self.creations.sources_of(record))
        return [c.source for c in record.citations.select_related("source").order_by("id")]

    # --- records on record and planned ------------------------------------------------

    def _find(self, model: type[models.Model], *, order: str = "", **values: Any):
        """The first record with these values, among those on record (loaded once: these
        tables are small) and those this import is to create, as a query's .first()."""
        (first, value), *rest = values.items()
        index = self._index.get((model, first))
        if index is None:
            if model not in self._known:
                self._known[model] = list(model._default_manager.all())
            index = self._index[model, first] = defaultdict(list)
            for record in (*self._known[model], *self._planned[model]):
                index[getattr(record, first)].append(record)
        found = [r for r in index.get(value, ()) if all(getattr(r, k) == v for k, v in rest)]
        if order:
            found.sort(key=lambda r: getattr(r, order))
        return found[0] if found else None


def _new(model: type[models.Model], **values: Any) -> models.Model:
    """A new record as upsert() makes one: its fields (and partial dates) set one by one."""
    record = model()
    for name, value in values.items():
        setattr(record, name, value)
    return record


def _identity(record: models.Model) -> Any:
    """A record's key for telling records apart, written or not."""
    return record.pk if record.pk is not None else ("new", id(record))


def _changes(current: Any, value: Any) -> bool:
    if isinstance(current, models.Model) or isinstance(value, models.Model):
        return _identity(current) != _identity(value) if current and value else True
    return current != value


def _start(start: PartialDate) -> dict[str, Any]:
    return {"start_date": start.earliest, "start_precision": start.precision.value}


def _merge(existing, provided: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """Every value a service needs: what the file gives, else what the record holds, else
    the default."""
    values = {}
    for name in {**defaults, **provided}:
        given = provided.get(name)
        if given is not None:
            values[name] = given
        elif existing is not None:
            values[name] = getattr(existing, name)
        else:
            values[name] = defaults.get(name)
    return values


def _differs(record: models.Model, values: dict[str, Any]) -> bool:
    for name, value in values.items():
        current = getattr(record, name)
        if isinstance(current, models.Model) or isinstance(value, models.Model):
            if getattr(current, "pk", None) != getattr(value, "pk", None):
                return True
        elif (current or None) != (value or None):
            return True
    return False


def _variants(record) -> list[dict[str, Any]]:
    """The record's variants as the services take them, to keep them as they are."""
    return [
        {"field": v.field, "value": v.value, "note": v.note, "sources": list(v.sources.all())}
        for v in record.variants.prefetch_related("sources")
    ]
