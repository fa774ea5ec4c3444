"""Every list and status table, defined once: its columns, its filters and its rows, read
through the selectors as a given user. CSV is rendered here; XLSX by workbook.py from the
same definitions, so the two formats cannot disagree.

A cell is a str, int, date, PartialDate or None; each renderer writes it in its own way
(a date stays a date in XLSX; a partial date "2021-06" stays text). Text that a
spreadsheet would run as a formula is defused (`guard`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from secretariat.accounts.models import Role
from secretariat.accounts.policy import can_read_document, role_of
from secretariat.bodies.selectors import (
    STATUS_GROUPS,
    meeting_status,
    meeting_title,
    meeting_when,
    meetings_browse,
)
from secretariat.core.as_of import BadAsOf, parse_as_of
from secretariat.core.partial_dates import PartialDate
from secretariat.documents import transitions as document_transitions
from secretariat.documents.answers import DocumentOut
from secretariat.documents.models import Document
from secretariat.documents.selectors import body_by_slug, documents_list, meeting_by_key
from secretariat.initiatives import transitions as initiative_transitions
from secretariat.initiatives.answers import InitiativeOut
from secretariat.initiatives.selectors import initiatives_at, priorities_list
from secretariat.programme.selectors import catalogue, edition_in_force
from secretariat.registry.models import Status
from secretariat.registry.selectors import statuses_at
from secretariat.treaties.selectors import treaties_list, treaty_get, treaty_status
from secretariat.treaties.status_table import CSV_HEADER, csv_rows

from .formats import Progress, no_progress

Cell = str | int | dt.date | PartialDate | None

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection):
# such text is prefixed with an apostrophe, which shows it as typed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# ZIP entries carry this time, so two exports of the same record are the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class BadFilter(Exception):
    """A filter the table cannot apply: `param` names it, `status` is 400 for a malformed
    value and 404 for a record that is not there (or that the user may not read)."""

    def __init__(self, param: str, message: str, *, status: int = 400):
        self.param, self.message, self.status = param, message, status
        super().__init__(f"{param}: {message}")


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 14  # in characters, for the XLSX


@dataclass(frozen=True)
class Filters:
    """What a table is read for: the day, the reader, and the filters of its page."""

    at: dt.date
    user: Any = None
    status: str | None = None
    type: str | None = None
    body: Any = None
    meeting: Any = None
    year: int | None = None
    treaty: Any = None
    priorities: str | None = None


@dataclass(frozen=True)
class Table:
    name: str  # in URLs and file names
    title: str  # the sheet's name (at most 31 characters)
    description: str
    columns: tuple[Column, ...]
    params: tuple[str, ...]  # the filters it takes besides `at`
    read: Callable[[Filters], Iterable[Sequence[Cell]]]

    def rows(self, filters: Filters) -> list[list[Cell]]:
        return [list(row) for row in self.read(filters)]


def guard(text: str) -> str:
    """Text as a spreadsheet shows it, never as a formula it would run."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _yes(value: bool) -> str:
    return "yes" if value else "no"


# --- The tables ---------------------------------------------------------------------------


def _members(f: Filters):
    for item in statuses_at(f.at, kind=f.status):
        status = item.status
        actor = status.actor
        yield [
            actor.name_en,
            actor.slug,
            actor.get_kind_display(),
            actor.iso3 or actor.iso2 or None,
            status.get_kind_display(),
            item.ordinal.label if item.ordinal else None,
            status.start,
            status.end,
            item.certainty.value,
            _meeting_title(status.decided_at),
        ]


def _meeting_title(meeting) -> str | None:
    return meeting_title(meeting) if meeting is not None else None


def _meetings(f: Filters):
    for meeting in meetings_browse(body=f.body, year=f.year, status=f.status):
        when = meeting_when(meeting)
        # Every plan, beside where and when it was held: both are kept.
        plans = [e.start.isoformat() for e in meeting.schedule.all() if e.kind == "planned"]
        yield [
            meeting.key,
            meeting_title(meeting),
            meeting.body.name_en,
            meeting.ordinal,
            _yes(meeting.formal),
            meeting_status(meeting),
            when.start if when else None,
            when.end if when else None,
            (when.city_en or None) if when else None,
            when.country.name_en if when and when.country else None,
            when.get_mode_display() if when else None,
            "; ".join(plans) or None,
            meeting.chair.name_en if meeting.chair else None,
        ]


def _documents(f: Filters):
    found = documents_list(
        user=f.user,
        at=f.at,
        type=f.type,
        status=f.status,
        body=f.body,
        meeting=f.meeting,
        year=f.year,
    )
    for document in found:
        data = DocumentOut.build(document, context={"at": f.at})
        yield [
            document.symbol,
            document.key,
            data["type_label"],
            document.title_en,
            document.title_ru or None,
            data["access"],
            document.public_from,
            data["status"],
            document.body.name_en if document.body else None,
            data["meeting"]["title"] if data["meeting"] else None,
            data["year"],
        ]


