"""Restoring a full JSON dump (see dump.py) into an empty database: all or nothing.

Restoring a backup is not a change to the record: the rows are written as they were
(same keys, same times, the audit trail as it stood), not through the services, and
nothing new is added to the trail. Everything is checked before or while it is
written in one transaction, and the first error is refused with its place (a JSON
pointer into the dump) and its reason, leaving the database as it was. Files are
checked against their SHA-256 and written last; if anything fails they are removed.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.utils import validate_file_name
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction

from . import dump
from .formats import Progress, no_progress
from .safe import ImportRefused, pointer

BATCH = 500
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


class _Bad(Exception):
    """A value refused; the caller knows where it is."""


class _Rollback(Exception):
    pass


def is_dump(data: Any) -> bool:
    """Whether parsed JSON says it is a dump of ours (its header names the format)."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("header"), dict)
        and data["header"].get("format") == dump.FORMAT
    )


@dataclass
class _File:
    storage: Any
    name: str
    where: str
    content: str | None  # base64, or None when the dump left it out


@dataclass
class _Plan:
    """What the checks found, for the writes that follow."""

    tables: list[tuple[int, str, list]]  # (index in the dump, label, rows)
    keys: dict[str, set] = field(default_factory=dict)  # label -> primary keys in the dump
    users: dict[str, int] = field(default_factory=dict)  # username -> id here
    files: list[_File] = field(default_factory=list)
    missing_files: int = 0


def import_dump(
    data: Any, *, name: str = "dump", dry_run: bool = False, progress: Progress = no_progress
) -> dict[str, int]:
    """Restore the dump into this (empty) database; returns the rows written by table
    (tables left empty are not named), the search entries rebuilt and the files.

    Refused with ImportRefused (where, why) at the first problem, with nothing written.
    """
    if not is_dump(data):
        raise ImportRefused("/header/format", f"not a {dump.FORMAT}: no header naming it")
    header = data["header"]
    _check_header(header, data)
    plan = _Plan(tables=_tables(data, header))
    _collect_keys(plan)
    written: list = []
    try:
        with transaction.atomic():
            _check_empty()  # in the transaction: nothing may slip in between
            summary = _write(plan, progress)
            if dry_run:
                raise _Rollback
            written = _write_files(plan)
    except _Rollback:
        pass
    except DatabaseError as exc:  # a deferred constraint, checked at commit
        _remove(written)
        raise ImportRefused("/tables", f"refused by the database: {exc}") from None
    summary["files restored"] = 0 if dry_run else sum(f.content is not None for f in plan.files)
    summary["files not in the dump"] = plan.missing_files
    return summary


# --- the header and the shape ----------------------------------------------------------


def _check_header(header: dict, data: dict) -> None:
    unknown = sorted(set(data) - {"header", "tables"})
    if unknown:
        raise ImportRefused(pointer(unknown[0]), "unknown key: a dump holds header and tables")
    version = header.get("version")
    if version != dump.VERSION:
        raise ImportRefused(
            "/header/version",
            f"this is a dump of format version {version!r}; this release reads version "
            f"{dump.VERSION} only",
        )
    theirs = header.get("migrations")
    if not isinstance(theirs, dict) or not all(
        isinstance(v, list) and all(isinstance(n, str) for n in v) for v in theirs.values()
    ):
        raise ImportRefused("/header/migrations", "must map each app to its migrations")
    ours = dump.migration_state()
    for app in sorted(ours.keys() | theirs.keys()):
        mine, other = ours.get(app, []), sorted(theirs.get(app, []))
        if mine != other:
            raise ImportRefused(
                pointer("header", "migrations", app),
                f"the dump was made with {app} at {other[-1] if other else 'no migration'}, "
                f"this database has {app} at {mine[-1] if mine else 'no migration'}: "
                "import a dump made by the same release (migrate, or use a matching dump)",
            )


