"""The export formats by name, for the CLI and the download routes.

Each format lives in its own module, which exposes ``export(stream, *, at, user,
progress)`` writing bytes to ``stream``; they are imported lazily so that a format's
library is loaded only when it is used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import BinaryIO

Progress = Callable[[int, int], None]  # (done, total)


def no_progress(done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class ExportFormat:
    name: str
    module: str  # dotted path of the module that defines export()
    media_type: str
    extension: str
    description: str

    def export(self, stream: BinaryIO, *, at: dt.date, user, progress: Progress = no_progress):
        return import_module(self.module).export(stream, at=at, user=user, progress=progress)


FORMATS = {
    f.name: f
    for f in [
        ExportFormat(
            "popolo",
            "secretariat.exchange.popolo",
            "application/json",
            "json",
            "Popolo JSON: organizations, memberships, posts and events",
        ),
        ExportFormat(
            "akn",
            "secretariat.exchange.akn",
            "application/zip",
            "zip",
            "Akoma Ntoso 3.0 XML, one file per document, in a ZIP",
        ),
        ExportFormat(
            "ics",
            "secretariat.exchange.ical",
            "text/calendar",
            "ics",
            "iCalendar: meetings and deadlines",
        ),
        ExportFormat(
            "csv",
            "secretariat.exchange.tables",
            "application/zip",
            "zip",
            "CSV: every list and status table, one file each, in a ZIP",
        ),
        ExportFormat(
            "xlsx",
            "secretariat.exchange.workbook",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            "XLSX: every list and status table, one sheet each",
        ),
        ExportFormat(
            "json",
            "secretariat.exchange.dump",
            "application/json",
            "json",
            "The whole record with its history and files' checksums (full fidelity)",
        ),
    ]
}
