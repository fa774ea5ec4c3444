"""Popolo JSON import: organizations, memberships, posts, persons and events into the
registry and the bodies, through their services, all or nothing.

- organizations: the organization itself (core.Organization), its bodies (an
  organization whose parent is the organization or one of its bodies) and actors
  (states, told by their ISO 3166 identifiers or classification, and international
  organizations). An actor is matched on its ISO codes, then its id, then its name.
- memberships of states and organizations in the organization become statuses (role
  member, observer, partner, applicant, dialogue partner) or chairmanships (role chair,
  or the chair post); a person's membership in the head-of-Secretariat post becomes a
  term of office, and that person a person of the registry.
- events become meetings of the body named by organization_id, with one schedule
  entry (held, planned or cancelled) for the dates and place given.

Ids and labels are read as popolo.py writes them ("actor/<slug>", "Chair (renewal)",
"Applicant for observer status (pending)"); others are made into slugs. A membership's
end_date is read as the record's end, as popolo.py writes it.

Everything else (other persons and posts, areas, motions, votes, speeches, counts) is
reported as skipped, never refused. The first real error (a wrong type, an unknown
reference, a duplicate id, a bad date, a record the rules refuse) refuses the whole
file with ImportRefused(JSON pointer, reason), and nothing of it is kept. Records are
matched by their ids and identifiers, so importing a file twice changes nothing the
second time; a record already held keeps what the file does not say (its end date, its
other sources and variants). Every record written cites the file's `sources` links, or
else the file itself.

A single entity (a file holding one organization, membership, event...) is a fragment of
a larger document: a reference from it to something neither in it nor on record is
reported, and the record that needs it skipped, rather than refused.

In three steps, so that the write lock is held for moments, not for the whole import:
the file is read as a stream, each item checked as it comes (a file is refused at its
first bad item, having held no more than what was read before it); then, outside any
transaction, everything is resolved and checked against the record (reads only): new
records are made and validated in memory (core.bulk), changes to records held are
prepared as calls of their services; then one short transaction writes it all. Should
the record change between the two (another user's write: the audit trail moved), the
plan is made again; the last attempt plans inside the transaction.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, models, transaction
from django.urls import get_resolver
from django.utils import timezone

from secretariat.audit.models import AuditEntry
from secretariat.bodies import services as bodies
from secretariat.bodies.models import Body, BodyEvent, Meeting, MeetingSchedule
from secretariat.bodies.selectors import meeting_title
from secretariat.core import acting
from secretariat.core import services as core
from secretariat.core.bulk import CreationRefused, Creations
from secretariat.core.models import Organization, Source
from secretariat.core.partial_dates import PartialDate
from secretariat.core.services import Outcome
from secretariat.datasets.loader import describe
from secretariat.registry import services as registry
from secretariat.registry.models import Actor, Chairmanship, Person, SecretariatHead, Status

from . import popolo as P
from . import stream
from .formats import Progress, no_progress
from .popolo_read import (
    _APPLICANT,
    _CYRILLIC,
    _DATE,
    _URL,
    CHAIR_ROLES,
    COLLECTIONS,
    EMBEDDED_LISTS,
    EMBEDDED_ONE,
    FIELDS,
    HEAD_LABELS,
    HEAD_TITLES,
    KEPT,
    READ,
    ROLE_KINDS,
    STATE_CLASSES,
    Item,
    Skip,
    _in,
    _plural,
    _slug,
    _slug_for,
    _strings,
    _type,
    _words,
    entity_kind,
)
from .safe import MAX_DEPTH, ImportRefused, pointer


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


PLANS = 3  # plans made outside the transaction before one is made inside it


def import_data(
    data: Any, *, name: str, dry_run: bool = False, progress: Progress = no_progress
) -> Summary:
    """Import a Popolo document, parsed or (a Path) read as a stream; ImportRefused on
    the first error, nothing kept.

    Audited as the "import" channel with the file's name as the reason when the system
    runs it (the CLI); a signed-in user imports with that user's own rights.
    """
    who = acting.current()
    user, via = (None, "import") if who.is_system else (who.user, who.via)
    read = Importer(name=name, progress=progress)
    read.read(_entries(data, name))
    # What the commit's indexing needs and loads on first use (the URL configuration,
    # API routes and all), loaded now: not while the write lock is held.
    get_resolver().reverse_dict  # noqa: B018
    try:
        with acting.acting_as(user, via=via, reason=f"import {name}"):
            for attempt in range(PLANS + 1):
                importer = read.again()
                last = attempt == PLANS
                with transaction.atomic() if last else nullcontext():
                    mark = _trail_mark()
                    importer.plan()
                with transaction.atomic():
                    if not last and _trail_mark() != mark:
                        continue  # written to meanwhile: plan again
                    importer.write()
                    if dry_run:
                        transaction.set_rollback(True)
                break
    except PermissionDenied as exc:
        raise ImportRefused(name, str(exc)) from None
    importer.summary.dry_run = dry_run
    return importer.summary


def _trail_mark() -> int | None:
    """The last entry of the audit trail: every change of the record writes one."""
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()


def _entries(data: Any, name: str) -> Iterator[tuple[str, Any, Any]]:
    """The document's top level as stream.top_level gives it, from a file or parsed JSON."""
    if isinstance(data, Path):
        yield from stream.top_level(data, name=name)
        return
    if not isinstance(data, dict):
        yield stream.DOCUMENT, None, data
        return
    for key, value in data.items():
        if isinstance(value, list):
            yield stream.LIST, key, None
            for i, item in enumerate(value):
                yield stream.ITEM, (key, i), item
        else:
            yield stream.VALUE, key, value


HOME = "organization"


@dataclass(frozen=True)
class Ref:
    """What an organization id stands for here: the organization, a body or an actor."""

    kind: str  # HOME, "body" or "actor"
    record: models.Model | None


