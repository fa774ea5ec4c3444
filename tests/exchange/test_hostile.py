"""Hostile files given to `secretariat import`: the JSON dump and the dataset YAML.

Each is refused with the place and the reason of the first error, as a CommandError
(exit code 1, no traceback), and the database is exactly as it was: nothing of the
file is half-imported. (The Popolo importer's own hostile files are tested with it.)
"""

from __future__ import annotations

import json
import math
import shutil
import xml.etree.ElementTree

import lxml.etree
import pytest
from django.core.management import CommandError, call_command

from secretariat.datasets import yamlfile
from secretariat.exchange import safe

from ..conftest import FIXTURES
from .test_dump import RAW, minimal_dump_bytes, row_counts, rows_of

# A refused restore may have written rows raw before the error it stops at (then
# rolled back); the test proves nothing of them is left.
pytestmark = [pytest.mark.django_db, pytest.mark.raw_writes(RAW)]


@pytest.fixture(scope="module")
def minimal_dump(django_db_setup, django_db_blocker, tmp_path_factory) -> bytes:
    with django_db_blocker.unblock():
        return minimal_dump_bytes(tmp_path_factory)


def refused(path, *expected: str) -> str:
    """Import `path`: it must be refused, saying each of `expected`, with nothing written."""
    before = row_counts()
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path), verbosity=0)
    message = str(caught.value)
    assert message.startswith("Refused, nothing was imported: "), message
    for part in expected:
        assert part in message, message
    assert row_counts() == before
    return message


def table_index(data: dict, label: str) -> int:
    return next(i for i, t in enumerate(data["tables"]) if t["model"] == label)


def write(tmp_path, data, name="dump.json", **options) -> object:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, **options), encoding="utf-8")
    return path


# --- the JSON dump ---------------------------------------------------------------------


def _retype(data):
    i = table_index(data, "registry.actor")
    data["tables"][i]["rows"][1]["slug"] = 12
    return f"#/tables/{i}/rows/1/slug", "12 is not text"


def _ordinal(data):
    i = table_index(data, "bodies.meeting")
    data["tables"][i]["rows"][0]["ordinal"] = "first"
    return f"#/tables/{i}/rows/0/ordinal", "'first' is not a whole number"


def _unknown_reference(data):
    i = table_index(data, "registry.status")
    data["tables"][i]["rows"][2]["actor"] = 999
    return f"#/tables/{i}/rows/2/actor", "no registry.actor with id 999 in the dump"


def _unknown_generic_reference(data):
    i = table_index(data, "core.citation")
    data["tables"][i]["rows"][0]["object_id"] = 999
    return f"#/tables/{i}/rows/0/object_id", "with id 999 in the dump"


def _duplicate_key(data):
    i = table_index(data, "core.source")
    rows = data["tables"][i]["rows"]
    rows.append(dict(rows[0]))
    data["header"]["counts"]["core.source"] += 1
    return f"#/tables/{i}/rows/3/id", f"a second core.source with id {rows[0]['id']}"


def _duplicate_identifier(data):
    i = table_index(data, "core.source")
    rows = data["tables"][i]["rows"]
    rows.append({**rows[0], "id": 99})
    data["header"]["counts"]["core.source"] += 1
    return f"#/tables/{i}/rows/3/key", f"a second core.source with key '{rows[0]['key']}'"


def _unknown_field(data):
    i = table_index(data, "registry.actor")
    data["tables"][i]["rows"][0]["colour"] = "blue"
    return f"#/tables/{i}/rows/0/colour", "unknown field of registry.actor"


def _missing_field(data):
    i = table_index(data, "registry.actor")
    del data["tables"][i]["rows"][0]["kind"]
    return f"#/tables/{i}/rows/0/kind", "missing field of registry.actor"


def _not_a_choice(data):
    i = table_index(data, "registry.status")
    data["tables"][i]["rows"][0]["kind"] = "emperor"
    return f"#/tables/{i}/rows/0/kind", "'emperor' is not one of"


def _naive_time(data):
    i = table_index(data, "audit.auditentry")
    data["tables"][i]["rows"][0]["at"] = "2024-01-01T10:00:00"
    return f"#/tables/{i}/rows/0/at", "has no time zone"


def _unknown_user(data):
    i = table_index(data, "audit.auditentry")
    data["tables"][i]["rows"][0]["user"] = "mallory"
    return f"#/tables/{i}/rows/0/user", "no user 'mallory' among the dump's users"


