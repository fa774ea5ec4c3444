"""Restoring a full JSON dump (see dump.py) into an empty database: all or nothing.

Restoring a backup is not a change to the record: the rows are written as they were
(same keys, same times, the audit trail as it stood), not through the services, and
nothing new is added to the trail.

In two steps, so that other users' writes are held up for moments, not for the whole
restore. First the dump is read as a stream, outside any transaction: every row is
checked as it comes (its first error refused with its place, a JSON pointer into the
dump, and its reason, having read no further) and kept as the values of its columns;
each file is checked against its SHA-256 and written to the import's staging folder
(exchange.staging). Then one transaction writes the users and every table's rows, and
derives the read models. Files are moved into place when it commits, and the search
index is rebuilt after, a batch per transaction (until it is, searches miss what is
not yet indexed; search's catch-up job finishes it if the process dies first). A
refusal, a failure or a kill leaves the database as it was and no file behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction

from secretariat.core.readmodels import rebuild_all
from secretariat.search import indexer
from secretariat.search.entries import MODELS

from . import dump, stream
from .dump_rows import ContentTypes, Rows
from .formats import Progress, no_progress
from .safe import ImportRefused, pointer
from .staging import Staging

INDEX_BATCH = 500  # records indexed per transaction after the restore


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
class _Table:
    label: str
    model: type[models.Model] | None  # None: the users
    fields: list[models.Field] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # column values, ready for the database
    reader: Rows | None = None


@dataclass
class _Plan:
    """What the reading found, for the writing that follows."""

    staging: Staging
    expected: set[str]  # the tables of this release
    tables: dict[int, _Table] = field(default_factory=dict)  # by index in the dump
    keys: dict[str, set] = field(default_factory=dict)  # label -> primary keys in the dump
    done: set[str] = field(default_factory=set)  # tables read to their end
    later: list[tuple[str, Any, str, str]] = field(default_factory=list)  # keys to check
    users: dict[str, int] = field(default_factory=dict)  # username -> id here
    user_rows: list[dict] = field(default_factory=list)
    missing_files: int = 0

    def check_key(self, label: str, key: Any, where: str, why: str) -> None:
        """That `label` has a row `key`: now if its table was read, else at the end."""
        if label in self.done:
            if key not in self.keys.get(label, ()):
                raise ImportRefused(where, why)
        else:
            self.later.append((label, key, where, why))


def import_dump(
    data: Any, *, name: str = "dump", dry_run: bool = False, progress: Progress = no_progress
) -> dict[str, int]:
    """Restore the dump (parsed JSON, or a Path read as a stream) into this (empty)
    database; returns the rows written by table (tables left empty are not named), the
    search entries and the files.

    Refused with ImportRefused (where, why) at the first problem, with nothing written.
    """
    if isinstance(data, dict) and not is_dump(data):
        raise ImportRefused("/header/format", f"not a {dump.FORMAT}: no header naming it")
    _check_empty()  # at once: reading a large dump into a full database would be in vain
    staging = Staging()
    try:
        plan = _read(_entries(data, name), staging, progress)
        summary = _write(plan, dry_run=dry_run)
    except BaseException:
        staging.discard()
        raise
    if dry_run:
        staging.discard()
    else:
        summary["search entries"] = _index()
    summary["files restored"] = 0 if dry_run else len(staging)
    summary["files not in the dump"] = plan.missing_files
    return summary


def _entries(data: Any, name: str) -> Iterator[tuple[str, Any, Any]]:
    """The dump as stream.dump_rows gives it, from a file or from parsed JSON."""
    if isinstance(data, Path):
        yield from stream.dump_rows(data, name=name)
        return
    for key, value in data.items():
        if key == "header":
            yield stream.HEADER, None, value
        elif key != "tables" or not isinstance(value, list):
            yield stream.OTHER, (key,), value
            continue
        for i, table in enumerate(value if key == "tables" else ()):
            if not isinstance(table, dict):
                yield stream.OTHER, ("tables", i), table
                continue
            for part, inner in table.items():
                if part == "model":
                    yield stream.TABLE, i, inner
                elif part == "rows" and isinstance(inner, list):
                    for j, row in enumerate(inner):
                        yield stream.ROW, (i, j), row
                    yield stream.END, i, len(inner)
                else:
                    yield stream.OTHER, ("tables", i, part), inner


# --- reading: every row checked, nothing written ------------------------------------------


def _read(entries: Iterator, staging: Staging, progress: Progress) -> _Plan:
    what, _, header = next(entries, (None, None, None))
    if what != stream.HEADER or not is_dump({"header": header}):
        raise ImportRefused("/header/format", f"not a {dump.FORMAT}: no header naming it")
    _check_header(header)
    counts = header.get("counts")
    if not isinstance(counts, dict):
        raise ImportRefused("/header/counts", "must give the rows of each table")
    known = {m._meta.label_lower for m in dump.models_in_dump()} | {dump.USERS}
    extra = sorted(set(counts) - known)
    if extra:
        raise ImportRefused(pointer("header", "counts", extra[0]), "not a table of this release")
    plan = _Plan(staging=staging, expected=known)
    types = ContentTypes()
    seen: dict[str, int] = {}
    total = sum(n for n in counts.values() if isinstance(n, int))
    done = 0
    for what, where, value in entries:
        if what == stream.TABLE:
            plan.tables[where] = _table(plan, types, where, value, known, seen)
        elif what == stream.ROW:
            i, j = where
            table = plan.tables.get(i)
            if table is None:
                raise ImportRefused(pointer("tables", i), "a table names its model before its rows")
            _row(plan, table, i, j, value)
            done += 1
            if done % 2000 == 0:
                progress(done, total)
        elif what == stream.END:
            _end(plan, where, value, counts)
        else:
            _refuse_shape(where, value)
    missing = sorted(known - seen.keys())
    if missing:
        raise ImportRefused("/tables", f"no table {missing[0]}: the dump is incomplete")
    for label, key, where, why in plan.later:
        if key not in plan.keys.get(label, ()):
            raise ImportRefused(where, why)
    progress(done, total)
    return plan


def _refuse_shape(where: tuple, value: Any) -> None:
    if len(where) == 1:
        if where[0] == "tables":
            raise ImportRefused("/tables", "must be a list of tables")
        raise ImportRefused(pointer(*where), "unknown key: a dump holds header and tables")
    if len(where) == 3 and where[2] == "rows":
        raise ImportRefused(pointer(*where), "must be a list of rows")
    raise ImportRefused(pointer(*where[:2]), "a table is {model, rows}")


def _check_header(header: dict) -> None:
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


def _table(plan: _Plan, types, i: int, label: Any, known: set, seen: dict) -> _Table:
    if not isinstance(label, str) or label not in known:
        why = f"{label!r} is not a table of this release"
        raise ImportRefused(pointer("tables", i, "model"), why)
    if label in seen:
        raise ImportRefused(
            pointer("tables", i, "model"), f"{label} again (first at /tables/{seen[label]})"
        )
    seen[label] = i
    if label == dump.USERS:
        if plan.tables:
            raise ImportRefused(pointer("tables", i), "the users' table comes first in a dump")
        return _Table(label, None)
    if dump.USERS not in plan.done:
        raise ImportRefused(pointer("tables", i), "the users' table comes first in a dump")
    model = dump.model_for(label)
    plan.keys[label] = set()
    fields = list(model._meta.concrete_fields)
    return _Table(label, model, fields, reader=Rows(plan, types, model, i))


def _row(plan: _Plan, table: _Table, i: int, j: int, row: Any) -> None:
    where = pointer("tables", i, "rows", j)
    if table.model is None:
        plan.user_rows.append(_user_row(where, row, plan.user_rows))
        return
    if not isinstance(row, dict):
        raise ImportRefused(where, "a row is an object")
    pk = row.get("id")
    if not isinstance(pk, int) or isinstance(pk, bool) or pk < 1:
        raise ImportRefused(f"{where}/id", "the id must be a positive whole number")
    keys = plan.keys[table.label]
    if pk in keys:
        first = next(n for n, r in enumerate(table.rows) if r[0] == pk)  # id comes first
        why = f"a second {table.label} with id {pk} (the first is row {first})"
        raise ImportRefused(f"{where}/id", why)
    keys.add(pk)
    values = table.reader.values(j, row)
    table.rows.append(
        tuple(f.get_db_prep_save(values[f.attname], connection) for f in table.fields)
    )


def _end(plan: _Plan, i: int, rows: int, counts: dict) -> None:
    table = plan.tables[i]
    if counts.get(table.label) != rows:
        raise ImportRefused(
            pointer("tables", i, "rows"),
            f"{rows} rows where the header counts {counts.get(table.label)}: "
            "the dump is truncated or was edited",
        )
    plan.done.add(table.label)
    if table.model is None:
        plan.users = _user_ids(plan.user_rows)


def _user_row(where: str, row: Any, before: list[dict]) -> dict:
    """A user of the dump, checked (to be matched by username, or made)."""
    User = get_user_model()
    wanted = {"username", *dump.USER_FIELDS}
    if not isinstance(row, dict):
        raise ImportRefused(where, "a row is an object")
    if set(row) != wanted:
        odd = sorted(set(row) ^ wanted)[0]
        raise ImportRefused(f"{where}/{odd}", "unknown field" if odd in row else "missing")
    for key in dump.USER_FIELDS:
        kind = bool if key.startswith("is_") else str
        if not isinstance(row[key], kind):
            raise ImportRefused(f"{where}/{key}", f"must be {kind.__name__}")
    for key in ("username", "email"):
        try:
            User._meta.get_field(User.USERNAME_FIELD if key == "username" else key).run_validators(
                row[key]
            )
        except (ValidationError, TypeError) as exc:
            why = " ".join(getattr(exc, "messages", [])) or "must be text"
            raise ImportRefused(f"{where}/{key}", why) from None
    username = row["username"]
    if not isinstance(username, str) or not username.strip():
        raise ImportRefused(f"{where}/username", "must be a username")
    for n, other in enumerate(before):
        if other["username"] == username:
            raise ImportRefused(f"{where}/username", f"'{username}' again (row {n})")
    return row


def _user_ids(rows: list[dict]) -> dict[str, int]:
    """The id each user of the dump will have here: that of the account of the same name
    (whose password is kept), else the next free ones, taken when the dump is written."""
    User = get_user_model()
    name = User.USERNAME_FIELD
    here = dict(
        User._base_manager.filter(**{f"{name}__in": [r["username"] for r in rows]}).values_list(
            name, "pk"
        )
    )
    last = User._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = {}
    for row in rows:
        if row["username"] not in here:
            last += 1
        ids[row["username"]] = here.get(row["username"], last)
    return ids


# --- writing: one transaction -------------------------------------------------------------


def _write(plan: _Plan, *, dry_run: bool) -> dict[str, int]:
    summary: dict[str, int] = {"users": len(plan.user_rows)}
    try:
        with transaction.atomic():
            _check_empty()  # in the transaction: nothing may slip in between
            _restore_users(plan)
            restored = [get_user_model()]  # made with the ids the rows were read with
            for i, table in sorted(plan.tables.items()):
                if table.model is None:
                    continue
                _insert(table, i)
                if table.rows:
                    summary[table.label] = len(table.rows)
                restored.append(table.model)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), restored):
                    cursor.execute(sql)  # the next row made here gets the next free key

            rebuild_all()  # the rows came in raw, past the receivers that keep the read models
            if dry_run:
                raise _Rollback
            transaction.on_commit(plan.staging.publish)
    except _Rollback:
        pass
    except DatabaseError as exc:  # a deferred constraint, checked at commit
        raise ImportRefused("/tables", f"refused by the database: {exc}") from None
    return summary


def _restore_users(plan: _Plan) -> None:
    """The dump's users, matched by username with users already here (their passwords are
    kept) or made without a usable password, with the ids the rows were read with."""
    User = get_user_model()
    name = User.USERNAME_FIELD
    for row in plan.user_rows:
        pk = plan.users[row["username"]]
        user = User._base_manager.filter(**{name: row["username"]}).first()
        if user is None:
            if User._base_manager.filter(pk=pk).exists():
                raise ImportRefused(
                    "database", "an account was added while the dump was read: import again"
                )
            user = User(pk=pk, **{name: row["username"]})
            user.set_unusable_password()
        elif user.pk != pk:
            raise ImportRefused(
                "database", "the accounts changed while the dump was read: import again"
            )
        for key in dump.USER_FIELDS:
            setattr(user, key, row[key])
        user.save()


def _insert(table: _Table, i: int) -> None:
    """Insert a table's rows as they are (raw: no automatic times, no signals)."""
    if not table.rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in table.fields)
    marks = ", ".join(["%s"] * len(table.fields))
    sql = f"INSERT INTO {quote(table.model._meta.db_table)} ({columns}) VALUES ({marks})"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, table.rows)
    except DatabaseError:
        # Find the row the database refuses, to say which one.
        for j, row in enumerate(table.rows):
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql, row)
            except DatabaseError as exc:
                raise ImportRefused(
                    pointer("tables", i, "rows", j), f"refused by the database: {exc}"
                ) from None
        raise


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


def _index() -> int:
    """The search index of the restored record, a batch of records per transaction."""

    written = 0
    for kind, model in MODELS.items():
        ids = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), INDEX_BATCH):
            written += indexer.index({kind: ids[start : start + INDEX_BATCH]})
    return written