def _treaty_status(f: Filters):
    # The same rows as GET /api/v1/treaties/{key}/status.csv, with the treaty in front.
    if f.treaty is not None:
        states = [treaty_status(f.treaty, at=f.at)]
    else:
        states = treaties_list(user=f.user, at=f.at)
    for state in states:
        symbol = state.treaty.document.symbol
        for row in csv_rows(state)[1:]:
            yield [symbol, *row]


def _cbm_coordinators(f: Filters):
    edition = edition_in_force(f.at)
    if edition is None:
        return
    view = catalogue(edition, f.at)
    document = edition.document
    symbol = document.symbol if can_read_document(f.user, document) else None
    for area in sorted(view.areas, key=lambda a: (a.number, a.pk)):
        for role, certainty in view.current[area.pk]:
            yield [
                symbol,
                area.dimension.name_en,
                area.number,
                area.title_en,
                role.get_role_display(),
                role.actor.name_en,
                role.start,
                role.end,
                certainty.value,
            ]


def _initiatives(f: Filters):
    for item in initiatives_at(f.at, status=f.status, priorities=f.priorities):
        data = InitiativeOut.build(item)
        proposer = data["proposer"]
        yield [
            data["slug"],
            data["title"],
            data["title_ru"],
            item.initiative.get_kind_display(),
            data["status"],
            data["possible_status"],
            proposer["name"] if proposer else None,
            data["launched_at"]["title"] if data["launched_at"] else None,
            "; ".join(p["title"] for p in data["priorities"]) or None,
        ]


def _treaty_columns() -> tuple[Column, ...]:
    """The treaty, then the columns of the status.csv (treaties.status_table)."""
    widths = [28, 22, 30, 28, 24]
    return (Column("Treaty", 22), *(Column(t, w) for t, w in zip(CSV_HEADER, widths, strict=True)))


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "members",
            "Members and partners",
            "Members, observers, partners, applicants and dialogue partners holding their "
            "standing on the day, with ordinals (filter: status).",
            (
                Column("State or organization", 30),
                Column("Key", 22),
                Column("Kind", 12),
                Column("ISO code", 9),
                Column("Status", 16),
                Column("Ordinal", 24),
                Column("Since", 12),
                Column("Until", 12),
                Column("Holds on the day", 16),
                Column("Decided at", 34),
            ),
            ("status",),
            _members,
        ),
        Table(
            "meetings",
            "Meetings",
            "Meetings in date order: where and when held, else last planned (filters: body, "
            "year, status).",
            (
                Column("Key", 22),
                Column("Meeting", 40),
                Column("Body", 30),
                Column("Ordinal", 8),
                Column("Formal", 8),
                Column("Status", 12),
                Column("Start", 12),
                Column("End", 12),
                Column("City", 16),
                Column("Country", 18),
                Column("Mode", 10),
                Column("Planned", 16),
                Column("Chair", 18),
            ),
            ("body", "year", "status"),
            _meetings,
        ),
        Table(
            "documents",
            "Documents",
            "The documents the reader may read, by symbol, each with its status on the day "
            "(filters: type, status, body, meeting, year).",
            (
                Column("Symbol", 24),
                Column("Key", 28),
                Column("Type", 16),
                Column("Title", 50),
                Column("Title (Russian)", 40),
                Column("Access", 12),
                Column("Public from", 12),
                Column("Status", 12),
                Column("Body", 30),
                Column("Meeting", 34),
                Column("Year", 6),
            ),
            ("type", "status", "body", "meeting", "year"),
            _documents,
        ),
        Table(
            "treaty-status",
            "Treaty status",
            "Each treaty's status table on the day: signatures, instruments, denunciations "
            "and entry into force per participant (filter: treaty).",
            _treaty_columns(),
            ("treaty",),
            _treaty_status,
        ),
        Table(
            "cbm-coordinators",
            "CBM coordinators",
            "The coordinators and co-coordinators of the priority areas of the Catalogue of "
            "CBMs in force on the day.",
            (
                Column("Catalogue", 22),
                Column("Dimension", 22),
                Column("Area", 6),
                Column("Priority area", 44),
                Column("Role", 14),
                Column("State", 22),
                Column("Since", 12),
                Column("Until", 12),
                Column("Holds on the day", 16),
            ),
            (),
            _cbm_coordinators,
        ),
        Table(
            "initiatives",
            "Initiatives",
            "Initiatives with their status on the day (filters: status, priorities).",
            (
                Column("Key", 24),
                Column("Initiative", 44),
                Column("Title (Russian)", 36),
                Column("Kind", 14),
                Column("Status", 18),
                Column("Possibly", 18),
                Column("Proposer", 30),
                Column("Launched at", 30),
                Column("Priorities", 30),
            ),
            ("status", "priorities"),
            _initiatives,
        ),
    ]
}


# --- Reading the filters of a request -----------------------------------------------------


