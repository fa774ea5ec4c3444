"""Planning posts, persons and memberships: a state's or an organization's membership in
the organization becomes a status (role member, observer, partner, applicant, dialogue
partner) or a chairmanship (role chair, or the chair's post); a person's membership in
the head of the Secretariat's post becomes a term of office, and that person a person of
the registry. Other persons and posts are passed over.
"""

from __future__ import annotations

from typing import Any

from secretariat.registry import services as registry
from secretariat.registry.models import Actor, Chairmanship, Person, SecretariatHead, Status

from .. import popolo as P
from ..safe import ImportRefused
from . import shapes
from .plan import HOME, Planner, _identity, _merge, _new, _start
from .vocabulary import (
    _APPLICANT,
    CHAIR_ROLES,
    FIELDS,
    HEAD_LABELS,
    HEAD_TITLES,
    ROLE_KINDS,
    Item,
    Skip,
    _slug,
    _slug_for,
    _strings,
    _words,
)


class Memberships(Planner):
    """The planning of the file's posts, persons and memberships (a part of plan.Planner)."""

    def _read_posts(self) -> None:
        """Which posts of the file are the chair's and the head of the Secretariat's."""
        for item in self.items["post"]:
            self._tick()
            words = {_words(shapes.text(item, "role")), _words(shapes.text(item, "label"))}
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
        post = shapes.identifier(item, "post_id")
        if post is None:
            return None
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
        shapes.member(item)  # an object naming the member's id, if there is one
        member = d.get("member")
        member_id = member.get("id") if member else None
        typed = str((member or {}).get("@type", "")).lower()
        person_id = shapes.identifier(item, "person_id")
        post = self._post_kind(item)
        role = _words(shapes.text(item, "role"))
        start = shapes.date(item, "start_date")
        end = shapes.date(item, "end_date")
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
        name = shapes.text(item, "name")
        if existing is None and not name:
            raise ImportRefused(item.at("name"), "a person needs a name")
        nationality = None
        identity = shapes.text(item, "national_identity")
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
        match = _APPLICANT.search(shapes.text(item, "label") or "")
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
        label = (shapes.text(item, "label") or "").lower()
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
