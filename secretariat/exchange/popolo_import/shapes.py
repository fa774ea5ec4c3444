"""What we accept of a Popolo item, declared: the types of the properties we read, in
pydantic's strict mode (so a number is never taken for a name), narrower than the Popolo
schema (a date is a partial date we can keep, a source link a web address). Properties
we do not read are let through, to be noted as not kept.

`check` validates an item against the shape of its kind as it is read; the readers below
(`text`, `date`, `entries`, `reference`) validate one value with the same types where a
fragment is planned without that check. Either way a refusal is ImportRefused at the
value's place (`/events/0/start_date`) saying what is wrong and what was found.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    TypeAdapter,
    ValidationError,
    create_model,
)
from pydantic_core import PydanticCustomError

from secretariat.core.partial_dates import PartialDate
from secretariat.datasets.loader import describe

from .. import popolo as P
from ..safe import ImportRefused, pointer
from .vocabulary import _DATE, _URL, EMBEDDED_LISTS, Item, _type

MAX_URL = 1000
_CHECKED = Field(default=None, validate_default=True)  # absent: checked as null

# --- value types ---------------------------------------------------------------------
# Each refusal's message is the whole reason, as the user reads it after the place.


def _refuse(kind: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, context)


def _text(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _refuse("text", "must be text, not {found}", found=_type(value))
    return value


def _required_text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _refuse("text", "must be text, not {found}", found=_type(value))
    return value


def _date(value: object) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise _refuse("date", "must be a date as text, not {found}", found=_type(value))
    match = _DATE.match(value.strip())
    if not match or (match.group(2) and len(match.group(1)) != 10):
        raise _refuse(
            "date", "'{value}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD", value=value
        )
    try:
        PartialDate.parse(match.group(1))
    except DjangoValidationError as exc:
        raise _refuse("date", "{reason}", reason=describe(exc)) from None
    return value


def _needed(reason: str, kind=_text, *, absent: tuple = (None,)):
    """`kind`, refused with `reason` when absent."""

    def check(value: object) -> Any:
        if value in absent:
            raise _refuse("needed", "{reason}", reason=reason)
        return kind(value)

    return Annotated[Any, PlainValidator(check)]


def _url(value: object) -> str:
    url = _required_text(value).strip()
    try:
        _URL(url)
    except DjangoValidationError:
        raise _refuse("url", "'{url}' is not a web address", url=url) from None
    if len(url) > MAX_URL:
        raise _refuse("url", "longer than {most} characters", most=MAX_URL)
    return url


def _id(value: object) -> str:
    if not isinstance(value, str):
        raise _refuse("text", "must be text, not {found}", found=_type(value))
    return value


def _member_id(value: object) -> str:
    if not isinstance(value, str):
        raise _refuse("member_id", "must name the member's id as text")
    return value


Text = Annotated[str | None, PlainValidator(_text)]
Required = Annotated[str, PlainValidator(_required_text), _CHECKED]
Date = Annotated[str | None, PlainValidator(_date)]
Url = Annotated[str, PlainValidator(_url), _CHECKED]
BodyThatMet = Annotated[
    _needed("a meeting needs the body that met: give its organization_id"), _CHECKED
]
MeetingStart = Annotated[
    _needed("a meeting needs its start_date", _date, absent=(None, "")), _CHECKED
]


# --- shapes -----------------------------------------------------------------------------


class Shape(BaseModel):
    """An object of the file: strict types; properties we do not read let through."""

    model_config = ConfigDict(strict=True, extra="allow")


class Entity(Shape):
    id: Text = None


class OtherName(Shape):
    name: Required
    lang: Text = None
    note: Text = None


class Identifier(Shape):
    identifier: Required
    scheme: Text = None


class Link(Shape):
    url: Url
    note: Text = None


class Member(Shape):
    id: Annotated[str, PlainValidator(_member_id), _CHECKED]


# The properties below are declared in the order they are checked: the first wrong one
# is the one refused.


class Organization(Shape):
    name: Text = None
    description: Text = None
    other_names: list[OtherName] | None = None
    founding_date: Date = None
    sources: list[Link] | None = None


class Post(Shape):
    role: Text = None
    label: Text = None


class Membership(Shape):
    member: Member | None = None
    person_id: Text = None
    post_id: Text = None
    role: Text = None
    start_date: Date = None
    end_date: Date = None


class Event(Shape):
    organization_id: BodyThatMet
    start_date: MeetingStart
    end_date: Date = None
    name: Text = None
    classification: Text = None
    description: Text = None
    status: Text = None
    location: Text = None
    identifiers: list[Identifier] | None = None
    sources: list[Link] | None = None


SHAPES: dict[str, TypeAdapter] = {
    "organization": TypeAdapter(Organization),
    "post": TypeAdapter(Post),
    "membership": TypeAdapter(Membership),
    "event": TypeAdapter(Event),
}
# An entity as it is taken apart: an object, its id text, its embedded lists lists.
ENTITIES: dict[str, TypeAdapter] = {
    kind: TypeAdapter(
        create_model(
            f"{kind.title()}Entity",
            __base__=Entity,
            **{key: (list[Any] | None, None) for key in lists},
        )
    )
    for kind, lists in EMBEDDED_LISTS.items()
}


def check(item: Item) -> None:
    """Refuse the item's first property that is not of the type we accept."""
    adapter = SHAPES.get(item.kind)
    if adapter is not None:
        _validate(adapter, item.data, item.where)


