"""Hostile uploads, made on the spot (never kept as fixtures): bombs and forged archives.

Each maker returns the file's bytes; the large ones are packed as a stream, so that the
test's own memory stays small while the file says it holds gigabytes.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from functools import cache

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'
DOCX_TAIL = "</w:body></w:document>"
ODT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
)
ODT_TAIL = "</office:text></office:body></office:document-content>"
PARAGRAPH = "<w:p><w:r><w:t>Declaration on confidence-building measures.</w:t></w:r></w:p>"


def docx(document_xml: str | bytes) -> bytes:
    """A DOCX whose word/document.xml is the given XML."""
    return _zip([("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", document_xml)])


def odt(content_xml: str | bytes) -> bytes:
    """An ODT whose content.xml is the given XML (its mimetype first, stored)."""
    return _zip([("mimetype", ODT_MIMETYPE), ("content.xml", content_xml)])


def _zip(parts) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, content in parts:
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=method)
    return stream.getvalue()


def forged(data: bytes, part: str, **fields: int) -> bytes:
    """The archive with the part's headers, local and central, saying something else:
    flag_bits, compress_type, crc or file_size."""
    local = {"flag_bits": 6, "compress_type": 8, "crc": 14, "file_size": 22}
    central = {"flag_bits": 8, "compress_type": 10, "crc": 16, "file_size": 24}
    out = bytearray(data)
    end = out.rindex(b"PK\x05\x06")
    at = struct.unpack_from("<L", out, end + 16)[0]  # the central directory's offset
    while True:  # to the part's entry in the central directory
        name_len, extra_len, comment_len = struct.unpack_from("<3H", out, at + 28)
        if out[at + 46 : at + 46 + name_len] == part.encode():
            break
        at += 46 + name_len + extra_len + comment_len
    header = struct.unpack_from("<L", out, at + 42)[0]
    for name, value in fields.items():
        form = "<L" if name in ("crc", "file_size") else "<H"
        struct.pack_into(form, out, header + local[name], value)
        struct.pack_into(form, out, at + central[name], value)
    return bytes(out)


def crc_of(data: bytes, part: str) -> int:
    return zipfile.ZipFile(io.BytesIO(data)).getinfo(part).CRC


# --- The hostile files -----------------------------------------------------------------


def billion_spaces_odt() -> bytes:
    """389 bytes that ask for a billion spaces."""
    return odt(ODT_HEAD + '<text:p>a<text:s text:c="1000000000"/>b</text:p>' + ODT_TAIL)


def spaces_abc_odt() -> bytes:
    return odt(ODT_HEAD + '<text:p>a<text:s text:c="abc"/>b</text:p>' + ODT_TAIL)


def deep_odt(levels: int = 5000) -> bytes:
    """A paragraph in 5,000 nested spans."""
    spans = "<text:span>" * levels + "deep" + "</text:span>" * levels
    return odt(ODT_HEAD + f"<text:p>{spans}</text:p>" + ODT_TAIL)


# Nine entities, each ten of the one before: &lol9; is a billion 'lol's.
ENTITIES = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
)


def billion_laughs_docx() -> bytes:
    return docx(
        f'<?xml version="1.0"?><!DOCTYPE w:document [{ENTITIES}]>'
        + DOCX_HEAD.split("?>")[1]
        + "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
        + DOCX_TAIL
    )


def billion_laughs_odt() -> bytes:
    return odt(
        f'<?xml version="1.0"?><!DOCTYPE office:document-content [{ENTITIES}]>'
        + ODT_HEAD.split("?>")[1]
        + "<text:p>&lol9;</text:p>"
        + ODT_TAIL
    )


@cache
def xml_bomb_docx(megabytes: int = 60) -> bytes:
    """A small DOCX (about 175 KB) whose word/document.xml holds 60 MB of paragraphs."""
    stream = io.BytesIO()
    block = (PARAGRAPH * (1024 * 1024 // len(PARAGRAPH))).encode()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=False) as part:
            part.write(DOCX_HEAD.encode())
            for _ in range(megabytes):
                part.write(block)
            part.write(DOCX_TAIL.encode())
    return stream.getvalue()


def element_flood_docx() -> bytes:
    """A part of a megabyte (too small to be judged by its packing) of 261,000 elements."""
    return docx(DOCX_HEAD + "<w:p>" + "<r/>" * 261_000 + "</w:p>" + DOCX_TAIL)


def false_size_docx() -> bytes:
    """The XML bomb's part claiming to hold 1,000 bytes."""
    return forged(xml_bomb_docx(), "word/document.xml", file_size=1000)


def short_size_docx() -> bytes:
    """A part claiming more than it holds."""
    data = docx(DOCX_HEAD + PARAGRAPH + DOCX_TAIL)
    size = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size
    return forged(data, "word/document.xml", file_size=size + 10)


def bad_crc_docx() -> bytes:
    data = docx(DOCX_HEAD + PARAGRAPH + DOCX_TAIL)
    return forged(data, "word/document.xml", crc=crc_of(data, "word/document.xml") ^ 1)


def encrypted_docx() -> bytes:
    return forged(docx(DOCX_HEAD + PARAGRAPH + DOCX_TAIL), "word/document.xml", flag_bits=1)


def method_99_docx() -> bytes:
    """Compression method 99 (WinZip AES)."""
    return forged(docx(DOCX_HEAD + PARAGRAPH + DOCX_TAIL), "word/document.xml", compress_type=99)


