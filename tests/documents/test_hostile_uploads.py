"""Hostile uploads: bombs, forged archives and malformed XML, each made by the test.

What must hold, for every one of them and on every way a text comes in (the service,
the officers' form, the admin): it is refused with a message that names the problem,
never a server error; nothing is saved and no file is left in MEDIA_ROOT; and reading
it costs the process less than 100 MB above what it used before (Python's allocations
by tracemalloc, the C libraries' by the peak resident size), however much it asks for.
"""

from __future__ import annotations

import gc
import io
import random
import re
import resource
import tracemalloc
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

import secretariat
from secretariat.accounts import services as accounts
from secretariat.documents import budget, uploads
from secretariat.documents.models import DocumentText

from . import hostile
from .conftest import stored_files, upload

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
LIMIT = 100 * MB
CASES = pytest.mark.parametrize(("case",), [(name,) for name in hostile.HOSTILE])


@pytest.fixture(autouse=True)
def back_to_english():
    yield
    translation.deactivate()


@pytest.fixture
def version(docs):
    """Version 2 of a document, open for texts."""
    document = docs.document("EXO/DECL/1", key="decl-1")
    docs.version(document)
    return docs.version(document)


def made(case: str) -> tuple[bytes, str]:
    maker, message = hostile.HOSTILE[case]
    return maker(), message


@contextmanager
def costs_less_than(limit: int):
    """The block's peak memory above what the process held before it."""
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    tracemalloc.start()
    try:
        yield
    finally:
        python_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    assert python_peak < limit, f"Python allocated {python_peak / MB:.0f} MB at the peak"
    assert rss_growth < limit, f"the process grew by {rss_growth / MB:.0f} MB"


def nothing_saved(media) -> None:
    assert not DocumentText.objects.exists()
    assert stored_files(media) == []


@CASES
def test_the_service_refuses_it_cheaply_saying_why(docs, version, media, case):
    data, message = made(case)
    with costs_less_than(LIMIT), pytest.raises(ValidationError) as refused:
        docs.text(version, "en", name=f"{case}.bin", data=data)
    assert message in refused.value.messages[0], refused.value.messages
    nothing_saved(media)


@pytest.fixture
def officer(client):
    user = accounts.account_create(username="ofc", password="correct-horse-9", role="officer")
    client.force_login(user.user)
    return client


@CASES
def test_the_officers_form_answers_422_with_the_message(officer, version, media, case):
    data, message = made(case)
    with costs_less_than(LIMIT):
        response = officer.post(
            "/documents/decl-1/versions/2/texts/new/", {"text_en": upload(f"{case}.bin", data)}
        )
    assert response.status_code == 422
    errors = response.context["form"].errors["text_en"]
    assert any(message in error for error in errors), errors
    nothing_saved(media)


@CASES
def test_the_admin_shows_the_message_on_the_form(client, django_user_model, version, media,
                                                 case):  # fmt: skip
    client.force_login(django_user_model.objects.create_superuser("root", "", "a-long-pass-1"))
    data, message = made(case)
    with costs_less_than(LIMIT):
        response = client.post(
            reverse("admin:documents_documentversion_change", args=[version.pk]),
            {"date": "", "note": "", "texts-TOTAL_FORMS": "1", "texts-INITIAL_FORMS": "0",
             "texts-0-language": "en", "texts-0-version": version.pk,
             "texts-0-file": upload(f"{case}.bin", data)},
        )  # fmt: skip
    assert response.status_code == 200  # the form again, with the refusal
    html = response.content.decode()
    assert message.replace("'", "&#x27;") in html
    nothing_saved(media)


