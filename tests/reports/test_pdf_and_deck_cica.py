"""The chairmanship report composed from the shipped CICA data, drawn as PDF and as a deck:
everything the report says reaches both (the seed's facts are checked on the report itself
in test_seed_facts.py), nothing restricted reaches the public ones, the PDF renders to pages
and the deck converts in LibreOffice."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from lxml import html as lxml_html
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from secretariat.accounts.policy import SYSTEM
from secretariat.documents import services as documents
from secretariat.documents.models import Document
from secretariat.records import services as core
from secretariat.reports import html, markdown, pdf, pptx
from secretariat.reports.compose import report_build
from secretariat.reports.model import Audience, Item
from secretariat.reports.period import period_for

from .sample_report import need_tool

pytestmark = pytest.mark.django_db
SLUG = "kazakhstan-2020-2024"
BASE_URL = "https://cica.example.org"


def flat(text: str) -> str:
    """Text without its whitespace: PDF text extraction breaks lines where the layout did and
    puts spaces where glyphs are kerned apart ("T ajikistan")."""
    return re.sub(r"\s+", "", text)


def walk(items: list[Item], depth: int = 0):
    for item in items:
        yield item, depth
        yield from walk(item.children, depth + 1)


@pytest.fixture(scope="module")
def drawn(cica, django_db_blocker):
    """The report (English, Russian; public, internal) and its PDF and deck bytes, with a
    restricted and a confidential decision of the Sixth Summit added to the shipped data
    (which has none)."""
    out = {}
    with django_db_blocker.unblock():
        src = [core.source_upsert(key="test-source", title="Test source")[0]]
        summit = Document.objects.get(key="astana-statement-2022").meeting
        for title, access in (("Quokkasecret decision", "restricted"),
                              ("Wombatsecret paper", "confidential")):  # fmt: skip
            doc = documents.document_create(
                type="decision", title_en=title, access=access, sources=src
            )
            documents.document_event_upsert(
                document=doc, kind="adopted", date="2022-10-13", meeting=summit, sources=src
            )
        for language, audience in (("en", "public"), ("en", "internal"), ("ru", "public")):
            report = report_build(
                period=period_for(chairmanship=SLUG, language=language),
                audience=Audience(audience),
                language=language,
                user=SYSTEM,
            )
            report.base_url = BASE_URL
            out[language, audience] = (report, pdf.render(report), pptx.render(report))
    return out


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def deck_texts(data: bytes) -> tuple[str, str]:
    """The text on the slides, and the text of the speaker notes."""
    deck = Presentation(io.BytesIO(data))
    shown = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
    notes = [slide.notes_slide.notes_text_frame.text for slide in deck.slides]
    return flat("\n".join(shown)), flat("\n".join(notes))


def test_the_pdf_says_everything_the_report_says(drawn):
    report, data, _deck = drawn["en", "public"]
    text = flat("\n".join(pdf_text(data)))
    missing = [item.text for s in report.sections for item, _ in walk(s.items)
               if flat(item.text) not in text]  # fmt: skip
    assert not missing
    for section in report.sections:
        assert flat(section.title) in text


def test_the_pdf_links_every_record(drawn):
    report, data, _deck = drawn["en", "public"]
    found = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and action.get("/S") == "/URI":
                found.add(str(action["/URI"]))
    wanted = {BASE_URL + link.url for s in report.sections for item, _ in walk(s.items)
              for link in item.links}  # fmt: skip
    assert wanted and wanted <= found


def test_the_contents_match_the_pages(drawn):
    report, data, _deck = drawn["en", "public"]
    reader = PdfReader(io.BytesIO(data))
    marks = {b.title: reader.get_destination_page_number(b) + 1 for b in reader.outline}
    contents = reader.pages[1].extract_text()
    for section in report.sections:
        listed = re.search(re.escape(section.title) + r"[ .]*(\d+)", contents)
        assert listed and int(listed.group(1)) == marks[section.title], section.title


def test_the_deck_says_everything_the_report_says(drawn):
    """Statements and their sub-points on the slides; what lies deeper in the notes."""
    report, _pdf, data = drawn["en", "public"]
    shown, notes = deck_texts(data)
    for section in report.sections:
        for item, depth in walk(section.items):
            assert flat(item.text) in (shown if depth < 2 else notes), item.text
    deck = Presentation(io.BytesIO(data))
    assert len(deck.slides) == 2 + len(pptx.slides(report))
    assert sum(len(s.charts) for s in report.sections) == sum(
        1
        for slide in deck.slides
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    )


def _markdown_plain(text: str) -> str:
    """Markdown without its links, escapes and emphasis (bold, and the italics marking what
    is given in English)."""
    plain = re.sub(r"\[((?:\\.|[^\]\\])*)\]\([^)\s]*\)", r"\1", text)
    plain = re.sub(r"(?<!\\)_", "", plain.replace("**", ""))
    return re.sub(r"\\(.)", r"\1", plain)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_statement_carries_its_own_date_in_every_format(drawn, language):
    """A statement about a dated event says its date before its words, on the page, in
    Markdown, in the PDF and in the deck (a bullet, or a line of the notes below two levels),
    in both languages; an event at a meeting is dated to the meeting's days when the record
    holds them more precisely than the event's own date."""
    report, data, deck = drawn[language, "public"]
    # What is given in English in the Russian report is marked "(en)" in the PDF and the deck.
    in_pdf = flat("\n".join(pdf_text(data))).replace("(en)", "")
    shown, notes = (text.replace("(en)", "") for text in deck_texts(deck))
    page = lxml_html.fromstring(html.render(report)).xpath("//article")[0].text_content()
    in_page = flat(page)
    in_markdown = flat(_markdown_plain(markdown.render(report)))
    dated = [(item, depth) for s in report.sections for item, depth in walk(s.items) if item.date]
    assert len(dated) > 50
    for item, depth in dated:
        assert flat(f"{item.date}{item.text}") in in_page, item.text
        assert flat(f"{item.date}—{item.text}") in in_markdown, item.text
        assert flat(f"{item.date}:{item.text}") in in_pdf, item.text
        assert flat(f"{item.date}:{item.text}") in (shown if depth < 2 else notes), item.text
    sections = {s.key: s for s in report.sections}
    # The ESCAP MoU, approved by the SOC meeting titled "(September 2024)" on 12 September.
    (escap,) = linked(sections["expansion"], "/documents/mou-escap-2024/", "/actors/escap/")
    assert escap.date == {"en": "12 September 2024", "ru": "12 сентября 2024"}[language]
    # Adopted "June 2021" at the SOC meeting held on 23 June 2021.
    (guidelines,) = linked(sections["cbm"], "/documents/guidelines-cbm-events-2021/")
    assert guidelines.date == {"en": "23 June 2021", "ru": "23 июня 2021"}[language]
    outcomes = [child for item in sections["summit-outcomes"].items for child in item.children]
    assert outcomes and all(child.date for child in outcomes)


