"""What reading one uploaded file may cost: bytes unpacked, XML elements, nesting, text
and time, each proportional to the file's size and capped.

An upload of a few hundred bytes that asks for a billion spaces, or a small archive
that unpacks to gigabytes, is refused as soon as it spends past its budget, with a
ValidationError that says what it asked for; nothing is read past that point.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def _scaled(size: int, *, per_byte: float, floor: int, cap: int) -> int:
    """`per_byte` times the size, never less than `floor` nor more than `cap`."""
    return int(min(cap, max(floor, per_byte * size)))


# Bytes an archive may unpack to, all parts read together. A real DOCX or ODT unpacks its
# text to a few times its size (images, most of a large file, are never unpacked).
UNPACK_PER_BYTE, UNPACK_FLOOR, UNPACK_CAP = 50, 8 * 1024 * 1024, 64 * 1024 * 1024
# XML elements: a real document spends tens of unpacked bytes on each.
NODES_PER_BYTE, NODES_FLOOR, NODES_CAP = 4, 250_000, 2_000_000
# Characters of plain text kept (repeated spaces and tabs count as what they ask for).
TEXT_PER_BYTE, TEXT_FLOOR, TEXT_CAP = 20, 1_000_000, 16_000_000
# Seconds: enough for the largest accepted file, never a worker's whole timeout.
SECONDS_PER_MB, SECONDS_FLOOR, SECONDS_CAP = 2, 10, 40
# Nesting of XML elements: documents nest tables and lists a few dozen levels at most
# (and libxml2 itself stops at 256).
MAX_DEPTH = 128


@dataclass
class Budget:
    """What is left to spend on one file; each `spend_*` refuses the file once it is over."""

    size: int
    unpacked: int
    nodes: int
    text: int
    seconds: int
    depth: int = MAX_DEPTH
    deadline: float = field(default=0.0)

    @classmethod
    def for_size(cls, size: int) -> Budget:
        seconds = _scaled(
            size / (1024 * 1024), per_byte=SECONDS_PER_MB, floor=SECONDS_FLOOR, cap=SECONDS_CAP
        )
        return cls(
            size=size,
            unpacked=_scaled(size, per_byte=UNPACK_PER_BYTE, floor=UNPACK_FLOOR, cap=UNPACK_CAP),
            nodes=_scaled(size, per_byte=NODES_PER_BYTE, floor=NODES_FLOOR, cap=NODES_CAP),
            text=_scaled(size, per_byte=TEXT_PER_BYTE, floor=TEXT_FLOOR, cap=TEXT_CAP),
            seconds=seconds,
            deadline=time.monotonic() + seconds,
        )

    @property
    def file_size(self) -> str:
        return filesizeformat(self.size)

    def spend_unpacked(self, n: int, part: str) -> None:
        self.unpacked -= n
        if self.unpacked < 0:
            raise ValidationError(
                _("The file's part %(part)s unpacks to more than a file of %(file)s may hold.")
                % {"part": part, "file": self.file_size},
                code="too_much_data",
            )

    def spend_nodes(self, n: int, part: str | None) -> None:
        """Spent in batches (a parser target counts them), the time checked each time;
        `part` is the archive's part, None for an HTML page."""
        self.nodes -= n
        if self.nodes < 0:
            if part is None:
                message = _("The page has more HTML elements than a file of %(file)s may hold.")
            else:
                message = _("The file's part %(part)s has more XML elements than a file of "
                            "%(file)s may hold.")  # fmt: skip
            raise ValidationError(
                message % {"part": part, "file": self.file_size}, code="too_many_elements"
            )
        self.check_time()

    def spend_text(self, n: int) -> None:
        self.text -= n
        if self.text < 0:
            raise self.over_text()

    def over_text(self) -> ValidationError:
        return ValidationError(
            _("The file's text is longer than a file of %(file)s may hold.")
            % {"file": self.file_size},
            code="too_much_text",
        )

    def check_depth(self, depth: int, part: str) -> None:
        if depth > self.depth:
            raise ValidationError(
                _("The file's part %(part)s nests XML elements deeper than %(max)s levels.")
                % {"part": part, "max": self.depth},
                code="too_deep",
            )

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise self.over_time()

    def over_time(self) -> ValidationError:
        return ValidationError(
            _("Reading the file took longer than the %(seconds)s seconds a file of "
              "%(file)s may take.")
            % {"seconds": self.seconds, "file": self.file_size},
            code="too_slow",
        )  # fmt: skip
