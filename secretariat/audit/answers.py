"""The answer about a record's history, declared once (core.answers): the API, and the
history pages (audit.display)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field

from secretariat.core.answers import Answer, From

from .models import AuditEntry


# A change of one field (built from its (name, (before, after)) item).
class ChangeOut(Answer):
    field: Annotated[str, From(lambda change: change[0])]
    before: Annotated[Any, From(lambda change: change[1][0])] = Field(
        None, description="The value before (ids for links, ISO dates)."
    )
    after: Annotated[Any, From(lambda change: change[1][1])] = Field(
        None, description="The value after."
    )


class EntryOut(Answer):
    id: Annotated[int, From("pk")]
    at: dt.datetime
    who: str
    via: str = Field(description="web, api, admin, loader, command or system.")
    reason: str | None = None
    action: str = Field(description="create, update, delete or restore.")
    version: int | None = Field(None, description="The record's version after the change.")
    batch: Annotated[str, From(lambda entry: str(entry.batch))] = Field(
        description="Entries of one transaction share it."
    )
    changes: Annotated[list[ChangeOut], From(lambda entry: sorted(entry.changes.items()))]

    @classmethod
    def build(cls, entry: AuditEntry, /, **given: Any) -> dict[str, Any]:
        # The reason as stored: a blank one is "" (not null, as `str | None` would make it).
        return {**super().build(entry, **given), "reason": given.get("reason", entry.reason)}
