"""The parts of an uploaded ZIP archive (DOCX, ODT), read in chunks on a budget.

`zipfile` reads the central directory (once its size is known to be sane); each part is
then unpacked here rather than by `ZipFile.open`, so that every promise of its header is
checked before or while it is read: not encrypted, stored or deflated, a size within
the budget and a believable compression ratio, exactly the size it declares (reading
stops at the first byte past it) and its CRC-32. A part that breaks one is refused with
a message that names it and the problem.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .budget import Budget

CHUNK = 64 * 1024
# A document has a few hundred parts at most (one per image, style, font...).
MAX_PARTS = 5_000
# Its directory: about a hundred bytes an entry (zipfile reads it all, whatever the count
# the end record declares).
MAX_DIRECTORY = 2 * 1024 * 1024
# Deflate packs real XML 5 to 30 times; a part packed far tighter is a bomb. Small parts
# are exempt: a few kilobytes of repeated spaces may pack that well.
MAX_RATIO, RATIO_FROM = 100, 1024 * 1024

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # local file header, as zipfile reads it
_ENCRYPTED = 0x1


def _refused(message: str, code: str, **values) -> ValidationError:
    return ValidationError(message % values, code=code)


def open_archive(data: bytes) -> zipfile.ZipFile:
    """The archive's directory, refused if it lists more parts than a document has or
    cannot be read."""
    count, size = _directory_size(data)
    if count > MAX_PARTS or size > MAX_DIRECTORY:
        raise _too_many_parts(count)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _refused(
            _("The file is a damaged ZIP archive (%(reason)s)."), "damaged_archive", reason=exc
        ) from None
    if len(archive.infolist()) > MAX_PARTS:  # more than its end record declared
        raise _too_many_parts(len(archive.infolist()))
    return archive


def _too_many_parts(count: int) -> ValidationError:
    return _refused(
        _("The archive lists %(count)s parts; a document has at most %(max)s."),
        "too_many_parts", count=count, max=MAX_PARTS,
    )  # fmt: skip


def _directory_size(data: bytes) -> tuple[int, int]:
    """The parts the archive's end record declares and the bytes of its directory, read
    before zipfile makes an object for each entry ((0, 0) without an end record: zipfile
    will say why)."""
    start = data.rfind(b"PK\x05\x06", max(0, len(data) - _EOCD.size - 0xFFFF))
    if start < 0 or start + _EOCD.size > len(data):
        return 0, 0
    record = _EOCD.unpack_from(data, start)
    count, size = record[4], record[5]
    locator = start - _ZIP64_LOCATOR.size
    if locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        offset = _ZIP64_LOCATOR.unpack_from(data, locator)[2]
        if offset + _ZIP64_EOCD.size <= len(data) and data[offset : offset + 4] == b"PK\x06\x06":
            record = _ZIP64_EOCD.unpack_from(data, offset)
            count, size = max(count, record[7]), max(size, record[8])
    return count, size


def read_part(data: bytes, archive: zipfile.ZipFile, part: str, budget: Budget) -> bytes:
    """A small part whole (e.g. ODT's mimetype), on the same budget."""
    return b"".join(part_chunks(data, archive, part, budget))


def part_chunks(
    data: bytes, archive: zipfile.ZipFile, part: str, budget: Budget
) -> Iterator[bytes]:
    """The part's bytes, unpacked a chunk at a time; refused at the first broken promise."""
    try:
        info = archive.getinfo(part)
    except KeyError:
        raise _refused(_("The file has no part %(part)s."), "missing_part", part=part) from None
    start = _check_header(data, info, part, budget)
    raw = memoryview(data)[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        pieces = (bytes(raw[i : i + CHUNK]) for i in range(0, len(raw), CHUNK))
    else:
        pieces = _inflate(raw, part)
    size, crc = 0, 0
    for piece in pieces:
        size += len(piece)
        if size > info.file_size:
            raise _refused(
                _("The file's part %(part)s unpacks to more than the %(size)s it declares: "
                  "the archive is damaged or forged."),
                "false_size", part=part, size=filesizeformat(info.file_size),
            )  # fmt: skip
        budget.spend_unpacked(len(piece), part)
        budget.check_time()
        crc = zlib.crc32(piece, crc)
        yield piece
    if size != info.file_size:
        raise _refused(
            _("The file's part %(part)s holds %(real)s, not the %(size)s it declares: "
              "the archive is damaged or forged."),
            "false_size", part=part, real=filesizeformat(size),
            size=filesizeformat(info.file_size),
        )  # fmt: skip
    if crc != info.CRC:
        raise _refused(
            _("The file's part %(part)s does not match its checksum (CRC-32): the archive "
              "is damaged."),
            "bad_crc", part=part,
        )  # fmt: skip


def _check_header(data: bytes, info: zipfile.ZipInfo, part: str, budget: Budget) -> int:
    """Where the part's packed bytes start, once its headers were found sound."""
    if info.header_offset + _LOCAL.size > len(data):
        raise _cut_short(part)
    local = _LOCAL.unpack_from(data, info.header_offset)
    if local[0] != b"PK\x03\x04":
        raise _refused(
            _("The file is a damaged ZIP archive (the part %(part)s is not where its "
              "directory says)."),
            "damaged_archive", part=part,
        )  # fmt: skip
    if (info.flag_bits | local[3]) & _ENCRYPTED:
        raise _refused(
            _("The file's part %(part)s is encrypted; upload the document without a password."),
            "encrypted", part=part,
        )  # fmt: skip
    for method in (info.compress_type, local[4]):
        if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refused(
                _("The file's part %(part)s is packed with compression method %(method)s; "
                  "only stored and deflated parts (methods 0 and 8) are read."),
                "compression_method", part=part, method=method,
            )  # fmt: skip
    if info.file_size > budget.unpacked:
        raise _refused(
            _("The file's part %(part)s would unpack to %(size)s, more than a file of "
              "%(file)s may hold."),
            "too_much_data", part=part, size=filesizeformat(info.file_size),
            file=budget.file_size,
        )  # fmt: skip
    if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
        raise _refused(
            _("The file's part %(part)s is packed %(ratio)s times tighter than its content, "
              "more than any document is (%(max)s): refused as a zip bomb."),
            "zip_bomb", part=part, ratio=info.file_size // max(info.compress_size, 1),
            max=MAX_RATIO,
        )  # fmt: skip
    start = info.header_offset + _LOCAL.size + local[10] + local[11]
    if start + info.compress_size > len(data):
        raise _cut_short(part)
    return start


def _inflate(raw: memoryview, part: str) -> Iterator[bytes]:
    """Raw deflate, never more than a chunk out at a time whatever a chunk in holds."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for i in range(0, len(raw), CHUNK):
            pending = bytes(raw[i : i + CHUNK])
            while not inflater.eof:
                out = inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail
                if out:
                    yield out  # and again, for output zlib may still hold
                elif not pending:
                    break
            if inflater.eof:
                break
    except zlib.error as exc:
        raise _refused(
            _("The file's part %(part)s cannot be unpacked (%(reason)s): the archive is "
              "damaged."),
            "damaged_part", part=part, reason=exc,
        ) from None  # fmt: skip
    if not inflater.eof:
        raise _cut_short(part)


def _cut_short(part: str) -> ValidationError:
    return _refused(
        _("The file's part %(part)s is cut short: the archive is damaged or incomplete."),
        "cut_short", part=part,
    )  # fmt: skip
