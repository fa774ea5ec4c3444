"""secretariat import PATH: a dataset folder, the full JSON dump, or Popolo JSON; all or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from secretariat.core.acting import acting_as
from secretariat.core.commands import require_migrated
from secretariat.exchange import importers
from secretariat.exchange.safe import ImportRefused

from .export import stderr_progress


class Command(BaseCommand):
    help = (
        "Import a dataset folder (or one of its YAML files: the folder is loaded), a "
        "Secretariat JSON dump (into an empty database only) or Popolo JSON. The kind is "
        "recognised from the content; anything else is refused. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The folder or file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, then undo everything."
        )

    def handle(self, *args, path: str, dry_run: bool, **options):
        verbose = options["verbosity"] >= 1
        try:
            # Recognised before the database is touched: a bad file is refused as such.
            found = importers.detect(Path(path))
            if found.note and verbose:
                self.stderr.write(found.note, style_func=None)
            require_migrated()
            # Audited as an import by the system, naming the file.
            with acting_as(via="import", reason=f"import {Path(path).name}"):
                summary = importers.run(
                    found, dry_run=dry_run, progress=stderr_progress(self, verbose=verbose)
                )
        except ImportRefused as exc:
            raise CommandError(f"Refused, nothing was imported: {exc}") from None
        for line in _lines(summary):
            self.stdout.write(line)
        prefix = "Dry run (nothing saved): checked" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{prefix} {found.label} {path}"))


def _lines(summary) -> list[str]:
    """An importer's summary ({what: count} or {what: {outcome: count}}) as lines."""
    if not isinstance(summary, Mapping):
        return [str(summary)] if summary else []
    lines = []
    for what, value in summary.items():
        if isinstance(value, Mapping):
            value = ", ".join(f"{n} {k}" for k, n in value.items())
        lines.append(f"{what:<30} {value}")
    return lines
