"""What a file to import is, and the importer for it: a dataset folder (YAML), the full
JSON dump, or Popolo JSON. Anything else is refused by its first bytes, before any
parser sees it (an XML file's entities are never expanded)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from secretariat.datasets.loader import FILES, OPTIONAL_FILES, Loader
from secretariat.datasets.yamlfile import DatasetError

from . import dump_import, popolo_import, stream
from .safe import ImportRefused

Progress = Callable[[str, int, int], None]  # (what, done, total)
HEAD_BYTES = 64 * 1024  # enough to tell a file's kind; the rest is read by its importer
YAML_SUFFIXES = {".yaml", ".yml"}


def no_progress(what: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class Found:
    """A file (or folder) recognised: its kind and where it is (its importer reads it)."""

    kind: str  # "dataset", "dump" or "popolo"
    path: Path  # for a dataset, its folder
    note: str = ""  # said to the user before importing (e.g. which folder is loaded)

    @property
    def label(self) -> str:
        return {
            "dataset": "dataset folder",
            "dump": "Secretariat JSON dump",
            "popolo": "Popolo JSON",
        }[self.kind]


class _Rollback(Exception):
    pass


def detect(path: Path) -> Found:
    """Recognise the file or folder at `path`, or refuse it saying why."""
    where = str(path)
    if not path.exists():
        raise ImportRefused(where, "no such file or folder")
    if path.is_dir():
        return Found("dataset", path)
    if path.suffix.lower() in YAML_SUFFIXES:
        return _dataset_file(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise ImportRefused(where, f"cannot read: {exc.strerror}") from None
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not start:
        raise ImportRefused(where, "empty: nothing to import")
    if start[:1] == b"<":
        entities = b"<!ENTITY" in head.upper() or b"<!DOCTYPE" in head.upper()
        raise ImportRefused(
            where,
            "XML: not an import format (Akoma Ntoso is exported only); the file was not "
            "parsed" + (", and its entity declarations were not expanded" if entities else ""),
        )
    if start[:1] not in (b"{", b"["):
        raise ImportRefused(where, f"{_looks_like(start)}: not an import format ({IMPORTS})")
    kind = _json_kind(path, where)
    if kind is not None:
        return Found(kind, path)
    raise ImportRefused(
        where,
        "JSON, but neither a Secretariat dump (its header names the format) nor Popolo "
        "(organizations, memberships, posts or events)",
    )


IMPORTS = "the imports are a dataset folder, a Secretariat JSON dump and Popolo JSON"


def _json_kind(path: Path, where: str) -> str | None:
    """ "dump", "popolo" or None, from as little of the file as tells: a dump's header
    comes first, a Popolo document's collections are lists; else the whole top level."""
    seen: dict[str, Any] = {}
    for what, key, value in stream.top_level(path, name=where):
        if what == stream.DOCUMENT:
            return None  # not an object: neither
        if (
            what == stream.VALUE
            and key == "header"
            and not seen
            and dump_import.is_dump({key: value})
        ):
            return "dump"
        if what == stream.LIST and key in popolo_import.COLLECTIONS:
            return "popolo"
        if what == stream.ITEM:
            seen[key[0]].append(value)
        else:
            seen[key] = [] if what == stream.LIST else value
    return "dump" if dump_import.is_dump(seen) else "popolo" if popolo_import.sniff(seen) else None


def _looks_like(start: bytes) -> str:
    if start.startswith(b"PK\x03\x04"):
        return "a ZIP archive (CSV tables, Akoma Ntoso or XLSX are exported only)"
    if start.upper().startswith(b"BEGIN:VCALENDAR"):
        return "iCalendar (exported only)"
    return "unknown content"


def _dataset_file(path: Path) -> Found:

    if path.name not in FILES + OPTIONAL_FILES:
        raise ImportRefused(
            str(path),
            "a dataset is a folder of YAML files (see data/README.md): give the folder; "
            f"{path.name} is not one of a dataset's files",
        )
    return Found(
        "dataset", path.parent, note=f"{path.name} is part of a dataset: loading its folder"
    )


def run(found: Found, *, dry_run: bool = False, progress: Progress = no_progress) -> Any:
    """Import what was found; returns the importer's summary. All or nothing: a refusal
    (ImportRefused) leaves the database as it was."""
    if found.kind == "dataset":
        return _dataset(found.path, dry_run=dry_run, progress=progress)
    name = str(found.path)  # as the user gave it: errors and the trail name the file

    def step(done: int, total: int) -> None:
        progress(found.label, done, total)

    try:
        if found.kind == "dump":
            return dump_import.import_dump(found.path, name=name, dry_run=dry_run, progress=step)

        return popolo_import.import_data(found.path, name=name, dry_run=dry_run, progress=step)
    except ImportRefused as exc:
        # A JSON pointer is a place in this file: say which file.
        if exc.where.startswith("/"):
            raise ImportRefused(f"{name}#{exc.where}", exc.why) from None
        raise


def _dataset(folder: Path, *, dry_run: bool, progress: Progress) -> dict:

    loader = Loader(folder, progress=progress)
    try:
        with transaction.atomic():
            counts = loader.load()
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except DatasetError as exc:
        where = f"{exc.file}:{exc.line}" if exc.line else exc.file
        raise ImportRefused(where, exc.reason) from None
    return {label: dict(counter) for label, counter in counts.items()}


def import_path(
    path: Path, *, dry_run: bool = False, progress: Progress = no_progress
) -> tuple[Found, Any]:
    """Recognise and import the file at `path`: (what it was, the importer's summary)."""
    found = detect(path)
    return found, run(found, dry_run=dry_run, progress=progress)