@cache
def _zeros_deflated(gigabytes: int) -> tuple[bytes, int]:
    """Raw deflate of that many gigabytes of zeros, and their CRC-32, made in a second: a
    megabyte of zeros is packed once, flushed to a byte boundary and repeated."""
    megabyte = bytes(1024 * 1024)
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(megabyte) + packer.flush(zlib.Z_FULL_FLUSH)
    ending = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    crc = 0
    for _ in range(1024 * gigabytes):
        crc = zlib.crc32(megabyte, crc)
    return block * (1024 * gigabytes) + ending, crc


def zip_bomb_docx(gigabytes: int = 1) -> bytes:
    """A DOCX of about a megabyte whose word/document.xml unpacks to a gigabyte of zeros;
    its headers tell the truth."""
    packed, crc = _zeros_deflated(gigabytes)
    data = _zip([("[Content_Types].xml", CONTENT_TYPES)])
    stream = io.BytesIO(data)
    with zipfile.ZipFile(stream, "a") as archive:
        archive.writestr(zipfile.ZipInfo("word/document.xml"), packed)  # stored, as bytes
    return forged(
        stream.getvalue(), "word/document.xml",
        compress_type=zipfile.ZIP_DEFLATED, crc=crc, file_size=1024**3 * gigabytes,
    )  # fmt: skip


def padded_zip_bomb_docx() -> bytes:
    """A 32 MB part of zeros packed in 32 KB, beside 2 MB of images (stored), so that
    the file is large enough to unpack to 32 MB but the part packs a thousand times."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    zeros = bytes(32 * 1024 * 1024)
    packed = packer.compress(zeros) + packer.flush()
    stream = io.BytesIO(_zip([("[Content_Types].xml", CONTENT_TYPES)]))
    with zipfile.ZipFile(stream, "a") as archive:
        archive.writestr(zipfile.ZipInfo("word/media/image1.png"), bytes(range(256)) * 8192)
        archive.writestr(zipfile.ZipInfo("word/document.xml"), packed)
    return forged(
        stream.getvalue(), "word/document.xml",
        compress_type=zipfile.ZIP_DEFLATED, crc=zlib.crc32(zeros), file_size=len(zeros),
    )  # fmt: skip


def many_parts_odt(count: int = 20_000) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("mimetype", ODT_MIMETYPE)
        for i in range(count):
            archive.writestr(f"p{i}", b"")
    return stream.getvalue()


def undeclared_parts_odt() -> bytes:
    """The many parts, its end record declaring one: zipfile would read them all."""
    data = bytearray(many_parts_odt())
    end = data.rindex(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 1, 1)
    return bytes(data)


def truncated_docx() -> bytes:
    return docx(DOCX_HEAD + PARAGRAPH + DOCX_TAIL)[:-30]


def malformed_docx() -> bytes:
    return docx(DOCX_HEAD + "<w:p><w:r><w:t>unclosed</w:r></w:p>" + DOCX_TAIL)


def undefined_entity_odt() -> bytes:
    return odt(ODT_HEAD + "<text:p>&unknown;</text:p>" + ODT_TAIL)


def pdf(content: bytes) -> bytes:
    """A one-page PDF whose drawing instructions are `content`, deflated."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    stream = StreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode(level=9))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_flate_bomb() -> bytes:
    """70 MB of zeros as one page's content, in about 70 KB."""
    return pdf(bytes(70_000_000))


def pdf_operand_flood() -> bytes:
    """16 MB of numbers with no operator, in 16 KB: pypdf would keep every one."""
    return pdf(b"1 " * 8_000_000)


# name: (maker, what the refusal says)
HOSTILE = {
    "billion-spaces-odt": (billion_spaces_odt, "asks for 1,000,000,000 spaces in a row"),
    "text-c-abc-odt": (spaces_abc_odt, "gives 'abc' as a number of spaces (text:c)"),
    "deep-odt": (deep_odt, "nests XML elements deeper than 128 levels"),
    "xml-bomb-docx": (xml_bomb_docx, "word/document.xml would unpack to 60.0\xa0MB"),
    "element-flood-docx": (element_flood_docx, "has more XML elements than a file of"),
    "billion-laughs-docx": (billion_laughs_docx, "declares a document type (DTD)"),
    "billion-laughs-odt": (billion_laughs_odt, "declares a document type (DTD)"),
    "zip-bomb-docx": (zip_bomb_docx, "word/document.xml would unpack to 1.0\xa0GB"),
    "padded-zip-bomb-docx": (padded_zip_bomb_docx, "refused as a zip bomb"),
    "false-size-docx": (false_size_docx, "unpacks to more than the 1000\xa0bytes it declares"),
    "short-size-docx": (short_size_docx, "not the"),
    "bad-crc-docx": (bad_crc_docx, "does not match its checksum (CRC-32)"),
    "encrypted-docx": (encrypted_docx, "is encrypted; upload the document without a password"),
    "method-99-docx": (method_99_docx, "compression method 99"),
    "many-parts-odt": (many_parts_odt, "The archive lists 20001 parts"),
    "undeclared-parts-odt": (undeclared_parts_odt, "The archive lists 20001 parts"),
    "truncated-docx": (truncated_docx, "The file is a damaged ZIP archive"),
    "malformed-docx": (malformed_docx, "is not well-formed XML"),
    "undefined-entity-odt": (undefined_entity_odt, "is not well-formed XML"),
    "pdf-flate-bomb": (pdf_flate_bomb, "page 1 unpacks to more drawing instructions"),
    "pdf-operand-flood": (pdf_operand_flood, "page 1 unpacks to more drawing instructions"),
}