def linked(section, *urls: str) -> list[Item]:
    """The section's statements that link to each of `urls`."""
    return [
        item for item, _ in walk(section.items) if set(urls) <= {link.url for link in item.links}
    ]


def test_nothing_restricted_reaches_the_public_pdf_or_deck(drawn):
    """What the internal report marks restricted is in its PDF and deck, marked, and in
    neither public one."""
    internal, internal_pdf, internal_deck = drawn["en", "internal"]
    restricted = [flat(item.text) for s in internal.sections for item, _ in walk(s.items)
                  if item.restricted]  # fmt: skip
    public, public_pdf, public_deck = drawn["en", "public"]
    in_public = {flat(item.text) for s in public.sections for item, _ in walk(s.items)}
    only_internal = [text for text in restricted if text not in in_public]
    assert any("Quokkasecret" in text for text in only_internal)
    internal_text = flat("\n".join(pdf_text(internal_pdf)))
    assert "RESTRICTED" in internal_text
    public_text = flat("\n".join(pdf_text(public_pdf)))
    shown, notes = deck_texts(public_deck)
    for text in only_internal:
        assert text in internal_text
        assert text not in public_text
        assert text not in shown and text not in notes
    assert "RESTRICTED" not in public_text and "RESTRICTED" not in shown
    for secret in ("Quokkasecret", "Wombatsecret"):
        assert secret not in public_text and secret not in shown and secret not in notes
    assert "Wombatsecret" not in internal_text, "confidential: in no report"
    assert "RESTRICTED" in deck_texts(internal_deck)[0]


def test_the_russian_report_in_cyrillic(drawn):
    report, data, deck = drawn["ru", "public"]
    text = flat("\n".join(pdf_text(data)))
    for section in report.sections:
        assert flat(section.title) in text
    assert re.search("[а-я]{6}", text)
    shown, _notes = deck_texts(deck)
    assert report.sections[0].title in shown


def test_the_pdf_renders_to_pages(drawn, tmp_path):
    pdftoppm = need_tool("pdftoppm", "poppler-utils")
    _report, data, _deck = drawn["en", "public"]
    (tmp_path / "report.pdf").write_bytes(data)
    subprocess.run(
        [pdftoppm, "-r", "50", "-png", str(tmp_path / "report.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=180,
        capture_output=True,
    )
    pages = list(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(io.BytesIO(data)).pages) >= 13


def test_the_deck_converts_in_libreoffice(drawn, tmp_path):
    soffice = need_tool("soffice", "libreoffice-impress")
    _report, _pdf, data = drawn["en", "public"]
    (tmp_path / "report.pptx").write_bytes(data)
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path / "out"),
         str(tmp_path / "report.pptx")],
        check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    converted = PdfReader(tmp_path / "out" / "report.pdf")
    assert len(converted.pages) == len(Presentation(io.BytesIO(data)).slides)
