"""The report's charts: SVG for the web page and the PDF, PNG for the deck."""

from __future__ import annotations

import io
import threading
import warnings
from xml.etree import ElementTree

import matplotlib
import pytest
from django.utils import translation
from PIL import Image

from secretariat.reports import charts
from secretariat.reports.model import Chart, Series

from .sample_report import (
    ALL_CHARTS,
    cbm_chart,
    meetings_chart,
    membership_chart,
    ratifications_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
SAMPLES = [make() for make in ALL_CHARTS] + [
    make(ru=True) for make in (membership_chart, ratifications_chart, cbm_chart, meetings_chart)
]


def texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("chart", SAMPLES, ids=lambda c: f"{c.kind}-{c.key}-{c.series[0].label}")
def test_svg_is_an_accessible_svg_element(chart):
    """Each kind draws as an <svg> element that parses as XML, named by a <title> and
    described by a <desc> holding the figures, with its title, labels and series names as
    text (searchable, and Cyrillic kept)."""
    svg = charts.svg(chart)
    assert svg.startswith("<svg"), "no XML prolog: the element is inlined in HTML"
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == chart.title
    desc = root.find(f"{SVG}desc").text
    first_x, first_y = chart.series[0].points[0]
    assert f"{chart.series[0].label} — {first_x}: {first_y:g}" in desc
    drawn = " ".join(texts(svg))
    assert chart.title in drawn
    for name in (chart.x_label, chart.y_label):
        assert name in drawn
    if len(chart.series) > 1:
        for one in chart.series:  # the legend names every series (long names wrap)
            assert one.label.split()[0] in drawn


def test_svg_is_the_same_for_the_same_chart_and_carries_no_date():
    """Deterministic output: the same chart gives the same bytes (stable ids, no timestamp),
    so a regenerated report does not differ where nothing changed."""
    chart = ratifications_chart()
    first = charts.svg(chart)
    charts.cache_clear()  # drawn again, not served from the kept drawings
    assert charts.svg(ratifications_chart()) == first
    assert "dc:date" not in first


def test_several_charts_can_share_one_page():
    """Ids are prefixed by the chart's key: no id repeats across the report's charts, every
    reference points inside its own chart, and no <style> leaks into the page."""
    seen: dict[str, str] = {}
    for chart in (make() for make in ALL_CHARTS):
        svg = charts.svg(chart)
        root = ElementTree.fromstring(svg)
        ids = {node.get("id") for node in root.iter() if node.get("id")}
        for one in ids:
            assert one not in seen, f"{one} in both {seen.get(one)} and {chart.key}"
            seen[one] = chart.key
        refs = {node.get(XLINK)[1:] for node in root.iter() if node.get(XLINK)}
        assert refs <= ids
        assert root.find(f".//{SVG}style") is None
        assert 'style="' not in svg


def test_threshold_is_drawn_and_named():
    """A treaty's ratifications are drawn against the instruments it requires: a dashed
    line at the threshold, named in the legend, inside the plotted range."""
    chart = ratifications_chart()
    svg = charts.svg(chart)
    assert chart.threshold_label.split()[0] in " ".join(texts(svg))
    assert f'stroke="{charts.THRESHOLD_COLOUR.lower()}"' in svg.lower()
    assert "stroke-dasharray" in svg
    without = charts.svg(Chart(**{**chart.__dict__, "threshold": None, "threshold_label": ""}))
    assert charts.THRESHOLD_COLOUR.lower() not in without.lower()
    assert "14" in texts(svg), "the axis reaches the threshold (14) though no count does"


def test_an_empty_chart_says_so_in_the_report_language():
    """Said in the language the report is drawn in, though the same (empty) chart was just
    drawn in another: kept drawings are kept per language."""
    chart = Chart(key="meetings", title="Meetings per year", kind="bar", series=[Series("x", [])])
    assert "No data for this period" in texts(charts.svg(chart))
    with translation.override("ru"):
        assert "Нет данных за этот период" in texts(charts.svg(chart))
    assert "No data for this period" in texts(charts.svg(chart))


def test_an_unknown_kind_is_refused_with_a_clear_message():
    chart = Chart(key="odd", title="Odd", kind="pie", series=[Series("x", [(1, 1)])])
    with pytest.raises(ValueError, match=r"'pie'.*line, step, bar, stacked-bar"):
        charts.svg(chart)


@pytest.mark.parametrize("dpi", [72, 150])
def test_png_is_a_png_of_the_right_size(dpi):
    data = charts.png(membership_chart(), dpi=dpi)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (round(charts.SIZE[0] * dpi), round(charts.SIZE[1] * dpi))


def test_cyrillic_renders_without_missing_glyphs():
    """DejaVu Sans covers Cyrillic: matplotlib warns of any glyph it cannot draw."""
    charts.cache_clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for make in (membership_chart, ratifications_chart, cbm_chart, meetings_chart):
            charts.png(make(ru=True), dpi=50)
            charts.svg(make(ru=True))


def test_no_state_leaks_between_calls():
    """Drawing leaves matplotlib's settings as they were, and charts drawn at once in
    several threads come out exactly as drawn one by one."""
    before = dict(matplotlib.rcParams)
    expected = {make().key: charts.svg(make()) for make in ALL_CHARTS}
    assert dict(matplotlib.rcParams) == before
    charts.cache_clear()  # the threads draw, rather than find the drawings kept
    results: dict[str, str] = {}

    def draw(make):
        chart = make()
        results[chart.key] = charts.svg(chart)

    threads = [threading.Thread(target=draw, args=(make,)) for make in ALL_CHARTS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == expected
    assert dict(matplotlib.rcParams) == before


def test_bars_with_long_category_names_lie_down():
    """CBM events per priority area: long area names on the vertical axis, whole (or cut
    with an ellipsis), not crammed under the bars."""
    areas = [f"Priority area number {n} with a long descriptive name" for n in range(12)]
    chart = Chart(
        key="cbm-areas",
        title="CBM events per priority area",
        kind="stacked-bar",
        series=[
            Series(str(year), [(a, n % 3) for n, a in enumerate(areas)]) for year in (2022, 2023)
        ],
    )
    drawn = texts(charts.svg(chart))
    assert any(t.startswith("Priority area number 11") for t in drawn)
    assert all(len(t) <= 40 for t in drawn if t.startswith("Priority area"))
