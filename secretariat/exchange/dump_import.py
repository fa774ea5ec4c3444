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
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction

from . import dump
from .dump_rows import ContentTypes, NamedFile, Rows
from .formats import Progress, no_progress
from .safe import ImportRefused, pointer

BATCH = 500


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
class _Plan:
    """What the checks found, for the writes that follow."""

    tables: list[tuple[int, str, list]]  # (index in the dump, label, rows)
    keys: dict[str, set] = field(default_factory=dict)  # label -> primary keys in the dump
    users: dict[str, int] = field(default_factory=dict)  # username -> id here
    files: list[NamedFile] = field(default_factory=list)
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
    types = ContentTypes()
    restored = []
    # Users first, wherever the dump has them: the other tables name them.
    for i, label, rows in sorted(plan.tables, key=lambda t: t[1] != dump.USERS):
        if label == dump.USERS:
            plan.users = _restore_users(i, rows)
            summary["users"] = len(rows)
            done += len(rows)
            continue
        model = dump.model_for(label)
        rows_in = Rows(plan, types, model, i)
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
    from secretariat.core.readmodels import rebuild_all
    from secretariat.search import indexer

    rebuild_all()  # the rows came in raw, past the receivers that keep the read models
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
