"""secretariat close-due-procedures [--dry-run]: record the close of silence procedures.

Safe to run every minute: a procedure is closed once, when its outcome has become
final (adopted at its deadline, or failed when silence was broken). The outcome
shown by the API is right even before this runs; this writes the record of the
close and, for an adoption, the document's "adopted" event.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from secretariat.core.acting import acting_as
from secretariat.core.commands import require_migrated
from secretariat.decisions.rules import when
from secretariat.decisions.services import Closed, procedures_close_due


class Command(BaseCommand):
    help = (
        "Record the close of every silence procedure whose outcome has become final "
        "(adopted at the deadline, or failed when silence was broken) and is not closed yet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be closed; write nothing."
        )

    def handle(self, *args, dry_run: bool, **options):
        require_migrated()
        try:
            with acting_as(via="command", reason="close-due-procedures"):
                closed = procedures_close_due(dry_run=dry_run)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if not closed:
            self.stdout.write("No procedure is due to close.")
            return
        for item in closed:
            self.stdout.write(self._line(item, dry_run=dry_run))
        verb = "would close" if dry_run else "closed"
        self.stdout.write(f"{len(closed)} procedure(s) {verb}.")

    def _line(self, item: Closed, *, dry_run: bool) -> str:
        procedure = item.procedure
        head = "Would close" if dry_run else "Closed"
        text = f"{head} #{procedure.pk} {procedure}: {item.outcome} at {when(item.closed_at)}"
        if item.refusal:
            return self.style.WARNING(
                f"{text}; the document's lifecycle refused the adoption: {item.refusal}"
            )
        if item.event is not None:
            return self.style.SUCCESS(f"{text}; adopted event recorded on {item.event.date}.")
        return text + "."
