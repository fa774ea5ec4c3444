"""What a report file is: its type and name in each format, and the renderer that draws
it (for the pages that serve files and the job that draws them)."""

from __future__ import annotations

import importlib
import importlib.util

from django.template.defaultfilters import slugify

from secretariat.core.models import Organization

from .model import Report

DOWNLOADS = {
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    "md": ("text/markdown; charset=utf-8", "md"),
}


def renderer(name: str):
    """The PDF or deck renderer, when it is installed (None otherwise)."""
    module = f"secretariat.reports.{name}"
    if importlib.util.find_spec(module) is None:
        return None
    return importlib.import_module(module)


def filename_for(report: Report, extension: str) -> str:
    """ "cica-report-kazakhstan-2020-2024-public-en.md": plain ASCII in every language."""
    organization = Organization.objects.values_list("slug", flat=True).first() or ""
    period = report.period
    span = period.chairmanship or f"{period.start.isoformat()}-{period.end.isoformat()}"
    parts = [organization, "report", span, report.audience.value, report.language]
    return slugify(" ".join(p for p in parts if p)) + f".{extension}"