def _tables(data: dict, header: dict) -> list[tuple[int, str, list]]:
    tables = data.get("tables")
    if not isinstance(tables, list):
        raise ImportRefused("/tables", "must be a list of tables")
    counts = header.get("counts")
    if not isinstance(counts, dict):
        raise ImportRefused("/header/counts", "must give the rows of each table")
    known = {m._meta.label_lower for m in dump.models_in_dump()} | {dump.USERS}
    seen: dict[str, int] = {}
    out = []
    for i, table in enumerate(tables):
        if not isinstance(table, dict) or set(table) != {"model", "rows"}:
            raise ImportRefused(pointer("tables", i), "a table is {model, rows}")
        label, rows = table["model"], table["rows"]
        if not isinstance(label, str) or label not in known:
            raise ImportRefused(
                pointer("tables", i, "model"), f"{label!r} is not a table of this release"
            )
        if label in seen:
            raise ImportRefused(
                pointer("tables", i, "model"), f"{label} again (first at /tables/{seen[label]})"
            )
        seen[label] = i
        if not isinstance(rows, list):
            raise ImportRefused(pointer("tables", i, "rows"), "must be a list of rows")
        if counts.get(label) != len(rows):
            raise ImportRefused(
                pointer("tables", i, "rows"),
                f"{len(rows)} rows where the header counts {counts.get(label)}: "
                "the dump is truncated or was edited",
            )
        out.append((i, label, rows))
    missing = sorted(known - seen.keys())
    if missing:
        raise ImportRefused("/tables", f"no table {missing[0]}: the dump is incomplete")
    extra = sorted(set(counts) - known)
    if extra:
        raise ImportRefused(pointer("header", "counts", extra[0]), "not a table of this release")
    return out


def _check_empty() -> None:
    held = [
        model._meta
        for model in dump.models_in_dump()
        if not model._meta.auto_created and model._base_manager.exists()
    ]
    if held:
        counted = [(meta.model._base_manager.count(), meta) for meta in held[:6]]
        shown = ", ".join(
            f"{n} {meta.verbose_name if n == 1 else meta.verbose_name_plural} ({meta.label_lower})"
            for n, meta in counted
        )
        more = f" and rows in {len(held) - 6} more tables" if len(held) > 6 else ""
        raise ImportRefused(
            "database",
            f"not empty: it holds {shown}{more}. A dump is imported into an empty database "
            "only (a new one after `secretariat migrate`, or one emptied by `secretariat flush`)",
        )


def _collect_keys(plan: _Plan) -> None:
    """The primary keys of every table (so references can be checked in any order),
    refusing rows that are not objects and keys given twice."""
    for i, label, rows in plan.tables:
        if label == dump.USERS:
            continue
        keys: dict[int, int] = {}
        for j, row in enumerate(rows):
            if not isinstance(row, dict):
                raise ImportRefused(pointer("tables", i, "rows", j), "a row is an object")
            pk = row.get("id")
            if not isinstance(pk, int) or isinstance(pk, bool) or pk < 1:
                raise ImportRefused(
                    pointer("tables", i, "rows", j, "id"), "the id must be a positive whole number"
                )
            if pk in keys:
                raise ImportRefused(
                    pointer("tables", i, "rows", j, "id"),
                    f"a second {label} with id {pk} (the first is row {keys[pk]})",
                )
            keys[pk] = j
        plan.keys[label] = set(keys)


# --- writing ---------------------------------------------------------------------------


def _write(plan: _Plan, progress: Progress) -> dict[str, int]:
    total = sum(len(rows) for _, _, rows in plan.tables)
    done, summary = 0, {}
    types = _ContentTypes()
    restored = []
    # Users first, wherever the dump has them: the other tables name them.
    for i, label, rows in sorted(plan.tables, key=lambda t: t[1] != dump.USERS):
        if label == dump.USERS:
            plan.users = _restore_users(i, rows)
            summary["users"] = len(rows)
            done += len(rows)
            continue
        model = dump.model_for(label)
        rows_in = _Rows(plan, types, model, i)
        # As many rows per INSERT as the database takes parameters for.
        size = connection.ops.bulk_batch_size(model._meta.concrete_fields, [None] * BATCH)
        batch: list[tuple[int, models.Model]] = []
        for j, row in enumerate(rows):
            batch.append((j, rows_in.instance(j, row)))
            if len(batch) >= max(1, size):
                _insert(model, i, batch)
                done += len(batch)
                batch = []
                progress(done, total)
        _insert(model, i, batch)
        done += len(batch)
        progress(done, total)
        if rows:
            summary[label] = len(rows)
        restored.append(model)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), restored):
            cursor.execute(sql)  # the next row made here gets the next free key
    from secretariat.search import indexer

    summary["search entries"] = sum(indexer.rebuild().values())
    return summary


def _insert(model: type[models.Model], i: int, batch: list[tuple[int, models.Model]]) -> None:
    """Insert rows as they are (raw: no automatic times, no signals, no new versions)."""
    if not batch:
        return
    fields = model._meta.concrete_fields
    try:
        with transaction.atomic():
            model._base_manager._insert([obj for _, obj in batch], fields=fields, raw=True)
    except DatabaseError:
        # Find the row the database refuses, to say which one.
        for j, obj in batch:
            try:
                with transaction.atomic():
                    model._base_manager._insert([obj], fields=fields, raw=True)
            except DatabaseError as exc:
                raise ImportRefused(
                    pointer("tables", i, "rows", j), f"refused by the database: {exc}"
                ) from None


