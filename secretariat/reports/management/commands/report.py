"""secretariat report: a period's achievements as a deck, a PDF, a web page or Markdown."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from secretariat.accounts.policy import SYSTEM
from secretariat.core.commands import require_migrated

from ... import html, markdown
from ...compose import report_build
from ...model import Audience
from ...period import PeriodError, period_between, period_default, period_for, runs


class Command(BaseCommand):
    help = (
        "Write the report of a chairmanship (--chairmanship SLUG; by default the current one) "
        "or of any dates (--from DATE --to DATE) as pptx, pdf, html or md. The command's "
        "operator is trusted: --audience internal includes restricted items (marked), never "
        "confidential ones."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chairmanship",
            metavar="SLUG",
            help="The chairmanship, e.g. kazakhstan-2020-2024 (--list shows them).",
        )
        parser.add_argument("--from", dest="start", metavar="DATE", help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", metavar="DATE", help="Last day, YYYY-MM-DD.")
        parser.add_argument(
            "--audience",
            choices=["public", "internal"],
            default="public",
            help="public (default): nothing restricted; internal: restricted items included "
            "and marked (the operator is trusted).",
        )
        parser.add_argument("--lang", choices=["en", "ru"], default="en", help="Language.")
        parser.add_argument(
            "--format", choices=["pptx", "pdf", "html", "md"], help="The file's format."
        )
        parser.add_argument("-o", "--output", metavar="PATH", help="The file to write, or -.")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="The site's address, before every record's link (default: the address "
            "`make run` serves).",
        )
        parser.add_argument("--list", action="store_true", help="List the chairmanships.")

    def handle(self, *args, **options):
        require_migrated()

        if options["list"]:
            for run in runs():
                self.stdout.write(f"{run.slug:<28} {run.actor.name_en} ({run.years})")
            return
        fmt, output = options["format"], options["output"]
        if not fmt or not output:
            raise CommandError("Give --format (pptx, pdf, html or md) and -o PATH.")
        language = options["lang"]
        start, end, slug = options["start"], options["end"], options["chairmanship"]
        if slug and (start or end):
            raise CommandError("Give either --chairmanship or --from and --to, not both.")
        try:
            if start or end:
                period = period_between(start, end, language=language)
            elif slug:
                period = period_for(chairmanship=slug, language=language)
            else:
                period = period_default(language=language)
        except PeriodError as error:
            raise CommandError(str(error)) from None
        audience = Audience(options["audience"])
        report = report_build(period=period, audience=audience, language=language, user=SYSTEM)
        report.base_url = options["base_url"].rstrip("/")
        body = _render(report, fmt)
        if output == "-":
            if isinstance(body, bytes):
                raise CommandError(f"A {fmt} file is binary: give -o PATH, not -.")
            sys.stdout.write(body)
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"There is no folder {path.parent} to write {path.name} in.")
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
        self.stdout.write(f"Wrote {path} ({period.label}, {audience.value}, {language}).")


def _render(report, fmt: str) -> str | bytes:

    if fmt == "md":
        return markdown.render(report)
    if fmt == "html":
        return html.render(report)
    try:
        if fmt == "pdf":
            from ... import pdf  # lazy: WeasyPrint, loaded for a PDF only

            return pdf.render(report)
        from ... import pptx  # lazy: python-pptx, loaded for a deck only

        return pptx.render(report)
    except ImportError as error:
        raise CommandError(f"The {fmt} format is not available here: {error}") from None
