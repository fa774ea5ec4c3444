"""Typed request and response schemas for each kind of record, made from its model fields.

Partial dates travel as they are written and stored ("2021", "2021-06",
"2021-06-15"), foreign keys as ids, choices as enums, many-to-many links as lists
of ids, and a sourced record's sources as the keys of the sources it cites.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from django.db import models
from ninja import Field, Schema
from pydantic import ConfigDict, create_model

from .kinds import OFFICERS_ONLY, RecordKind

PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
# Integer columns' ranges, so that no value the database cannot hold reaches it.
_RANGES = {
    "SmallIntegerField": (-32768, 32767),
    "PositiveSmallIntegerField": (0, 32767),
    "IntegerField": (-2147483648, 2147483647),
    "PositiveIntegerField": (0, 2147483647),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
    "AutoField": (1, 2147483647),
    "BigAutoField": (1, 2**63 - 1),
    "SmallAutoField": (1, 32767),
}
MAX_LINKS = 1000  # ids in one many-to-many list


class _Input(Schema):
    """A request body: a field this kind does not have is refused, named."""

    model_config = ConfigDict(extra="forbid")


def _camel(kind: RecordKind) -> str:
    return kind.app.capitalize() + kind.model.__name__


def _help(field: models.Field | None, kind: RecordKind, name: str) -> str:
    if field is None:
        required = name in kind.required
        return f"Partial date: YYYY, YYYY-MM or YYYY-MM-DD{'' if required else ', or null'}."
    text = str(field.help_text or "")
    if field.is_relation and field.related_model is not None:
        target = field.related_model._meta.verbose_name
        what = "ids" if field.many_to_many else "id"
        text = f"{text} ({target} {what})".strip()
    return text


def _id_type(model: type[models.Model]) -> tuple[type, dict]:
    low, high = _RANGES.get(model._meta.pk.get_internal_type(), (1, 2**63 - 1))
    return int, {"ge": max(low, 1), "le": high}


_ENUMS: dict[str, type[StrEnum]] = {}


def _choices(kind: RecordKind, field: models.Field) -> type[StrEnum]:
    """The field's choices as an enum, one per field (its name is its schema's name)."""
    name = f"{_camel(kind)}{field.name.title().replace('_', '')}"
    if name not in _ENUMS:
        values = [str(v) for v, _ in field.flatchoices if v != ""]
        _ENUMS[name] = StrEnum(name, {v: v for v in values})
    return _ENUMS[name]


def field_type(kind: RecordKind, name: str) -> tuple[Any, dict, bool]:
    """(type, constraints, nullable) of an API field, from its model field."""
    field = kind.field(name)
    if field is None:
        return str, {"pattern": PARTIAL_DATE}, kind.model._meta.get_field(f"{name}_date").null
    if field.many_to_many:
        item, limits = _id_type(field.related_model)
        return list[item], {"max_length": MAX_LINKS, "_item": limits}, False
    if field.is_relation:
        item, limits = _id_type(field.related_model)
        return item, limits, field.null
    if field.choices:
        return _choices(kind, field), {}, field.blank or field.null
    internal = field.get_internal_type()
    if internal in _RANGES:
        low, high = _RANGES[internal]
        return int, {"ge": low, "le": high}, field.null
    if internal == "BooleanField":
        return bool, {}, field.null
    if internal == "DateField":
        return dt.date, {}, field.null
    if internal == "DateTimeField":
        return dt.datetime, {}, field.null
    if internal == "DecimalField":
        limits = {"max_digits": field.max_digits, "decimal_places": field.decimal_places}
        return Decimal, limits, field.null
    if internal == "FloatField":
        return float, {}, field.null
    if internal == "JSONField":
        if field.default is list:  # a list of plain values (kinds, names), as the rules expect
            return list[str | int | float | bool | None], {"max_length": MAX_LINKS}, False
        return Any, {}, True
    limits = {"max_length": field.max_length} if field.max_length else {}
    return str, limits, field.null


def _annotated(kind: RecordKind, name: str) -> tuple[Any, dict, bool]:
    kind_type, limits, nullable = field_type(kind, name)
    item = limits.pop("_item", None)
    if item is not None:
        kind_type = list[Annotated[int, Field(**item)]]
    return kind_type, limits, nullable


def _default(field: models.Field | None) -> Any:
    """A model default the schema can state (JSON-plain), else None."""
    if field is None or field.many_to_many or not field.has_default():
        return None
    value = field.get_default()
    return value if isinstance(value, str | int | bool | float) else None


SOURCES_HELP = (
    "Keys of the sources the record cites (at least one): the same sources datasets cite."
)
REASON_HELP = "Why: kept in the record's history."


def create_schema(kind: RecordKind) -> type[Schema]:
    """The body of a POST: the fields the admin's form asks for when adding."""
    fields: dict[str, Any] = {}
    for name in kind.create_fields:
        kind_type, limits, nullable = _annotated(kind, name)
        field = kind.field(name)
        annotation = kind_type | None if nullable else kind_type
        description = _help(field, kind, name)
        if name in kind.required:
            fields[name] = (annotation, Field(..., description=description, **limits))
        elif field is not None and field.many_to_many:
            fields[name] = (annotation, Field(default_factory=list, description=description,
                                              **limits))  # fmt: skip
        else:
            default = _default(field)
            if default == "" and field is not None and field.choices:
                default = None  # a blank choice is sent and shown as null
            fields[name] = (annotation, Field(default, description=description, **limits))
    if kind.sourced:
        fields["sources"] = (list[str], Field(..., min_length=1, max_length=100,
                                              description=SOURCES_HELP))  # fmt: skip
    fields["reason"] = (str | None, Field(None, max_length=2000, description=REASON_HELP))
    return create_model(
        f"{_camel(kind)}Create",
        __base__=_Input,
        __doc__=f"A new {kind.name}: the fields the admin asks for.",
        **fields,
    )


