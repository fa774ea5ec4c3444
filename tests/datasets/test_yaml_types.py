"""Dataset YAML holds plain values of the declared types (secretariat/datasets/schema/):
anything else is refused with the file, the line and the field, and nothing is loaded."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from secretariat.core.models import Source
from secretariat.datasets import schema, yamlfile
from secretariat.datasets.loader import Loader
from secretariat.datasets.yamlfile import DatasetError
from secretariat.registry.models import Actor

from ..conftest import FIXTURES
from .conftest import edit

pytestmark = pytest.mark.django_db

BETA_NAME = "name: {en: Beta, ru: Бета}"  # actors.yaml:15
COUNCIL_2_ORDINAL = "body: council\n  ordinal: 2"  # meetings.yaml:17-18
GAMMA_START = 'start: "1995"'  # actors.yaml:30
MINUTES_TITLE = "title: Minutes of the Council"  # sources.yaml:7

ALIAS_BOMB = """\
- key: lol
  title: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
  publisher: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  note: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
"""


def refused(folder) -> str:
    """Load, expect a refusal, check nothing was saved; the refusal's text."""
    with pytest.raises(DatasetError) as caught:
        Loader(folder).load()
    assert not Source.objects.exists()
    assert not Actor.objects.exists()
    return str(caught.value)


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "why"),
    [
        ("actors.yaml", BETA_NAME, "name: !!binary QmV0YQ==", "actors.yaml:15",
         "'name': the tag '!!binary' is not allowed"),
        ("actors.yaml", BETA_NAME, "name: !!set {Beta, Бета}", "actors.yaml:15",
         "'name': the tag '!!set' is not allowed"),
        ("actors.yaml", BETA_NAME, "name: !!python/name:os.system", "actors.yaml:15",
         "'name': the tag '!!python/name:os.system' is not allowed"),
        ("meetings.yaml", COUNCIL_2_ORDINAL, "body: council\n  ordinal: .nan", "meetings.yaml:18",
         "'ordinal': .nan is not a number a dataset can hold"),
        ("meetings.yaml", COUNCIL_2_ORDINAL, "body: council\n  ordinal: -.inf",
         "meetings.yaml:18", "'ordinal': -.inf is not a number a dataset can hold"),
        ("sources.yaml", MINUTES_TITLE, "title: 1999", "sources.yaml:7",
         "'title' must be text, not the number 1999: quote it"),
        ("sources.yaml", MINUTES_TITLE, "title: false", "sources.yaml:7",
         "'title' must be text, not the yes/no value false: quote it"),
        ("sources.yaml", MINUTES_TITLE, "title: 2021-06-15", "sources.yaml:7",
         "'title' must be text, not the unquoted date 2021-06-15: quote it"),
        ("sources.yaml", MINUTES_TITLE, "title: [Minutes, of the Council]", "sources.yaml:7",
         "'title' must be text, not a list"),
        ("sources.yaml", MINUTES_TITLE, "title: {Minutes: of the Council}", "sources.yaml:7",
         "'title' must be text, not a mapping"),
        ("actors.yaml", BETA_NAME, "name: {en: 1999}", "actors.yaml:15",
         "'en' must be text, not the number 1999: quote it (in 'name')"),
        ("actors.yaml", BETA_NAME, "name: Beta", "actors.yaml:15",
         "'name' must be a mapping of en and ru, not the text 'Beta'"),
        ("actors.yaml", BETA_NAME, "name: {en: Beta, fr: Bêta}", "actors.yaml:15",
         "'name' must be a mapping of en and ru: 'fr' is neither"),
        ("actors.yaml", GAMMA_START, "start: 2021-02-30", "actors.yaml:30",
         "not the unquoted date 2021-02-30: quote it"),
        ("actors.yaml", GAMMA_START, 'start: "2021-02-30"', "actors.yaml:30",
         "start: '2021-02-30' is not a real date"),
        ("actors.yaml", GAMMA_START, "start: 1995", "actors.yaml:30",
         "'start' must be a quoted date: \"2021\", \"2021-06\" or \"2021-06-15\", not the "
         "number 1995: quote it"),
        ("actors.yaml", GAMMA_START, 'start: "June 1995"', "actors.yaml:30",
         "start: 'June 1995' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("actors.yaml", BETA_NAME, "? [a, b]\n  : x", "actors.yaml:15",
         "a key must be a name, not a list or a mapping"),
        ("actors.yaml", BETA_NAME, "1999: x", "actors.yaml:15", "the key '1999' must be a name"),
        ("actors.yaml", BETA_NAME, "name: {en: Beta", "actors.yaml", "malformed YAML"),
        ("sources.yaml", "- key: charter\n", ALIAS_BOMB + "- key: charter\n", "sources.yaml:3",
         "'title': YAML anchors and aliases (&name, *name) are not allowed"),
        ("meetings.yaml", COUNCIL_2_ORDINAL, "body: council\n  ordinal: second",
         "meetings.yaml:18", "'ordinal' must be a whole number, not the text 'second'"),
        ("meetings.yaml", COUNCIL_2_ORDINAL, "body: council\n  ordinal: 0", "meetings.yaml:18",
         "'ordinal' must be a whole number, 1 or more"),
        ("meetings.yaml", COUNCIL_2_ORDINAL, "body: council\n  ordinal: 2\n  formal: yes",
         "meetings.yaml:19", "'formal' must be true or false, not the text 'yes'"),
        ("meetings.yaml", COUNCIL_2_ORDINAL, "body: [council]\n  ordinal: 2", "meetings.yaml:17",
         "'body' must be a key, not a list"),
        ("meetings.yaml", COUNCIL_2_ORDINAL, "body: The Council\n  ordinal: 2",
         "meetings.yaml:17", "'body' is 'The Council', not a key"),
        ("actors.yaml", "  sources: [charter]\n  statuses:\n    - kind: observer",
         "  sources: charter\n  statuses:\n    - kind: observer", "actors.yaml:27",
         "'sources' must be a list, not the text 'charter'"),
        ("actors.yaml", "  sources: [charter]\n  statuses:\n    - kind: observer",
         "  sources: [charter, 7]\n  statuses:\n    - kind: observer", "actors.yaml:27",
         "'sources' is a list of keys; item 2 is the number 7"),
        ("actors.yaml", "  sources: [charter]\n  statuses:\n    - kind: observer",
         "  sources:\n    - charter\n    - Charter\n  statuses:\n    - kind: observer",
         "actors.yaml:29", "'sources', item 2, is 'Charter', not a key"),
        ("actors.yaml", "kind: observer", "kind: observer\n      hue: blue", "actors.yaml:30",
         "unknown field 'hue'"),
        ("actors.yaml", BETA_NAME, "name: {en: Beta\x07}", "actors.yaml:15",
         "the character #x0007 is not allowed"),
        ("actors.yaml", "- slug: beta\n", "- slug: beta\n  ordinal: 2\n", "actors.yaml:12",
         "unknown field 'ordinal'"),
    ],
    ids=["binary", "set", "python-tag", "nan", "inf", "number-for-a-name", "boolean-for-a-name",
         "date-for-a-name", "list-for-a-name", "mapping-for-a-name", "number-for-an-english-name",
         "text-for-names", "third-language", "unquoted-impossible-date", "impossible-date",
         "number-for-a-date", "words-for-a-date", "complex-key", "number-key", "syntax-error",
         "alias-bomb", "text-for-a-number", "zero-ordinal", "yes-for-a-boolean", "list-for-a-key",
         "words-for-a-key", "text-for-a-list", "number-in-a-key-list", "bad-key-in-a-list",
         "unknown-field", "control-character", "field-of-another-record"],
)  # fmt: skip
def test_a_value_of_the_wrong_type_is_refused_with_file_line_and_field(
    folder, file, old, new, where, why
):
    edit(folder, file, old, new)
    message = refused(folder)
    assert message.startswith(where + ":"), message
    assert why in message, message


