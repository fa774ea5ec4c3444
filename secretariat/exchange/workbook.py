"""The tables of tables.py as XLSX (openpyxl): a styled, frozen header row, column widths,
an autofilter, and dates as dates, so that a spreadsheet sorts and filters them."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from secretariat.core.partial_dates import PartialDate

from .formats import Progress, no_progress
from .tables import TABLES, Cell, Filters, Table, about, guard, reader_label

DATE_FORMAT = "yyyy-mm-dd"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def xlsx_cell(value: Cell):
    """A value as the sheet holds it: a date stays a date, a partial date is its text."""
    if isinstance(value, PartialDate):
        return value.earliest if value.is_exact else value.isoformat()
    if isinstance(value, dt.date | int) or value is None:
        return value
    # openpyxl refuses control characters; a formula would run: neither may get through.
    return guard(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _sheet(sheet: Worksheet, table: Table, rows: Iterable[list[Cell]]) -> None:
    sheet.title = table.title
    sheet.append([c.title for c in table.columns])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    count = 0
    for count, row in enumerate(rows, start=1):
        sheet.append([xlsx_cell(v) for v in row])
        for cell in sheet[count + 1]:
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"


def _about(sheet: Worksheet, text: str) -> None:
    sheet.title = "About"
    for line in text.splitlines():
        sheet.append([guard(line)])
    sheet.column_dimensions["A"].width = 120


def _save(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_bytes(table: Table, filters: Filters) -> bytes:
    """One table as a workbook of one sheet."""
    workbook = Workbook()
    _sheet(workbook.active, table, table.rows(filters))
    return _save(workbook)


def export(stream: BinaryIO, *, at: dt.date, user, progress: Progress = no_progress) -> None:
    """Every table as of `at`, a sheet each, as `user` may read it (None: the public), and
    a last sheet saying what the workbook holds."""
    filters = Filters(at=at, user=user)
    workbook = Workbook()
    total = len(TABLES)
    for done, table in enumerate(TABLES.values()):
        progress(done, total)
        sheet = workbook.active if done == 0 else workbook.create_sheet()
        _sheet(sheet, table, table.rows(filters))
    _about(workbook.create_sheet(), about(filters, who=reader_label(user)))
    stream.write(_save(workbook))
    progress(total, total)
