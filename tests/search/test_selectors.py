"""Searching: ranking, stemming, filters, pages, snippets, and the access rule first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from secretariat.search.selectors import search

from .conftest import CONFIDENTIAL_WORDS, RESTRICTED_WORDS, SHARED_WORDS, add_text, embargo

pytestmark = pytest.mark.django_db
POSTGRESQL = connection.vendor == "postgresql"


def keys(results) -> list[str]:
    return [r.key for r in results.results]


def test_a_title_match_ranks_above_a_text_match(library):
    """Maritime in the title beats maritime three times in the text."""
    found = search("maritime", user=None)
    assert keys(found) == ["maritime-title", "maritime-text"]
    title, text = found.results
    assert title.rank > 1 > text.rank > 0
    assert (title.type, title.url, title.year, title.status) == (
        "document", "/api/v1/documents/maritime-title", 2021, "adopted",
    )  # fmt: skip


def test_english_words_are_stemmed(library):
    """ "ratify" and "ratifies" find "ratified" (both backends stem English)."""
    for word in ("ratify", "ratifies", "RATIFIED"):
        assert "maritime-text" in keys(search(word, user=None)), word


def test_russian_words_match_in_any_case_and_inflection(library):
    """Cyrillic is case-folded on both; inflections meet (PostgreSQL's Russian stemmer,
    or a stem searched as a prefix on SQLite)."""
    assert keys(search("МОРСКОЕ", user=None)) == ["maritime-title"]
    found = search("ратификация", user=None)
    assert keys(found) == ["maritime-title"]
    assert found.results[0].language == "ru"
    assert "<mark>" in found.results[0].snippet
    assert keys(search("ратифицировали", user=None)) == ["maritime-title"]


def test_phrases_must_be_adjacent(library):
    assert keys(search('"maritime trade"', user=None)) == ["maritime-text"]
    assert keys(search('"trade maritime"', user=None)) == []


def test_every_term_must_match(library):
    assert keys(search("maritime cooperation", user=None)) == ["maritime-title"]
    assert keys(search("maritime nonexistentword", user=None)) == []


def test_other_kinds_are_found(library):
    """Meetings, actors, bodies and initiatives are public records in the index."""

    def found(q):
        return [(r.type, r.key) for r in search(q, user=None).results]

    assert found("Sixth Summit")[0] == ("meeting", "summit-6")
    assert ("actor", "omega") in found("Omega")
    assert ("institution", "summit") in found("Саммит")
    initiative = search("green belt", user=None).results[0]
    assert (initiative.type, initiative.key, initiative.url) == (
        "initiative", "green-belt", "/api/v1/initiatives/green-belt",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"type": "document"}, {"maritime-title", "maritime-text"}),
        ({"type": "meeting"}, set()),
        ({"body": "summit"}, {"maritime-title"}),
        ({"body": "council"}, {"maritime-text"}),
        ({"body": "no-such-body"}, set()),
        ({"year": 2019}, {"maritime-text"}),
        ({"year": 2021}, {"maritime-title"}),
        ({"status": "adopted"}, {"maritime-title"}),
        ({"status": "draft"}, {"maritime-text"}),
        ({"language": "en"}, {"maritime-title", "maritime-text"}),
        ({"language": "ru"}, set()),
    ],
)
def test_filters(library, filters, expected):
    found = search("maritime", user=None, **filters)
    assert set(keys(found)) == expected
    assert found.total == len(expected)


def test_one_result_per_record_in_its_best_language(library):
    """The Russian entry of the title document matches too, but the record counts once."""
    found = search("maritime", user=None)
    assert found.total == 2
    assert [r.language for r in found.results] == ["en", "en"]


def test_pages_share_one_total(library, docs, committed):
    with committed():
        for n in range(7):
            docs.document(f"EXO/P/{n}", key=f"pelican-{n}", title_en=f"Pelican survey {n}")
    first = search("pelican", user=None, limit=3)
    second = search("pelican", user=None, limit=3, offset=3)
    last = search("pelican", user=None, limit=3, offset=6)
    beyond = search("pelican", user=None, limit=3, offset=30)
    assert [f.total for f in (first, second, last, beyond)] == [7, 7, 7, 7]
    assert [len(f.results) for f in (first, second, last, beyond)] == [3, 3, 1, 0]
    seen = keys(first) + keys(second) + keys(last)
    assert sorted(seen) == [f"pelican-{n}" for n in range(7)]


def test_limit_is_capped(library):
    assert search("maritime", user=None, limit=10_000).limit == 100
    assert search("maritime", user=None, limit=0, offset=-5).offset == 0


def test_snippets_are_escaped_then_marked(library):
    """Text from a document cannot inject markup: it is escaped, then matches marked."""
    snippet = search("bolded", user=None).results[0].snippet
    assert "<mark>bolded</mark>" in snippet
    assert "<em>" not in snippet and "<script>" not in snippet
    assert "&amp; more" in snippet
    if not POSTGRESQL:  # ts_headline drops tags; FTS5 quotes the text as it is
        assert "&lt;em&gt;<mark>bolded</mark>&lt;/em&gt; &amp; more &lt;script&gt;" in snippet
    snippet = search("maritime", user=None, type="document").results[1].snippet
    assert snippet.count("<mark>") == snippet.count("</mark>") >= 2


def test_a_title_only_match_shows_the_marked_title(library):
    found = search("cooperation", user=None)
    assert found.results[0].snippet == "Maritime security <mark>cooperation</mark>"


WORDS = {"restricted": RESTRICTED_WORDS, "confidential": CONFIDENTIAL_WORDS,
         "shared": SHARED_WORDS}  # fmt: skip
# Who reads what: the member's delegate reads restricted papers; an observer's only
# those shared with it; the Secretariat everything.
READERS = {
    "public": set(),
    "member": {"restricted", "shared"},
    "observer": {"shared"},
    "officer": {"restricted", "confidential", "shared"},
}


@pytest.mark.parametrize("role", list(READERS))
def test_each_role_finds_only_what_it_may_read(library, readers, role):
    """Title, Russian title, note and text: every word of a paper the role may not
    read finds nothing; every word of one it may read finds it."""
    user = readers[role]
    for level, words in WORDS.items():
        document = getattr(library, level)
        for word in words:
            found = search(word, user=user)
            if level in READERS[role]:
                assert keys(found) == [document.key], (role, word)
                assert word in found.results[0].snippet.lower() or word in (
                    found.results[0].title.lower()
                )
            else:
                assert (found.total, found.results) == (0, []), (role, word)


def test_restricted_words_give_no_hint_to_the_public(library, readers):
    """As the public, a word found only in restricted papers answers exactly as a word
    found nowhere: same total, same (empty) results, same note."""
    for word in RESTRICTED_WORDS + CONFIDENTIAL_WORDS:
        found, nothing = search(word, user=None), search("qqqnowherezzz", user=None)
        assert (found.total, found.results, found.note) == (
            nothing.total, nothing.results, nothing.note,
        )  # fmt: skip
    # A word shared by the restricted papers alone counts them for the Secretariat only.
    assert search("paper", user=None).total == 0
    assert search("paper", user=readers["officer"]).total == 3


def test_ranks_do_not_depend_on_restricted_text(library, docs, committed):
    """A public result's rank is the same whatever restricted papers say."""
    before = search("maritime", user=None).results
    with committed():
        for n in range(5):
            doc = docs.document(f"EXO/R/{n}", key=f"r-{n}", access="restricted",
                                title_en="Maritime maritime")  # fmt: skip
            add_text(docs, doc, "en", "maritime " * 50)
    after = search("maritime", user=None).results
    assert [(r.key, r.rank) for r in after] == [(r.key, r.rank) for r in before]


