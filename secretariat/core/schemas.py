"""API schemas shared by every app."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator

from .as_of import AsOf


def _no_nul(value: str) -> str:
    # No record holds one, and PostgreSQL refuses it in a query.
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (U+0000)")
    return value


# A slug or key naming a record in a filter.
Key = Annotated[
    str,
    AfterValidator(_no_nul),
    Field(max_length=200, json_schema_extra={"pattern": "^[^\\x00]*$"}),
]


class PartialDateOut(Schema):
    value: str = Field(description='As recorded: "2021", "2021-06" or "2021-06-19".')
    precision: str = Field(description="year, month or day.")
    earliest: dt.date = Field(description="The first day the date may be.")
    latest: dt.date = Field(description="The last day the date may be.")
    display: str = Field(description='For people: "June 2021".')


class RecordRef(Schema):
    type: str = Field(description='Kind of record, e.g. "meeting".')
    id: int


class SourceOut(Schema):
    key: str
    title: str
    url: str | None = None
    publisher: str | None = None
    locator: str | None = Field(None, description="Where in the source: page, paragraph.")
    record: RecordRef | None = Field(
        None, description="When the source is a record held here (a meeting): which one."
    )


class VariantOut(Schema):
    """Another source's value for a field. Why it was not preferred is an editorial note,
    kept for officers (the admin, the records API), never part of the public answer."""

    field: str
    value: str
    sources: list[str]


class ErrorItem(Schema):
    loc: list[str | int] = Field(description="Where: the parameter or field, path first.")
    msg: str = Field(description="What is wrong there.")


class Problem(Schema):
    """RFC 9457 problem details: every 4xx of the API answers one."""

    type: str = Field("about:blank", description="Always about:blank: the status says it.")
    title: str = Field(description="The HTTP status in words.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What was wrong, and where.")
    errors: list[ErrorItem] = Field([], description="Invalid input: each place and reason.")
    current_version: int | None = Field(
        None, description="Edit conflict (409): the version the record has now."
    )


class AtQuery(Schema):
    at: AsOf = None  # YYYY-MM-DD only, read as pages read it (core.as_of)
