"""Reading files nobody vouches for: size and nesting limits before parsing, and one
refusal that says where and why, so an importer can stop at the first error."""

from __future__ import annotations

import json
import re
from itertools import accumulate
from pathlib import Path
from typing import Any

MAX_BYTES = 512 * 1024 * 1024  # a full dump of a large organization stays well under this
MAX_DEPTH = 64  # no format we read nests deeper than a dozen levels


class ImportRefused(Exception):
    """A file refused: `where` is a place a person can find (file:line:column, or a JSON
    pointer such as /memberships/3/organization_id), `why` the reason."""

    def __init__(self, where: str, why: str):
        self.where, self.why = where, why
        super().__init__(f"{where}: {why}")


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) to a place in a document."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "/" + "/".join(escaped)


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _check_depth(text: str, name: str, max_depth: int) -> None:
    """Refuse deep nesting before json.loads recurses into it (strings skipped).

    Strings and everything but brackets are cut out by regular expressions and the
    depth summed in C, so that the scan of a large dump costs a fraction of the
    parse; only a refusal walks the text in Python, to say where.
    """
    # After whole strings are cut, a quote left is a string open to the end of the text.
    structure = _NOT_BRACKET.sub("", _STRING.sub("", text).split('"', 1)[0])
    if not structure or max(accumulate(map(_STEP.__getitem__, structure))) <= max_depth:
        return
    _locate_depth(text, name, max_depth)


def _locate_depth(text: str, name: str, max_depth: int) -> None:
    depth, in_string, escaped, line, col = 0, False, False, 1, 0
    for ch in text:
        col += 1
        if ch == "\n":
            line, col = line + 1, 0
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > max_depth:
                raise ImportRefused(
                    f"{name}:{line}:{col}", f"nested deeper than {max_depth} levels"
                )
        elif ch in "]}":
            depth -= 1


def read_json(
    source: Path | bytes, *, name: str = "", max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH
) -> Any:
    """Parse JSON from a file or bytes, refusing what is too big, too deep, not UTF-8 or
    malformed, with the place of the first error."""
    if isinstance(source, Path):
        name = name or source.name
        try:
            size = source.stat().st_size
        except OSError as exc:
            raise ImportRefused(name or str(source), f"cannot read: {exc.strerror}") from None
        if size > max_bytes:
            raise ImportRefused(name, f"{size} bytes, more than the {max_bytes} allowed")
        raw = source.read_bytes()
    else:
        name = name or "input"
        if len(source) > max_bytes:
            raise ImportRefused(name, f"{len(source)} bytes, more than the {max_bytes} allowed")
        raw = source
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{name}: byte {exc.start}", "not UTF-8 text") from None
    _check_depth(text, name, max_depth)
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            f"{name}:{exc.lineno}:{exc.colno}", f"malformed JSON: {exc.msg}"
        ) from None
    except ValueError as exc:  # NaN / Infinity, refused by _no_constant
        raise ImportRefused(name, str(exc)) from None


def _no_constant(token: str):
    raise ValueError(f"{token} is not a JSON number")