def _bad_checksum(data):
    i = table_index(data, "documents.documenttext")
    file = data["tables"][i]["rows"][0]["file"]
    file["content"] = "U29tZXRoaW5nIGVsc2U="  # "Something else"
    return f"#/tables/{i}/rows/0/file", "does not match its sha256 checksum"


def _escaping_file_name(data):
    i = table_index(data, "documents.documenttext")
    data["tables"][i]["rows"][0]["file"]["name"] = "../../outside.txt"
    return f"#/tables/{i}/rows/0/file", "not a file name inside the media folder"


def _database_constraint(data):
    i = table_index(data, "registry.status")
    row = data["tables"][i]["rows"][0]
    row.update(end_date="1900-01-01", end_precision="day")
    return f"#/tables/{i}/rows/0", "refused by the database"


def _other_version(data):
    data["header"]["version"] = 2
    return "#/header/version", "reads version 1 only"


def _other_migrations(data):
    data["header"]["migrations"]["registry"].append("0099_from_the_future")
    return "#/header/migrations/registry", "made with registry at 0099_from_the_future"


def _truncated_table(data):
    i = table_index(data, "registry.actor")
    data["tables"][i]["rows"].pop()
    return f"#/tables/{i}/rows", "the dump is truncated or was edited"


def _unknown_table(data):
    data["tables"].append({"model": "auth.permission", "rows": []})
    return f"#/tables/{len(data['tables']) - 1}/model", "not a table of this release"


@pytest.mark.parametrize(
    "spoil",
    [
        _retype, _ordinal, _unknown_reference, _unknown_generic_reference, _duplicate_key,
        _duplicate_identifier, _unknown_field, _missing_field, _not_a_choice, _naive_time,
        _unknown_user, _bad_checksum, _escaping_file_name, _database_constraint,
        _other_version, _other_migrations, _truncated_table, _unknown_table,
    ],
    ids=lambda f: f.__name__.strip("_"),
)  # fmt: skip
def test_a_spoiled_dump_is_refused_at_its_first_error(minimal_dump, tmp_path, media_root, spoil):
    """Wrong types, unknown references, duplicate keys and identifiers, unknown fields,
    bad files, another schema: refused with the JSON pointer and the reason."""
    data = json.loads(minimal_dump)
    where, why = spoil(data)
    refused(write(tmp_path, data), f"dump.json{where}", why)
    assert not media_root.exists() or not any(media_root.rglob("*.txt"))


