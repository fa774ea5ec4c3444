"""A report as a 16:9 slide deck (python-pptx), in the spirit of the hand-made chairmanship
decks: a title slide, a slide per section (its title, dated bullets), charts as pictures,
continuation slides where a section holds more than a slide can, and a closing slide. The
slides keep to the statements; the records' remarks and addresses go to the speaker notes.

The deck is planned first (which bullets and charts go on which slide), then drawn, so each
slide can say "n / N" and the plan can be read and tested on its own.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.utils import formats, translation
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from . import charts
from .inline import absolute, pieces
from .model import Audience, Chart, Item, Report, Section

MAX_BULLETS = 8  # lines (statements and their sub-points) on one slide
MAX_CHARS = 900  # text on one slide, so it stays readable at 16 pt or more
BESIDE_CHART = (4, 420)  # at most this many bullets / characters share a slide with a chart
DPI = 150  # 8 x 4.5 in charts: 1200 x 675 pixels, sharp on a projector

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 13.33 x 7.5 in: 16:9
MARGIN = Inches(0.6)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
MUTED = RGBColor(0x59, 0x61, 0x6E)
WARN = RGBColor(0xA4, 0x16, 0x1A)

TITLE_SLIDE, TITLE_AND_CONTENT, TITLE_ONLY = 0, 1, 5  # python-pptx's default layouts


@dataclass
class Line:
    item: Item
    level: int  # 0: a statement; 1: one of its sub-points


@dataclass
class Slide:
    """One planned slide of a section."""

    section: Section
    continued: bool = False
    lines: list[Line] = field(default_factory=list)
    chart: Chart | None = None
    empty_note: str = ""


def render(report: Report) -> bytes:
    with translation.override(report.language):
        plan = slides(report)
        deck = Presentation()
        deck.slide_width, deck.slide_height = WIDTH, HEIGHT
        total = len(plan) + 2
        _cover(deck, report)
        for number, planned in enumerate(plan, start=2):
            _section_slide(deck, report, planned, number, total)
        _closing(deck, report, total)
        _properties(deck, report)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def slides(report: Report) -> list[Slide]:
    """The section slides, in order (the cover and the closing slide come on top)."""
    plan: list[Slide] = []
    for section in report.sections:
        if section.empty:
            plan.append(
                Slide(section, empty_note=section.empty_note or _("Nothing in this period."))
            )
            continue
        own = [Slide(section, lines=chunk) for chunk in _chunks(section.items)]
        pending = list(section.charts)
        if own and pending and _light(own[-1].lines):
            own[-1].chart = pending.pop(0)
        own += [Slide(section, chart=chart) for chart in pending]
        for n, planned in enumerate(own):
            planned.continued = n > 0
        plan += own
    return plan


def _chunks(items: list[Item]) -> list[list[Line]]:
    """Statements packed onto slides: a statement stays with its sub-points unless they
    alone overflow a slide."""
    chunks: list[list[Line]] = []
    current: list[Line] = []
    for item in items:
        # two levels on a slide; what lies deeper is told in the speaker notes
        group = [Line(item, 0)] + [Line(child, 1) for child in item.children]
        if current and not _fits(current + group):
            chunks.append(current)
            current = []
        for line in group:
            if current and not _fits([*current, line]):
                chunks.append(current)
                current = []
            current.append(line)
    if current:
        chunks.append(current)
    return chunks


def _fits(lines: list[Line]) -> bool:
    return len(lines) <= MAX_BULLETS and _chars(lines) <= MAX_CHARS


def _light(lines: list[Line]) -> bool:
    return len(lines) <= BESIDE_CHART[0] and _chars(lines) <= BESIDE_CHART[1]


def _chars(lines: list[Line]) -> int:
    return sum(len(line.item.text) + len(line.item.date or "") for line in lines)


def _cover(deck, report: Report) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_SLIDE])
    _textbox(
        slide,
        report.organization,
        MARGIN,
        Inches(1.3),
        WIDTH - 2 * MARGIN,
        Inches(0.8),
        size=28,
        bold=True,
        colour=MUTED,
    )
    title = slide.shapes.title
    _place(title, MARGIN, Inches(2.1), WIDTH - 2 * MARGIN, Inches(1.6))
    _text(title.text_frame, report.title, size=44, bold=True, colour=ACCENT)
    title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    subtitle = slide.placeholders[1]
    _place(subtitle, MARGIN, Inches(3.9), WIDTH - 2 * MARGIN, Inches(2.6))
    frame = subtitle.text_frame
    _text(frame, report.period.label, size=24)
    lines = [
        (f"{_day(report.period.start)} – {_day(report.period.end)}", MUTED, False),
        (_audience(report), WARN if _internal(report) else MUTED, _internal(report)),
        (_("Generated on %(date)s") % {"date": _day(report.generated_on)}, MUTED, False),
    ]
    for text, colour, bold in lines:
        _paragraph(frame, text, size=16, colour=colour, bold=bold)
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
    _marks(slide, report, None, None)


def _section_slide(deck, report: Report, planned: Slide, number: int, total: int) -> None:
    layout = TITLE_AND_CONTENT if planned.lines or planned.empty_note else TITLE_ONLY
    slide = deck.slides.add_slide(deck.slide_layouts[layout])
    title = planned.section.title
    if planned.continued:
        title = _("%(title)s (continued)") % {"title": title}
    _place(slide.shapes.title, MARGIN, Inches(0.45), WIDTH - 2 * MARGIN, Inches(0.95))
    size = 30 if len(title) <= 45 else 26  # a long title (Russian, continued) in two lines
    _text(slide.shapes.title.text_frame, title, size=size, bold=True, colour=ACCENT)
    slide.shapes.title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    top, height = Inches(1.5), HEIGHT - Inches(2.2)
    text_width = WIDTH - 2 * MARGIN
    if planned.chart is not None and planned.lines:
        text_width = Inches(5.2)
    if layout == TITLE_AND_CONTENT:
        body = slide.placeholders[1]
        _place(body, MARGIN, top, text_width, height)
        if planned.empty_note:
            _text(body.text_frame, planned.empty_note, size=22, italic=True, colour=MUTED)
            _no_bullet(body.text_frame.paragraphs[0])
        else:
            _bullets(body.text_frame, planned.lines, report.base_url)
    if planned.chart is not None:
        left = MARGIN + (text_width + Inches(0.3) if planned.lines else 0)
        room = WIDTH - MARGIN - left
        width = min(room, Emu(int(height * 16 / 9)))
        picture = slide.shapes.add_picture(
            io.BytesIO(charts.png(planned.chart, dpi=DPI)),
            left + (room - width) // 2,
            top,
            width=width,
        )
        # alt text for screen readers: the title and the figures
        picture._element.nvPicPr.cNvPr.set(
            "descr", f"{planned.chart.title}. {charts.describe(planned.chart)}"
        )
    if planned.lines:
        _speaker_notes(slide, planned.lines, report.base_url)
    _marks(slide, report, number, total)


def _closing(deck, report: Report, total: int) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_SLIDE])
    title = slide.shapes.title
    _place(title, MARGIN, Inches(2.3), WIDTH - 2 * MARGIN, Inches(1.4))
    _text(title.text_frame, _("Thank you"), size=48, bold=True, colour=ACCENT)
    subtitle = slide.placeholders[1]
    _place(subtitle, MARGIN, Inches(3.9), WIDTH - 2 * MARGIN, Inches(1.6))
    _text(subtitle.text_frame, f"{report.organization} · {report.title}", size=22)
    _paragraph(subtitle.text_frame, report.period.label, size=18, colour=MUTED)
    _paragraph(
        subtitle.text_frame, formats.date_format(report.generated_on, "F Y"), size=18, colour=MUTED
    )
    _marks(slide, report, total, total)


def _bullets(frame, lines: list[Line], base_url: str) -> None:
    chars = _chars(lines)
    size = 22 if chars <= 350 else 19 if chars <= 600 else 16
    frame.word_wrap = True
    for n, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.level = line.level
        paragraph.space_after = Pt(6)
        item = line.item
        if item.restricted:
            _run(paragraph, _("Restricted").upper() + " ", size=size - 6, bold=True, colour=WARN)
        size_here = size - 2 * line.level
        if item.date:
            _run(paragraph, f"{item.date}: ", size=size_here, bold=True, colour=ACCENT)
        parts, _extra = pieces(item)  # a deck names no record beside its statement
        for piece in parts:
            url = absolute(piece.link.url, base_url) if piece.link is not None else ""
            _piece(paragraph, piece.text, url=url, fallback=piece.fallback, size=size_here)


def _speaker_notes(slide, lines: list[Line], base_url: str) -> None:
    """What the slide leaves out, for the speaker: each statement whole with the record's
    remark on it and the addresses of the records it rests on, and the sub-points deeper than
    a slide shows."""
    said: list[str] = []

    def tell(item: Item, depth: int, deeper: bool) -> None:
        indent = "    " * depth
        text = f"{item.date}: {item.text}" if item.date else item.text
        said.append(indent + text + (f" — {item.note}" if item.note else ""))
        if item.links:
            links = ", ".join(
                f"{link.label} <{absolute(link.url, base_url)}>" for link in item.links
            )
            said.append(f"{indent}({links})")
        if deeper:
            for child in item.children:
                tell(child, depth + 1, True)

    for line in lines:
        tell(line.item, line.level, deeper=line.level == 1)
    slide.notes_slide.notes_text_frame.text = "\n".join(said)


def _piece(paragraph, text: str, *, size: int, url: str = "", fallback=False, colour=None):
    run = _run(paragraph, text, size=size, italic=fallback, colour=colour)
    if "://" in url:  # only an absolute address works from a file
        run.hyperlink.address = url
    if fallback:  # said in English: marked as the site marks it
        _run(paragraph, " (en)", size=max(size - 8, 9), colour=MUTED)


def _marks(slide, report: Report, number: int | None, total: int | None) -> None:
    """The footer (organization, title, slide number) and, internal only, the warning."""
    if _internal(report):
        box = _textbox(
            slide,
            _("Internal").upper(),
            WIDTH - MARGIN - Inches(6),
            Inches(0.1),
            Inches(6),
            Inches(0.35),
            size=11,
            bold=True,
            colour=WARN,
        )
        box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
    if number is None:
        return
    footer = f"{report.organization} · {report.title} · {report.period.label}"
    _textbox(
        slide, footer, MARGIN, HEIGHT - Inches(0.55), Inches(9), Inches(0.35), size=11, colour=MUTED
    )
    box = _textbox(
        slide,
        f"{number} / {total}",
        WIDTH - MARGIN - Inches(1.5),
        HEIGHT - Inches(0.55),
        Inches(1.5),
        Inches(0.35),
        size=11,
        colour=MUTED,
    )
    box.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


def _properties(deck, report: Report) -> None:
    props = deck.core_properties
    props.title = f"{report.organization}: {report.title}"
    props.subject = report.period.label
    props.author = props.last_modified_by = report.organization
    props.language = report.language
    props.keywords = str(report.audience)
    made = dt.datetime.combine(report.generated_on, dt.time())
    props.created = props.modified = made  # the same report gives the same properties
    props.revision = 1


def _textbox(slide, text, left, top, width, height, **style):
    box = slide.shapes.add_textbox(left, top, width, height)
    box.text_frame.word_wrap = True
    box.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    _text(box.text_frame, text, **style)
    return box


def _place(shape, left, top, width, height) -> None:
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _text(frame, text: str, **style) -> None:
    frame.clear()
    _run(frame.paragraphs[0], text, **style)


def _paragraph(frame, text: str, **style) -> None:
    _run(frame.add_paragraph(), text, **style)


def _run(paragraph, text: str, *, size: int, bold=False, italic=False, colour=None):
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    if colour is not None:
        run.font.color.rgb = colour
    return run


def _no_bullet(paragraph) -> None:
    paragraph_properties = paragraph._p.get_or_add_pPr()
    paragraph_properties.insert(
        0,
        paragraph_properties.makeelement(
            "{http://schemas.openxmlformats.org/drawingml/2006/main}buNone", {}
        ),
    )


def _internal(report: Report) -> bool:
    return report.audience == Audience.INTERNAL


def _audience(report: Report) -> str:
    if _internal(report):
        return _("Internal: contains restricted information, not for publication")
    return _("Public")


def _day(day: dt.date) -> str:
    return formats.date_format(day, "j E Y")
