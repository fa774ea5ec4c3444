"""The full JSON dump: the whole record with its history and files, to restore elsewhere.

Every table of our apps, the audit trail included, in dependency order, rows by
primary key, keys sorted: two dumps of the same database are byte-identical, and a
dump imported into an empty database (dump_import) and dumped again gives the same
bytes. It is the complete backup, so it reads as the system, not as a user: only the
system (the CLI) or an administrator may make one, and `at` does not apply.

Left out on purpose: password hashes, API tokens (and their digests in the trail),
failed sign-ins, and the search index (a read model, rebuilt on import). Users
appear only where the record names them, by username; references to users and to
kinds of records (content types) are written as names, not ids, because those ids
differ from one database to another.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from secretariat.accounts import policy
from secretariat.accounts.models import Role
from secretariat.audit.models import AuditEntry
from secretariat.core.models import ReadModel

from .formats import Progress, no_progress

FORMAT = "secretariat-dump"
VERSION = 1
USERS = "auth.user"  # the label of the users' table in the dump
USER_FIELDS = ("email", "first_name", "is_active", "is_staff", "is_superuser", "last_name")
# Not part of the record: secrets, throttling bookkeeping.
# The trail's length is this database's own counter (records.cache): an import
# raises it with the entries it brings, never sets it back.
EXCLUDED_MODELS = {
    "accounts.apitoken",
    "accounts.signinfailure",
    "accounts.passwordresetrequest",
    "audit.traillength",
    "reports.reportfile",  # drawn reports: kept only until the record changes
}
# The index is derived (rebuilt on import); jobs and notices (mails sent, inboxes,
# preferences) are the site's bookkeeping of its work, not the organization's record.
EXCLUDED_APPS = {"search", "jobs", "notices"}
# Values the trail's entries about these records keep, withheld from the dump.
WITHHELD = {"accounts.apitoken": {"digest"}}
WITHHELD_VALUE = "(withheld from the dump)"
NOTES = [
    "The whole record: every table of the secretariat apps, the audit trail included.",
    "Users are given by username, with their flags; roles and represented states are in "
    "accounts.account. No password hashes and no API tokens are dumped (token digests in "
    "the trail are withheld): restored users have no usable password until one is set.",
    "References to users and to kinds of records (content types) are names, not ids.",
    "The search index is not dumped; it is rebuilt on import.",
    "Dates and times are ISO 8601 in UTC; files carry their SHA-256 and, unless the dump "
    "was made without files, their content in base64.",
]
BATCH = 2000


# --- what is dumped, in which order ----------------------------------------------------


def models_in_dump() -> list[type[models.Model]]:
    """The models dumped, each after the models it points at; otherwise in the order of
    the apps in INSTALLED_APPS and of the models in their app (the trail comes last)."""
    found = [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("secretariat.") and config.label not in EXCLUDED_APPS
        for model in config.get_models(include_auto_created=True)
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.label_lower not in EXCLUDED_MODELS
        and not issubclass(model, ReadModel)  # derived, rebuilt on import like the index
    ]
    needs = {
        model: {
            f.related_model
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is not model and f.related_model in found
        }
        for model in found
    }
    ordered: list[type[models.Model]] = []
    while len(ordered) < len(found):
        pending = [m for m in found if m not in ordered]
        ready = [m for m in pending if needs[m] <= set(ordered)]
        # A cycle of foreign keys: the database checks them at commit, so any order loads.
        ordered.append(ready[0] if ready else pending[0])
    trail = [m for m in ordered if m._meta.label_lower == "audit.auditentry"]
    return [m for m in ordered if m not in trail] + trail


def schema_apps() -> list[str]:
    """The apps whose migrations shape the dump: ours, users and content types."""
    return sorted({m._meta.app_label for m in models_in_dump()} | {"auth", "contenttypes"})


def migration_state() -> dict[str, list[str]]:
    """The migrations applied in this database, by app, for the apps of the dump."""
    applied = MigrationRecorder(connection).applied_migrations()
    wanted = set(schema_apps())
    state: dict[str, list[str]] = {app: [] for app in sorted(wanted)}
    for app, name in applied:
        if app in wanted:
            state[app].append(name)
    return {app: sorted(names) for app, names in state.items()}


def external(field: models.Field) -> str | None:
    """'user' or 'content_type' for a foreign key written by name, else None."""
    if not field.is_relation or field.related_model is None:
        return None
    if field.related_model is get_user_model():
        return "user"
    if field.related_model is ContentType:
        return "content_type"
    return None


def content_type_key(ct: ContentType) -> str:
    return f"{ct.app_label}.{ct.model}"


def encode_json(value: Any) -> bytes:
    """One value as the dump writes it: keys sorted, UTF-8, no NaN."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode()