def _restore_users(i: int, rows: list) -> dict[str, int]:
    """The dump's users, matched by username with users already here (their passwords are
    kept) or made without a usable password."""
    User = get_user_model()
    wanted = {"username", *dump.USER_FIELDS}
    seen: dict[str, int] = {}
    for j, row in enumerate(rows):
        where = pointer("tables", i, "rows", j)
        if not isinstance(row, dict):
            raise ImportRefused(where, "a row is an object")
        if set(row) != wanted:
            odd = sorted(set(row) ^ wanted)[0]
            raise ImportRefused(f"{where}/{odd}", "unknown field" if odd in row else "missing")
        for key in dump.USER_FIELDS:
            kind = bool if key.startswith("is_") else str
            if not isinstance(row[key], kind):
                raise ImportRefused(f"{where}/{key}", f"must be {kind.__name__}")
        username = row["username"]
        for key in ("username", "email"):
            try:
                User._meta.get_field(
                    User.USERNAME_FIELD if key == "username" else key
                ).run_validators(row[key])
            except (ValidationError, TypeError) as exc:
                why = " ".join(getattr(exc, "messages", [])) or "must be text"
                raise ImportRefused(f"{where}/{key}", why) from None
        if not isinstance(username, str) or not username.strip():
            raise ImportRefused(f"{where}/username", "must be a username")
        if username in seen:
            raise ImportRefused(f"{where}/username", f"'{username}' again (row {seen[username]})")
        seen[username] = j
    ids = {}
    for row in rows:
        user = User._base_manager.filter(**{User.USERNAME_FIELD: row["username"]}).first()
        if user is None:
            user = User(**{User.USERNAME_FIELD: row["username"]})
            user.set_unusable_password()
        for key in dump.USER_FIELDS:
            setattr(user, key, row[key])
        user.save()
        ids[row["username"]] = user.pk
    return ids


def _write_files(plan: _Plan) -> list[tuple[Any, str]]:
    """Write the files the dump holds; remove them all if one cannot be written."""
    written: list[tuple[Any, str]] = []
    try:
        for item in plan.files:
            if item.content is None or item.storage.exists(item.name):
                continue  # left out of the dump, or already here with the same checksum
            stored = item.storage.save(item.name, ContentFile(base64.b64decode(item.content)))
            written.append((item.storage, stored))
            if stored != item.name:
                raise ImportRefused(item.where, f"could not be stored as {item.name}")
    except OSError as exc:
        _remove(written)
        raise ImportRefused(item.where, f"cannot write the file: {exc.strerror}") from None
    except BaseException:
        _remove(written)
        raise
    return written


def _remove(written: list[tuple[Any, str]]) -> None:
    for storage, name in written:
        storage.delete(name)


# --- values ----------------------------------------------------------------------------


class _ContentTypes:
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


class _Rows:
    """Turns a table's rows into unsaved instances, refusing the first bad value."""

    def __init__(self, plan: _Plan, types: _ContentTypes, model: type[models.Model], i: int):
        self.plan, self.types, self.model, self.i = plan, types, model, i
        self.label = model._meta.label_lower
        self.fields = model._meta.concrete_fields
        self.names = {f.name for f in self.fields}
        self.decoders = {f.name: self._decoder(f) for f in self.fields}
        self.unique = _unique_sets(model)
        self.seen: list[dict] = [{} for _ in self.unique]
        self.generic = [
            (model._meta.get_field(g.ct_field), model._meta.get_field(g.fk_field))
            for g in model._meta.private_fields
            if isinstance(g, GenericForeignKey)
        ]
        self.is_trail = self.label == "audit.auditentry"

    def instance(self, j: int, row: dict) -> models.Model:
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
        return self.model(**values)

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
            if label in self.plan.keys and object_id not in self.plan.keys[label]:
                raise ImportRefused(
                    f"{where}/{fk_field.name}", f"no {label} with id {object_id} in the dump"
                )

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
            if to_pk and value not in self.plan.keys.get(target, ()):
                raise _Bad(f"no {target} with id {value} in the dump")
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
            _check_file(f.storage, name, sha, size, content)
            if content is None and not f.storage.exists(name):
                self.plan.missing_files += 1
            self.plan.files.append(_File(f.storage, name, where, content))
            return name

        return decode


def _check_file(storage, name: str, sha: Any, size: Any, content: Any) -> None:
    """The file's content matches its checksum, and nothing different is in its place."""
    if sha is not None and (not isinstance(sha, str) or len(sha) != 64):
        raise _Bad("sha256 must be 64 hexadecimal digits")
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
        raise _Bad("size must be a whole number of bytes")
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
