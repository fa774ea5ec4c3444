"""API schemas shared by every app."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class PartialDateOut(Schema):
    value: str
    precision: str
    earliest: dt.date
    latest: dt.date
    display: str


class RecordRef(Schema):
    type: str = Field(description='Kind of record, e.g. "meeting".')
    id: int


class SourceOut(Schema):
    key: str
    title: str
    url: str | None = None
    publisher: str | None = None
    locator: str | None = None
    record: RecordRef | None = Field(
        None, description="When the source is a record held here (a meeting): which one."
    )


class VariantOut(Schema):
    field: str
    value: str
    note: str | None = None
    sources: list[str]


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[ErrorItem] = []
