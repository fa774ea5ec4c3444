"""A report's charts drawn with matplotlib: SVG for the web page and the PDF, PNG for the deck.

Each chart is drawn on its own Figure with an explicit Agg canvas, never through pyplot, so
no figure or backend survives a call. The few settings matplotlib only reads from its
process-wide rcParams (font, SVG hash salt) are set in an rc_context under a lock, so two
threads drawing at once cannot leave each other's settings behind. What is drawn depends on
the chart's data alone, so the last few drawings are kept and served again.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
import threading
from collections import OrderedDict
from xml.sax.saxutils import escape

import matplotlib
from django.utils import translation
from django.utils.translation import gettext as _
from matplotlib import dates as mdates
from matplotlib import ticker
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .model import Chart, Series

SIZE = (8.0, 4.5)  # inches: 16:9, the deck's shape; PNG pixels are SIZE * dpi
KINDS = ("line", "step", "bar", "stacked-bar")

# Okabe-Ito, colour-blind safe, in the order the eye separates them best; tab20 past that.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
THRESHOLD_COLOUR = "#a4161a"

_RC = {
    "font.family": "DejaVu Sans",  # ships with matplotlib, covers Latin and Cyrillic
    "font.size": 10,
    "svg.hashsalt": "secretariat-report",  # stable ids: the same chart gives the same bytes
    "svg.fonttype": "none",  # text as text: selectable, searchable, light
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
}
_LOCK = threading.Lock()
_CACHE: OrderedDict[tuple, str | bytes] = OrderedDict()
CACHE_SIZE = 48  # charts kept drawn: a few reports' worth, a few MB


def svg(chart: Chart) -> str:
    """The chart as an inline-ready <svg> element (no XML prolog), with a <title> and a
    <desc> listing the figures, and ids prefixed by the chart's key so several charts can
    share one HTML page."""
    return _cached(("svg", repr(chart)), lambda: _svg(chart))


def png(chart: Chart, *, dpi: int = 150) -> bytes:
    """The chart as a PNG of SIZE inches at `dpi` (1200 x 675 pixels at 150 dpi)."""
    return _cached(("png", dpi, repr(chart)), lambda: _png(chart, dpi))


def cache_clear() -> None:
    with _LOCK:
        _CACHE.clear()


def _cached(key: tuple, draw):
    """The web page and the PDF of a report draw the same SVGs, often one request apart:
    drawn once. The output depends on the chart's data (repr covers every field) and on the
    language of the one sentence drawn in an empty chart."""
    key = (*key, translation.get_language())
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
        with matplotlib.rc_context(_RC):
            result = draw()
        _CACHE[key] = result
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
        return result


def _svg(chart: Chart) -> str:
    buffer = io.BytesIO()
    _draw(chart).savefig(
        buffer, format="svg", metadata={"Title": chart.title, "Date": None, "Creator": None}
    )
    text = buffer.getvalue().decode("utf-8")
    text = text[text.index("<svg") :]
    prefix = re.sub(r"[^a-z0-9]+", "-", chart.key.lower()).strip("-") + "-"
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", text)
    # The defaults matplotlib puts in a <style> would style the whole page once inlined.
    text = re.sub(r"\s*<style type=\"text/css\">.*?</style>", "", text, count=1, flags=re.S)
    text = text.replace(
        "<svg ", '<svg role="img" stroke-linejoin="round" stroke-linecap="butt" ', 1
    )
    # Presentation attributes, not style="...": an HTML renderer (WeasyPrint) reads inline
    # styles as CSS for HTML and warns about every SVG property.
    text = re.sub(r' style="([^"]*)"', _attributes, text)
    # a browser without DejaVu falls back to a sans-serif, not to its default serif
    text = text.replace(
        "font-family=\"'DejaVu Sans'\"", "font-family=\"'DejaVu Sans', sans-serif\""
    )
    title_end = text.index("</title>") + len("</title>")
    return text[:title_end] + f"\n <desc>{escape(describe(chart))}</desc>" + text[title_end:]


def _attributes(match: re.Match) -> str:
    declarations = (d.split(":", 1) for d in match.group(1).split(";") if ":" in d)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations)


def _png(chart: Chart, dpi: int) -> bytes:
    buffer = io.BytesIO()
    _draw(chart).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _draw(chart: Chart) -> Figure:
    if chart.kind not in KINDS:
        raise ValueError(
            f"Chart {chart.key!r} has kind {chart.kind!r}: it must be one of {', '.join(KINDS)}."
        )
    # Fixed margins rather than a layout engine: constrained layout draws every chart twice.
    figure = Figure(figsize=SIZE)
    FigureCanvasAgg(figure)  # the backend, explicitly: no display, no pyplot
    axes = figure.add_subplot()
    title = textwrap.wrap(chart.title, 70) or [""]
    if len(title) > 2:  # two lines at most; the whole title is the SVG's <title>
        title = textwrap.wrap(textwrap.shorten(chart.title, 136, placeholder=" …"), 70)
    figure.suptitle(
        "\n".join(title[:2]), x=0.01, y=0.98, ha="left", va="top", fontsize=12, fontweight="bold"
    )
    series = [s for s in chart.series if s.points]
    if not series:
        axes.set_axis_off()
        axes.text(
            0.5,
            0.5,
            _("No data for this period"),
            ha="center",
            va="center",
            transform=axes.transAxes,
            color="#59616e",
        )
        return figure
    if chart.kind in ("bar", "stacked-bar"):
        _bars(axes, chart, series)
    else:
        _lines(axes, chart, series)
    if chart.threshold is not None:
        axes.axhline(
            chart.threshold,
            color=THRESHOLD_COLOUR,
            linestyle="--",
            linewidth=1.5,
            label=chart.threshold_label or None,
        )
        low, high = axes.get_ylim()
        axes.set_ylim(low, max(high, chart.threshold * 1.12))
    horizontal = _horizontal(chart, series)
    axes.grid(axis="x" if horizontal else "y", color="#d9dde3")
    axes.set_axisbelow(True)
    margins = {
        "left": 0.30 if horizontal else 0.09,
        "right": 0.97,
        "top": 0.88 if len(title) < 2 else 0.82,
        "bottom": 0.1,
    }
    entries = len(series) + (1 if chart.threshold is not None and chart.threshold_label else 0)
    if entries > 1:
        handles, labels = axes.get_legend_handles_labels()
        labels = ["\n".join(textwrap.wrap(label, 20)) or label for label in labels]
        if entries > 6:  # many series: below the plot, in three columns
            rows = -(-entries // 3)
            margins["bottom"] = 0.12 + 0.036 * rows
            figure.legend(
                handles,
                [textwrap.shorten(x.replace("\n", " "), 40, placeholder="…") for x in labels],
                loc="lower center",
                ncols=3,
                fontsize=7,
                handlelength=1.2,
            )
        else:  # a few: on the right, beside the lines they name
            margins["right"] = 0.74
            figure.legend(
                handles,
                labels,
                loc="upper left",
                bbox_to_anchor=(0.76, margins["top"]),
                fontsize=9,
                handlelength=1.5,
            )
    if chart.x_label and not horizontal:
        margins["bottom"] += 0.04
    figure.subplots_adjust(**margins)
    return figure


def _lines(axes, chart: Chart, series: list[Series]) -> None:
    xs_all = [x for s in series for x, _y in s.points]
    as_dates = not _numeric(xs_all) and all(_date(x) for x in xs_all)
    for n, one in enumerate(series):
        xs = [_date(x) if as_dates else _number_or_label(x) for x, _y in one.points]
        ys = [y for _x, y in one.points]
        style = {"color": _colour(n, len(series)), "label": one.label, "linewidth": 2}
        # markers tell the series apart without colour, where they do not crowd the line
        marker = MARKERS[n % len(MARKERS)] if len(xs) <= 12 else None
        if chart.kind == "step":
            axes.step(xs, ys, where="post", **style)
            if marker:
                axes.plot(
                    xs, ys, linestyle="none", marker=marker, markersize=4, color=style["color"]
                )
        else:
            axes.plot(xs, ys, marker=marker, markersize=4, **style)
    if as_dates:
        days = [_date(x) for x in xs_all]
        span = (max(days) - min(days)).days
        if span > 3 * 366:  # at most about eight year ticks
            axes.xaxis.set_major_locator(mdates.YearLocator(base=-(-span // (8 * 365)) or 1))
            axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        else:  # numeric months: the same in every language
            axes.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=8))
            axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    elif _numeric(xs_all) and all(float(x).is_integer() for x in xs_all):
        axes.xaxis.set_major_locator(ticker.MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
        axes.xaxis.set_major_formatter(ticker.FormatStrFormatter("%d"))
    _y_axis(axes.yaxis, chart, series)
    axes.set_xlabel(chart.x_label)
    axes.set_ylabel(chart.y_label)
    axes.set_ylim(bottom=0)


def _bars(axes, chart: Chart, series: list[Series]) -> None:
    categories = _categories(series)
    positions = {c: i for i, c in enumerate(categories)}
    horizontal = _horizontal(chart, series)
    stacked = chart.kind == "stacked-bar"
    width = 0.8 if stacked else 0.8 / len(series)
    base = [0.0] * len(categories)
    for n, one in enumerate(series):
        values = [0.0] * len(categories)
        for x, y in one.points:
            values[positions[_number_or_label(x)]] += y
        if stacked:
            at = list(range(len(categories)))
        else:
            at = [i - 0.4 + width * (n + 0.5) for i in range(len(categories))]
        draw = axes.barh if horizontal else axes.bar
        extent = {"height" if horizontal else "width": width}
        offset = {"left" if horizontal else "bottom": base if stacked else None}
        draw(at, values, color=_colour(n, len(series)), label=one.label, **extent, **offset)
        if stacked:
            base = [b + v for b, v in zip(base, values, strict=True)]
    crowded = len(categories) > 8
    labels = [_tick_label(c, horizontal, crowded) for c in categories]
    if horizontal:
        axes.set_yticks(range(len(categories)), labels, fontsize=7 if crowded else 8)
        axes.invert_yaxis()  # the first category on top, as read
        _y_axis(axes.xaxis, chart, series)
        axes.set_ylabel(chart.x_label)
        axes.set_xlabel(chart.y_label)
    else:
        axes.set_xticks(range(len(categories)), labels)
        _y_axis(axes.yaxis, chart, series)
        axes.set_xlabel(chart.x_label)
        axes.set_ylabel(chart.y_label)


def _y_axis(axis, chart: Chart, series: list[Series]) -> None:
    values = [y for s in series for _x, y in s.points]
    if chart.threshold is not None:
        values.append(chart.threshold)
    if all(float(v).is_integer() for v in values):  # counts: no "2.5 members"
        axis.set_major_locator(ticker.MaxNLocator(integer=True))


def _categories(series: list[Series]) -> list:
    seen: dict = {}
    for one in series:
        for x, _y in one.points:
            seen.setdefault(_number_or_label(x), None)
    categories = list(seen)
    if _numeric(categories):
        categories.sort()
    return categories


def _horizontal(chart: Chart, series: list[Series]) -> bool:
    """Bars lie down when their categories are names too long to fit under each bar."""
    if chart.kind not in ("bar", "stacked-bar"):
        return False
    categories = _categories(series)
    return not _numeric(categories) and max(len(str(c)) for c in categories) > 10


def _tick_label(category, horizontal: bool, crowded: bool) -> str:
    text = str(category)
    if horizontal and crowded:  # one line each, or they overlap
        return textwrap.shorten(text, 40, placeholder="…")
    if horizontal:
        return "\n".join(textwrap.wrap(textwrap.shorten(text, 56, placeholder="…"), 28))
    return text


def _colour(n: int, total: int):
    if total <= len(PALETTE):
        return PALETTE[n]
    return matplotlib.colormaps["tab20"](n % 20)


def _numeric(values) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _number_or_label(x):
    if isinstance(x, str) and x.isdigit():
        return int(x)  # "2021" is a year, placed and sorted as one
    return x


def _date(x) -> dt.date | None:
    """An ISO date, also partial ("2021-06", "2021"), as its first day; else None."""
    if isinstance(x, dt.date):
        return x
    if not isinstance(x, str):
        return None
    for pattern, size in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        if len(x) == size:
            try:
                return dt.datetime.strptime(x, pattern).date()
            except ValueError:
                return None
    return None


def describe(chart: Chart) -> str:
    """The figures as text, for screen readers and text extraction."""
    parts = []
    for one in chart.series:
        points = ", ".join(f"{x}: {_figure(y)}" for x, y in one.points[:60])
        parts.append(f"{one.label} — {points}." if points else f"{one.label}.")
    if chart.threshold is not None:
        parts.append(f"{chart.threshold_label or '—'}: {_figure(chart.threshold)}.")
    return " ".join(parts) or chart.title


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
