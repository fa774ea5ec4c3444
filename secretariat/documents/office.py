"""The plain text of DOCX and ODT uploads, read as a stream on a budget.

The XML part is unpacked a chunk at a time (`zipparts`) and fed to lxml with a target
that keeps only the paragraphs' text: no tree is built, nothing recurses, and each
element, level of nesting and character of text is spent from the file's `Budget`.
The parser never loads a DTD, expands an entity or reaches the network, and a part that
declares a document type is refused outright (office files never have one).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from lxml import etree

from . import zipparts
from .budget import Budget

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_COUNT = re.compile(r"[0-9]{1,18}")


def hardened_parser(**options) -> etree.XMLParser:
    """An lxml parser for XML nobody vouches for; `options` add to or override these (a
    target, for instance)."""
    return etree.XMLParser(**{**HARDENED, **options})


HARDENED = {
    "resolve_entities": False, "no_network": True, "load_dtd": False,
    "dtd_validation": False, "huge_tree": False, "remove_comments": True,
    "remove_pis": True, "collect_ids": False,
}  # fmt: skip


def part_text(data: bytes, part: str, target_class: type[_Paragraphs], budget: Budget) -> str:
    """The text the target collects from the archive's `part`."""
    archive = zipparts.open_archive(data)
    target = target_class(part, budget)
    return stream(zipparts.part_chunks(data, archive, part, budget), target, part)


def stream(chunks: Iterable[bytes], target: _Paragraphs, part: str) -> str:
    parser = hardened_parser(target=target)
    try:
        for chunk in chunks:
            parser.feed(chunk)
        return parser.close()
    except etree.XMLSyntaxError as exc:
        raise ValidationError(
            _("The file's part %(part)s is not well-formed XML (%(reason)s).")
            % {"part": part, "reason": exc.msg or exc},
            code="malformed_xml",
        ) from None


class _Paragraphs:
    """An lxml parser target that keeps paragraphs, a line each.

    It is called for every element, so the common path is short: elements are spent in
    batches, and only the tags in `starts` and `ends` call a method.
    `open` holds the paragraphs being read, innermost last (a paragraph may hold
    another, in a text box), each with its place among the lines so that they come out
    in document order; None stands for an element whose text is not the paragraph's
    (an ODT note, whose paragraphs are lines of their own).
    """

    starts: dict[str, Callable] = {}
    ends: dict[str, Callable] = {}
    BATCH = 1024

    def __init__(self, part: str, budget: Budget):
        self.part, self.budget = part, budget
        self.depth, self.max_depth, self.batch = 0, budget.depth, 0
        self.open: list[tuple[int, list[str]] | None] = []
        self.paragraphs: list[str] = []

    def doctype(self, name, public_id, system_url) -> None:
        raise ValidationError(
            _("The file's part %(part)s declares a document type (DTD), which documents "
              "never have; it was not read and its entities were not expanded.")
            % {"part": self.part},
            code="doctype",
        )  # fmt: skip

    def start(self, tag: str, attrib) -> None:
        self.depth += 1
        self.batch += 1
        if self.depth > self.max_depth:
            self.budget.check_depth(self.depth, self.part)
        if self.batch == self.BATCH:
            self.budget.spend_nodes(self.batch, self.part)
            self.batch = 0
        action = self.starts.get(tag)
        if action is not None:
            action(self, attrib)

    def end(self, tag: str) -> None:
        self.depth -= 1
        action = self.ends.get(tag)
        if action is not None:
            action(self)

    def data(self, text: str) -> None:
        pass

    def close(self) -> str:
        return "\n".join(self.paragraphs)

    def begin(self, attrib=None) -> None:
        self.open.append((len(self.paragraphs), []))
        self.paragraphs.append("")

    def skip(self, attrib=None) -> None:
        self.open.append(None)

    def finish(self) -> None:
        paragraph = self.open.pop()
        if paragraph is not None:
            self.paragraphs[paragraph[0]] = "".join(paragraph[1])

    def add(self, text: str) -> None:
        if self.open and self.open[-1] is not None:
            self.budget.spend_text(len(text))
            self.open[-1][1].append(text)

    def tab(self, attrib) -> None:
        self.add("\t")

    def line_break(self, attrib) -> None:
        self.add("\n")


class DocxParagraphs(_Paragraphs):
    """word/document.xml: the text of w:t runs, tabs and breaks, by w:p paragraph."""

    def __init__(self, part: str, budget: Budget):
        super().__init__(part, budget)
        self.in_text = 0

    def enter_text(self, attrib) -> None:
        self.in_text += 1

    def leave_text(self) -> None:
        self.in_text -= 1

    def data(self, text):
        if self.in_text:
            self.add(text)

    starts = {f"{W}p": _Paragraphs.begin, f"{W}t": enter_text, f"{W}tab": _Paragraphs.tab,
              f"{W}br": _Paragraphs.line_break, f"{W}cr": _Paragraphs.line_break}  # fmt: skip
    ends = {f"{W}p": _Paragraphs.finish, f"{W}t": leave_text}


class OdtParagraphs(_Paragraphs):
    """content.xml: the text of text:p and text:h, spaces (text:s, counted by text:c),
    tabs and line breaks kept; a note's paragraphs are lines of their own."""

    def data(self, text):
        self.add(text)

    def space(self, attrib) -> None:
        self.add(" " * self.spaces(attrib.get(f"{T}c", "1")))

    def spaces(self, value: str) -> int:
        """The count a text:s asks for: a whole number, within what the text may hold."""
        if not _COUNT.fullmatch(value.strip()):
            raise ValidationError(
                _("The file's part %(part)s gives '%(value)s' as a number of spaces "
                  "(text:c), which is not a whole number.")
                % {"part": self.part, "value": value[:40]},
                code="bad_count",
            )  # fmt: skip
        count = int(value)
        if count > self.budget.text:
            shown = number_format(count, force_grouping=True)
            raise ValidationError(
                _("The file's part %(part)s asks for %(count)s spaces in a row (text:c), "
                  "more than a file of %(file)s may hold.")
                % {"part": self.part, "count": shown, "file": self.budget.file_size},
                code="too_much_text",
            )  # fmt: skip
        return count

    starts = {f"{T}p": _Paragraphs.begin, f"{T}h": _Paragraphs.begin, f"{T}note": _Paragraphs.skip,
              f"{T}s": space, f"{T}tab": _Paragraphs.tab,
              f"{T}line-break": _Paragraphs.line_break}  # fmt: skip
    ends = {f"{T}p": _Paragraphs.finish, f"{T}h": _Paragraphs.finish,
            f"{T}note": _Paragraphs.finish}  # fmt: skip
