"""secretariat export --format F -o PATH: the record in an open format, as a user may read it."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from secretariat.core.commands import day_option, require_migrated
from secretariat.exchange import dump
from secretariat.exchange.formats import FORMATS


def stderr_progress(command: BaseCommand, *, verbose: bool):
    """A progress callback (what, done, total) drawing on stderr: a bar redrawn in place on
    a terminal, a line at each tenth elsewhere (logs, CI)."""
    live = command.stderr.isatty()
    command.stderr.style_func = None  # progress, not an error: no red
    last: dict[str, int] = {}

    def progress(what: str, done: int, total: int) -> None:
        if not verbose or not total:
            return
        width = 30
        line = f"  {what:<22} [{'#' * (width * done // total):<{width}}] {done}/{total}"
        if live:
            command.stderr.write("\r" + line, ending="\n" if done >= total else "")
            return
        tenth = 10 * done // total
        if last.get(what) != tenth:
            last[what] = tenth
            command.stderr.write(line)

    return progress


class Command(BaseCommand):
    help = (
        "Export the record: popolo, akn, ics, csv, xlsx (what a user may read, on a date) or "
        "json (the full dump: the complete backup with history and files; it ignores --as "
        "and --at)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=list(FORMATS), help="Format.")
        parser.add_argument("--at", help="The date to export as of, YYYY-MM-DD (default today).")
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="Export what this account may read (default: the public's view).",
        )
        parser.add_argument(
            "-o", "--output", required=True, metavar="PATH", help="The file to write, or -."
        )
        parser.add_argument(
            "--without-files",
            action="store_true",
            help="json only: leave the files' content out (their names and checksums stay).",
        )

    def handle(self, *args, format: str, at, as_user, output: str, without_files, **options):
        verbose = options["verbosity"] >= 1
        kind = FORMATS[format]
        day = day_option(at) or timezone.localdate()
        if without_files and format != "json":
            raise CommandError("--without-files is for --format json only.")
        require_migrated()
        user = None if format == "json" else self._user(as_user)
        if format == "json" and (as_user or at) and verbose:
            self.stderr.write(
                "The json dump is the complete backup: it ignores --as and --at.",
                style_func=None,
            )
        bar = stderr_progress(self, verbose=verbose)

        def progress(done: int, total: int) -> None:
            bar(format, done, total)

        to_stdout = output == "-"
        target = None if to_stdout else self._target(output)
        if to_stdout:
            result = self._export(kind, sys.stdout.buffer, day, user, progress, without_files)
        else:
            result = self._to_file(target, kind, day, user, progress, without_files)
        if format == "json" and result and result.get("missing_files"):
            missing = result["missing_files"]
            self.stderr.write(
                f"Warning: {len(missing)} files named by the record are not in the media "
                f"folder (first: {missing[0]}); the dump has their names only."
            )
        if verbose:
            message = f"Exported {format} to {output}"
            if target is not None:
                message += f" ({target.stat().st_size} bytes)"
            (self.stderr if to_stdout else self.stdout).write(self.style.SUCCESS(message))

    def _user(self, username: str | None):
        if not username:
            return AnonymousUser()
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"--as: there is no account '{username}'.")
        return user

    def _target(self, output: str) -> Path:
        target = Path(output)
        if target.is_dir():
            raise CommandError(f"-o {output}: a folder; name the file to write.")
        if not target.parent.is_dir():
            raise CommandError(f"-o {output}: there is no folder {target.parent}.")
        return target

    def _to_file(self, target: Path, kind, day, user, progress, without_files):
        # Written beside the target and renamed when complete: never half a file at PATH.
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as stream:
                result = self._export(kind, stream, day, user, progress, without_files)
            os.chmod(temporary, 0o644 if kind.name != "json" else 0o600)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return result

    def _export(self, kind, stream, day, user, progress, without_files):
        if kind.name == "json":
            # The system makes the backup: whoever runs this command runs the server.
            return dump.export(
                stream, at=day, user=None, progress=progress, with_files=not without_files
            )
        return kind.export(stream, at=day, user=user, progress=progress)
