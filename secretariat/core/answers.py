"""Answers declared once: an API answer's schema says its fields (names, types, the
descriptions of the OpenAPI document) and where each value comes from, and the same class
builds the plain dict that the API, the pages, the exports and the commands hand out.

    class MeetingOut(Answer):
        id: Annotated[int, From("pk")]
        key: str                                   # the object's own attribute
        title: Annotated[str, From(meeting_title)]  # a function of the object
        body: BodyRef                              # another answer, built from `meeting.body`
        start: PartialDateOut | None = None        # a PartialDate, spelt out
        city: Annotated[str | None, From("venue.city_en")] = None  # "" reads as None
        sources: list[SourceOut]                   # the object's prefetched citations

    class GroupItem(ActorRef):                     # built from a status:
        inherited_from = "status.actor"            # ActorRef's fields from its actor
        since: Annotated[PartialDateOut, From("status.start")]

    MeetingOut.build(meeting)                 # {"id": 3, "key": ..., ...}
    MeetingOut.build(meeting, title="Other")  # a value given replaces where it comes from

A function named in From must not share its name with a field of the class: annotations
are read in the class's namespace, where that name is the field's default (import it
under another name).

Building reads attributes and calls the functions named, nothing else: no validation per
answer (pydantic checks the shapes in the tests, and django-ninja on the way out of the
API), so a list of a thousand rows costs what reading them costs. Hand-written rather than
ninja's `from_orm` for that reason, and because pages and exports need the same dicts.
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.db.models import Manager
from ninja import Schema

from .presenters import partial, sources, variants
from .schemas import PartialDateOut, SourceOut, VariantOut

__all__ = ["Answer", "From"]


class From:
    """Where a field's value comes from: an attribute path ("venue.city_en", None as soon
    as a step is None) or a function of the object (given `**context` when built with it
    and `context=True`)."""

    __slots__ = ("context", "source")

    def __init__(self, source: str | Callable[..., Any], *, context: bool = False):
        self.source = source
        self.context = context

    def getter(self) -> Callable[[Any, dict], Any]:
        if callable(self.source):
            function = self.source
            if self.context:
                return lambda obj, context: function(obj, **context)
            return lambda obj, context: function(obj)
        return _path(self.source.split("."))


def _path(steps: list[str]) -> Callable[[Any, dict], Any]:
    if len(steps) == 1:
        name = steps[0]
        return lambda obj, context: getattr(obj, name)

    def get(obj, context):
        for step in steps:
            if obj is None:
                return None
            obj = getattr(obj, step)
        return obj

    return get


def _items(value) -> Iterable:
    # A related manager is read through .all(), which uses what was prefetched.
    return value.all() if isinstance(value, Manager) else value


def _optional(annotation) -> tuple[Any, bool]:
    """(the type inside `X | None`, whether None is allowed)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], len(args) < len(typing.get_args(annotation))
    return annotation, False


def _built(answer: type[Answer]) -> Callable[[Any, dict], Any]:
    # A dict is an answer already built (by a function that had to choose how).
    def build(v, context):
        return v if v is None or isinstance(v, dict) else answer.build(v, context=context)

    return build


def _convert(annotation) -> Callable[[Any, dict], Any] | None:
    """How a value read for a field of this type becomes its plain form (None: as read);
    nested answers are built with the same context."""
    inner, optional = _optional(annotation)
    if isinstance(inner, type) and issubclass(inner, Answer):
        return _built(inner)
    if inner is PartialDateOut:
        return lambda v, context: partial(v)
    if typing.get_origin(inner) is list:
        (item,) = typing.get_args(inner)
        if isinstance(item, type) and issubclass(item, Answer):
            one = _built(item)
            return lambda v, context: None if v is None else [one(i, context) for i in _items(v)]
        return lambda v, context: None if v is None else list(_items(v))
    if inner is str and optional:
        return lambda v, context: v or None  # blank text is absent
    return None


def _getter(name: str, info) -> Callable[[Any, dict], Any]:
    """Where the field's value is read: its From, else the attribute of its name; the
    sources and variants of a record are read from its prefetched rows, already plain."""
    marks = [m for m in info.metadata if isinstance(m, From)]
    read = marks[-1].getter() if marks else _path([name])
    inner = _optional(info.annotation)[0]
    if inner == list[SourceOut] or inner == list[VariantOut]:
        spell = sources if inner == list[SourceOut] else variants
        if not marks:
            return lambda obj, context: spell(obj)
        return lambda obj, context: _none_or(spell, read(obj, context))
    return read


def _none_or(spell, record) -> list:
    return [] if record is None else spell(record)


@functools.cache
def _compiled(cls: type[Answer]) -> dict[str, tuple[str, Callable, Callable | None]]:
    """name: (key in the answer, getter, converter), in the order of the fields; the key
    is the field's alias where it has one ("from" for `from_`). A field inherited from
    another answer is read as that answer reads it, through `inherited_from` if set."""
    inherited_from = cls.__dict__.get("inherited_from")
    own = set(inspect.get_annotations(cls))
    fields = {}
    for name, info in cls.model_fields.items():
        base = None if name in own else _declaring(cls, name)
        if base is not None:
            _key, getter, convert = _compiled(base)[name]
            if inherited_from:
                getter = _through(_path(inherited_from.split(".")), getter)
        else:
            getter = _getter(name, info)
            inner = _optional(info.annotation)[0]
            plain = inner == list[SourceOut] or inner == list[VariantOut]
            convert = None if plain else _convert(info.annotation)
        fields[name] = (info.alias or name, getter, convert)
    return fields


def _declaring(cls: type[Answer], name: str) -> type[Answer] | None:
    """The nearest base answer that has the field."""
    for base in cls.__mro__[1:]:
        if isinstance(base, type) and issubclass(base, Answer) and name in base.model_fields:
            return base if base is not Answer else None
    return None


def _through(first, then):
    return lambda obj, context: then(first(obj, context), context)


class Answer(Schema):
    """An answer of the API, and the plain dict of it that pages and exports use.

    A subclass built from another object than its base's sets `inherited_from`: the path
    from its object to the one its inherited fields are read from (a member of a group,
    built from its status, reads the actor's fields from "status.actor").
    """

    inherited_from: ClassVar[str] = ""

    @classmethod
    def build(cls, obj: Any, /, *, context: dict | None = None, **given: Any) -> dict:
        """The answer for `obj`; a value in `given` replaces where the field comes from
        (and is still made plain: a PartialDate given for a date is spelt out)."""
        context = context or {}
        out = {}
        for name, (key, getter, convert) in _compiled(cls).items():
            value = given[name] if name in given else getter(obj, context)
            out[key] = value if convert is None else convert(value, context)
        return out

    @classmethod
    def builder(cls, **context: Any) -> Callable[[Any], dict]:
        """`build` with this context, for a list: `Presented(rows, DocumentOut.builder(at=d))`."""
        return lambda obj: cls.build(obj, context=context)
