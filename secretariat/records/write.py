"""Writes through the records API: the admin's form checks the values, the admin's save
writes them (through records.services), and If-Match guards every change.

So a program is refused exactly what an officer in the admin is refused, with the
same words, and every write is checked by the policy and audited by the services.
An update or deletion names, in If-Match, the ETag of the record as the client read
it: without one the answer is 428; naming another version of the record, 412 (with
who changed what since); a change landing between that check and the save, 409.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest

from secretariat.accounts.policy import require_write
from secretariat.audit.trail import json_safe
from secretariat.core.acting import because
from secretariat.core.api_http import entity_tag, if_match_version, version_etag

from .access import record_dict, record_get, shows_editorial
from .kinds import RecordKind, officer_view
from .services import EditConflict, citations_set, require_version, sources_by_key


class Precondition(Exception):
    """If-Match naming another version of the record (412), with its current ETag."""

    def __init__(self, detail: str, *, etag: str):
        super().__init__(detail)
        self.status, self.detail, self.etag = 412, detail, etag


# --- ETags -------------------------------------------------------------------------------


def etag(kind: RecordKind, record: models.Model) -> str:
    """The record's ETag: its edit version with a digest of the answer, as every record of
    the API has (api_http.version_etag); a record kept without an edit version (the admin
    keeps a few so) is tagged by the digest alone."""
    data = record_dict(kind, record, officer=True)  # the same tag for every reader
    if kind.versioned:
        return version_etag(record.version, data)
    return entity_tag(data=json_safe(data))


@dataclass(frozen=True)
class Written:
    """A record as its write's own transaction left it: the answer and its ETag, read
    before the commit, so they can never be a later writer's (None: the caller may not
    read what it wrote)."""

    record: models.Model | None
    body: dict | None = None
    etag: str | None = None


def _written(kind: RecordKind, pk: Any, request: HttpRequest) -> Written:
    """Inside the write's transaction, with the row still held: the record as written."""
    record = record_get(kind, pk, request.user)
    if record is None:
        return Written(None)
    shown = record_dict(kind, record, officer=shows_editorial(request.user))
    return Written(record, shown, etag(kind, record))


def require_if_match(record: models.Model, expected: int, *, what: str, current: str) -> None:
    """Refuse (412) an edit whose If-Match names another version of this versioned record
    than the one stored, saying who changed what since; `current` is its ETag now."""
    if expected == record.version:
        return
    try:  # the services' account of who changed what since
        require_version(record, expected)
        detail = ""
    except EditConflict as exc:
        detail = " ".join(exc.messages)
    raise Precondition(
        detail
        or f"This {what} has changed since the state your If-Match names (it is now "
        f"{current}). Read it again and make your change again.",
        etag=current,
    )


def precondition(kind: RecordKind, record: models.Model, request: HttpRequest) -> str:
    """The record's ETag if If-Match names the record as stored, else refuse: 428 without
    If-Match, 412 naming another state of the record (with who changed what since)."""
    current = etag(kind, record)
    if kind.versioned:
        expected = if_match_version(request, what=kind.name)  # 428, or 412 for a foreign tag
        require_if_match(record, expected, what=kind.name, current=current)
        return current
    asked = request.headers.get("If-Match", "").strip()
    if not asked:
        if_match_version(request, what=kind.name)  # its 428, in the API's words
    if asked != current:
        raise Precondition(
            f"This {kind.name} has changed since the state your If-Match names (it is "
            f"now {current}). Read it again and make your change again.",
            etag=current,
        )
    return current


def _still(kind: RecordKind, record: models.Model, tag: str, user) -> None:
    """Inside the write's transaction: hold the row, and refuse (409) if it changed since
    the precondition was checked."""
    if kind.versioned:
        require_version(record, record.version, lock=True)
        return
    kind.model._base_manager.select_for_update().filter(pk=record.pk).values_list("pk").first()
    now = record_get(kind, record.pk, user)
    if now is None or etag(kind, now) != tag:
        raise EditConflict(
            f"This {kind.name} was changed or deleted by someone else meanwhile. "
            "Reload it and make your change again.",
            expected_version=None,
            current_version=None,
        )


# --- Form data ---------------------------------------------------------------------------


def _json_field(field) -> bool:
    return field is not None and field.get_internal_type() == "JSONField"


def _stored(kind: RecordKind, record: models.Model, name: str) -> Any:
    """A field's current value as the admin's form would be sent it."""
    field = kind.field(name)
    if field is None:
        value = getattr(record, name)
        return value.isoformat() if value is not None else ""
    if field.many_to_many:
        return list(getattr(record, name).values_list("pk", flat=True)) if record.pk else []
    value = getattr(record, field.attname)
    if _json_field(field):
        return json.dumps(value)
    return "" if value is None else value


