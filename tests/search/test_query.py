"""The query parser: whatever is typed becomes safe terms, with a note on what changed."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretariat.search.query import MAX_CHARS, MAX_TERMS, parse


def terms(text: str) -> list[str]:
    return [t.text for t in parse(text).terms]


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("ratified treaty", ["ratified", "treaty"]),
        ('"rules of procedure" Almaty', ["rules of procedure", "Almaty"]),
        ("«Алматинский акт» ратификации", ["Алматинский акт", "ратификации"]),
        ("NEAR(war peace) OR c* ^d -e", ["war", "peace", "c", "d", "e"]),
        ("e-mail CICA/2021/3", ["e mail", "CICA 2021 3"]),
        ("the declaration of Almaty", ["declaration", "Almaty"]),
        ("the", ["the"]),  # only stopwords: searched as typed
        ('"NOT this"', ["NOT this"]),  # quoted, an operator is a word
        ("Treaty treaty TREATY", ["Treaty"]),
        ("a\x00b\x01c", ["b", "c"]),
        ("\ud800peace\udfff", ["peace"]),
        ("zero\u200bwidth soft\u00adhyphen", ["zerowidth", "softhyphen"]),
        ("ｆｕｌｌｗｉｄｔｈ", ["fullwidth"]),
        ("😀 🕊️", []),
        ("'\"*^:()-", []),
    ],
)
def test_terms(typed, searched):
    """Words and balanced phrases are kept; operators, specials and invisibles go."""
    assert terms(typed) == searched


def test_notes_say_what_was_changed():
    assert parse('unbalanced "quote').note == "An unmatched quotation mark was ignored."
    assert terms('unbalanced "quote') == ["unbalanced", "quote"]
    assert "not operators" in parse("war OR peace").note
    assert parse("x" * 10_000).note == f"Only the first {MAX_CHARS} characters were searched."
    assert parse(" ".join(f"w{i}" for i in range(50))).note == (
        f"Only the first {MAX_TERMS} terms were searched."
    )
    assert parse("?!").note == "Nothing to search for: type a word or a phrase."
    assert parse("ratified").note is None


def test_what_was_searched_reads_like_a_query():
    assert parse('  "Almaty  Act"   ratified  ').text == '"Almaty Act" ratified'


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec=None), max_size=700))
def test_any_text_parses_to_safe_terms(text):
    """Never raises; at most MAX_TERMS terms of letters, digits and marks only."""
    query = parse(text)
    assert len(query.terms) <= MAX_TERMS
    assert sum(len(t.text) for t in query.terms) <= MAX_CHARS
    for term in query.terms:
        for word in term.words:
            assert word
            assert all(unicodedata.category(ch)[0] in "LNM" for ch in word)
    assert bool(query) or query.note


@settings(max_examples=300)
@given(st.lists(st.sampled_from(['"', "«", "»", "NEAR(", "OR", "*", "^", "-", ":", "word",
                                 "слово", " ", "(", ")", "AND", "NOT"]), max_size=40))  # fmt: skip
def test_operator_soup_parses(pieces):
    """Unquoted, an operator is dropped; quoted, it is a plain word (FTS5 and tsquery
    both read a quoted term as a string)."""
    text = "".join(pieces)
    query = parse(text)
    if not any(p in ('"', "«", "»") for p in pieces):
        assert not {w for t in query.terms for w in t.words} & {"OR", "AND", "NOT", "NEAR"}
