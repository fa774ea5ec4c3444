"""The visible text of an uploaded HTML page, read as a stream on a budget.

libxml2's HTML parser (through lxml) reads the page in linear time whatever its markup
(the standard library's html.parser takes minutes on a couple of megabytes of `<!`), and
a target keeps only the text: no tree is built, and each element and character is spent
from the file's `Budget`. Nesting is not limited: browsers read pages of unclosed tags,
the target keeps no stack, and libxml2 stops at its own depth.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

from .budget import Budget

CHUNK = 256 * 1024
SKIP = frozenset({"script", "style", "template", "noscript"})
BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "title",
                    "section", "article", "table", "ul", "ol", "blockquote", "pre"})  # fmt: skip


class _Text:
    """An lxml parser target that keeps the text outside scripts and styles, a line per
    block."""

    BATCH = 1024

    def __init__(self, budget: Budget):
        self.budget = budget
        self.parts: list[str] = []
        self.skipping = self.batch = 0

    def start(self, tag, attrib) -> None:
        self.batch += 1
        if self.batch == self.BATCH:
            self.budget.spend_nodes(self.batch, None)
            self.batch = 0
        if tag in SKIP:
            self.skipping += 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def end(self, tag) -> None:
        if tag in SKIP and self.skipping:
            self.skipping -= 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def data(self, text: str) -> None:
        if not self.skipping:
            self.budget.spend_text(len(text))
            self.parts.append(text)

    def close(self) -> str:
        return "".join(self.parts)


def html_text(data: bytes, budget: Budget) -> str:
    """The page's text (its bytes are UTF-8, a byte order mark allowed)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    parser = etree.HTMLParser(
        target=_Text(budget), encoding="utf-8", no_network=True, remove_comments=True,
        remove_pis=True, huge_tree=False, recover=True, default_doctype=False,
    )  # fmt: skip
    try:
        for start in range(0, len(data), CHUNK):
            parser.feed(data[start : start + CHUNK])
            budget.check_time()
        return parser.close()
    except etree.LxmlError as exc:
        raise ValidationError(
            _("The HTML page cannot be read (%(reason)s).") % {"reason": exc}, code="malformed_html"
        ) from None
