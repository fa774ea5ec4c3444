"""YAML reading that remembers line numbers, so errors can say where.

Only plain values are read: text, whole and decimal numbers, `true`/`false`, `null`,
lists and mappings keyed by names. Anything else YAML can say is refused with its line
rather than turned into a Python object the dataset never meant: tags (`!!binary`,
`!!set`, `!!python/...`), anchors and aliases, complex keys (`? [a, b]`), `.nan` and
`.inf`. Dates are never read as dates here: an unquoted `2021-02-30` stays the text
written, marked as UnquotedDate so that the schema (schema/values.py) asks for quotes with the
field and the line, instead of the parser crashing on a day that does not exist.
Booleans are `true`/`false` only (YAML 1.2), so `NO` (Norway's ISO code), `yes` or `off`
stay text; numbers are decimal (no octal `010`, no sexagesimal `1:30`).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

# Limits for files nobody vouches for. CICA's whole dataset is under 400 KB and nests a
# handful of levels; anchors and aliases are never needed, and refusing them rules out
# the "billion laughs" expansion.
MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32

TAG = "tag:yaml.org,2002:"


class Entry(dict):
    """A YAML mapping that knows its file and the line of itself and of each key."""

    file: str = ""
    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return getattr(self, "key_lines", {}).get(key, self.line)


class Items(list):
    """A YAML list that knows its line and the line of each item."""

    line: int = 0
    lines: list[int]

    def line_of(self, index: int) -> int:
        lines = getattr(self, "lines", [])
        return lines[index] if 0 <= index < len(lines) else self.line


class UnquotedDate(str):
    """A plain scalar that reads as a date (2021-06, 2021-06-15): kept as the text written,
    marked so the schema can ask for quotes wherever it stands (schema/values.py)."""


class DatasetError(Exception):
    """A refusal that names the file, the line and the reason."""

    def __init__(self, file: str, line: int, reason: str):
        self.file, self.line, self.reason = file, line, reason
        super().__init__(f"{file}:{line}: {reason}")


def _line(node_or_event) -> int:
    return node_or_event.start_mark.line + 1


def _finite(text: str) -> bool:
    """Whether a YAML float is a number: not .nan, not .inf, not too large (1e999)."""
    return text.lower().lstrip("+-") not in (".inf", ".nan") and math.isfinite(float(text))


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(TAG) if tag.startswith(TAG) else tag


class DatasetLoader(yaml.SafeLoader):
    """SafeLoader with plain values only (see the module's docstring); errors name the line."""

    # Own tables, not SafeLoader's: whatever is not listed here is never resolved or built.
    yaml_implicit_resolvers: dict = {}
    yaml_constructors: dict = {}

    def __init__(self, stream: str, *, file: str):
        super().__init__(stream)
        self.file = file
        self.fields: list[str] = []  # the key each open node stands under (depth and names)

    def refuse(self, line: int, reason: str, field: str = ""):
        raise DatasetError(self.file, line, f"'{field}': {reason}" if field else reason)

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = _line(event)
        # A mapping's value stands under its key; anything else under its parent's.
        field = index.value if isinstance(index, yaml.ScalarNode) else self._field()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            self.refuse(
                line, "YAML anchors and aliases (&name, *name) are not allowed in a dataset: "
                "write each value out", field,
            )  # fmt: skip
        tag = getattr(event, "tag", None)
        if tag is not None:
            self.refuse(
                line, f"the tag '{_short_tag(tag)}' is not allowed: a dataset holds plain YAML "
                "values, without tags (quote a text)", field,
            )  # fmt: skip
        if len(self.fields) >= MAX_DEPTH:
            self.refuse(line, f"nested deeper than {MAX_DEPTH} levels")
        self.fields.append(field)
        try:
            node = super().compose_node(parent, index)
        finally:
            self.fields.pop()
        if node.tag == TAG + "float" and not _finite(node.value):
            self.refuse(line, f"{node.value} is not a number a dataset can hold", field)
        return node

    def _field(self) -> str:
        return self.fields[-1] if self.fields else ""

    def construct_entry(self, node) -> Entry:
        seen = set()
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.refuse(
                    _line(key), "a key must be a name, not a list or a mapping ('? ' complex "
                    "keys are not allowed)",
                )  # fmt: skip
            if key.tag != TAG + "str":
                self.refuse(
                    _line(key), f"the key '{key.value}' must be a name: quote it, or rename it"
                )
            if key.value in seen:
                self.refuse(_line(key), f"the key '{key.value}' is given twice")
            seen.add(key.value)
        mapping = Entry(
            (key.value, self.construct_object(value, deep=True)) for key, value in node.value
        )
        mapping.file = self.file
        mapping.line = _line(node)
        mapping.key_lines = {key.value: _line(key) for key, _ in node.value}
        return mapping

    def construct_items(self, node) -> Items:
        items = Items(self.construct_object(child, deep=True) for child in node.value)
        items.line = _line(node)
        items.lines = [_line(child) for child in node.value]
        return items

    def construct_int(self, node) -> int:
        return int(self.construct_scalar(node))  # decimal only: the resolver saw to it

    def construct_float(self, node) -> float:
        return float(self.construct_scalar(node))  # finite: compose_node saw to it

    def construct_date(self, node) -> UnquotedDate:
        return UnquotedDate(self.construct_scalar(node))

    def construct_bool(self, node) -> bool:
        return self.construct_scalar(node).lower() == "true"

    def construct_unknown(self, node):
        self.refuse(_line(node), "a dataset holds plain YAML values, without tags")


# The YAML 1.2 core schema, less what a dataset never holds, and the dates YAML 1.1 would
# have read as dates (and a year with its month), to be refused unquoted.
for _tag, _pattern, _first in (
    (
        "timestamp",
        r"^(?:[0-9]{4}-[0-9]{1,2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
        r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
        r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?)$",
        "0123456789",
    ),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    DatasetLoader.add_implicit_resolver(TAG + _tag, re.compile(_pattern), list(_first))
for _tag, _constructor in (
    ("null", yaml.SafeLoader.construct_yaml_null),
    ("bool", DatasetLoader.construct_bool),
    ("int", DatasetLoader.construct_int),
    ("float", DatasetLoader.construct_float),
    ("timestamp", DatasetLoader.construct_date),
    ("str", yaml.SafeLoader.construct_yaml_str),
    ("seq", DatasetLoader.construct_items),
    ("map", DatasetLoader.construct_entry),
    (None, DatasetLoader.construct_unknown),
):
    DatasetLoader.add_constructor(_tag if _tag is None else TAG + _tag, _constructor)


def read(path: Path, *, expect: type = list) -> Any:
    """Parse a YAML file; malformed YAML or the wrong top-level shape is a DatasetError."""
    name = path.name
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DatasetError(name, 1, f"{size} bytes, more than the {MAX_BYTES} allowed")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DatasetError(name, line, f"not UTF-8 text ({exc.reason})") from None
    data = parse(text, name=name)
    if data is None:
        data = Items() if expect is list else Entry()
    if not isinstance(data, expect):
        shape = "a list of records" if expect is list else "a mapping"
        raise DatasetError(name, 1, f"the file must hold {shape}")
    if expect is list:
        for index, item in enumerate(data):
            if not isinstance(item, Entry):
                raise DatasetError(
                    name, data.line_of(index), "every item of the list must be a mapping"
                )
    return data


def parse(text: str, *, name: str) -> Any:
    """The plain values of one YAML document, or a DatasetError naming `name` and the line."""
    loader = None
    try:
        loader = DatasetLoader(text, file=name)  # the reader checks the characters here
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reason = exc.problem or str(exc)
        if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            # Where the parser noticed may be far below what was left open: say both.
            reason = f"{exc.context} (from line {exc.context_mark.line + 1}), {reason}"
        raise DatasetError(name, line, f"malformed YAML: {reason}") from None
    except yaml.reader.ReaderError as exc:  # a control character, say: no mark, a position
        line = text.count("\n", 0, exc.position) + 1
        reason = f"the character #x{exc.character:04x} is not allowed in YAML (not printable)"
        raise DatasetError(name, line, f"malformed YAML: {reason}") from None
    except yaml.YAMLError as exc:
        raise DatasetError(name, 1, f"malformed YAML: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
