"""What an uploaded text is, told from its bytes (never its name), and its plain text.

Accepted: PDF, DOCX, ODT, HTML and plain UTF-8 text. Anything else is refused
with a ValidationError that says what was received and what is accepted, in the
language of the request (an officer reads it on the form).
`inspect()` is pure: it reads bytes and returns a verdict, it writes nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import htmltext, office, pdftext, zipparts
from .budget import Budget

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
HTML = "text/html"
TXT = "text/plain"

EXTENSIONS = {PDF: "pdf", DOCX: "docx", ODT: "odt", HTML: "html", TXT: "txt"}
ACCEPTED = gettext_lazy("PDF, DOCX, ODT, HTML or plain UTF-8 text")

# Magic numbers of common files that are not texts, to say what was received.
_KNOWN = [
    (b"MZ", gettext_lazy("a Windows program")),
    (b"\x7fELF", gettext_lazy("a Linux program")),
    (b"\x89PNG", gettext_lazy("a PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"GIF8", gettext_lazy("a GIF image")),
    (b"Rar!", gettext_lazy("a RAR archive")),
    (b"\x1f\x8b", gettext_lazy("a gzip archive")),
    (b"7z\xbc\xaf", gettext_lazy("a 7-Zip archive")),
    (b"\xd0\xcf\x11\xe0", gettext_lazy("an old Microsoft Office file (.doc/.xls)")),
    (b"PK\x03\x04", gettext_lazy("a ZIP archive that is neither a DOCX nor an ODT text")),
]
# WHATWG MIME sniffing: markup that makes a text HTML, at its first non-blank character.
_HTML_START = re.compile(
    rb"<(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p"
    rb"|!--)[ >]",
    re.IGNORECASE,
)
_MIMETYPE_SIZE = 256  # an ODT's mimetype part names its type and nothing else


@dataclass(frozen=True)
class Inspected:
    """An accepted file: its type, plain text, size and SHA-256."""

    media_type: str
    text: str
    size: int
    sha256: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.media_type]


def read_upload(uploaded_file, *, limit: int | None = None) -> bytes:
    """The file's bytes, refused past the size limit (read no further than the limit)."""
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES if limit is None else limit
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise _too_big(size, limit)
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise _too_big(size or len(data), limit)
    return data


def _too_big(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("The file is %(size)s; the largest accepted is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        code="too_big",
    )


def inspect(data: bytes, *, name: str = "") -> Inspected:
    """Recognise the file from its content and extract its plain text, or refuse it."""
    if not data:
        message = _("The file (named '%(name)s') is empty.") if name else _("The file is empty.")
        raise ValidationError(message % {"name": name}, code="empty")
    media_type = recognise(data)
    if media_type is None:
        if name:
            message = _("Received %(what)s (named '%(name)s'); accepted: %(accepted)s.")
        else:
            message = _("Received %(what)s; accepted: %(accepted)s.")
        raise ValidationError(
            message % {"what": describe(data), "name": name, "accepted": ACCEPTED},
            code="unsupported",
        )
    text = EXTRACTORS[media_type](data, Budget.for_size(len(data)))
    return Inspected(
        media_type=media_type,
        text=text,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def recognise(data: bytes) -> str | None:
    """The media type of an accepted text, from its bytes; None for anything else.

    A ZIP archive whose directory cannot be read safely is refused (ValidationError).
    """
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    text = _utf8(data)
    if text is None:
        return None
    head = text.lstrip("\ufeff \t\r\n\f").encode()[:512]
    return HTML if _HTML_START.match(head) else TXT


def describe(data: bytes) -> str:
    """What a refused file looks like, in words."""
    for magic, words in _KNOWN:
        if data.startswith(magic):
            return words
    if b"\x00" in data[:4096]:
        return _("binary data of an unknown type")
    return _("text that is not valid UTF-8")


def _utf8(data: bytes) -> str | None:
    """The text if the bytes are valid UTF-8 without NUL bytes, else None."""
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _office_type(data: bytes) -> str | None:
    """DOCX or ODT by the parts the archive lists (ODT's mimetype part read, if small);
    a ZIP archive too damaged to list its parts is refused saying so."""
    archive = zipparts.open_archive(data)
    names = set(archive.namelist())
    if {"[Content_Types].xml", "word/document.xml"} <= names:
        return DOCX
    if "mimetype" in names and archive.getinfo("mimetype").file_size <= _MIMETYPE_SIZE:
        budget = Budget.for_size(len(data))
        if zipparts.read_part(data, archive, "mimetype", budget).strip() == ODT.encode():
            return ODT
    return None


# --- Extraction ------------------------------------------------------------------------


def pdf_text(data: bytes, budget: Budget | None = None) -> str:
    return _tidy(pdftext.pdf_text(data, budget or Budget.for_size(len(data)), ACCEPTED))


def docx_text(data: bytes, budget: Budget | None = None) -> str:
    budget = budget or Budget.for_size(len(data))
    return _tidy(office.part_text(data, "word/document.xml", office.DocxParagraphs, budget))


def odt_text(data: bytes, budget: Budget | None = None) -> str:
    budget = budget or Budget.for_size(len(data))
    return _tidy(office.part_text(data, "content.xml", office.OdtParagraphs, budget))


def html_text(data: bytes, budget: Budget | None = None) -> str:
    return _tidy(htmltext.html_text(data, budget or Budget.for_size(len(data))))


def txt_text(data: bytes, budget: Budget | None = None) -> str:
    return _tidy(data.decode("utf-8-sig"))


def _tidy(text: str) -> str:
    """Blanks within lines collapsed, empty lines dropped, ends trimmed."""
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


EXTRACTORS = {PDF: pdf_text, DOCX: docx_text, ODT: odt_text, HTML: html_text, TXT: txt_text}