def test_the_refusal_reads_in_russian(officer, version, media):
    data, _ = made("billion-spaces-odt")
    response = officer.post(
        "/documents/decl-1/versions/2/texts/new/",
        {"text_en": upload("spaces.odt", data)},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 422
    assert "просит 1\xa0000\xa0000\xa0000 пробелов подряд" in response.content.decode()
    nothing_saved(media)


# --- What real documents do stays accepted ------------------------------------------------


def words(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    vocabulary = ["confidence", "measures", "dialogue", "Asia", "security", "member",
                  "states", "cooperation", "declaration", "summit", "меры", "доверия"]  # fmt: skip
    return " ".join(rng.choice(vocabulary) for _ in range(n))


def test_a_large_real_docx_is_read_whole():
    """Four megabytes of varied paragraphs (packed as a word processor packs them) are
    within budget: every paragraph comes out."""
    paragraphs = [words(40, seed=i) for i in range(8000)]
    xml = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    data = hostile.docx(hostile.DOCX_HEAD + xml + hostile.DOCX_TAIL)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size > 3 * MB
    assert uploads.docx_text(data).splitlines() == paragraphs


def test_odt_spaces_tabs_notes_and_nesting_within_limits_are_read():
    """A modest text:c, notes as lines of their own, text boxes and 100 levels of spans."""
    spans = "<text:span>" * 100 + "deep" + "</text:span>" * 100
    content = (
        '<text:h>Title</text:h><text:p>a<text:s text:c="7"/>b<text:tab/>c'
        "<text:note><text:note-citation>1</text:note-citation><text:note-body>"
        "<text:p>The note.</text:p></text:note-body></text:note> end</text:p>"
        f"<text:p>{spans}</text:p>"
    )
    data = hostile.odt(hostile.ODT_HEAD + content + hostile.ODT_TAIL)
    assert uploads.inspect(data).text == "Title\na b c end\nThe note.\ndeep"


def test_a_pdf_too_slow_to_read_is_stopped_at_its_deadline(docs, version, media, monkeypatch):
    """pypdf cannot be stopped inside a page: its process is, when the time is spent. Just
    under the page's limit, a flood of numbers takes pypdf far longer than two seconds."""
    monkeypatch.setattr(budget, "SECONDS_FLOOR", 2)
    data = hostile.pdf(b"1 " * 950_000)
    with costs_less_than(LIMIT), pytest.raises(ValidationError) as refused:
        docs.text(version, "en", name="slow.pdf", data=data)
    assert refused.value.messages == [
        "Reading the file took longer than the 2 seconds a file of 2.4\xa0KB may take."
    ]
    nothing_saved(media)


def test_every_xml_read_in_the_project_uses_the_hardened_parser():
    """A module that parses XML (lxml, ElementTree, minidom, SAX, expat) builds its parser
    with office.hardened_parser: no DTD, no entity expansion, no network, no huge trees."""
    root = Path(secretariat.__file__).parent
    parsing = re.compile(
        r"\b(?:fromstring|iterparse|XMLParser|XMLPullParser|parseString|minidom|expatbuilder"
        r"|make_parser|XMLID|XML)\(|\b(?:etree|ElementTree|ET)\.parse\(|xml\.parsers\.expat"
    )
    readers = {
        str(path.relative_to(root)): "hardened_parser" in path.read_text()
        for path in root.rglob("*.py")
        if parsing.search(path.read_text())
    }
    assert readers == {"documents/office.py": True}


def test_sloppy_html_is_read_as_a_browser_shows_it():
    """Unclosed tags, stray markup, entities and scripts: the visible text, a line per
    block (the parser is libxml2's, linear whatever the markup)."""
    page = (
        b"\xef\xbb\xbf<html><title>T</title><style>p{color:red}</style><p>A &amp; B&nbsp;C"
        b"<p>unclosed <b>bold <font>font<p>after<script>var a = '<p>';</script>"
        b"<ul><li>one<li>two</ul>" + "Русский".encode()
    )
    assert (
        uploads.inspect(page).text == "T\nA & B\xa0C\nunclosed bold font\nafter\none\ntwo\nРусский"
    )