def test_an_embargo_past_makes_a_paper_findable(library, committed):
    """Restricted until `public_from`; from that day everyone finds it, without reindexing
    (the access rule reads the live document)."""
    word = RESTRICTED_WORDS[3]
    embargo(library.restricted, dt.date.today() + dt.timedelta(days=30))
    assert search(word, user=None).total == 0
    embargo(library.restricted, dt.date.today() - dt.timedelta(days=1))
    assert keys(search(word, user=None)) == [library.restricted.key]


def test_a_change_of_access_shows_at_once(library):
    """Restricting a public paper hides it from the public before any reindexing."""
    from secretariat.documents import services

    assert search("maritime", user=None).total == 2
    services.document_update(document=library.public["text"], access="confidential")
    assert keys(search("maritime", user=None)) == ["maritime-title"]


def test_empty_query_answers_with_a_note(library):
    found = search("  ?! 😀 ", user=None)
    assert (found.total, found.results, found.query) == (0, [], "")
    assert found.note == "Nothing to search for: type a word or a phrase."


def test_query_count_stays_constant(
    library, readers, docs, committed, django_assert_max_num_queries
):
    """A page of results costs a few queries, however many records match."""
    with committed():
        for n in range(30):
            doc = docs.document(f"EXO/Q/{n}", key=f"heron-{n}", title_en=f"Heron count {n}")
            add_text(docs, doc, "en", "herons and more herons")
    with django_assert_max_num_queries(12):  # 3 of them: who the delegate is
        found = search("heron", user=readers["member"], limit=50)
    assert found.total == 30


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL's Russian stemmer")
def test_postgresql_stems_russian(library):
    assert keys(search("морского сотрудничества", user=None)) == ["maritime-title"]
