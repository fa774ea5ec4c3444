"""A report as a paginated A4 PDF (WeasyPrint): a cover, then the report as the web page
draws it (templates/reports/_report.html) styled for print (static/reports/print.css): the
contents with page numbers, each section from a new page, charts as SVG, every statement's
records as clickable links.

WeasyPrint fetches nothing from the network: the stylesheet and the fonts are local files
(DejaVu Sans as shipped inside matplotlib, so Latin and Cyrillic render wherever the app is
installed), and its fetcher refuses any other address a document might name.
"""

from __future__ import annotations

import base64
import functools
from pathlib import Path

import matplotlib
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html

from . import charts
from .html import ChartView, SectionView
from .model import Audience, Chart, Report

STYLESHEET = Path(__file__).parent / "static" / "reports" / "print.css"
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_FACES = {
    ("normal", "normal"): "DejaVuSans.ttf",
    ("bold", "normal"): "DejaVuSans-Bold.ttf",
    ("normal", "italic"): "DejaVuSans-Oblique.ttf",
    ("bold", "italic"): "DejaVuSans-BoldOblique.ttf",
}


def render(report: Report, *, base_url: str | None = None, request=None) -> bytes:
    """The report as PDF bytes. Links to records are made absolute with `base_url`, else the
    report's base_url, else the address the request came to."""
    try:
        # lazy: loaded when a PDF is asked for; the site runs without WeasyPrint's libraries
        import weasyprint
    except OSError as error:  # the package is there, the system's Pango is not
        raise ImportError(
            "PDF reports need Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0): " + str(error)
        ) from error

    root = (base_url or report.base_url or _request_root(request)).rstrip("/")
    with translation.override(report.language):
        context = {
            "report": report,
            "internal": report.audience == Audience.INTERNAL,
            "base_url": root,
            "sections": [
                SectionView(section, [_chart(chart) for chart in section.charts])
                for section in report.sections
            ],
        }
        html = render_to_string("reports/pdf.html", context)
    fetcher = _local_only()
    stylesheets = [
        weasyprint.CSS(string=_font_faces(), url_fetcher=fetcher),
        weasyprint.CSS(filename=str(STYLESHEET), url_fetcher=fetcher),
    ]
    document = weasyprint.HTML(
        string=html, base_url=STYLESHEET.parent.as_uri() + "/", url_fetcher=fetcher
    )
    return document.write_pdf(stylesheets=stylesheets)


def _chart(chart: Chart) -> ChartView:
    # The SVG goes in as an image (a data: URI), still vector in the PDF: an <svg> written
    # into the HTML WeasyPrint lays out twice over (as HTML, then as SVG), doubling the time.
    data = base64.b64encode(charts.svg(chart).encode("utf-8")).decode("ascii")
    image = format_html(
        '<img src="data:image/svg+xml;base64,{}" alt="{}. {}">',
        data,
        chart.title,
        charts.describe(chart),
    )
    return ChartView(chart.key, chart.title, image)


def _request_root(request) -> str:
    return request.build_absolute_uri("/") if request is not None else ""


def _font_faces() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "DejaVu Sans"; font-weight: {weight}; '
        f'font-style: {style}; src: url("{(FONTS / name).as_uri()}"); }}'
        for (weight, style), name in _FACES.items()
    )


@functools.cache
def _local_only_class():
    from weasyprint.urls import URLFetcher  # lazy: as render()

    class LocalOnly(URLFetcher):
        """WeasyPrint's fetcher limited to the charts, the stylesheet's folder and the
        fonts: a report never makes the server fetch an address, whatever its text says."""

        allowed = (STYLESHEET.parent.as_uri() + "/", FONTS.as_uri() + "/")

        def fetch(self, url, headers=None):
            if url.startswith("data:image/svg+xml;"):
                return super().fetch(url, headers)  # a chart, written by charts.svg
            if not url.startswith(self.allowed) or ".." in url:
                raise ValueError(f"A report may not load {url}")
            return super().fetch(url, headers)

    return LocalOnly


def _local_only():
    return _local_only_class()(allowed_protocols=("file", "data"), fail_on_errors=True)