def patch_schema(kind: RecordKind) -> type[Schema]:
    """The body of a PATCH: any of the fields the admin's form edits; those left out stay."""
    fields: dict[str, Any] = {}
    for name in kind.update_fields:
        kind_type, limits, nullable = _annotated(kind, name)
        annotation = kind_type | None if nullable else kind_type
        description = _help(kind.field(name), kind, name)
        # Left out: unchanged (None as the default is never validated, so a non-nullable
        # field sent as null is refused).
        fields[name] = (annotation, Field(None, description=description, **limits))
    if kind.sourced:
        fields["sources"] = (list[str] | None, Field(None, min_length=1, max_length=100,
                                                     description=SOURCES_HELP))  # fmt: skip
    fields["reason"] = (str | None, Field(None, max_length=2000, description=REASON_HELP))
    return create_model(
        f"{_camel(kind)}Patch",
        __base__=_Input,
        __doc__=f"The fields of a {kind.name} to change; those left out stay as they are.",
        **fields,
    )


def output_schema(kind: RecordKind) -> type[Schema]:
    """A record as stored: its id, edit version, fields and sources."""
    fields: dict[str, Any] = {"id": (int, Field(..., description="The record's id."))}
    if kind.versioned:
        fields["version"] = (int, Field(..., description='Edit version: the ETag is "v<version>".'))
    for name in kind.shown_fields:
        kind_type, _, nullable = _annotated(kind, name)
        field = kind.field(name)
        description = _help(field, kind, name)
        if name in OFFICERS_ONLY:
            nullable = True
            description = f"{description} Null unless you are a Secretariat officer."
        annotation = kind_type | None if nullable else kind_type
        fields[name] = (annotation, Field(..., description=description))
    if kind.sourced:
        fields["sources"] = (list[str], Field(..., description="Keys of the sources cited."))
    if kind.timestamped:
        fields["created_at"] = (dt.datetime, Field(..., description="When the row was made."))
        fields["updated_at"] = (dt.datetime, Field(..., description="When it last changed."))
    return create_model(f"{_camel(kind)}Record", __base__=Schema,
                        __doc__=f"A {kind.name} as stored.", **fields)  # fmt: skip
