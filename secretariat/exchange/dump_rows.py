"""A dump's rows as column values (for dump_import): every value decoded by its field's
type and checked (types, references, uniqueness within the dump, generic keys, files
against their checksums), the first bad one refused with its JSON pointer.

Rows come one at a time, as the dump is read: a reference to a table already read is
checked at once, one to a table still to come once it has been read (plan.later).
A file's content, once checked, goes to the import's staging folder, not to memory.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.utils import validate_file_name
from django.db import models

from . import dump
from .safe import ImportRefused, pointer

if TYPE_CHECKING:
    from .dump_import import _Plan


class _Bad(Exception):
    """A value refused; the caller knows where it is."""


INTEGERS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
TEXTS = {"CharField", "TextField", "SlugField", "URLField", "EmailField"}
FILE_KEYS = {"name", "sha256", "size", "content"}


class ContentTypes:
    """Names of kinds of records ('documents.document') as this database's ids."""

    def __init__(self):
        self.ids: dict[str, int] = {}

    def id_of(self, key: Any, *, create: bool = False) -> int:
        if key in self.ids:
            return self.ids[key]
        if not isinstance(key, str) or key.count(".") != 1:
            raise _Bad("must name a kind of record as 'app.model'")
        app_label, model = key.split(".")
        known = dump.model_for(key)
        if known is not None and known._meta.label_lower == key:
            found = ContentType.objects.get_for_model(known)  # made if it is not yet
        else:
            found = ContentType.objects.filter(app_label=app_label, model=model).first()
        if found is None and create:
            # The trail may speak of a kind of record this release no longer has.
            found = ContentType.objects.create(app_label=app_label, model=model)
        if found is None:
            raise _Bad(f"no kind of record '{key}' in this database")
        self.ids[key] = found.pk
        return found.pk


class Rows:
    """Turns a table's rows into unsaved instances, refusing the first bad value."""

    def __init__(self, plan: _Plan, types: ContentTypes, model: type[models.Model], i: int):
        self.plan, self.types, self.model, self.i = plan, types, model, i
        self.label = model._meta.label_lower
        self.fields = model._meta.concrete_fields
        self.names = {f.name for f in self.fields}
        self.decoders = {f.name: self._decoder(f) for f in self.fields}
        self.unique = _unique_sets(model)
        self.seen: list[dict] = [{} for _ in self.unique]
        self.generic = [
            (model._meta.get_field(g.ct_field), model._meta.get_field(g.fk_field))
            for g in model._meta.get_fields()
            if isinstance(g, GenericForeignKey)
        ]
        self.is_trail = self.label == "audit.auditentry"

    def values(self, j: int, row: dict) -> dict[str, Any]:
        """The row's columns (by attname), decoded and checked."""
        where = pointer("tables", self.i, "rows", j)
        if set(row) != self.names:
            odd = sorted(set(row) ^ self.names)[0]
            why = "unknown field" if odd in row else "missing field"
            raise ImportRefused(f"{where}/{odd}", f"{why} of {self.label}")
        values = {}
        for f in self.fields:
            try:
                values[f.attname] = self.decoders[f.name](row[f.name], f"{where}/{f.name}")
            except _Bad as exc:
                raise ImportRefused(f"{where}/{f.name}", str(exc)) from None
        self._check_unique(j, where, values)
        self._check_generic(where, values)
        if self.is_trail:
            values["changes"], values["snapshot"] = self._trail_json(where, values)
        return values

    def _check_unique(self, j: int, where: str, values: dict) -> None:
        for names, seen in zip(self.unique, self.seen, strict=True):
            key = tuple(values[n] for n in names)
            if None in key:
                continue  # nulls never collide
            if key in seen:
                pairs = zip(names, key, strict=True)
                shown = ", ".join(f"{n.removesuffix('_id')} {v!r}" for n, v in pairs)
                raise ImportRefused(
                    f"{where}/{self.model._meta.get_field(names[0]).name}",
                    f"a second {self.label} with {shown} (the first is row {seen[key]})",
                )
            seen[key] = j

    def _check_generic(self, where: str, values: dict) -> None:
        for ct_field, fk_field in self.generic:
            ct_id, object_id = values[ct_field.attname], values[fk_field.attname]
            if ct_id is None:
                continue
            target = ContentType.objects.get_for_id(ct_id)
            label = f"{target.app_label}.{target.model}"
            if label not in self.plan.expected:
                continue  # a kind the dump does not hold
            why = f"no {label} with id {object_id} in the dump"
            self.plan.check_key(label, object_id, f"{where}/{fk_field.name}", why)

    def _trail_json(self, where: str, values: dict) -> tuple[Any, Any]:
        model = ContentType.objects.get_for_id(values["content_type_id"]).model_class()

        def to_id(kind: str, value: Any) -> Any:
            if kind == "user":
                if value not in self.plan.users:
                    raise _Bad(f"names the user {value!r}, who is not among the dump's users")
                return self.plan.users[value]
            return self.types.id_of(value, create=True)

        try:
            return dump.entry_json(model, values["changes"], values["snapshot"], to_id)
        except _Bad as exc:
            raise ImportRefused(f"{where}/changes", str(exc)) from None

    # -- one decoder per field: JSON value -> column value, or _Bad -------------------

    def _decoder(self, f: models.Field) -> Callable[[Any, str], Any]:
        kind = dump.external(f)
        if kind == "user":
            return self._nullable(f, self._user)
        if kind == "content_type":
            create = self.label == "audit.auditentry"
            return self._nullable(f, lambda v, where: self.types.id_of(v, create=create))
        if f.is_relation:
            return self._nullable(f, self._reference(f))
        internal = f.get_internal_type()
        if internal == "FileField":
            return self._file(f)
        if internal == "JSONField":
            return self._nullable(f, lambda v, where: v)
        parse = _PARSERS.get(internal, _to_python(f))

        def decode(value: Any, where: str) -> Any:
            value = parse(f, value)
            if value is not None:
                _validate(f, value)
            return value

        return self._nullable(f, decode)

    @staticmethod
    def _nullable(f: models.Field, decode: Callable[[Any, str], Any]) -> Callable:
        def decoder(value: Any, where: str) -> Any:
            if value is None:
                if not f.null:
                    raise _Bad("must have a value (null given)")
                return None
            return decode(value, where)

        return decoder

    def _user(self, value: Any, where: str) -> int:
        if value not in self.plan.users:
            raise _Bad(f"no user {value!r} among the dump's users")
        return self.plan.users[value]

    def _reference(self, f: models.Field) -> Callable[[Any, str], Any]:
        target = f.related_model._meta.label_lower
        to_pk = f.target_field.primary_key

        def decode(value: Any, where: str) -> Any:
            if not isinstance(value, int) or isinstance(value, bool):
                raise _Bad(f"must be the id of a {target} (a whole number)")
            if to_pk:
                why = f"no {target} with id {value} in the dump"
                self.plan.check_key(target, value, where, why)
            return value

        return decode

    def _file(self, f: models.FileField) -> Callable[[Any, str], Any]:
        def decode(value: Any, where: str) -> str:
            if value is None:
                return ""
            if not isinstance(value, dict) or not {"name", "sha256", "size"} <= set(value):
                raise _Bad("a file is {name, sha256, size, content}")
            if set(value) - FILE_KEYS:
                raise _Bad(f"unknown key {sorted(set(value) - FILE_KEYS)[0]!r} in a file")
            name, sha, size = value["name"], value["sha256"], value["size"]
            try:
                if not isinstance(name, str) or not name:
                    raise SuspiciousFileOperation("empty")
                validate_file_name(name, allow_relative_path=True)
            except SuspiciousFileOperation:
                raise _Bad(f"{name!r} is not a file name inside the media folder") from None
            if len(name) > f.max_length:
                raise _Bad(f"the file name is longer than {f.max_length} characters")
            content = value.get("content")
            data = _check_file(f.storage, name, sha, size, content)
            if data is not None and not f.storage.exists(name):
                self.plan.staging.put(f.storage, name, data, where)
            elif content is None and not f.storage.exists(name):
                self.plan.missing_files += 1
            return name

        return decode


