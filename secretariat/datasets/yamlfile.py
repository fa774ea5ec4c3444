"""YAML reading that remembers line numbers, so errors can say where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


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
        def construct_mapping(self, node, deep=False):
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
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetError(name, 1, f"not UTF-8 text ({exc.reason})") from None
    try:
        data = yaml.load(text, Loader=_loader_for(name))
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
