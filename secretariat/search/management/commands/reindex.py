"""secretariat reindex: rebuild the read models and the search index from the records."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from secretariat.core.commands import require_migrated
from secretariat.core.readmodels import rebuild_all
from secretariat.search import indexer


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Rebuild the read models and the full-text search index from every record "
        "(in one transaction)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="No progress bar, no summary.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Build and count, then undo everything."
        )

    def handle(self, *args, quiet: bool, dry_run: bool, **options):
        require_migrated()
        quiet = quiet or options["verbosity"] == 0
        started = time.monotonic()
        try:
            with transaction.atomic():
                rebuild_all()
                counts = indexer.rebuild(progress=None if quiet else self._bar())
                if dry_run:
                    raise _Rollback
        except _Rollback:
            pass
        if quiet:
            return
        seconds = time.monotonic() - started
        detail = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        prefix = "Dry run (nothing saved): would index" if dry_run else "Indexed"
        self.stdout.write(
            self.style.SUCCESS(f"{prefix} {sum(counts.values())} entries ({detail}) "
                               f"in {seconds:.1f} s.")
        )  # fmt: skip

    def _bar(self):
        live = self.stderr.isatty()
        self.stderr.style_func = None  # progress, not an error: no red
        last = {"kind": None}

        def progress(kind: str, done: int, total: int) -> None:
            # Redrawn in place on a terminal; one line per kind elsewhere (logs, CI).
            width = 30
            bar = "#" * (width * done // total) if total else ""
            line = f"[{bar:<{width}}] {done}/{total} records ({kind})"
            if live:
                self.stderr.write("\r" + line, ending="" if done < total else "\n")
            elif kind != last["kind"] or done == total:
                self.stderr.write(line)
            last["kind"] = kind

        return progress