def test_a_truncated_dump_is_refused_with_line_and_column(minimal_dump, tmp_path):
    path = tmp_path / "dump.json"
    path.write_bytes(minimal_dump[: len(minimal_dump) // 2])
    refused(path, "dump.json:", "malformed JSON")


def test_a_dump_over_the_size_limit_is_refused_unread(minimal_dump, tmp_path, monkeypatch):
    monkeypatch.setattr(safe, "MAX_BYTES", 10_000)
    path = tmp_path / "dump.json"
    path.write_bytes(minimal_dump)
    refused(path, f"dump.json: {len(minimal_dump)} bytes, more than the 10000 allowed")


def test_deeply_nested_json_is_refused_before_it_is_parsed(minimal_dump, tmp_path):
    data = json.loads(minimal_dump)
    path = tmp_path / "dump.json"
    text = json.dumps({"header": data["header"], "tables": []})
    path.write_text(text[:-3] + "[" * 5000 + "]" * 5000 + "]}")
    refused(path, "nested deeper than 64 levels")


def test_nan_is_refused(minimal_dump, tmp_path):
    data = json.loads(minimal_dump)
    rows_of(data, "bodies.meeting")[0]["ordinal"] = math.nan
    refused(write(tmp_path, data), "NaN is not a JSON number")


def test_a_dump_that_is_not_utf8_is_refused(minimal_dump, tmp_path):
    path = tmp_path / "dump.json"
    path.write_bytes(minimal_dump.replace("Альфа".encode(), b"\xc0\xc1\xfe", 1))
    refused(path, "dump.json: byte", "not UTF-8 text")


def test_json_that_is_neither_a_dump_nor_popolo_is_refused(tmp_path):
    refused(write(tmp_path, {"rows": [1, 2, 3]}), "neither a Secretariat dump", "nor Popolo")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<akomaNtoso>&lol3;</akomaNtoso>
"""


def test_xml_with_entities_is_refused_without_being_parsed(tmp_path, monkeypatch):
    """An XML file is not an import format: refused by its first bytes, no parser runs."""

    def no_parsing(*args, **kwargs):
        raise AssertionError("an XML parser was called")

    for module, name in [
        (lxml.etree, "XMLParser"), (lxml.etree, "fromstring"), (lxml.etree, "parse"),
        (xml.etree.ElementTree, "XMLParser"),
    ]:  # fmt: skip
        monkeypatch.setattr(module, name, no_parsing)
    path = tmp_path / "bomb.xml"
    path.write_text(BILLION_LAUGHS)
    refused(path, "bomb.xml: XML: not an import format", "entity declarations were not expanded")


def test_a_path_that_does_not_exist_is_refused(tmp_path):
    refused(tmp_path / "nowhere.json", "nowhere.json: no such file or folder")


def test_an_unknown_kind_of_file_is_refused(tmp_path):
    path = tmp_path / "calendar.ics"
    path.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    refused(path, "iCalendar (exported only): not an import format")


# --- the dataset YAML ------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "dataset"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


def spoil_yaml(folder, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ALIAS_BOMB = """a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
"""


@pytest.mark.parametrize(
    ("name", "content", "where", "why"),
    [
        ("actors.yaml", ALIAS_BOMB, "actors.yaml:1", "anchors and aliases (&name, *name)"),
        ("actors.yaml", "- !!python/object/apply:os.system [\"echo pwned\"]\n",
         "actors.yaml:1", "a dataset holds plain YAML values, without tags"),
        ("actors.yaml", "- slug: alpha\n" + "  x: " + "[" * 200 + "]" * 200 + "\n",
         "actors.yaml:2", "nested deeper than 32 levels"),
        ("actors.yaml", "- slug: alpha\n  slug: beta\n", "actors.yaml:2",
         "the key 'slug' is given twice"),
        ("meetings.yaml", "- key: council-1\n  body: council\n  schedule: [\n",
         "meetings.yaml", "malformed YAML"),
    ],
    ids=["alias-bomb", "python-tag", "deep", "duplicate-key", "truncated"],
)  # fmt: skip
def test_hostile_yaml_is_refused_with_file_and_line(folder, name, content, where, why):
    (folder / name).write_text(content, encoding="utf-8")
    refused(folder, where, why)


def test_yaml_that_is_not_utf8_is_refused_with_its_line(folder):
    path = folder / "actors.yaml"
    path.write_bytes(path.read_bytes().replace("Бета".encode(), b"\xff\xfe", 1))
    refused(folder, "actors.yaml:15", "not UTF-8 text")


def test_yaml_over_the_size_limit_is_refused(folder, monkeypatch):
    monkeypatch.setattr(yamlfile, "MAX_BYTES", 100)
    refused(folder, "sources.yaml:1", "more than the 100 allowed")


@pytest.mark.parametrize(
    ("name", "old", "new", "where", "why"),
    [
        ("actors.yaml", "kind: state", "kind: [state]", "actors.yaml:2", "'kind' must be text"),
        ("meetings.yaml", "body: council", "body: senate", "meetings.yaml:2",
         "unknown body 'senate'"),
        ("actors.yaml", "- slug: beta", "- slug: alpha", "actors.yaml:11", "defined twice"),
    ],
    ids=["wrong-type", "unknown-reference", "duplicate-identifier"],
)  # fmt: skip
def test_a_bad_dataset_record_is_refused_with_file_and_line(folder, name, old, new, where, why):
    spoil_yaml(folder, name, old, new)
    refused(folder, where, why)


# --- the JSON reader's limits ----------------------------------------------------------


def test_brackets_inside_strings_do_not_count_as_nesting():
    """The depth scan skips strings, escaped quotes included; real nesting is placed."""
    text = json.dumps({"a": "[" * 500 + '\\" {{{', "b": [r"\"", "]]]"]})
    assert safe.read_json(text.encode())["b"] == [r"\"", "]]]"]
    deep = '{"a":\n  "x",\n "b": ' + "[" * 70 + "]" * 70 + "}"
    with pytest.raises(safe.ImportRefused) as caught:
        safe.read_json(deep.encode(), name="deep.json")
    assert caught.value.where == "deep.json:3:70"  # the object is the first level
    assert caught.value.why == "nested deeper than 64 levels"