def entity(kind: str, data: Any, where: tuple) -> None:
    """Refuse an entity that is not an object, or whose id or embedded lists are not text
    and lists."""
    _validate(ENTITIES.get(kind) or _ENTITY, data, where)


# --- one value, where no shape was checked (a fragment) ----------------------------------

M = TypeVar("M", bound=Shape)
_ENTITY = TypeAdapter(Entity)
_TEXT = TypeAdapter(Text)
_DATES = TypeAdapter(Date)
_REQUIRED_DATES: dict[str, TypeAdapter] = {}  # by the reason an absence is refused
_REFERENCE = TypeAdapter(Annotated[str, PlainValidator(_id)])
_MEMBER = TypeAdapter(Member | None)
_LISTS = {shape: TypeAdapter(list[shape] | None) for shape in (OtherName, Identifier, Link)}


def text(item: Item, key: str) -> str | None:
    """A property as text, stripped (None if absent or blank)."""
    value = _validate(_TEXT, item.data.get(key), (*item.where, key))
    return (value.strip() or None) if value is not None else None


def date(item: Item, key: str, *, required: str = "") -> PartialDate | None:
    """A property as a partial date (None if absent); `required`: the reason to refuse
    its absence."""
    adapter = _DATES
    if required:
        adapter = _REQUIRED_DATES.get(required)
        if adapter is None:
            needed = _needed(required, _date, absent=(None, ""))
            adapter = _REQUIRED_DATES[required] = TypeAdapter(needed)
    value = _validate(adapter, item.data.get(key), (*item.where, key))
    return PartialDate.parse(_DATE.match(value.strip()).group(1)) if value else None


def identifier(item: Item, key: str) -> str | None:
    """A property naming another entity, as given: text, or absent (None)."""
    return _validate(_TEXT, item.data.get(key), (*item.where, key))


def reference(item: Item, key: str, value: Any) -> str:
    """An id naming another entity, which must be there: text."""
    return _validate(_REFERENCE, value, (*item.where, key))


def member(item: Item) -> Member | None:
    """A membership's member: an object naming the member's id (None if absent)."""
    return _validate(_MEMBER, item.data.get("member"), (*item.where, "member"))


def ordinal(item: Item) -> tuple[int | None, int]:
    """An event's ordinal among its identifiers (the first in that scheme), and how many
    identifiers in other schemes came before it (not kept)."""
    others = 0
    for i, entry in entries(item, "identifiers", Identifier):
        code = entry.identifier.strip()
        if (entry.scheme or "").strip().lower() != P.ORDINAL_SCHEME:
            others += 1
            continue
        if not code.isdigit() or not 0 < int(code) < 32768:
            where = pointer(*item.where, "identifiers", i, "identifier")
            raise ImportRefused(where, f"'{code}' is not an ordinal number")
        return int(code), others
    return None, others


def entries(item: Item, key: str, shape: type[M]) -> list[tuple[int, M]]:
    """A list property, each entry in `shape` (none if absent)."""
    found = _validate(_LISTS[shape], item.data.get(key), (*item.where, key))
    return list(enumerate(found or ()))


# --- a refusal -------------------------------------------------------------------------------

# pydantic's own errors, said as our refusals are (what was expected, what was found).
EXPECTED = {
    "model_type": "an object",
    "model_attributes_type": "an object",
    "dict_type": "an object",
    "list_type": "a list",
    "string_type": "text",
}


def _validate(adapter: TypeAdapter, value: Any, where: tuple) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise ImportRefused(pointer(*where, *error["loc"]), _reason(error)) from None


def _reason(error: dict) -> str:
    expected = EXPECTED.get(error["type"])
    if expected is not None:
        return f"must be {expected}, not {_type(error['input'])}"
    return error["msg"]
