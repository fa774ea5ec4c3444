"""Planning organizations: the organization itself (the one held, or the parentless one
that states belong to and bodies report to), its bodies (placed under it or one of its
bodies by parent_id) and actors (states, told by their ISO 3166 identifiers or their
classification, and other organizations). An actor is matched on its ISO codes, then its
id, then its name.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from secretariat.bodies import services as bodies
from secretariat.bodies.models import Body, BodyEvent
from secretariat.core.models import Organization
from secretariat.records import services as core
from secretariat.records.services import Outcome
from secretariat.registry import services as registry
from secretariat.registry.models import Actor

from .. import popolo as P
from ..safe import ImportRefused
from . import shapes
from .plan import HOME, Planner, Ref, _merge, _new
from .vocabulary import FIELDS, STATE_CLASSES, Item, Skip, _in, _slug, _slug_for


class Organizations(Planner):
    """The planning of the file's organizations (a part of plan.Planner)."""

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
            parent = shapes.identifier(item, "parent_id")
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
        classification = (shapes.text(item, "classification") or "").lower()
        return classification in STATE_CLASSES or any(self._iso_codes(item))

    def _iso_codes(self, item: Item, *, note: bool = False) -> tuple[str, str]:
        """The ISO 3166-1 codes among the identifiers (`note`: count the others as not kept)."""
        iso2 = iso3 = ""
        for i, entry in shapes.entries(item, "identifiers", shapes.Identifier):
            code = entry.identifier.strip()
            scheme = re.sub(r"[^a-z0-9]", "", (entry.scheme or "").strip().lower())
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
        value = shapes.reference(item, key, item.data.get(key) if value is None else value)
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
        name = shapes.text(item, "name")
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
            "founded": shapes.date(item, "founding_date"),
            "note": shapes.text(item, "description"),
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
        name = shapes.text(item, "name")
        if existing is None:
            existing = self._find(Actor, slug=slug)
        if existing is None and name:
            existing = self._find(Actor, name_en=name, order="slug")
        classification = (shapes.text(item, "classification") or "").lower()
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
            "exists_from": shapes.date(item, "founding_date"),
            "exists_until": shapes.date(item, "dissolution_date"),
            "note": shapes.text(item, "description"),
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
        name = shapes.text(item, "name")
        if existing is None and not name:
            raise ImportRefused(item.at("name"), "a body needs a name")
        parent = None
        if item.data.get("parent_id") is not None:
            ref = self._org_ref(item, "parent_id")
            parent = ref.record if ref.kind == "body" else None
        classification = (shapes.text(item, "classification") or "").lower()
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
            "note": shapes.text(item, "description"),
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
            date = shapes.date(item, key)
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


def _body_kind(classification: str) -> str | None:
    words = classification.replace("_", " ").replace("-", " ").strip()
    for value, label in Body.Kind.choices:
        if words in (value.replace("_", " "), label.lower()):
            return value
    return None
