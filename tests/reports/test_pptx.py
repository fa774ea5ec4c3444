"""The report as a 16:9 deck: a title slide, a slide per section (continued where a section
holds more than a slide can), charts as pictures, a closing slide; it opens in LibreOffice."""

from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from secretariat.reports import pptx
from secretariat.reports.model import Audience, Item, Link, Section

from .sample_report import BASE_URL, need_tool, sample_report

EMU_PER_INCH = 914400


def open_deck(data: bytes):
    return Presentation(io.BytesIO(data))


def slide_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def body_paragraphs(slide) -> list:
    """The bullets of a section slide (its content placeholder)."""
    for shape in slide.placeholders:
        if shape.placeholder_format.idx == 1:
            return [p for p in shape.text_frame.paragraphs if p.text.strip()]
    return []


def pictures(deck) -> list:
    return [
        s for slide in deck.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]


@pytest.fixture(scope="module")
def internal_bytes():
    return pptx.render(sample_report())


@pytest.fixture(scope="module")
def internal_deck(internal_bytes):
    return sample_report(), open_deck(internal_bytes)


def test_a_slide_per_section_between_a_title_and_a_closing_slide(internal_deck):
    """The sample's 11 sections give 12 section slides: the CBM section's 12 statements go
    over two (8 + 4, its chart beside the last four); then the title and closing slides."""
    report, deck = internal_deck
    slides = list(deck.slides)
    assert len(slides) == 2 + len(report.sections) + 1 == 14
    titles = [slide.shapes.title.text_frame.text for slide in slides]
    assert titles[0] == report.title
    assert titles[-1] == "Thank you"
    expected = [s.title for s in report.sections]
    cbm = expected.index("Confidence-building measures")
    expected.insert(cbm + 1, "Confidence-building measures (continued)")
    assert titles[1:-1] == expected
    cover = slide_text(slides[0])
    for text in (report.organization, report.period.label, "30 September 2024", "INTERNAL"):
        assert text in cover
    assert "CICA · Achievements 2020-2024" in slide_text(slides[-1])


def test_the_deck_is_16_by_9_and_numbered(internal_deck):
    _report, deck = internal_deck
    assert deck.slide_width * 9 == deck.slide_height * 16
    slides = list(deck.slides)
    for number, slide in enumerate(slides[1:], start=2):
        assert f"{number} / {len(slides)}" in slide_text(slide)


def test_bullets_carry_their_dates_and_stay_at_most_eight_a_slide(internal_deck):
    report, deck = internal_deck
    slides = list(deck.slides)
    for slide in slides[1:-1]:
        assert len(body_paragraphs(slide)) <= pptx.MAX_BULLETS
    chairs = body_paragraphs(slides[1])
    assert chairs[2].runs[0].text == "19 December 2024: " and chairs[2].runs[0].font.bold
    statements = [
        p.text
        for slide in slides
        if slide.shapes.title.text_frame.text.startswith("Confidence-building")
        for p in body_paragraphs(slide)
    ]
    cbm = next(s for s in report.sections if s.key == "cbm")
    assert statements == [f"{i.date}: {i.text}" for i in cbm.items], "none lost, in order"


def test_sub_points_are_indented_under_their_statement(internal_deck):
    _report, deck = internal_deck
    transformation = body_paragraphs(list(deck.slides)[3])
    assert [p.level for p in transformation] == [0, 0, 1, 1]


def test_charts_are_pictures_of_their_charts(internal_deck):
    """Each chart is a PNG picture (1200 x 675 pixels), with its title and figures as alt
    text for screen readers."""
    report, deck = internal_deck
    charts = [c for s in report.sections for c in s.charts]
    found = pictures(deck)
    assert len(found) == len(charts) == 5
    for picture, chart in zip(found, charts, strict=True):
        assert picture.image.content_type == "image/png"
        assert Image.open(io.BytesIO(picture.image.blob)).size == (1200, 675)
        assert picture._element.nvPicPr.cNvPr.get("descr").startswith(chart.title)
        assert picture.left + picture.width <= deck.slide_width
        assert picture.top + picture.height <= deck.slide_height


def test_an_empty_section_says_so(internal_deck):
    _report, deck = internal_deck
    slide = next(
        s for s in deck.slides if s.shapes.title.text_frame.text == "Outcomes of the summits"
    )
    assert "Nothing in this period." in slide_text(slide)


