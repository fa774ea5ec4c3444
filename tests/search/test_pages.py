"""The search page: the same search as the API, as HTML."""

from __future__ import annotations

import re

import pytest

from .conftest import RESTRICTED_WORDS

pytestmark = pytest.mark.django_db


def test_the_page_lists_results_with_marked_snippets(client, library):
    response = client.get("/search/", {"q": "bolded"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 result." in html
    assert '<a class="title" href="/documents/maritime-text/">Annual report</a>' in html
    assert 'href="/api/v1/documents/maritime-text"' in html  # the record's data, beside it
    assert "<mark>bolded</mark>" in html
    assert "<script>alert" not in html


def test_the_page_pages_and_filters(client, library, docs, committed):
    with committed():
        for n in range(25):
            docs.document(f"EXO/H/{n}", key=f"heron-{n}", title_en=f"Heron paper {n}")
    html = client.get("/search/", {"q": "heron", "type": "document"}).content.decode()
    assert "25 results." in html and 'rel="next"' in html and 'rel="prev"' not in html
    html = client.get("/search/", {"q": "heron", "type": "document", "page": "2"}).content.decode()
    assert html.count('<li class="result">') == 5 and 'rel="prev"' in html
    assert "0 results." in client.get("/search/", {"q": "heron", "year": "1999"}).content.decode()


def test_the_page_shows_nothing_restricted_and_answers_anything(client, library):
    for q in [RESTRICTED_WORDS[0], '"', "NEAR(", "\x00", "x" * 5000, "😀"]:
        response = client.get("/search/", {"q": q, "page": "x", "year": "y"})
        assert response.status_code == 200
        assert "zanzibarquartz" not in _without_echo(response.content.decode())


def _without_echo(html: str) -> str:
    """The page without the places that repeat the request back: form values, and the
    layout's links that return here after signing in or changing language (`next=`)."""
    return re.sub(r'value="[^"]*"|next=[^"\s]*', "", html)


def test_the_page_without_a_query_is_a_form(client, db):
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()


def test_the_page_only_reads(client, db):
    assert client.post("/search/", {"q": "x"}).status_code == 405
    assert client.head("/search/?q=x").status_code == 200
