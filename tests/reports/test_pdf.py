"""The report as PDF: paginated A4 with a cover, contents whose page numbers are right, page
numbers, a section per page, clickable links to every record, restricted items marked, and
text in Latin and Cyrillic."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.test import RequestFactory
from pypdf import PdfReader

from secretariat.reports import pdf
from secretariat.reports.model import Audience, Item, Section

from .sample_report import BASE_URL, need_tool, sample_report

A4 = (595, 842)  # points


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def uris(reader: PdfReader) -> list[str]:
    found = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and action.get("/S") == "/URI":
                found.append(str(action["/URI"]))
    return found


def outline(reader: PdfReader) -> dict[str, int]:
    """Bookmark title -> 1-based page number."""
    return {b.title: reader.get_destination_page_number(b) + 1 for b in reader.outline}


@pytest.fixture(scope="module")
def internal_bytes():
    return pdf.render(sample_report())


@pytest.fixture(scope="module")
def internal_pdf(internal_bytes):
    return sample_report(), read(internal_bytes)


@pytest.fixture(scope="module")
def russian_pdf():
    report = sample_report(language="ru")
    return report, read(pdf.render(report))


@pytest.fixture(scope="module")
def public_pdf():
    report = sample_report(audience=Audience.PUBLIC)
    return report, read(pdf.render(report))


def test_cover_names_the_organization_title_period_and_audience(internal_pdf):
    report, reader = internal_pdf
    cover = page_texts(reader)[0]
    for text in (
        report.organization,
        report.title,
        report.period.label,
        "1 September 2020",
        "30 September 2024",
        "INTERNAL",
        "Internal: contains restricted information",
    ):
        assert text in cover
    assert all(
        (round(page.mediabox.width), round(page.mediabox.height)) == A4 for page in reader.pages
    )


def test_contents_give_the_page_each_section_starts_on(internal_pdf):
    """The contents list every section with the page number it really starts on (the PDF's
    bookmarks point at the same pages), and each section starts on a page of its own."""
    report, reader = internal_pdf
    texts = page_texts(reader)
    contents = texts[1]
    assert contents.startswith("Contents")
    marks = outline(reader)
    starts = []
    for section in report.sections:
        listed = re.search(re.escape(section.title) + r"[ .]*(\d+)", contents)
        assert listed, f"{section.title} is not in the contents"
        page = int(listed.group(1))
        assert marks[section.title] == page
        assert section.title in texts[page - 1]
        starts.append(page)
    assert starts == sorted(set(starts)), "each section on a new page, in order"
    assert len(reader.pages) >= 2 + len(report.sections)


def test_pages_are_numbered(internal_pdf):
    _report, reader = internal_pdf
    texts = page_texts(reader)
    total = len(texts)
    assert f"1 / {total}" not in texts[0], "the cover carries no number"
    for number, text in enumerate(texts[1:], start=2):
        assert f"{number} / {total}" in text
        assert "Achievements 2020-2024" in text


def test_every_statement_links_to_its_records(internal_pdf):
    """Each link of each statement is a clickable, absolute address on the site."""
    report, reader = internal_pdf
    expected = set()

    def walk(items):
        for item in items:
            expected.update(BASE_URL + link.url for link in item.links)
            walk(item.children)

    for section in report.sections:
        walk(section.items)
    found = set(uris(reader))
    assert expected <= found
    assert found - expected <= {BASE_URL + "/"}, "only the cover's link to the site besides"


def test_a_record_named_in_the_text_is_linked_there(internal_pdf):
    """A link whose label occurs in the statement is the label itself, not repeated after it
    ("Current chair: Kazakhstan (2020-2024)"); one that does not follows it in brackets."""
    _report, reader = internal_pdf
    chairs = page_texts(reader)[2]
    assert "Current chair: Kazakhstan (2020-2024)" in chairs
    assert "(2020-2024)\nKazakhstan" not in chairs
    meetings = page_texts(reader)[3]
    assert "Sixth CICA Summit (Astana) (Sixth Summit)" in meetings


def test_restricted_items_are_marked_and_absent_from_the_public_report(internal_pdf, public_pdf):
    _report, internal = internal_pdf
    text = "\n".join(page_texts(internal))
    assert re.search(
        r"19 July 2024: Draft amendments to the Host Country Agreement agreed"
        r"\s+\(HCA\s+amendments\)\s+RESTRICTED",
        text,
    )
    assert "INTERNAL" in page_texts(internal)[5], "every page says the report is internal"
    _report, reader = public_pdf
    text = "\n".join(page_texts(reader))
    assert "Host Country Agreement" not in text
    assert "RESTRICTED" not in text and "INTERNAL" not in text
    assert "Public" in page_texts(reader)[0]
    assert BASE_URL + "/documents/hca-amendments/" not in uris(reader)


def test_an_empty_section_says_so(internal_pdf):
    _report, reader = internal_pdf
    page = outline(reader)["Outcomes of the summits"]
    assert "Nothing in this period." in page_texts(reader)[page - 1]


def test_charts_are_drawn_as_vector_graphics_with_their_text(internal_pdf):
    """Charts come as SVG: their title and axis labels are text in the PDF, not pixels."""
    _report, reader = internal_pdf
    page = outline(reader)["Conventions and agreements"]
    text = page_texts(reader)[page - 1]
    assert "Ratifications of the 2010 Convention" in text
    assert "Instruments" in text


def test_a_russian_report_is_in_cyrillic_with_fonts_that_have_it(russian_pdf):
    report, reader = russian_pdf
    texts = page_texts(reader)
    assert "Достижения 2020-2024" in texts[0]
    assert "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ" in texts[0]
    assert texts[1].startswith("Содержание")
    assert "Председательство Казахстана, 2020-2024" in texts[0]
    assert "30 сентября 2024" in texts[0]
    for section in report.sections:
        assert section.title in texts[1]
    assert "Ратификации Конвенции 2010 года" in "\n".join(texts)
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("DejaVu" in font for font in fonts), fonts


def test_a_name_said_in_english_is_marked(russian_pdf):
    _report, reader = russian_pdf
    text = "\n".join(page_texts(reader))
    assert "Partnership Network of Leading Universities (en): КСДЛ согласовал" in text


def test_links_take_the_address_the_request_came_to():
    """Without a base URL on the report, the links are made absolute with the request's."""
    report = sample_report(audience=Audience.PUBLIC)
    report.base_url = ""
    report.sections = report.sections[:1]
    request = RequestFactory().get("/reports/")
    found = uris(read(pdf.render(report, request=request)))
    assert "http://testserver/actors/kazakhstan/" in found
    found = uris(read(pdf.render(report, base_url="https://other.example/")))
    assert "https://other.example/actors/kazakhstan/" in found


def test_text_is_text_never_markup():
    """A statement's text is escaped: markup in a record's title shows as typed and loads
    nothing."""
    report = sample_report(audience=Audience.PUBLIC)
    report.sections = [
        Section(
            "other",
            "Other decisions",
            items=[
                Item('<img src="file:///etc/passwd"> & <b>bold</b>'),
            ],
        ),
    ]
    text = "\n".join(page_texts(read(pdf.render(report))))
    assert '<img src="file:///etc/passwd"> & <b>bold</b>' in text


def test_the_pdf_renders_to_pages(internal_pdf, internal_bytes, tmp_path):
    """pdftoppm (poppler) draws every page: the file is a PDF other tools read."""
    pdftoppm = need_tool("pdftoppm", "poppler-utils")
    _report, reader = internal_pdf
    source = tmp_path / "report.pdf"
    source.write_bytes(internal_bytes)
    subprocess.run(
        [pdftoppm, "-r", "50", "-png", str(source), str(tmp_path / "page")],
        check=True,
        timeout=120,
        capture_output=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(reader.pages) >= 13
    assert all(page.stat().st_size > 1000 for page in pages)
