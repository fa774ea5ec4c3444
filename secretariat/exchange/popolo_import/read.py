"""Reading a Popolo document: its top level as a stream (stream.top_level, or parsed JSON
given the same way), each item of a collection taken apart (embedded entities lifted out,
with the id of what holds them) and its shape checked as it comes (shapes.py), so that a
bad file is refused at its first bad item having held no more than what came before it.
What is read (Reading) is then planned, as many times as needed, by plan.Planner.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import stream
from ..safe import MAX_DEPTH, ImportRefused, pointer
from . import shapes
from .vocabulary import COLLECTIONS, EMBEDDED_LISTS, EMBEDDED_ONE, KEPT, Item, _type, entity_kind


def entries(data: Any, name: str) -> Iterator[tuple[str, Any, Any]]:
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


class Reading:
    """The items of a document, by kind and by id, as read: what every plan starts from."""

    def __init__(self) -> None:
        self.items: dict[str, list[Item]] = defaultdict(list)
        self.by_id: dict[str, dict[str, Item]] = defaultdict(dict)
        self.single = False  # one entity (a fragment), not collections
        self.notes: list[str] = []
        self._checking = False

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
            self.notes = [
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
        shapes.entity(kind, entity, where)  # an object, its id text, its lists lists
        if len(where) > MAX_DEPTH:
            raise ImportRefused(pointer(*where), f"nested deeper than {MAX_DEPTH} levels")
        data = dict(entity)
        item = Item(kind, data, where, top)
        for key, (child_kind, back) in EMBEDDED_LISTS.get(kind, {}).items():
            children = data.pop(key, None)
            if children is None:
                continue
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
        """What can be checked of an item alone, as it is read: its shape, and an event's
        ordinal; the rest (references, the record) once the whole file is. Only what
        every item of its kind goes through, whatever becomes of it, so that nothing is
        refused that would have been passed over."""
        shapes.check(item)
        if item.kind == "event":
            shapes.ordinal(item)
