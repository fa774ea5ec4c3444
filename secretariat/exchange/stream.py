"""Reading a large JSON file as a stream (ijson): the top level's entries one at a time, so
that an importer checks, and may refuse, the first item before the rest is read, and
holds no more than what it keeps.

The refusals are those of safe.read_json, each saying where: a file over the size
limit (before a byte is parsed), bytes that are not UTF-8, nesting deeper than the
limit, malformed JSON, NaN or Infinity.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from . import safe
from .safe import MAX_DEPTH, ImportRefused

CHUNK = 256 * 1024
# What the top level is made of, as it is read:
LIST = "list"  # (LIST, key, None): the value of `key` is a list; its items follow
ITEM = "item"  # (ITEM, (key, index), item): one item of that list, whole
VALUE = "value"  # (VALUE, key, value): any other value of the top-level object, whole
DOCUMENT = "document"  # (DOCUMENT, None, value): the whole document, when not an object
_OPEN = {"start_map", "start_array"}
_CLOSE = {"end_map", "end_array"}
_CONSTANT = re.compile(r"-?(NaN|Infinity)")


class Counted:
    """A binary file read for ijson, checked as UTF-8 on the way and counted, so that a
    refusal can say near which byte and line it stopped."""

    def __init__(self, handle: BinaryIO, name: str):
        self.handle, self.name = handle, name
        self.offset, self.line = 0, 1
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._first = True

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""  # ijson asks for nothing first, to learn that bytes come
        data = self.handle.read(size if size > 0 else CHUNK)
        if self._first and data:
            self._first = False
            if data.startswith(codecs.BOM_UTF8):
                data, self.offset = data[3:], 3
        try:
            self._utf8.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                f"{self.name}: byte {self.offset + exc.start}", "not UTF-8 text"
            ) from None
        self.offset += len(data)
        self.line += data.count(b"\n")
        return data

    @property
    def place(self) -> str:
        return f"{self.name}:{self.line}"


def open_checked(path: Path, *, name: str = "", max_bytes: int | None = None) -> BinaryIO:
    """The file opened for reading, refused unread if it is over `max_bytes`."""
    name = name or path.name
    limit = safe.MAX_BYTES if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            raise ImportRefused(name, f"{size} bytes, more than the {limit} allowed")
        return path.open("rb")
    except OSError as exc:
        raise ImportRefused(name, f"cannot read: {exc.strerror}") from None


def top_level(
    path: Path, *, name: str = "", max_bytes: int | None = None, max_depth: int = MAX_DEPTH
) -> Iterator[tuple[str, Any, Any]]:
    """The document at `path`, read as a stream: (LIST, key, None) then (ITEM, (key, i),
    item) for each item of a list at the top level, (VALUE, key, value) for any other
    value there; a document that is not an object comes whole, as (DOCUMENT, None, value).
    """
    name = name or path.name
    with open_checked(path, name=name, max_bytes=max_bytes) as handle:
        reader = Counted(handle, name)
        events = ijson.basic_parse(reader, use_float=True, buf_size=CHUNK)
        try:
            yield from _entries(events, max_depth, reader)
        except ijson.JSONError as exc:
            raise ImportRefused(reader.place, _malformed(str(exc))) from None


def _entries(events, max_depth: int, reader: Counted) -> Iterator[tuple[str, Any, Any]]:
    event, value = next(events, (None, None))
    if event is None:
        raise ImportRefused(reader.place, "empty: nothing to import")
    if event != "start_map":
        yield DOCUMENT, None, build(events, event, value, 0, max_depth, reader)
        _end(events, reader)
        return
    for event, key in events:
        if event == "end_map":
            break
        event, value = next(events)
        if event != "start_array":
            yield VALUE, key, build(events, event, value, 1, max_depth, reader)
            continue
        yield LIST, key, None
        for index, (event, value) in enumerate(events):
            if event == "end_array":
                break
            yield ITEM, (key, index), build(events, event, value, 2, max_depth, reader)
    _end(events, reader)


def _end(events, reader: Counted) -> None:
    for _ in events:  # only whitespace may follow; the parser refuses anything else
        raise ImportRefused(reader.place, "malformed JSON: more after the document")


def build(events, event: str, value: Any, depth: int, max_depth: int, reader: Counted) -> Any:
    """One value, whole, from its first event (depth: of its container)."""
    if event not in _OPEN:
        return value
    root: Any = {} if event == "start_map" else []
    stack: list[tuple[Any, Any]] = []  # (container, its key in the container above)
    container, key = root, None
    if depth + 1 > max_depth:
        raise ImportRefused(reader.place, f"nested deeper than {max_depth} levels")
    for event, value in events:
        if event == "map_key":
            key = value
        elif event in _OPEN:
            new = {} if event == "start_map" else []
            if type(container) is dict:
                container[key] = new
            else:
                container.append(new)
            stack.append((container, key))
            container, key = new, None
            if depth + 1 + len(stack) > max_depth:
                raise ImportRefused(reader.place, f"nested deeper than {max_depth} levels")
        elif event in _CLOSE:
            if not stack:
                return root
            container, key = stack.pop()
        elif type(container) is dict:
            container[key] = value
        else:
            container.append(value)
    raise ImportRefused(reader.place, "malformed JSON: the file ends inside a value")


def _malformed(message: str) -> str:
    """ijson's (yajl's) message, shortened; NaN and Infinity named as json.loads does."""
    lines = message.strip().splitlines()
    if len(lines) >= 3 and "^" in lines[-1] and "invalid char" in lines[0]:
        context, caret = lines[-2], lines[-1].index("^")  # yajl points just before it
        found = _CONSTANT.search(context[max(0, caret - 3) : caret + 12])
        if found:
            return f"{found.group(0)} is not a JSON number"
    return f"malformed JSON: {lines[0] if lines else message}"


# The rows of a Secretariat dump ({"header": ..., "tables": [{"model": ..., "rows": [...]}]}),
# one at a time, however large its tables:
HEADER = "header"  # (HEADER, None, header)
TABLE = "table"  # (TABLE, i, model): table i names its model; its rows follow
ROW = "row"  # (ROW, (i, j), row)
END = "end"  # (END, i, rows): the end of table i, and how many rows it had
OTHER = "other"  # (OTHER, where, value): anything else, whole, for the reader to refuse


def dump_rows(
    path: Path, *, name: str = "", max_bytes: int | None = None, max_depth: int = MAX_DEPTH
) -> Iterator[tuple[str, Any, Any]]:
    """A dump at `path`, read as a stream of its header and rows (see above). What is not
    in the shape of a dump comes whole, as OTHER, with its place: (key,) at the top
    level, ("tables", i) for a table that is not an object, ("tables", i, key) in one."""
    name = name or path.name
    with open_checked(path, name=name, max_bytes=max_bytes) as handle:
        reader = Counted(handle, name)
        events = ijson.basic_parse(reader, use_float=True, buf_size=CHUNK)
        try:
            yield from _dump(events, max_depth, reader)
        except ijson.JSONError as exc:
            raise ImportRefused(reader.place, _malformed(str(exc))) from None


def _dump(events, max_depth: int, reader: Counted) -> Iterator[tuple[str, Any, Any]]:
    event, value = next(events, (None, None))
    if event is None:
        raise ImportRefused(reader.place, "empty: nothing to import")
    if event != "start_map":
        yield OTHER, (), build(events, event, value, 0, max_depth, reader)
        _end(events, reader)
        return
    for event, key in events:
        if event == "end_map":
            break
        event, value = next(events)
        if key == "header":
            yield HEADER, None, build(events, event, value, 1, max_depth, reader)
        elif key == "tables" and event == "start_array":
            yield from _tables(events, max_depth, reader)
        else:
            yield OTHER, (key,), build(events, event, value, 1, max_depth, reader)
    _end(events, reader)


def _tables(events, max_depth: int, reader: Counted) -> Iterator[tuple[str, Any, Any]]:
    for i, (event, value) in enumerate(events):
        if event == "end_array":
            return
        if event != "start_map":
            yield OTHER, ("tables", i), build(events, event, value, 2, max_depth, reader)
            continue
        for event, key in events:
            if event == "end_map":
                break
            event, value = next(events)
            if key == "model":
                yield TABLE, i, build(events, event, value, 3, max_depth, reader)
            elif key == "rows" and event == "start_array":
                j = 0
                for event, value in events:
                    if event == "end_array":
                        break
                    yield ROW, (i, j), build(events, event, value, 4, max_depth, reader)
                    j += 1
                yield END, i, j
            else:
                yield OTHER, ("tables", i, key), build(events, event, value, 3, max_depth, reader)