def test_a_syntax_error_names_where_it_was_noticed_and_what_was_left_open(folder):
    """An unclosed mapping is noticed lines below: both lines are named."""
    edit(folder, "actors.yaml", BETA_NAME, "name: {en: Beta, ru: Бета")
    message = refused(folder)
    assert message.startswith(
        "actors.yaml:16: malformed YAML: while parsing a flow mapping (from line 15), "
        "expected ',' or '}'"
    ), message


def test_the_alias_bomb_is_refused_before_any_expansion(folder, tmp_path):
    """A billion laughs (nine levels of nine) is refused at its first anchor, in no time and
    without building the expansion."""
    levels = ["lol: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    (folder / "organization.yaml").write_text("\n".join(levels) + "\n")
    message = refused(folder)
    assert message.startswith("organization.yaml:1: 'lol': YAML anchors and aliases"), message


def test_a_file_over_the_size_limit_is_refused(folder, monkeypatch):
    monkeypatch.setattr(yamlfile, "MAX_BYTES", 200)
    assert "more than the 200 allowed" in refused(folder)


def test_several_problems_are_counted_and_an_unknown_field_comes_first(folder):
    """A misspelt field is named before the 'missing' field it explains; the rest counted."""
    edit(folder, "actors.yaml", BETA_NAME, "nmae: {en: Beta}")
    edit(folder, "actors.yaml", GAMMA_START, "start: 1995")
    message = refused(folder)
    assert message == ("actors.yaml:15: unknown field 'nmae' (and 2 more problems in this file)"), (
        message
    )


def test_no_is_norway_not_false(folder):
    """Booleans are `true`/`false` only: Norway's ISO code `NO` loads as the text written."""
    edit(folder, "actors.yaml", "iso2: XB", "iso2: NO")
    Loader(folder).load()
    assert Actor.objects.get(slug="beta").iso2 == "NO"


def test_the_command_refuses_without_a_traceback(folder):
    """`secretariat load-dataset` says where and why, and that nothing was loaded."""
    edit(folder, "actors.yaml", GAMMA_START, "start: 2021-02-30")
    with pytest.raises(CommandError) as caught:
        call_command("load_dataset", str(folder), stdout=StringIO(), stderr=StringIO())
    assert str(caught.value).startswith(
        "Refused, nothing was loaded: actors.yaml:30: 'start' must be a quoted date"
    )
    assert not Actor.objects.exists()


ACTORS = (FIXTURES / "minimal" / "actors.yaml").read_text()
YAML_BITS = st.sampled_from(
    [
        "- ",
        ": ",
        "? ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "!!",
        "!!binary ",
        "|\n",
        ">\n",
        "\n",
        "  ",
        "#",
        "'",
        '"',
        "---\n",
        ".nan",
        ".inf",
        "2021-02-30",
        "0x1F",
        "1:30",
        "~",
        "null",
        "true",
        "no",
        "1e999",
        "-",
        "%YAML 1.1\n",
        "\t",
        "\\",
        "Бета",
        "\x00",
        "\ufeff",
    ]
)


@settings(max_examples=300, deadline=None)
@given(position=st.integers(0, len(ACTORS)), bits=st.lists(YAML_BITS | st.text(max_size=3)))
def test_any_edit_of_a_file_is_read_or_refused_never_a_crash(position, bits):
    """Whatever is typed into a dataset file, reading and checking it either passes or
    refuses with a file and a line: never another exception (a traceback)."""
    text = ACTORS[:position] + "".join(bits) + ACTORS[position:]
    try:
        schema.check("actors.yaml", yamlfile.parse(text, name="actors.yaml"))
    except DatasetError as refusal:
        assert refusal.file == "actors.yaml"
        assert refusal.line >= 1
