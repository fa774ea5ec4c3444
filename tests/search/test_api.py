"""GET /api/v1/search: answers any input, never a server error, never a restricted word."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import CONFIDENTIAL_WORDS, RESTRICTED_WORDS

pytestmark = pytest.mark.django_db
URL = "/api/v1/search"


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_results_with_snippets_and_what_was_searched(client, library):
    data = get(client, q='maritime "unbalanced')
    assert data["total"] == 0
    assert data["query"] == "maritime unbalanced"
    assert data["note"] == "An unmatched quotation mark was ignored."
    data = get(client, q="maritime", limit=1)
    assert (data["total"], data["limit"], data["offset"], data["note"]) == (2, 1, 0, None)
    [first] = data["results"]
    assert set(first) == {"type", "key", "title", "snippet", "url", "year", "language",
                          "status", "rank"}  # fmt: skip
    assert (first["type"], first["key"], first["title"]) == (
        "document", "maritime-title", "Maritime security cooperation",
    )  # fmt: skip
    assert first["snippet"] == "<mark>Maritime</mark> security cooperation"
    assert client.get(first["url"]).status_code == 200


@pytest.mark.parametrize(
    ("params", "keys"),
    [
        ({"type": "document"}, ["maritime-title", "maritime-text"]),
        ({"year": "2019"}, ["maritime-text"]),
        ({"body": "summit"}, ["maritime-title"]),
        ({"status": "adopted"}, ["maritime-title"]),
        ({"language": "ru"}, []),
        ({"offset": "1"}, ["maritime-text"]),
    ],
)
def test_filters(client, library, params, keys):
    data = get(client, q="maritime", **params)
    assert [r["key"] for r in data["results"]] == keys


@pytest.mark.parametrize(
    "params",
    [{"type": "treaty"}, {"year": "twenty"}, {"year": "0"}, {"limit": "0"}, {"limit": "1000"},
     {"offset": "-1"}],
)  # fmt: skip
def test_bad_filters_are_problems_not_errors(client, library, params):
    response = client.get(URL, {"q": "maritime", **params})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


MALFORMED = [
    'unbalanced "quote', '"', '""', "NEAR(", "NEAR(a b", "*", "maritime*", "^maritime", "-",
    "-maritime", "OR", "maritime OR", "AND NOT", ":", "title:maritime", "{title}: x", "(", ")",
    "'", "\\", "%", "%%", "_", "a" * 10_000, "maritime " * 2_000, "😀", "🕊️ maritime",
    "Морское сотрудничество", "עברית ערבית", "مرحبا", "\u202emaritime", "\x00", "mari\x00time",
    "null\x00\x00", "<script>alert(1)</script>", "' OR 1=1 --", "'; DROP TABLE x; --",
    "&amp;", "\ufeff", "\u200b", "𝔪𝔞𝔯𝔦𝔱𝔦𝔪𝔢", "ǅ", "ﷺ", "\U0010ffff", "a:b:c", "@#$",
]  # fmt: skip


@pytest.mark.parametrize("q", MALFORMED)
def test_malformed_queries_are_answered(client, library, q):
    data = get(client, q=q)
    assert isinstance(data["total"], int)
    assert data["total"] == len(data["results"]) or data["total"] > data["limit"]


@pytest.mark.parametrize(
    "raw", ["%ED%A0%80", "%FF%FE", "%C0%AF", "%00", "%E2%80%AE", "%", "%zz", "q%00q=1"]
)
def test_undecodable_bytes_in_the_url_are_answered(client, library, raw):
    """Lone surrogates, invalid UTF-8, NUL bytes as sent over the wire."""
    response = client.get(f"{URL}?q={raw}&type=document")
    assert response.status_code == 200, response.content


def test_filters_survive_anything(client, library):
    """Odd filter values filter everything out; one with nothing printable is no filter."""
    for value in ["%00", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
                  "x" * 5000, "😀"]:  # fmt: skip
        assert get(client, q="maritime", body=value, status=value, language=value)["total"] == 0
    assert get(client, q="maritime", body="\x00", status="\u200b")["total"] == 2


def test_the_public_gets_no_hint_of_restricted_words(library):
    """As the public, a restricted paper's word answers like a word found nowhere,
    byte for byte once the echoed query is set aside."""
    client = Client()
    nothing = get(client, q="qqqnowherezzz")
    for word in RESTRICTED_WORDS + CONFIDENTIAL_WORDS:
        data = get(client, q=word)
        assert {**data, "query": None} == {**nothing, "query": None}


def test_an_officer_finds_restricted_and_confidential_papers(client, readers):
    client.force_login(readers["officer"])
    assert [r["key"] for r in get(client, q=RESTRICTED_WORDS[0])["results"]] == ["zq"]
    assert [r["key"] for r in get(client, q=CONFIDENTIAL_WORDS[3])["results"]] == ["xq"]


def test_a_member_delegate_finds_restricted_not_confidential(client, readers):
    client.force_login(readers["member"])
    assert [r["key"] for r in get(client, q=RESTRICTED_WORDS[1])["results"]] == ["zq"]
    assert get(client, q=CONFIDENTIAL_WORDS[1])["total"] == 0


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    q=st.text(max_size=600),
    type=st.sampled_from([None, "document", "meeting", "actor", "institution", "initiative"]),
    year=st.one_of(st.none(), st.integers(1, 9999)),
)
def test_fuzzed_queries_never_fail(client, library, q, type, year):
    params = {"q": q, **({"type": type} if type else {}), **({"year": year} if year else {})}
    response = client.get(URL, params)
    assert response.status_code == 200, (q, response.content)
    for result in response.json()["results"]:
        assert result["snippet"].count("<mark>") == result["snippet"].count("</mark>")
        assert "<" not in result["snippet"].replace("<mark>", "").replace("</mark>", "")
