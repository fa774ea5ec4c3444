"""YAML reading that remembers line numbers, so errors can say where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# Limits for files nobody vouches for. CICA's whole dataset is under 300 KB and nests a
# handful of levels; anchors and aliases are never needed, and refusing them rules out
# the "billion laughs" expansion.
MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32


class Record(dict):
    """A YAML mapping that knows its file and the line of itself and of each key."""

    file: str = ""
    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class DatasetError(Exception):
    """A refusal that names the file, the line and the reason."""

    def __init__(self, file: str, line: int, reason: str):
        self.file, self.line, self.reason = file, line, reason
        super().__init__(f"{file}:{line}: {reason}")


def _loader_for(file: str) -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            event = self.peek_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise DatasetError(
                    file, line, "YAML anchors and aliases (&name, *name) are not allowed in a "
                    "dataset: write each value out",
                )  # fmt: skip
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise DatasetError(file, line, f"nested deeper than {MAX_DEPTH} levels")
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_mapping(self, node, deep=False):
            seen = set()
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value in seen:
                    raise DatasetError(
                        file, key.start_mark.line + 1, f"the key '{key.value}' is given twice"
                    )
                seen.add(getattr(key, "value", None))
            mapping = Record(super().construct_mapping(node, deep=True))
            mapping.file = file
            mapping.line = node.start_mark.line + 1
            mapping.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
            return mapping

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, Loader.construct_mapping)
    return Loader


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
    try:
        data = yaml.load(text, Loader=_loader_for(name))
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise DatasetError(
            name, line, f"{exc.problem}: a dataset holds plain YAML values, without tags"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise DatasetError(name, line, f"malformed YAML: {exc.problem or exc}") from None
    if data is None:
        data = expect()
    if not isinstance(data, expect):
        shape = "a list of records" if expect is list else "a mapping"
        raise DatasetError(name, 1, f"the file must hold {shape}")
    if expect is list:
        for item in data:
            if not isinstance(item, Record):
                raise DatasetError(name, 1, "every item of the list must be a mapping")
    return data
