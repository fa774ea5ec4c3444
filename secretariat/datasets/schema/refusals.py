"""What a refusal says: the file, the line and the field, and what was wrong there in words
a dataset's author reads."""

from typing import Any

from ..yamlfile import DatasetError, Entry, Items, UnquotedDate

# Error types that say "this is the wrong kind of value": the message says what was found.
WRONG_TYPE = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be a mapping",
    "dict_type": "must be a mapping",
    "key_type": None,
    "date_type": None,
    "names_type": None,
    "number_type": None,
    "year_type": None,
    "variant_type": None,
    "from_type": None,
}
# Where text is expected, a value YAML read as something else only needed quotes.
QUOTABLE = {"string_type", "key_type", "date_type", "variant_type", "from_type"}
# What a list holds, by the error on one of its items.
ITEMS = {
    "string_type": "texts",
    "key_type": "keys",
    "model_type": "mappings",
    "dict_type": "mappings",
    "names_type": "mappings of en and ru",
    "int_type": "whole numbers",
}


def refusal(name: str, data: Any, errors: list[dict], *, sectioned: bool) -> DatasetError:
    """The DatasetError for a file's validation errors: an unknown field first (a misspelt
    name explains the "missing" one), else the first by line; how many more, if any.
    `sectioned`: the file is a mapping of sections (an unknown key is a section)."""
    found = [(_line_at(data, e["loc"]), e) for e in errors]
    unknown = [f for f in found if f[1]["type"] == "extra_forbidden"]
    # At one line, a record's own fields before its sources (an empty record: its key).
    line, error = min(unknown or found, key=lambda f: (f[0], f[1]["loc"][-1:] == ("sources",)))
    reason = _reason(error, sectioned=sectioned)
    if len(found) > 1:
        more = len(found) - 1
        reason += f" (and {more} more problem{'s' if more > 1 else ''} in this file)"
    return DatasetError(name, line, reason)


def _line_at(data: Any, loc: tuple) -> int:
    """The line of the deepest node of `loc` the file holds (a missing field: its record)."""
    node, line = data, getattr(data, "line", 1)
    for part in loc:
        if isinstance(node, Entry) and isinstance(part, str):
            line, node = node.line_of(part), node.get(part)
        elif isinstance(node, Items) and isinstance(part, int) and part < len(node):
            line, node = node.line_of(part), node[part]
        else:
            break
    return max(line, 1)


def _reason(error: dict, *, sectioned: bool) -> str:
    loc, kind, message = list(error["loc"]), error["type"], error["msg"]
    item = loc.pop() + 1 if loc and isinstance(loc[-1], int) else None
    names: list[str] = []  # the field, after the mappings it sits in since the last list
    for part in reversed(loc):
        if not isinstance(part, str):
            break
        names.insert(0, part)
    field = names[-1] if names else ""
    parent = ".".join(names[:-1])  # the mapping the field is in, below the record
    within = f" in '{parent}'" if parent else ""
    if kind == "extra_forbidden":
        what = "section" if sectioned and len(loc) == 1 else "field"
        return f"unknown {what} '{field}'{within}"
    if field == "sources" and kind in ("missing", "too_short"):
        return "every record needs 'sources'"
    if kind == "missing":
        return f"missing required field '{field}'{within}"
    if kind == "reason":
        return message
    if kind == "date_value":
        return f"{field}: {message}"
    if kind in ("greater_than_equal", "less_than_equal"):
        ctx = error.get("ctx", {})
        bound = f"{ctx['ge']} or more" if "ge" in ctx else f"at most {ctx['le']}"
        message = f"must be a whole number, {bound}"
    elif kind == "too_short":
        message = "must not be empty"
    elif kind in WRONG_TYPE:
        value = error["input"]
        message = f"{WRONG_TYPE[kind] or message}, not {_found(value)}"
        if kind in QUOTABLE and isinstance(value, bool | int | float | UnquotedDate):
            message += ": quote it"
    if not field:
        return message
    within = f" (in '{parent}')" if parent else ""
    if item is None:
        return f"'{field}' {message}{within}"
    if kind in ITEMS:
        found = _found(error["input"])
        return f"'{field}' is a list of {ITEMS[kind]}; item {item} is {found}{within}"
    return f"'{field}', item {item}, {message}{within}"


def _found(value: Any) -> str:
    """What a value is, as a YAML writer would say it."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"the yes/no value {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, UnquotedDate):
        return f"the unquoted date {value}"
    if isinstance(value, str):
        return f"the text '{value if len(value) <= 40 else value[:40] + '...'}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
