"""Uploads: the type told from the content, the text extracted, refusals, all or nothing."""

from __future__ import annotations

import hashlib
import random

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError

from secretariat.documents import services, uploads
from secretariat.documents.models import DocumentText

from .conftest import FILES, SENTENCE, stored_files

pytestmark = pytest.mark.django_db
ACCEPTED = "accepted: PDF, DOCX, ODT, HTML or plain UTF-8 text."


@pytest.fixture
def version(docs):
    return docs.version(docs.document("EXO/1", key="exo-1"))


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("sample.pdf", "application/pdf"),
        ("sample.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("sample.odt", "application/vnd.oasis.opendocument.text"),
        ("sample.html", "text/html"),
        ("sample.txt", "text/plain"),
    ],
)
def test_each_accepted_type_is_kept_with_its_text(docs, version, media, name, media_type):
    """PDF, DOCX, ODT, HTML and TXT are recognised, their text extracted for search, and
    the file kept with its size and SHA-256."""
    text = docs.text(version, "en", name=name)
    data = (FILES / name).read_bytes()
    assert text.media_type == media_type
    assert SENTENCE in text.text
    assert (text.size, text.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert text.file.read() == data
    assert [p.name for p in stored_files(media)] == [f"exo-1-v1-en.{name.rsplit('.')[-1]}"]


def test_extracted_text_is_clean(docs, version):
    """Scripts and styles are not text; entities are decoded; ODT spaces and tabs kept."""
    html = docs.text(version, "en", name="sample.html").text
    assert "hidden" not in html and "color" not in html
    assert "Adopted by the Council & welcomed." in html
    odt = uploads.odt_text((FILES / "sample.odt").read_bytes())
    assert "Adopted by the Council." in odt
    docx = uploads.docx_text((FILES / "sample.docx").read_bytes())
    assert "мерах доверия" in docx


def test_the_type_comes_from_the_content_not_the_name(docs, version):
    """A text file named .pdf is kept as plain text."""
    text = docs.text(version, "en", name="report.pdf", data=b"Plain words only.\n")
    assert text.media_type == "text/plain"
    assert text.file.name.endswith(".txt")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64,
         f"Received a Windows program (named 'setup.pdf'); {ACCEPTED}"),
        ("empty.txt", b"", "The file (named 'empty.txt') is empty."),
        ("junk.docx", b"\x00\xff" + random.Random(1).randbytes(2046),
         f"Received binary data of an unknown type (named 'junk.docx'); {ACCEPTED}"),
        ("fake.pdf", b"%PDF-1.7\nthis is not a pdf at all",
         "Received a file that starts like a PDF but cannot be read as one"),
        ("latin1.txt", "Café".encode("latin-1"),
         f"Received text that is not valid UTF-8 (named 'latin1.txt'); {ACCEPTED}"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
         f"Received a PNG image (named 'image.png'); {ACCEPTED}"),
    ],
    ids=["exe-renamed-pdf", "empty", "binary-junk", "broken-pdf", "not-utf8", "png"],
)  # fmt: skip
def test_anything_else_is_refused_saying_what_was_received(docs, version, media, name, data,
                                                           message):  # fmt: skip
    """A refused file leaves no row and no file, and the message says what came and what
    is accepted."""
    with pytest.raises(ValidationError) as refused:
        docs.text(version, "en", name=name, data=data)
    assert refused.value.messages[0].startswith(message)
    assert not DocumentText.objects.exists()
    assert stored_files(media) == []


def test_a_zip_that_is_not_a_text_is_refused(docs, version, tmp_path):
    """A ZIP archive without the parts of a DOCX or ODT is named as such."""
    import zipfile

    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError, match="a ZIP archive that is neither a DOCX nor an ODT"):
        docs.text(version, "en", name="a.docx", data=path.read_bytes())


def test_an_oversize_file_is_refused(docs, version, settings, media):
    """Past DOCUMENT_MAX_UPLOAD_BYTES the file is refused before it is read."""
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        docs.text(version, "en", name="big.txt", data=b"a" * 101)
    assert refused.value.messages == [
        "The file is 101\xa0bytes; the largest accepted is 100\xa0bytes."
    ]
    assert stored_files(media) == []


def test_a_failed_database_write_leaves_no_file_behind(docs, version, media, monkeypatch):
    """If the row cannot be written after the file was stored, the file is deleted too."""

    def fail(instance):
        assert stored_files(media), "the file is stored before the row is written"
        raise DatabaseError("disk full")

    monkeypatch.setattr(services, "validated_save", fail)
    with pytest.raises(DatabaseError):
        docs.text(version, "en")
    assert stored_files(media) == []
    assert not DocumentText.objects.exists()


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"<!DOCTYPE html><p>x</p>", "text/html"),
        (b"\xef\xbb\xbf  <p>Paragraph</p>", "text/html"),
        (b"<!-- comment --><div>x</div>", "text/html"),
        (b"Text that mentions <b> later.", "text/plain"),
        (b"<xml>not html</xml>", "text/plain"),
        ("Русский текст".encode(), "text/plain"),
        (b"nul\x00inside", None),
    ],
)
def test_html_is_sniffed_from_its_first_markup(data, media_type):
    """HTML is told by its opening markup, as browsers do; NUL bytes make text binary."""
    assert uploads.recognise(data) == media_type
