"""secretariat load-dataset FOLDER: load a dataset through the services, all or nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from secretariat.core.commands import require_migrated
from secretariat.datasets.loader import Loader
from secretariat.datasets.yamlfile import DatasetError


class Command(BaseCommand):
    help = "Load (or refresh) an organization's dataset folder, e.g. data/cica. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The dataset folder (see data/README.md).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, then undo everything."
        )

    def handle(self, *args, folder: str, dry_run: bool, **options):
        verbose = options["verbosity"] >= 1
        live = verbose and self.stderr.isatty()

        def progress(name: str, done: int, total: int) -> None:
            # A bar redrawn in place on a terminal; one line per file elsewhere (logs, CI).
            if live and total:
                width = 30
                bar = "#" * (width * done // total)
                self.stderr.write(f"\r  {name:<20} [{bar:<{width}}] {done}/{total}", ending="")
                if done == total:
                    self.stderr.write("")
            elif verbose and done == total:
                self.stderr.write(f"  {name:<20} {total} records")

        require_migrated()
        loader = Loader(folder, progress=progress)
        try:
            counts = self._dry_run(loader) if dry_run else loader.load()
        except DatasetError as exc:
            raise CommandError(f"Refused, nothing was loaded: {exc}") from None
        totals = {"created": 0, "updated": 0, "unchanged": 0}
        for label, counter in counts.items():
            line = ", ".join(f"{counter[k]} {k}" for k in totals)
            self.stdout.write(f"{label:<16} {line}")
            for k in totals:
                totals[k] += counter[k]
        summary = ", ".join(f"{v} {k}" for k, v in totals.items())
        prefix = "Dry run (nothing saved): " if dry_run else "Loaded: "
        self.stdout.write(self.style.SUCCESS(prefix + summary))

    def _dry_run(self, loader: Loader):
        class Rollback(Exception):
            pass

        try:
            with transaction.atomic():
                counts = loader.load()
                raise Rollback
        except Rollback:
            return counts
