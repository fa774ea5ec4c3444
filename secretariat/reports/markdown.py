"""A report as Markdown, for pasting into other documents: headings, nested lists, every
record linked as [label](absolute url), charts as tables of their figures."""

from __future__ import annotations

import re

from django.utils import dateformat, translation
from django.utils.translation import gettext as _

from .inline import absolute, note_is_english, pieces
from .model import Audience, Chart, Item, Report

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _escape(text: str) -> str:
    """Text that Markdown shows as written (no emphasis, links or HTML made by accident)."""
    return _SPECIAL.sub(r"\\\1", text)


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _line(item: Item, base_url: str) -> str:
    parts, extra = pieces(item)
    words = []
    for piece in parts:
        text = _escape(piece.text)
        if piece.link is not None:
            text = f"[{text}]({_url(absolute(piece.link.url, base_url))})"
        words.append(f"_{text}_" if piece.fallback else text)
    line = "".join(words)
    if item.date:
        line = f"**{_escape(item.date)}** — {line}"
    if item.restricted:
        line = f"**\\[{_('Restricted')}\\]** {line}"
    if item.note:
        note = _escape(item.note)
        line += f" — _{note}_" if not note_is_english(item) else f" — _{note}_ (en)"
    if extra:
        refs = ", ".join(
            f"[{_escape(link.label)}]({_url(absolute(link.url, base_url))})" for link in extra
        )
        line += f" ({refs})"
    return line


def _items(items: list[Item], base_url: str, depth: int = 0) -> list[str]:
    lines = []
    for item in items:
        lines.append("  " * depth + "- " + _line(item, base_url))
        lines += _items(item.children, base_url, depth + 1)
    return lines


def _chart(chart: Chart) -> list[str]:
    """The chart's figures as a table: one row per x, one column per series."""
    xs: list = []
    for series in chart.series:
        for x, _y in series.points:
            if x not in xs:
                xs.append(x)
    header = [chart.x_label or " ", *(s.label for s in chart.series)]
    rows = []
    for x in xs:
        cells = [str(x)]
        for series in chart.series:
            values = [y for px, y in series.points if px == x]
            cells.append(_number(values[-1]) if values else "")
        rows.append(cells)
    lines = [f"**{_escape(chart.title)}**", ""]
    lines.append("| " + " | ".join(_escape(h) for h in header) + " |")
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in rows]
    if chart.threshold is not None:
        lines += ["", f"{_escape(chart.threshold_label or '')}: {_number(chart.threshold)}"]
    return lines


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def render(report: Report) -> str:
    """The report as Markdown text (links made absolute with report.base_url)."""
    with translation.override(report.language):
        base = report.base_url
        period = report.period
        first = dateformat.format(period.start, "j E Y")
        last = dateformat.format(period.end, "j E Y")
        lines = [f"# {_escape(report.organization)}: {_escape(report.title)}", ""]
        lines.append(f"{_escape(period.label)} ({first} – {last})")
        lines.append("")
        if report.audience == Audience.INTERNAL:
            warning = _("Internal: contains restricted information, not for publication")
            lines += [f"**{warning}**", ""]
        generated = dateformat.format(report.generated_on, "j E Y")
        lines += [_("Generated from the record on %(date)s.") % {"date": generated}, ""]
        for section in report.sections:
            lines += [f"## {_escape(section.title)}", ""]
            if section.empty:
                lines += [f"_{_escape(section.empty_note)}_", ""]
                continue
            if section.items:
                lines += [*_items(section.items, base), ""]
            for chart in section.charts:
                lines += [*_chart(chart), ""]
        return "\n".join(lines).rstrip() + "\n"