def _sent(kind: RecordKind, name: str, value: Any) -> Any:
    """A value from the request body as the admin's form would be sent it."""
    field = kind.field(name)
    if _json_field(field):
        return json.dumps(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return [str(v) for v in value]
    return value


def _form(kind: RecordKind, record: models.Model, values: dict[str, Any]):
    """The admin's own form for the record, bound to its stored values and the new ones."""
    change = record.pk is not None
    form_class = kind.admin.get_form(officer_view(), record if change else None, change=change)
    names = [n for n in form_class.base_fields if n in kind.shown_fields]
    data = {name: _stored(kind, record, name) for name in names}
    data.update({name: _sent(kind, name, value) for name, value in values.items()})
    if change and kind.versioned:
        data["edit_version"] = record.version
    return form_class(data=data, files=None, instance=record)


def _checked(form) -> None:
    """Refuse what the form refuses: the policy first (403), then the values (422)."""
    valid = form.is_valid()
    if getattr(form, "edit_conflict", None) is not None:
        raise form.edit_conflict
    require_write(form.instance)
    if not valid:
        raise ValidationError(form.errors.as_data())


def _sources(keys: list[str]):
    try:
        return sources_by_key(keys)
    except ValidationError as exc:
        raise ValidationError({"sources": exc.messages}) from None


@contextlib.contextmanager
def _database_rules(kind: RecordKind):
    """What the database refuses, said as a refusal of the values (422), never a crash;
    use outside the write's transaction, so that nothing of it stays."""
    try:
        yield
    except (ProtectedError, RestrictedError) as exc:
        held = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        names = sorted({str(o._meta.verbose_name_plural) for o in held})
        raise ValidationError(
            f"This {kind.name} cannot be deleted: {', '.join(names)} still refer to it."
        ) from None
    except IntegrityError as exc:
        raise ValidationError(_broken(kind, exc)) from None
    except DataError:
        raise ValidationError("A value does not fit the database's column for it.") from None


def _broken(kind: RecordKind, exc: IntegrityError) -> str | dict:
    """The message of the constraint the database names, else a plain one."""
    text = str(exc)
    for constraint in kind.model._meta.constraints:
        if constraint.name in text:
            message = constraint.get_violation_error_message()
            fields = list(getattr(constraint, "fields", ()) or ())
            return {fields[0]: [message]} if len(fields) == 1 else message
    return f"The {kind.name} breaks a rule of the database; nothing was saved."


# --- The writes --------------------------------------------------------------------------


def record_create(
    *, kind: RecordKind, values: dict[str, Any], sources: list[str] | None,
    reason: str, request: HttpRequest,
) -> Written:  # fmt: skip
    """Add a record as the admin's add page would, citing `sources` (keys)."""
    with because(reason), _database_rules(kind), transaction.atomic():
        form = _form(kind, kind.model(), values)
        _checked(form)
        cited = _sources(sources) if kind.sourced else None
        kind.admin.save_model(request, form.instance, form, False)
        kind.admin.save_related(request, form, [], False)
        if cited is not None:
            citations_set(record=form.instance, sources=cited)
        return _written(kind, form.instance.pk, request)


def record_update(
    *, kind: RecordKind, record: models.Model, values: dict[str, Any],
    sources: list[str] | None, reason: str, request: HttpRequest,
) -> Written:  # fmt: skip
    """Change a record as the admin's change page would, if If-Match names it as stored;
    the answer is the record as this change left it, whoever writes next."""
    require_write(record)
    tag = precondition(kind, record, request)
    with because(reason), _database_rules(kind), transaction.atomic():
        _still(kind, record, tag, request.user)
        form = _form(kind, record, values)
        _checked(form)
        cited = _sources(sources) if sources is not None else None
        kind.admin.save_model(request, form.instance, form, True)
        kind.admin.save_related(request, form, [], True)
        if cited is not None:
            citations_set(record=form.instance, sources=cited)
        return _written(kind, record.pk, request)


def record_remove(
    *, kind: RecordKind, record: models.Model, reason: str, request: HttpRequest
) -> None:
    """Delete a record as the admin would (kept in the trail, restorable), if If-Match
    names it as stored."""
    require_write(record)
    tag = precondition(kind, record, request)
    with because(reason), _database_rules(kind), transaction.atomic():
        _still(kind, record, tag, request.user)
        kind.admin.delete_model(request, record)