# --- references by name ----------------------------------------------------------------


class Names:
    """Ids of users and content types, as the names the dump writes for them."""

    def __init__(self, usernames: dict[int, str]):
        self.usernames = usernames
        self._types: dict[int, str] = {}

    def user(self, pk: Any) -> str | None:
        # A user deleted since (the trail may still hold its id) is no one: `who` keeps
        # the name it had.
        return self.usernames.get(pk) if isinstance(pk, int) else None

    def content_type(self, pk: Any) -> str | None:
        if not isinstance(pk, int):
            return None
        if pk not in self._types:
            try:
                self._types[pk] = content_type_key(ContentType.objects.get_for_id(pk))
            except ContentType.DoesNotExist:
                self._types[pk] = None
        return self._types[pk]

    def model_of(self, ct_id: Any) -> type[models.Model] | None:
        key = self.content_type(ct_id)
        return model_for(key) if key else None


def model_for(label: str | None) -> type[models.Model] | None:
    try:
        return apps.get_model(label) if label else None
    except (LookupError, ValueError):
        return None


def entry_json(
    model: type[models.Model] | None, changes: Any, snapshot: Any, convert: Callable
) -> tuple[Any, Any]:
    """A trail entry's `changes` and `snapshot` with references to users and content types
    passed through `convert(kind, value)`, and withheld values withheld.

    Shared by the dump (ids to names) and its import (names to ids); `model` is the
    model of the record the entry is about.
    """
    if isinstance(snapshot, dict) and isinstance(snapshot.get("fields"), dict):
        label = snapshot.get("model")
        snap_model = model_for(label) if isinstance(label, str) else None
        if snap_model is not None:
            fields = dict(snapshot["fields"])
            for field in snap_model._meta.concrete_fields:
                kind = external(field)
                if kind and fields.get(field.attname) is not None:
                    fields[field.attname] = convert(kind, fields[field.attname])
            for name in WITHHELD.get(snap_model._meta.label_lower, ()):
                if fields.get(name):
                    fields[name] = WITHHELD_VALUE
            snapshot = {**snapshot, "fields": fields}
    if model is not None and isinstance(changes, dict):
        changes = dict(changes)
        for field in model._meta.concrete_fields:
            kind = external(field)
            pair = changes.get(field.name)
            if kind and isinstance(pair, list):
                changes[field.name] = [None if v is None else convert(kind, v) for v in pair]
        for name in WITHHELD.get(model._meta.label_lower, ()):
            pair = changes.get(name)
            if isinstance(pair, list):
                changes[name] = [WITHHELD_VALUE if v else v for v in pair]
    return changes, snapshot


# --- values ----------------------------------------------------------------------------