def _check_file(storage, name: str, sha: Any, size: Any, content: Any) -> bytes | None:
    """The file's content matches its checksum, and nothing different is in its place;
    returns the content (None when the dump left it out)."""
    if sha is not None and (not isinstance(sha, str) or len(sha) != 64):
        raise _Bad("sha256 must be 64 hexadecimal digits")
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
        raise _Bad("size must be a whole number of bytes")
    data = None
    if content is not None:
        if not isinstance(content, str) or sha is None:
            raise _Bad("content must be base64 text, with its sha256")
        try:
            data = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise _Bad("the content is not base64") from None
        if hashlib.sha256(data).hexdigest() != sha or len(data) != size:
            raise _Bad("the content does not match its sha256 checksum (or its size)")
    if sha is not None and storage.exists(name):
        with storage.open(name, "rb") as handle:
            here = hashlib.sha256(handle.read()).hexdigest()
        if here != sha:
            raise _Bad(f"a different file is already stored as {name}: move it away first")
    return data


def _unique_sets(model: type[models.Model]) -> list[tuple[str, ...]]:
    """The column sets that must be unique (without conditions), by attname."""
    out = [(f.attname,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    for names in model._meta.unique_together:
        out.append(tuple(model._meta.get_field(n).attname for n in names))
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and constraint.condition is None
            and not constraint.expressions
        ):
            out.append(tuple(model._meta.get_field(n).attname for n in constraint.fields))
    return list(dict.fromkeys(out))


def _validate(f: models.Field, value: Any) -> None:
    try:
        f.run_validators(value)
    except ValidationError as exc:
        raise _Bad(" ".join(exc.messages)) from None
    if f.choices and value not in {k for k, _ in f.flatchoices} and value != "":
        allowed = ", ".join(str(k) for k, _ in f.flatchoices)
        raise _Bad(f"{value!r} is not one of: {allowed}")


def _whole(f: models.Field, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Bad(f"{value!r} is not a whole number")
    return value


def _text(f: models.Field, value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad(f"{value!r} is not text")
    return value


def _boolean(f: models.Field, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad(f"{value!r} is not true or false")
    return value


def _number(f: models.Field, value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise _Bad(f"{value!r} is not a number")
    return value


def _date(f: models.Field, value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(_text(f, value))
    except ValueError:
        raise _Bad(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _datetime(f: models.Field, value: Any) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(_text(f, value))
    except ValueError:
        raise _Bad(f"{value!r} is not a date and time (ISO 8601)") from None
    if parsed.tzinfo is None:
        raise _Bad(f"{value!r} has no time zone")
    return parsed


def _to_python(f: models.Field) -> Callable[[models.Field, Any], Any]:
    def parse(f: models.Field, value: Any) -> Any:
        try:
            return f.to_python(value)
        except (ValidationError, TypeError, ValueError):
            raise _Bad(f"{value!r} is not a valid {f.get_internal_type()}") from None

    return parse


_PARSERS: dict[str, Callable[[models.Field, Any], Any]] = {
    **dict.fromkeys(INTEGERS, _whole),
    **dict.fromkeys(TEXTS, _text),
    "BooleanField": _boolean,
    "FloatField": _number,
    "DateField": _date,
    "DateTimeField": _datetime,
}
