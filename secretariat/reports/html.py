"""A report as HTML: the body every HTML rendering shares (templates/reports/_report.html),
either inside the portal's page (views.py) or as a standalone document to save or print."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from .model import Audience, Chart, Report, Section


@dataclass
class ChartView:
    key: str
    title: str
    svg: SafeString


@dataclass
class SectionView:
    section: Section
    charts: list[ChartView] = field(default_factory=list)


def _svg(chart: Chart) -> SafeString:
    from . import charts  # lazy: matplotlib, loaded when a chart is drawn

    return mark_safe(charts.svg(chart))


def context(report: Report, *, base_url: str | None = None) -> dict:
    """What the report templates read: the report, its sections with their charts drawn as
    inline SVG, whether it is internal, and the address its links are made absolute with."""
    with translation.override(report.language):
        sections = [
            SectionView(s, [ChartView(c.key, c.title, _svg(c)) for c in s.charts])
            for s in report.sections
        ]
    return {
        "report": report,
        "sections": sections,
        "internal": report.audience == Audience.INTERNAL,
        "base_url": report.base_url if base_url is None else base_url,
    }


def render(report: Report) -> str:
    """The report as a standalone HTML document, links absolute (report.base_url)."""
    with translation.override(report.language):
        return render_to_string("reports/document.html", context(report))
