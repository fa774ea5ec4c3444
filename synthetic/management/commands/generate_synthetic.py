"""secretariat generate-synthetic --scale N --seed S: a synthetic organization, for testing
at scale (see the package `synthetic`)."""

from django.core.management.base import BaseCommand, CommandError

from secretariat.core.commands import require_migrated
from synthetic.runner import NotEmpty, Progress, generate
from synthetic.sizes import Sizes


class Command(BaseCommand):
    help = (
        "Fill an empty database with a made-up organization over sixty years (1966-2025): "
        "at scale N, 1,000 x N meetings, 10,000 x N documents with English and Russian "
        "texts, 500 x N consensus procedures, 5 x N treaties, min(200, 20 + 2 x N) actors. "
        "The same scale and seed give the same records. Builds the search index at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Size: 1 takes seconds, 100 makes a million "
            "documents (default 1).",
        )  # fmt: skip
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--flush", action="store_true",
            help="First empty every table of the secretariat apps (records, audit trail, "
            "search index, accounts' roles; user logins are kept). Without it, a database "
            "that holds records is refused.",
        )  # fmt: skip
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the sizes and write nothing."
        )

    def handle(self, *args, scale: int, seed: int, flush: bool, dry_run: bool, **options):
        if scale < 1:
            raise CommandError("--scale is a whole number from 1.")
        sizes = Sizes.of(scale)
        plan = (
            f"scale {scale}, seed {seed}: {sizes.actors} actors, {sizes.meetings} meetings, "
            f"{sizes.documents} documents, {sizes.procedures} procedures, "
            f"{sizes.treaties} treaties"
        )
        if dry_run:
            self.stdout.write(f"Dry run (nothing written): {plan}")
            return
        require_migrated()
        verbose = options["verbosity"] >= 1
        progress = Progress(self.stderr._out if verbose else None)
        if verbose:
            self.stderr.write(f"Generating {plan}")
        try:
            summary = generate(scale=scale, seed=seed, flush=flush, progress=progress)
        except NotEmpty as exc:
            raise CommandError(f"Refused, nothing was written: {exc}") from None
        width = max(len(label) for label in summary.rows)
        self.stdout.write("Rows written:")
        for label, count in summary.rows.items():
            self.stdout.write(f"  {label:<{width}} {count:>10,}")
        self.stdout.write(f"  {'search entries':<{width}} {summary.search_entries:>10,}")
        self.stdout.write("Stage            wall s    CPU s  peak MB (of the process, so far)")
        for stage in summary.stages:
            self.stdout.write(
                f"  {stage.name:<14} {stage.seconds:>6.1f} {stage.cpu:>8.1f} {stage.peak_mb:>8.0f}"
            )
        total = sum(stage.seconds for stage in summary.stages)
        self.stdout.write(self.style.SUCCESS(f"Generated {plan} in {total:.1f} s."))