class Importer:
    def __init__(self, *, name: str, progress: Progress = no_progress):
        self.name = name
        self.progress = progress
        self.summary = Summary(name=name)
        self.items: dict[str, list[Item]] = defaultdict(list)
        self.by_id: dict[str, dict[str, Item]] = defaultdict(dict)
        self.single = False
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
        self._notes_read: list[str] = []
        self._checking = False
        self.creations = Creations()
        self._calls: list[tuple[Item, Callable[[], None]]] = []  # changes to records held
        self._known: dict[type, list] = {}  # records on record, loaded once (small tables)
        self._planned: dict[type, list] = defaultdict(list)  # new records, not yet written
        self._meetings: dict[str, Meeting] = {}
        self._index: dict[tuple[type, str], dict[Any, list]] = {}

    def again(self) -> Importer:
        """A planner for the items read: the state of a plan starts afresh."""
        fresh = Importer(name=self.name, progress=self.progress)
        fresh.items, fresh.by_id, fresh.single = self.items, self.by_id, self.single
        fresh.summary.notes = list(self._notes_read)
        fresh._unkept = Counter(self._unkept)
        return fresh

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

    def write(self) -> None:
        """Write the plan (inside the caller's transaction): the new records at once, then
        the changes to records held, through their services."""
        try:
            self.creations.flush()
        except CreationRefused as refused:
            item, fields = refused.tag or (None, {})
            if item is None:
                raise ImportRefused("/", f"refused by the database: {refused.error}") from None
            self._refuse(item, refused.error, fields)
        for item, call in self._calls:
            if item is None:
                call()
            else:
                self._guarded(item, lambda _, call=call: call(), FIELDS, tick=False)
        self.progress(self._total, self._total)

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

    # --- reading the file ------------------------------------------------------------

    def read(self, entries: Iterator[tuple[str, Any, Any]]) -> None:
        """Read the document's top level as it comes (stream.top_level): each item of a
        collection is taken apart and checked at once, so that a bad file is refused at
        its first bad item. Whether the document is collections or one entity is known
        at its end: an entity is then taken apart as a whole."""
        data: dict[str, Any] = {}  # the top level as read, lists holding their raw items
        self._checking = True
        for what, key, value in entries:
            if what == stream.DOCUMENT:
                raise ImportRefused("/", f"a Popolo document is an object, not {_type(value)}")
            if what == stream.LIST:
                data[key] = []
            elif what == stream.VALUE:
                data[key] = value
                if key in COLLECTIONS and value is not None:  # a list comes as LIST
                    raise ImportRefused(pointer(key), f"must be a list, not {_type(value)}")
            else:
                key, i = key
                data[key].append(value)
                if key in COLLECTIONS:
                    self._add(COLLECTIONS[key], value, (key, i), top=True)
        if entity_kind(data) is None and any(key in data for key in COLLECTIONS):
            self._notes_read = [
                f"top-level '{k}' is not Popolo: ignored" for k in data if k not in COLLECTIONS
            ]
        else:
            kind = entity_kind(data)
            if kind is None:
                raise ImportRefused("/", "neither Popolo collections nor a Popolo entity")
            # A fragment: its references may point outside it, so nothing is checked
            # ahead of the rules that allow for that.
            self.items, self.single, self._checking = defaultdict(list), True, False
            self._add(kind, data, (), top=True)
        for kind, items in self.items.items():
            seen: dict[str, Item] = {}
            for item in items:
                if item.id is None:
                    continue
                first = seen.get(item.id)
                if first is not None and item.top and first.top:
                    raise ImportRefused(
                        item.at("id"), f"duplicate id '{item.id}' (also at {first.at('id')})"
                    )
                if first is None or (item.top and not first.top):
                    seen[item.id] = item  # the entity itself, over a copy embedded elsewhere
            self.by_id[kind] = seen
        # An entity embedded in several places is one entity: keep it once.
        for kind in list(self.items):
            self.items[kind] = [
                i for i in self.items[kind] if i.id is None or self.by_id[kind][i.id] is i
            ]

    def _add(self, kind: str, entity: Any, where: tuple, *, top: bool) -> Item:
        if kind not in KEPT:  # only counted, as skipped: its content is not read
            item = Item(kind, entity if isinstance(entity, dict) else {}, where, top)
            self.items[kind].append(item)
            return item
        if not isinstance(entity, dict):
            raise ImportRefused(pointer(*where), f"must be an object, not {_type(entity)}")
        if len(where) > MAX_DEPTH:
            raise ImportRefused(pointer(*where), f"nested deeper than {MAX_DEPTH} levels")
        if "id" in entity and entity["id"] is not None and not isinstance(entity["id"], str):
            raise ImportRefused(pointer(*where, "id"), f"must be text, not {_type(entity['id'])}")
        data = dict(entity)
        item = Item(kind, data, where, top)
        for key, (child_kind, back) in EMBEDDED_LISTS.get(kind, {}).items():
            children = data.pop(key, None)
            if children is None:
                continue
            if not isinstance(children, list):
                raise ImportRefused(item.at(key), f"must be a list, not {_type(children)}")
            for i, child in enumerate(children):
                if isinstance(child, dict) and back and item.id and child.get(back) is None:
                    child = {**child, back: item.id}
                    if kind == "post" and "organization_id" in data:
                        child.setdefault("organization_id", data["organization_id"])
                self._add(child_kind, child, (*where, key, i), top=False)
        for key, (child_kind, holder) in EMBEDDED_ONE.get(kind, {}).items():
            child = data.pop(key, None)
            if child is None:
                continue
            lifted = self._add(child_kind, child, (*where, key), top=False)
            if lifted.id and data.get(holder) is None:
                data[holder] = lifted.id
        if kind == "membership" and isinstance(data.get("member"), dict):
            member = data["member"]
            if set(member) - {"@type", "id"}:
                typed = "person" if str(member.get("@type", "")).lower() == "person" else None
                self._add(typed or "organization", member, (*where, "member"), top=False)
        if self._checking:
            self._check(item)
        self.items[kind].append(item)
        return item

    def _check(self, item: Item) -> None:
        """What can be checked of an item alone, as it is read; the rest (references,
        the record) once the whole file is. Only what every item of its kind goes
        through, whatever becomes of it, so that nothing is refused that would have been
        passed over."""
        d = item.data
        if item.kind == "organization":
            self._text(item, "name")
            self._text(item, "description")
            self._names(item, count=False)
            self._date(item, "founding_date")
            self._link_urls(item)
        elif item.kind == "post":
            self._text(item, "role")
            self._text(item, "label")
        elif item.kind == "membership":
            member = d.get("member")
            if member is not None and not isinstance(member, dict):
                raise ImportRefused(item.at("member"), f"must be an object, not {_type(member)}")
            if member is not None and not isinstance(member.get("id"), str):
                raise ImportRefused(item.at("member", "id"), "must name the member's id as text")
            for key in ("person_id", "post_id"):
                if d.get(key) is not None and not isinstance(d[key], str):
                    raise ImportRefused(item.at(key), f"must be text, not {_type(d[key])}")
            self._text(item, "role")
            self._date(item, "start_date")
            self._date(item, "end_date")
        elif item.kind == "event":
            if d.get("organization_id") is None:
                raise ImportRefused(
                    item.at("organization_id"),
                    "a meeting needs the body that met: give its organization_id",
                )
            if not isinstance(d["organization_id"], str):
                raise ImportRefused(
                    item.at("organization_id"), f"must be text, not {_type(d['organization_id'])}"
                )
            self._date(item, "start_date", required="a meeting needs its start_date")
            self._date(item, "end_date")
            for key in ("name", "classification", "description", "status", "location"):
                self._text(item, key)
            self._ordinal(item, count=False)
            self._link_urls(item)

    # --- values ----------------------------------------------------------------------

    def _text(self, item: Item, key: str) -> str | None:
        value = item.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ImportRefused(item.at(key), f"must be text, not {_type(value)}")
        return value.strip() or None

    def _date(self, item: Item, key: str, *, required: str = "") -> PartialDate | None:
        value = item.data.get(key)
        if value in (None, ""):
            if required:
                raise ImportRefused(item.at(key), required)
            return None
        if not isinstance(value, str):
            raise ImportRefused(item.at(key), f"must be a date as text, not {_type(value)}")
        match = _DATE.match(value.strip())
        if not match or (match.group(2) and len(match.group(1)) != 10):
            raise ImportRefused(
                item.at(key), f"'{value}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
            )
        try:
            return PartialDate.parse(match.group(1))
        except ValidationError as exc:
            raise ImportRefused(item.at(key), describe(exc)) from None

    def _list(self, item: Item, key: str) -> list[tuple[int, dict]]:
        value = item.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise ImportRefused(item.at(key), f"must be a list, not {_type(value)}")
        for i, entry in enumerate(value):
            if not isinstance(entry, dict):
                raise ImportRefused(item.at(key, i), f"must be an object, not {_type(entry)}")
        return list(enumerate(value))

    def _entry_text(self, item: Item, key: str, i: int, entry: dict, name: str, *, required=False):
        value = entry.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            raise ImportRefused(item.at(key, i, name), f"must be text, not {_type(value)}")
        return value.strip()

    def _names(self, item: Item, *, count: bool = True) -> dict[str, str]:
        """name_ru, short_name_en and short_name_ru from other_names (by `lang`, else by
        script), the others noted as not kept."""
        found: dict[str, str] = {}
        for i, entry in self._list(item, "other_names"):
            name = self._entry_text(item, "other_names", i, entry, "name", required=True)
            lang = (self._entry_text(item, "other_names", i, entry, "lang") or "").lower()
            note = (self._entry_text(item, "other_names", i, entry, "note") or "").lower()
            if not lang:
                lang = "ru" if _CYRILLIC.search(name) else ""
            short = "short" in note or "abbreviation" in note
            target = {
                ("ru", False): "name_ru",
                ("ru", True): "short_name_ru",
                ("en", True): "short_name_en",
            }.get((lang, short))
            if target is None or target in found:
                self._unkept[item.kind, "other_names"] += count
                continue
            found[target] = name
        return found

    def _links(self, item: Item) -> list[Source]:
        """The sources the file's links for this record stand for (found or made)."""
        found = [self._link_source(url, note) for url, note in self._link_urls(item)]
        return list({id(s): s for s in found}.values())

    def _link_urls(self, item: Item) -> list[tuple[str, str]]:
        """The file's links for this record, checked: (address, title)."""
        result = []
        for i, link in self._list(item, "sources"):
            url = self._entry_text(item, "sources", i, link, "url", required=True)
            note = self._entry_text(item, "sources", i, link, "note") or ""
            try:
                _URL(url)
            except ValidationError:
                where = item.at("sources", i, "url")
                raise ImportRefused(where, f"'{url}' is not a web address") from None
            if len(url) > 1000:
                raise ImportRefused(item.at("sources", i, "url"), "longer than 1000 characters")
            result.append((url, note[:500]))
        return result

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
        (core.bulk: sourced_upsert's checks, rows and trail); `hold`: kept back for the
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

    # --- organizations ---------------------------------------------------------------

    def _organizations(self) -> None:
        items = self.items["organization"]
        home = self._home(items)
        order: list[tuple[Item, str]] = []
        pending = [i for i in items if i is not home]
        if home is not None:
            order.append((home, HOME))
            if home.id:
                self.refs[home.id] = Ref(HOME, self.stored)
        # Bodies come after their parents; what cannot be placed under the organization
        # is an actor.
        kinds: dict[int, str] = {}
        for item in pending:
            self._organization_kind(item, home, kinds)
        for item in sorted(pending, key=lambda i: self._depth(i)):
            order.append((item, kinds[id(item)]))
        for item, kind in order:
            handler = {HOME: self._home_record, "body": self._body, "actor": self._actor}[kind]
            self._guarded(item, handler, FIELDS)

    def _home(self, items: list[Item]) -> Item | None:
        """The file's entity for the organization itself: the one held, by id or name;
        with none held, the parentless one that states belong to and bodies report to."""
        if self.stored is not None:
            names = {self.stored.name_en, self.stored.short_name_en}
            return next(
                (i for i in items if i.id == self.stored.slug or _in(i.data.get("name"), names)),
                None,
            )
        votes: Counter = Counter()
        for m in self.items["membership"]:
            member = m.data.get("member")
            if isinstance(member, dict) and str(member.get("@type", "")).lower() != "person":
                votes[str(m.data.get("organization_id"))] += 1
        for o in items:
            votes[str(o.data.get("parent_id"))] += 1
        candidates = [
            (n, i) for i in items if i.id and not i.data.get("parent_id") and (n := votes[i.id])
        ]
        return max(candidates, key=lambda c: c[0])[1] if candidates else None

    def _organization_kind(self, item: Item, home: Item | None, known: dict[int, str]) -> str:
        """body if its parents lead to the organization or to a body, else actor; every
        organization met on the way up gets the same answer (`known`)."""
        path: list[Item] = []
        kind = None
        while kind is None:
            if id(item) in known:
                kind = known[id(item)]
                break
            if any(met is item for met in path):
                raise ImportRefused(item.at("parent_id"), "parents make a cycle")
            path.append(item)
            parent = item.data.get("parent_id")
            if parent is not None and not isinstance(parent, str):
                raise ImportRefused(item.at("parent_id"), f"must be text, not {_type(parent)}")
            if self._is_state(item) or self._find(Actor, slug=_slug_for(item, P.ACTOR)):
                kind = "actor"
            elif self._find(Body, slug=_slug_for(item, P.BODY)):
                kind = "body"
            elif parent is None:
                kind = "actor"
            elif home is not None and parent == home.id:
                kind = "body"
            elif parent in self.by_id["organization"]:
                item = self.by_id["organization"][parent]
                kind = "body" if item is home else None
            elif (ref := self._stored_ref(parent)) is not None:
                kind = "body" if ref.kind in (HOME, "body") else "actor"
            else:
                self._missing(item, "parent_id", parent, "organization", fatal=not self.single)
                kind = "actor"
        for met in path:
            known[id(met)] = kind
        return kind

    def _depth(self, item: Item) -> int:
        depth, seen = 0, set()
        while isinstance(parent := item.data.get("parent_id"), str) and (
            parent in self.by_id["organization"]
        ):
            if parent in seen:
                break
            seen.add(parent)
            item = self.by_id["organization"][parent]
            depth += 1
        return depth

    def _is_state(self, item: Item) -> bool:
        classification = (self._text(item, "classification") or "").lower()
        return classification in STATE_CLASSES or any(self._iso_codes(item))

    def _iso_codes(self, item: Item, *, note: bool = False) -> tuple[str, str]:
        """The ISO 3166-1 codes among the identifiers (`note`: count the others as not kept)."""
        iso2 = iso3 = ""
        for i, entry in self._list(item, "identifiers"):
            code = self._entry_text(item, "identifiers", i, entry, "identifier", required=True)
            scheme = self._entry_text(item, "identifiers", i, entry, "scheme") or ""
            scheme = re.sub(r"[^a-z0-9]", "", scheme.lower())
            if "3166" not in scheme and scheme not in ("iso2", "iso3", "isoalpha2", "isoalpha3"):
                self._unkept[item.kind, "identifiers"] += note
                continue
            size = 3 if scheme.endswith("3") else 2 if scheme.endswith("2") else len(code)
            if not re.fullmatch(rf"[A-Za-z]{{{size}}}", code) or size not in (2, 3):
                raise ImportRefused(
                    item.at("identifiers", i, "identifier"),
                    f"'{code}' is not an ISO 3166-1 alpha-{size} code",
                )
            if size == 2:
                iso2 = code.upper()
            else:
                iso3 = code.upper()
        return iso2, iso3

    def _missing(self, item: Item, key: str, value: str, what: str, *, fatal: bool) -> None:
        why = f"no {what} with id '{value}' in the file or on record"
        if fatal:
            raise ImportRefused(item.at(key), why)
        self._unkept[item.kind, f"{key} (naming nothing in the file or on record)"] += 1

    def _stored_ref(self, value: str) -> Ref | None:
        """An organization on record named by an id: ours, "actor/<slug>", "body/<slug>",
        or a bare slug."""
        if self.stored is not None and value == self.stored.slug:
            return Ref(HOME, self.stored)
        for prefix, model, kind in ((P.ACTOR, Actor, "actor"), (P.BODY, Body, "body")):
            if value.startswith(prefix):
                found = self._find(model, slug=value[len(prefix) :])
                return Ref(kind, found) if found else None
        slug = _slug(value)
        actor = self._find(Actor, slug=slug)
        body = self._find(Body, slug=slug)
        if actor and body:
            return None  # the same bare slug names both: refuse rather than guess
        return Ref("actor", actor) if actor else Ref("body", body) if body else None

    def _org_ref(self, item: Item, key: str, value: Any = None) -> Ref | None:
        """Resolve an organization reference; unknown: refused, or in a fragment, noted."""
        value = item.data.get(key) if value is None else value
        if not isinstance(value, str):
            raise ImportRefused(item.at(key), f"must be text, not {_type(value)}")
        ref = self.refs.get(value) or self._stored_ref(value)
        if ref is None:
            if not self.single:
                raise ImportRefused(
                    item.at(key), f"no organization with id '{value}' in the file or on record"
                )
            raise Skip(f"{key} '{value}' is neither in the file nor on record")
        return ref

    def _home_record(self, item: Item) -> None:
        self._unread(item)
        names = self._names(item)
        name = self._text(item, "name")
        existing = self.stored
        slug = existing.slug if existing else _slug_for(item, "")
        if existing is None and not name:
            raise ImportRefused(item.at("name"), "the organization needs a name")
        short = names.get("short_name_en") or (name if name and len(name) <= 40 else None)
        if existing is None and not short:
            raise ImportRefused(
                item.at("other_names"), "the organization needs a short name (a 'short name')"
            )
        provided = {
            "name_en": name,
            "name_ru": names.get("name_ru"),
            "short_name_en": names.get("short_name_en") or (None if existing else short),
            "short_name_ru": names.get("short_name_ru"),
            "founded": self._date(item, "founding_date"),
            "note": self._text(item, "description"),
        }
        values = _merge(existing, provided, {k: "" for k in provided} | {"founded": None})
        record = self._put(
            "organization",
            item,
            existing,
            values,
            lambda **kw: core.organization_upsert(slug=slug, **kw),
            key=(slug,),
            new=lambda **kw: _new(Organization, slug=slug, **kw),
        )
        self.stored = record
        if item.id:
            self.refs[item.id] = Ref(HOME, record)

    def _actor(self, item: Item) -> None:
        self._unread(item)
        parent = item.data.get("parent_id")
        if isinstance(parent, str) and (
            parent in self.by_id["organization"] or self._stored_ref(parent)
        ):
            self._unkept["organization", "parent_id (of a state or organization)"] += 1
        iso2, iso3 = self._iso_codes(item, note=True)
        explicit = self._is_state(item)
        existing = None
        if iso2:
            existing = self._find(Actor, iso2=iso2)
        if existing is None and iso3:
            existing = self._find(Actor, iso3=iso3)
        slug = _slug_for(item, P.ACTOR)
        name = self._text(item, "name")
        if existing is None:
            existing = self._find(Actor, slug=slug)
        if existing is None and name:
            existing = self._find(Actor, name_en=name, order="slug")
        classification = (self._text(item, "classification") or "").lower()
        kind = Actor.Kind.STATE if explicit else Actor.Kind.ORGANIZATION
        if existing is not None:
            if (explicit or classification) and kind != existing.kind:
                raise ImportRefused(
                    item.at("classification"),
                    f"{existing} is on record as {existing.get_kind_display().lower()}",
                )
            kind = existing.kind
            slug = existing.slug
        elif not name:
            raise ImportRefused(item.at("name"), "a state or organization needs a name")
        elif kind == Actor.Kind.STATE and not iso2:
            raise ImportRefused(
                item.at("identifiers"), f"a state needs its {P.ISO2_SCHEME} code in identifiers"
            )
        names = self._names(item)
        provided = {
            "kind": kind,
            "name_en": name,
            "name_ru": names.get("name_ru"),
            "short_name_en": names.get("short_name_en"),
            "short_name_ru": names.get("short_name_ru"),
            "iso2": iso2 or None,
            "iso3": iso3 or None,
            "exists_from": self._date(item, "founding_date"),
            "exists_until": self._date(item, "dissolution_date"),
            "note": self._text(item, "description"),
        }
        defaults = {k: "" for k in provided} | {"exists_from": None, "exists_until": None}
        values = _merge(existing, provided, defaults)
        actor = self._put(
            "actors",
            item,
            existing,
            values,
            lambda **kw: registry.actor_upsert(slug=slug, **kw),
            key=(slug,),
            new=lambda **kw: _new(Actor, slug=slug, **kw),
        )
        if item.id:
            self.refs[item.id] = Ref("actor", actor)

    def _body(self, item: Item) -> None:
        self._unread(item)
        slug = _slug_for(item, P.BODY)
        existing = self._find(Body, slug=slug)
        name = self._text(item, "name")
        if existing is None and not name:
            raise ImportRefused(item.at("name"), "a body needs a name")
        parent = None
        if item.data.get("parent_id") is not None:
            ref = self._org_ref(item, "parent_id")
            parent = ref.record if ref.kind == "body" else None
        classification = (self._text(item, "classification") or "").lower()
        kind = _body_kind(classification)
        if kind is None and classification:
            self._unkept["organization", f"classification '{classification}' (kept as other)"] += 1
        names = self._names(item)
        provided = {
            "kind": kind or (None if existing else Body.Kind.OTHER),
            "name_en": name,
            "name_ru": names.get("name_ru"),
            "short_name_en": names.get("short_name_en"),
            "short_name_ru": names.get("short_name_ru"),
            "parent": parent,
            "note": self._text(item, "description"),
        }
        values = _merge(existing, provided, {k: "" for k in provided} | {"parent": None})
        if item.data.get("parent_id") is not None:
            values["parent"] = parent  # placed where the file places it
        initiators = list(existing.initiated_by.all()) if existing else []
        body = self._put(
            "bodies",
            item,
            existing,
            values,
            lambda **kw: bodies.body_upsert(slug=slug, initiated_by=initiators, **kw),
            key=(slug,),
            new=lambda **kw: _new(Body, slug=slug, **kw),
        )
        if item.id:
            self.refs[item.id] = Ref("body", body)
        for key, kind in (
            ("founding_date", BodyEvent.Kind.ESTABLISHED),
            ("dissolution_date", BodyEvent.Kind.DISSOLVED),
        ):
            date = self._date(item, key)
            if date is None:
                continue
            held = list(body.events.filter(kind=kind)) if body.pk is not None else []
            if any(e.date == date for e in held):
                self.summary.count("body events", Outcome.UNCHANGED.value)
            elif held:
                self._unkept["organization", f"{key} (the record has its own)"] += 1
            else:
                event = _new(BodyEvent, body=body, kind=kind, date=date, meeting=None, note="",
                             editorial_note="")  # fmt: skip
                event._import_sources = self._links(item) or [self._file()]
                self._create(event, item)
                self.summary.count("body events", Outcome.CREATED.value)

    # --- posts, persons, memberships -------------------------------------------------

    def _read_posts(self) -> None:
        """Which posts of the file are the chair's and the head of the Secretariat's."""
        for item in self.items["post"]:
            self._tick()
            words = {_words(self._text(item, "role")), _words(self._text(item, "label"))}
            words |= {_words(x) for x in _strings(item.data.get("other_label"))}
            if item.id == P.CHAIR_POST or words & CHAIR_ROLES:
                kind = "chair"
            elif item.id == P.HEAD_POST or words & HEAD_LABELS:
                kind = "head"
            else:
                kind = "other"
                self._skip(
                    item, "only the chair's and the head of the Secretariat's posts are kept"
                )
            if kind != "other" and item.data.get("organization_id") is not None:
                try:
                    self._org_ref(item, "organization_id")
                except Skip as skip:
                    self._skip(item, str(skip))
                    kind = "other"
            if item.id:
                self.posts[item.id] = kind

    def _post_kind(self, item: Item) -> str | None:
        post = item.data.get("post_id")
        if post is None:
            return None
        if not isinstance(post, str):
            raise ImportRefused(item.at("post_id"), f"must be text, not {_type(post)}")
        if post in self.posts:
            return self.posts[post]
        if post in (P.CHAIR_POST, P.HEAD_POST):
            return "chair" if post == P.CHAIR_POST else "head"
        if not self.single:
            raise ImportRefused(item.at("post_id"), f"no post with id '{post}' in the file")
        return "other"

    def _plan(self, item: Item) -> tuple | None:
        """What a membership becomes: ("status", ...), ("chair", ...), ("head", ...), or
        None when skipped. References are checked here, before anything is written."""
        try:
            return self._read_plan(item)
        except Skip as skip:
            self._tick()
            self._skip(item, str(skip))
            return None

    def _read_plan(self, item: Item) -> tuple:
        d = item.data
        member = d.get("member")
        if member is not None and not isinstance(member, dict):
            raise ImportRefused(item.at("member"), f"must be an object, not {_type(member)}")
        member_id = member.get("id") if member else None
        if member is not None and not isinstance(member_id, str):
            raise ImportRefused(item.at("member", "id"), "must name the member's id as text")
        typed = str((member or {}).get("@type", "")).lower()
        person_id = d.get("person_id")
        if person_id is not None and not isinstance(person_id, str):
            raise ImportRefused(item.at("person_id"), f"must be text, not {_type(person_id)}")
        post = self._post_kind(item)
        role = _words(self._text(item, "role"))
        start = self._date(item, "start_date")
        end = self._date(item, "end_date")
        if person_id or typed == "person":
            if post != "head" and not (post is None and role in HEAD_TITLES):
                raise Skip("a person's membership is kept only as head of the Secretariat")
            title = HEAD_TITLES.get(role)
            if title is None:
                raise ImportRefused(
                    item.at("role"),
                    "the head of the Secretariat's role must be one of: "
                    + ", ".join(P.HEAD_TITLES.values()),
                )
            if d.get("organization_id") is not None:
                self._org_ref(item, "organization_id")
            where = "person_id" if person_id else "member"
            return ("head", {"person": (person_id or member_id, item.at(where)), "title": title,
                             "start": start, "end": end})  # fmt: skip
        if member is None:
            raise ImportRefused(
                item.at(), "names no member: give member (with its id) or person_id"
            )
        if d.get("organization_id") is None:
            raise ImportRefused(item.at("organization_id"), "names no organization_id")
        organization = self._org_ref(item, "organization_id")
        actor = self._org_ref(item, "member", member_id)
        if actor.kind != "actor":
            raise ImportRefused(
                item.at("member", "id"),
                f"'{member_id}' is the organization or one of its bodies, not a state or "
                "organization that can hold a standing",
            )
        if organization.kind != HOME:
            raise Skip("standings in other organizations and in bodies are not kept")
        if post == "chair" or role in CHAIR_ROLES:
            return ("chair", {"actor": actor.record, "start": start, "end": end})
        kind = ROLE_KINDS.get(role or "member")
        if kind is None:
            raise Skip(f"the role '{role}' is not a standing kept here")
        return ("status", {"actor": actor.record, "kind": kind, "start": start, "end": end})

    def _persons(self, wanted: set) -> None:
        """The persons that head memberships name: from the file, or on record."""
        for item in self.items["person"]:
            if item.id not in {pid for pid, _ in wanted}:
                self._tick()
                self._skip(item, "a person is kept only as head of the Secretariat")
                continue
            self._guarded(item, self._person, FIELDS)
        for pid, where in sorted(wanted):
            if pid in self.persons:
                continue
            slug = pid[len(P.PERSON) :] if pid.startswith(P.PERSON) else _slug(pid)
            person = Person.objects.filter(slug=slug).first()
            if person is None and not self.single:
                raise ImportRefused(where, f"no person with id '{pid}' in the file or on record")
            self.persons[pid] = person  # None: a fragment's person, skipped with its term

    def _person(self, item: Item) -> None:
        self._unread(item)
        slug = _slug_for(item, P.PERSON)
        existing = self._find(Person, slug=slug)
        name = self._text(item, "name")
        if existing is None and not name:
            raise ImportRefused(item.at("name"), "a person needs a name")
        nationality = None
        identity = self._text(item, "national_identity")
        if identity:
            nationality = self._find(Actor, name_en=identity, kind=Actor.Kind.STATE) or self._find(
                Actor, name_ru=identity, kind=Actor.Kind.STATE
            )
            if nationality is None:
                self._unkept["person", "national_identity (no such state on record)"] += 1
        names = self._names(item)
        provided = {"name_en": name, "name_ru": names.get("name_ru"), "nationality": nationality}
        values = _merge(existing, provided, {"name_en": "", "name_ru": "", "nationality": None})
        person = self._put(
            "people",
            item,
            existing,
            values,
            lambda **kw: registry.person_upsert(slug=slug, **kw),
            key=(slug,),
            new=lambda **kw: _new(Person, slug=slug, **kw),
        )
        self.persons[item.id] = person

    def _membership(self, item: Item, plan: tuple | None) -> None:
        if plan is None:
            return
        self._unread(item)
        what, facts = plan
        handler = {"status": self._status, "chair": self._chair, "head": self._head}[what]
        self._guarded(item, lambda i: handler(i, **facts), FIELDS)

    def _status(self, item: Item, *, actor: Actor, kind: str, start, end) -> None:
        if start is None:
            raise ImportRefused(item.at("start_date"), "a standing needs its start_date")
        existing = (
            Status.objects.filter(actor=actor, kind=kind, **_start(start))
            .select_related("decided_at")
            .first()
            if actor.pk is not None
            else None
        )
        provided: dict[str, Any] = {"end": end}
        if kind == Status.Kind.APPLICANT:
            provided |= self._application(item, existing)
        defaults = {"end": None, "decided_at": None, "applied_for": "", "outcome": "", "note": ""}
        values = _merge(existing, provided, defaults)
        self._put(
            "statuses",
            item,
            existing,
            values,
            lambda **kw: registry.status_upsert(actor=actor, kind=kind, start=start, **kw),
            key=(_identity(actor), kind, start),
            new=lambda **kw: _new(Status, actor=actor, kind=kind, start=start, **kw),
        )

    def _application(self, item: Item, existing: Status | None) -> dict[str, str]:
        match = _APPLICANT.search(self._text(item, "label") or "")
        sought = ROLE_KINDS.get(match.group("kind").lower()) if match else None
        outcome = (match.group("outcome") or "pending").lower() if match else None
        if sought is not None and outcome in Status.Outcome.values:
            return {"applied_for": sought, "outcome": outcome}
        if existing is not None:
            return {}
        raise ImportRefused(
            item.at("label"),
            "an applicant's label says the status sought and the outcome, e.g. "
            "'Applicant for observer status (pending)'",
        )

    def _chair(self, item: Item, *, actor: Actor, start, end) -> None:
        if start is None:
            raise ImportRefused(item.at("start_date"), "a chairmanship needs its start_date")
        existing = (
            Chairmanship.objects.filter(actor=actor, **_start(start)).first()
            if actor.pk is not None
            else None
        )
        label = (self._text(item, "label") or "").lower()
        kind = next((k for k in Chairmanship.Kind.values if k in label), None)
        provided = {"end": end, "kind": kind}
        defaults = {"end": None, "kind": Chairmanship.Kind.TERM, "decided_at": None,
                    "decided_on": None, "taken_over_at": None, "note": ""}  # fmt: skip
        values = _merge(existing, provided, defaults)
        self._put(
            "chairmanships",
            item,
            existing,
            values,
            lambda **kw: registry.chairmanship_upsert(actor=actor, start=start, **kw),
            key=(start,),
            new=lambda **kw: _new(Chairmanship, actor=actor, start=start, **kw),
        )

    def _head(self, item: Item, *, person, title: str, start, end) -> None:
        if start is None:
            raise ImportRefused(item.at("start_date"), "a term of office needs its start_date")
        holder = self.persons[person[0]]
        if holder is None:
            raise Skip(f"person_id '{person[0]}' is neither in the file nor on record")
        existing = (
            SecretariatHead.objects.filter(person=holder, **_start(start)).first()
            if holder.pk is not None
            else None
        )
        provided = {"title": title, "end": end}
        defaults = {"title": "", "end": None, "appointed_at": None, "note": ""}
        values = _merge(existing, provided, defaults)
        self._put(
            "heads",
            item,
            existing,
            values,
            lambda **kw: registry.head_upsert(person=holder, start=start, **kw),
            key=(_identity(holder), start),
            new=lambda **kw: _new(SecretariatHead, person=holder, start=start, **kw),
        )

    # --- events ----------------------------------------------------------------------

    def _event(self, item: Item) -> None:
        self._unread(item)
        if item.data.get("organization_id") is None:
            raise ImportRefused(
                item.at("organization_id"),
                "a meeting needs the body that met: give its organization_id",
            )
        ref = self._org_ref(item, "organization_id")
        if ref.kind != "body":
            what = "the organization itself" if ref.kind == HOME else "a state or organization"
            raise ImportRefused(
                item.at("organization_id"),
                f"'{item.data['organization_id']}' is {what}, not one of its bodies: "
                "a meeting needs the body that met",
            )
        body = ref.record
        start = self._date(item, "start_date", required="a meeting needs its start_date")
        end = self._date(item, "end_date")
        name = self._text(item, "name")
        ordinal = self._ordinal(item)
        classification = (self._text(item, "classification") or "").lower()
        formal = ("informal" not in classification) if classification else None
        key = _slug_for(item, P.MEETING) if (item.id or name) else ""
        if not key:
            raise ImportRefused(item.at("id"), "a meeting needs an id or a name")
        existing = self._meetings.get(key)
        title = existing.title_en if existing else ""
        if existing is not None and name and name != meeting_title(existing):
            title = name
        provided = {
            "body": body,
            "ordinal": ordinal,
            "formal": formal,
            "title_en": title,
            "note": self._text(item, "description"),
        }
        defaults = {"ordinal": None, "formal": True, "title_en": "", "title_ru": "",
                    "chair": None, "note": ""}  # fmt: skip
        values = _merge(existing, provided, defaults)
        meeting = self._put(
            "meetings",
            item,
            existing,
            values,
            lambda **kw: bodies.meeting_upsert(key=key, **kw),
            key=(key,),
            new=lambda **kw: _new(Meeting, key=key, **kw),
            hold=existing is None,
        )
        entry = self._schedule(item, meeting, start, end)
        if existing is None:
            # Titled only where the name is not the one composed from ordinal and body.
            if name and meeting_title(meeting, when=entry) != name:
                meeting.title_en = name
            self._create(meeting, item)
            self._create(entry, item)

    def _ordinal(self, item: Item, *, count: bool = True) -> int | None:
        for i, entry in self._list(item, "identifiers"):
            code = self._entry_text(item, "identifiers", i, entry, "identifier", required=True)
            scheme = self._entry_text(item, "identifiers", i, entry, "scheme") or ""
            if scheme.lower() != P.ORDINAL_SCHEME:
                self._unkept["event", "identifiers"] += count
                continue
            if not code.isdigit() or not 0 < int(code) < 32768:
                raise ImportRefused(
                    item.at("identifiers", i, "identifier"), f"'{code}' is not an ordinal number"
                )
            return int(code)
        return None

    def _schedule(self, item: Item, meeting: Meeting, start, end) -> MeetingSchedule | None:
        """Add the event's dates and place to the meeting's schedule, keeping its others.
        A new meeting's one entry is returned, for the caller to create after it."""
        kind = _schedule_kind(self._text(item, "status"), start, end)
        city, country, mode = self._place(self._text(item, "location"))
        label = "meeting schedule entries"
        given = {"end": end, "city_en": city, "country": country, "mode": mode}
        new = {"kind": kind, "start": start, "city_ru": "", "announced": None, "note": "",
               "editorial_note": "", **given,
               "mode": mode or MeetingSchedule.Mode.IN_PERSON}  # fmt: skip
        if meeting.pk is None:  # as meeting_schedule_set would make it
            entry = _new(MeetingSchedule, meeting=meeting, **new)
            entry._import_sources = self._cited(meeting)
            self.summary.count(label, Outcome.CREATED.value)
            return entry
        entries = [_entry(e) for e in meeting.schedule.select_related("country")]
        same = next((e for e in entries if (e["kind"], e["start"]) == (kind, start)), None)
        if same is None:
            entries.append({**new, "sources": self._cited(meeting)})
        else:
            said = {k: v for k, v in given.items() if v not in (None, "")}
            if not any(_changes(same[k], v) for k, v in said.items()):
                self.summary.count(label, Outcome.UNCHANGED.value)
                return None
            same.update(said)

        def call() -> None:
            outcome = bodies.meeting_schedule_set(meeting=meeting, entries=entries)
            self.summary.count(label, outcome.value)

        self._call(item, call)
        return None

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

    def _meetings_held(self) -> dict[str, Meeting]:
        """The meetings on record that the file's events may name, by key."""
        keys = sorted(
            {_slug_for(i, P.MEETING) for i in self.items["event"] if i.id or i.data.get("name")}
        )
        found: dict[str, Meeting] = {}
        for start in range(0, len(keys), 500):
            chunk = Meeting.objects.filter(key__in=keys[start : start + 500])
            found.update((m.key, m) for m in chunk.select_related("body"))
        return found

    def _place(self, location: str | None) -> tuple[str, Actor | None, str | None]:
        """A location "City, Country (mode)" read back (the country: an actor on record by
        name); no location says nothing, not even the mode."""
        if not location:
            return "", None, None
        mode = MeetingSchedule.Mode.IN_PERSON
        text = location.strip()
        match = re.fullmatch(r"(.*?)\s*\((online|hybrid)\)", text, re.IGNORECASE)
        if match:
            text, mode = match.group(1).strip(), match.group(2).lower()
        if text.lower() == "online":
            return "", None, MeetingSchedule.Mode.ONLINE
        if not text:
            return "", None, mode
        whole = self._find(Actor, name_en=text)
        if whole is not None:
            return "", whole, mode
        city, sep, country = text.rpartition(", ")
        actor = self._find(Actor, name_en=country) if sep else None
        return (city, actor, mode) if actor else (text, None, mode)


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


def _body_kind(classification: str) -> str | None:
    words = classification.replace("_", " ").replace("-", " ").strip()
    for value, label in Body.Kind.choices:
        if words in (value.replace("_", " "), label.lower()):
            return value
    return None


def _schedule_kind(status: str | None, start: PartialDate, end: PartialDate | None) -> str:
    """held, planned or cancelled, from the event's status, else from its dates."""
    said = (status or "").lower()
    if said in ("cancelled", "canceled"):
        return MeetingSchedule.Kind.CANCELLED
    if said in ("planned", "postponed", "scheduled", "tentative", "proposed"):
        return MeetingSchedule.Kind.PLANNED
    if said in ("held", "completed", "past", "took place", "finished"):
        return MeetingSchedule.Kind.HELD
    return (
        MeetingSchedule.Kind.HELD
        if (end or start).latest < timezone.localdate()
        else MeetingSchedule.Kind.PLANNED
    )


def _entry(entry: MeetingSchedule) -> dict[str, Any]:
    """A schedule entry as meeting_schedule_set takes it, to keep it as it is."""
    return {
        "kind": entry.kind,
        "start": entry.start,
        "end": entry.end,
        "city_en": entry.city_en,
        "city_ru": entry.city_ru,
        "country": entry.country,
        "mode": entry.mode,
        "announced": entry.announced,
        "note": entry.note,
        "sources": [c.source for c in entry.citations.select_related("source").order_by("id")],
        "variants": _variants(entry),
    }