def _choice(param: str, value: str, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    if value not in allowed:
        raise BadFilter(param, f"'{value[:40]}' is not one of: {', '.join(allowed)}.")
    return value


# The values `status` takes, per table: those of its page's filter.
STATUS_CHOICES = {
    "members": ("all", *Status.Kind.values),
    "meetings": tuple(STATUS_GROUPS),
    "documents": document_transitions.STATUSES,
    "initiatives": initiative_transitions.STATUSES,
}


def parse_day(value: str, *, param: str = "at") -> dt.date | None:
    """The day `value` names, as every page and API route reads `?at=` (core.as_of)."""
    try:
        return parse_as_of(value)
    except BadAsOf as exc:
        raise BadFilter(param, exc.message) from None


def filters_for(table: Table, params: Mapping[str, str], *, user, today: dt.date) -> Filters:
    """The filters of a request (`?at=&body=...`), checked: BadFilter says what is wrong."""
    unknown = sorted(set(params) - {"at", *table.params})
    if unknown:
        takes = ", ".join(["at", *table.params])
        raise BadFilter(
            unknown[0], f"'{unknown[0][:40]}' is not a filter of {table.name}: it takes {takes}."
        )
    values = {k: str(v).strip() for k, v in params.items() if str(v).strip()}
    found: dict[str, Any] = {"user": user, "at": today}
    if "\x00" in "".join(values.values()):
        raise BadFilter(next(k for k, v in values.items() if "\x00" in v), "a NUL character.")
    if "at" in values:
        found["at"] = parse_day(values["at"])
    if "status" in values:
        status = _choice("status", values["status"], STATUS_CHOICES[table.name])
        found["status"] = None if status == "all" else status
    if "type" in values:
        found["type"] = _choice("type", values["type"], Document.Type.values)
    if "year" in values:
        raw = values["year"]
        if not (raw.isdigit() and 1 <= int(raw) <= 9999):
            raise BadFilter("year", f"'{raw[:40]}' is not a year such as 2024.")
        found["year"] = int(raw)
    if "body" in values:
        found["body"] = body_by_slug(values["body"])
        if found["body"] is None:
            raise BadFilter("body", f"No body '{values['body'][:100]}'.", status=404)
    if "meeting" in values:
        found["meeting"] = meeting_by_key(values["meeting"])
        if found["meeting"] is None:
            raise BadFilter("meeting", f"No meeting '{values['meeting'][:100]}'.", status=404)
    if "treaty" in values:
        found["treaty"] = treaty_get(values["treaty"][:200], user=user)
        if found["treaty"] is None:
            raise BadFilter("treaty", f"No treaty '{values['treaty'][:200]}'.", status=404)
    if "priorities" in values:
        if values["priorities"] not in {p.slug for p in priorities_list()}:
            raise BadFilter(
                "priorities", f"No set of priorities '{values['priorities'][:100]}'.", status=404
            )
        found["priorities"] = values["priorities"]
    return Filters(**found)


def table_get(name: str) -> Table:
    table = TABLES.get(name)
    if table is None:
        raise BadFilter(
            "table", f"No table '{name[:60]}': the tables are {', '.join(TABLES)}.", status=404
        )
    return table


# --- CSV ----------------------------------------------------------------------------------


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, PartialDate | dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return guard(str(value))


def csv_bytes(table: Table, filters: Filters) -> bytes:
    """The table as CSV (RFC 4180: CRLF, quoted where needed) in UTF-8 with a byte-order
    mark, which Excel needs to read it as UTF-8; a header row first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.title for c in table.columns])
    for row in table.rows(filters):
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def file_name(table: Table, filters: Filters, extension: str) -> str:
    return f"{table.name}-{filters.at.isoformat()}.{extension}"


def _zip_write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def about(filters: Filters, *, who: str) -> str:
    """What an export holds, for its README (CSV) or About sheet (XLSX)."""
    lines = [
        f"Tables of the record as of {filters.at.isoformat()}, as {who} may read it.",
        "Dates are YYYY-MM-DD; a date known only to the month or year is written 2021-06 "
        "or 2021. Text starting with = + - or @ is prefixed with an apostrophe.",
        "",
    ]
    lines += [f"{t.name}: {t.description}" for t in TABLES.values()]
    return "\n".join(lines) + "\n"


def reader_label(user) -> str:
    """Whose view an export is: "the public", "a Secretariat officer"..."""
    role = role_of(user)
    if role == Role.PUBLIC and not getattr(user, "is_authenticated", False):
        return "the public"
    label = role.label
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def export(stream: BinaryIO, *, at: dt.date, user, progress: Progress = no_progress) -> None:
    """A ZIP of every table as CSV, as of `at`, as `user` may read it (None: the public)."""
    filters = Filters(at=at, user=user)
    with zipfile.ZipFile(stream, "w") as archive:
        total = len(TABLES)
        for done, table in enumerate(TABLES.values()):
            progress(done, total)
            _zip_write(archive, f"{table.name}.csv", csv_bytes(table, filters))
        _zip_write(archive, "README.txt", about(filters, who=reader_label(user)).encode())
        progress(total, total)