class FileReader:
    """Reads stored files for the dump: checksum, size and (optionally) content."""

    def __init__(self, *, with_files: bool):
        self.with_files = with_files
        self.count = 0
        self.missing: list[str] = []

    def __call__(self, field: models.FileField, name: str | None) -> dict | None:
        if not name:
            return None
        self.count += 1
        try:
            with field.storage.open(name, "rb") as handle:
                data = handle.read()
        except OSError:
            self.missing.append(name)
            return {"name": name, "sha256": None, "size": None}
        out = {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        if self.with_files:
            out["content"] = base64.b64encode(data).decode("ascii")
        return out


def _encoder(field: models.Field, names: Names, files: FileReader) -> Callable[[Any], Any]:
    kind = external(field)
    if kind == "user":
        return lambda v: None if v is None else names.user(v)
    if kind == "content_type":
        return lambda v: None if v is None else names.content_type(v)
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        return lambda v: None if v is None else v.astimezone(dt.UTC).isoformat()
    if internal in ("DateField", "TimeField"):
        return lambda v: None if v is None else v.isoformat()
    if internal in ("DecimalField", "UUIDField", "GenericIPAddressField"):
        return lambda v: None if v is None else str(v)
    if internal == "FileField":
        return lambda v: files(field, v)
    return lambda v: v


# --- the dump --------------------------------------------------------------------------


def _usernames(models_: list[type[models.Model]]) -> dict[int, str]:
    """Every user the record names: in foreign keys, and in the trail's entries about
    records that have such keys."""
    ids: set[int] = set()
    with_users = []
    for model in models_:
        for field in model._meta.concrete_fields:
            if external(field) == "user":
                with_users.append(model)
                column = model._base_manager.exclude(**{f"{field.attname}__isnull": True})
                ids.update(column.values_list(field.attname, flat=True).distinct())

    with_users += [apps.get_model(label) for label in WITHHELD]  # tokens: who made them
    kinds = [ContentType.objects.get_for_model(m) for m in with_users]

    def collect(kind: str, value: Any) -> Any:
        if kind == "user" and isinstance(value, int):
            ids.add(value)
        return value

    entries = AuditEntry.objects.filter(content_type__in=kinds).order_by("pk")
    for ct_id, changes, snapshot in entries.values_list(
        "content_type_id", "changes", "snapshot"
    ).iterator(chunk_size=BATCH):
        model = ContentType.objects.get_for_id(ct_id).model_class()
        entry_json(model, changes, snapshot, collect)
    found = get_user_model()._base_manager.filter(pk__in=ids)
    return dict(found.values_list("pk", get_user_model().USERNAME_FIELD))


def _user_rows(usernames: dict[int, str]) -> list[dict]:
    UserModel = get_user_model()
    found = UserModel._base_manager.filter(pk__in=list(usernames))
    name_field = UserModel.USERNAME_FIELD
    rows = [
        {"username": values.pop(name_field), **values}
        for values in found.values(name_field, *USER_FIELDS)
    ]
    # Sorted here, not by the database: collations differ, the dump must not.
    return sorted(rows, key=lambda row: row["username"])


def _rows(model: type[models.Model], names: Names, files: FileReader) -> Iterator[dict[str, Any]]:
    fields = model._meta.concrete_fields
    encoders = [(f.name, _encoder(f, names, files)) for f in fields]
    query = model._base_manager.order_by("pk").values_list(*[f.attname for f in fields])
    is_trail = model._meta.label_lower == "audit.auditentry"
    to_name = _to_name(names)
    for values in query.iterator(chunk_size=BATCH):
        row = {name: encode(v) for (name, encode), v in zip(encoders, values, strict=True)}
        if is_trail:
            row["changes"], row["snapshot"] = entry_json(
                model_for(row["content_type"]), row["changes"], row["snapshot"], to_name
            )
        yield row


def _to_name(names: Names) -> Callable[[str, Any], Any]:
    def convert(kind: str, value: Any) -> Any:
        return names.user(value) if kind == "user" else names.content_type(value)

    return convert


def export(
    stream: BinaryIO,
    *,
    at: dt.date | None = None,
    user: Any = None,
    progress: Progress = no_progress,
    with_files: bool = True,
) -> dict[str, Any]:
    """Write the dump to `stream`; returns what was written (rows, files, missing files).

    The dump is the complete backup: confidential papers, the trail and the accounts, as
    of now (`at` is ignored). So `user` is None (the system: the CLI run on the server)
    or an administrator; anyone else is refused before a byte is written.
    Read in one transaction, so the dump is one consistent moment of the record.
    """
    if user is not None and policy.role_of(user) != Role.ADMINISTRATOR:
        raise PermissionDenied("The full dump holds the whole record: administrators only.")
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # On SQLite the transaction holds the write lock: writers wait for the dump.
        return _write(stream, progress=progress, with_files=with_files)


def _write(stream: BinaryIO, *, progress: Progress, with_files: bool) -> dict[str, Any]:
    dumped = models_in_dump()
    usernames = _usernames(dumped)
    names, files = Names(usernames), FileReader(with_files=with_files)
    counts = {USERS: len(usernames)}
    counts.update({m._meta.label_lower: m._base_manager.count() for m in dumped})
    header = {
        "counts": counts,
        "files": "content included" if with_files else "checksums only, content left out",
        "format": FORMAT,
        "migrations": migration_state(),
        "notes": NOTES,
        "version": VERSION,
    }
    total, done = sum(counts.values()), 0
    head = json.dumps(header, sort_keys=True, ensure_ascii=False, indent=1)
    stream.write(b'{"header":' + head.encode() + b',\n"tables":[')
    tables: list[tuple[str, Iterable[dict]]] = [(USERS, _user_rows(usernames))]
    tables += [(m._meta.label_lower, _rows(m, names, files)) for m in dumped]
    for index, (label, rows) in enumerate(tables):
        stream.write((b"\n" if index == 0 else b",\n") + b'{"model":' + encode_json(label))
        stream.write(b',"rows":[')
        for n, row in enumerate(rows):
            stream.write((b"\n" if n == 0 else b",\n") + encode_json(row))
            done += 1
            if done % BATCH == 0:
                progress(done, total)
        stream.write(b"]}")
        progress(done, total)
    stream.write(b"\n]}\n")
    return {"rows": done, "files": files.count, "missing_files": files.missing}