def test_restricted_items_are_marked_and_absent_from_the_public_deck(internal_deck):
    _report, deck = internal_deck
    slide = next(s for s in deck.slides if "Host Country" in slide_text(s))
    bullet = next(p for p in body_paragraphs(slide) if "Host Country" in p.text)
    assert bullet.runs[0].text.strip() == "RESTRICTED"
    public = open_deck(pptx.render(sample_report(audience=Audience.PUBLIC)))
    text = "\n".join(slide_text(s) for s in public.slides)
    assert "Host Country" not in text and "RESTRICTED" not in text and "INTERNAL" not in text
    assert "Public" in slide_text(public.slides[0])


def test_records_named_in_a_statement_are_links(internal_deck):
    _report, deck = internal_deck
    chairs = body_paragraphs(list(deck.slides)[1])
    linked = {r.text: r.hyperlink.address for p in chairs for r in p.runs if r.hyperlink.address}
    assert linked["Kazakhstan"] == BASE_URL + "/actors/kazakhstan/"


def test_a_long_section_continues_over_slides():
    """20 statements, one with 12 sub-points: nothing is lost, no slide holds more than 8
    bullets, the continuation slides say so."""
    report = sample_report(audience=Audience.PUBLIC)
    items = [Item(f"Statement {n}") for n in range(20)]
    items[3].children = [Item(f"Point {n}") for n in range(12)]
    report.sections = [Section("cbm", "Confidence-building measures", items=items)]
    deck = open_deck(pptx.render(report))
    slides = list(deck.slides)[1:-1]
    assert len(slides) == len(pptx.slides(report)) == 5
    lines = [p.text for slide in slides for p in body_paragraphs(slide)]
    expected = [f"Statement {n}" for n in range(4)] + [f"Point {n}" for n in range(12)]
    assert lines == expected + [f"Statement {n}" for n in range(4, 20)]
    assert all(len(body_paragraphs(s)) <= 8 for s in slides)
    assert [s.shapes.title.text_frame.text.endswith("(continued)") for s in slides] == [
        False,
        True,
        True,
        True,
        True,
    ]


def test_a_russian_deck(tmp_path):
    report = sample_report(language="ru")
    deck = open_deck(pptx.render(report))
    text = "\n".join(slide_text(s) for s in deck.slides)
    for section in report.sections:
        assert section.title in text
    assert "Достижения 2020-2024" in slide_text(deck.slides[0])
    assert "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ" in slide_text(deck.slides[0])
    assert "Меры доверия (продолжение)" in text
    assert deck.slides[-1].shapes.title.text_frame.text == "Спасибо за внимание"
    assert "30 сентября 2024" in slide_text(deck.slides[0])
    assert "Partnership Network of Leading Universities (en)" in text


def test_the_deck_converts_in_libreoffice(internal_deck, internal_bytes, tmp_path):
    """LibreOffice opens the deck and prints it: one PDF page per slide. Its own profile
    folder keeps parallel runs apart."""
    soffice = need_tool("soffice", "libreoffice-impress")
    _report, deck = internal_deck
    source = tmp_path / "report.pptx"
    source.write_bytes(internal_bytes)
    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    converted = PdfReader(out / "report.pdf")
    assert len(converted.pages) == len(deck.slides)
    assert "Achievements 2020-2024" in converted.pages[0].extract_text()
    page = converted.pages[0]
    assert float(page.mediabox.width) / float(page.mediabox.height) == pytest.approx(16 / 9, 0.01)


def test_the_speaker_notes_tell_what_the_slide_leaves_out():
    """A slide shows two levels of bullets; the record's remarks, the deeper sub-points and
    the records' addresses are in the speaker notes."""
    report = sample_report(audience=Audience.PUBLIC)
    step = Item("Signing by the Secretary General", children=[Item("Decree of the Government")])
    item = Item(
        "Host Country Agreement amended",
        date="19 July 2024",
        note="agreed by the member states",
        links=[Link("Host Country Agreement", "/documents/hca/")],
        children=[Item("Next steps", children=[step])],
    )
    report.sections = [Section("initiatives", "Priorities and initiatives", items=[item])]
    slide = list(open_deck(pptx.render(report)).slides)[1]
    assert [p.text for p in body_paragraphs(slide)] == [
        "19 July 2024: Host Country Agreement amended",
        "Next steps",
    ]
    notes = slide.notes_slide.notes_text_frame.text
    assert "19 July 2024: Host Country Agreement amended — agreed by the member states" in notes
    assert f"<{BASE_URL}/documents/hca/>" in notes
    assert "        Signing by the Secretary General\n            Decree of the Government" in notes
