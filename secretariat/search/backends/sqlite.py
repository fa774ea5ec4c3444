"""SQLite: an FTS5 table over the entries (external content, kept by triggers), and
an fts5vocab table that lists every occurrence of every term, to score by.

The tokenizer is `porter unicode61 remove_diacritics 2`: English words are
stemmed (ratified, ratifies and ratify meet), every script is case-folded. FTS5
has no Russian stemmer, so a Russian word is searched by its stem as a prefix
(ратификации finds ратификация), with the common inflectional endings cut off.
"""

from __future__ import annotations

from django.db import connection

from ..query import Query, Term
from .base import ENTRIES, START, STOP, Sql, count_sql, page_sql

FTS = "search_searchentry_fts"
TERMS = "search_searchentry_terms"  # fts5vocab 'instance': (term, doc, col, offset) rows
SCRATCH = "search_query"  # a connection's temporary FTS5 table, to tokenize queries
TOKENIZER = "porter unicode61 remove_diacritics 2"
LAST = chr(0x10FFFF)  # after every term that starts with a given prefix

# Russian inflectional endings, longest first; a stem keeps at least four letters.
_ENDINGS = sorted({
    "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ией", "иям", "иях", "ая", "яя",
    "ое", "ее", "ые", "ие", "ий", "ый", "ой", "ей", "ую", "юю", "ов", "ев", "ах", "ях", "ам",
    "ям", "ом", "ем", "ию", "ия", "ии", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь",
}, key=len, reverse=True)  # fmt: skip
_MIN_STEM = 4


def _cyrillic(word: str) -> bool:
    return all("\u0400" <= ch <= "\u04ff" for ch in word)


def russian_prefix(word: str) -> str | None:
    """The stem to search a Russian word by, as a prefix (None: search the word)."""
    lower = word.lower()
    for ending in _ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= _MIN_STEM:
            return lower[: -len(ending)]
    return lower if len(lower) > _MIN_STEM else None


def _phrase(words) -> str:
    # Words are letters, digits and marks only (see query.parse); quoting makes every
    # one a plain string for FTS5, never an operator.
    return '"' + " ".join(words).replace('"', '""') + '"'


def _term(term: Term) -> str:
    word = term.words[0]
    if not term.is_phrase and _cyrillic(word) and (prefix := russian_prefix(word)):
        return _phrase([prefix]) + " *"
    return _phrase(term.words)


def match_expression(query: Query) -> str:
    """The FTS5 query: every term must match."""
    return " AND ".join(_term(t) for t in query.terms)


class SQLiteBackend:
    vendor = "sqlite"

    def synced(self, ids: list[int]) -> None:
        """Nothing to do: the triggers made by migration 0002 keep the FTS table in step."""

    def matching(self, query: Query) -> Sql:
        return f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [match_expression(query)]

    def count(self, query: Query, entries: Sql) -> int:
        sql, params = count_sql(self.matching(query), entries)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def _tokens(self, query: Query) -> list[tuple[str, bool]]:
        """The index terms of the query, as FTS5 makes them ((term, is a prefix) pairs):
        each term is tokenized by a scratch FTS5 table with the same tokenizer."""
        prefixes = {i: prefix for i, t in enumerate(query.terms)
                    if not t.is_phrase and _cyrillic(t.words[0])
                    and (prefix := russian_prefix(t.words[0]))}  # fmt: skip
        texts = [prefixes.get(i, t.text) for i, t in enumerate(query.terms)]
        with connection.cursor() as cursor:
            # Made here each time (a no-op once made): a rolled-back transaction
            # takes even temporary tables with it.
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{SCRATCH} USING fts5(words, "
                f"tokenize='{TOKENIZER}')"
            )
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{SCRATCH}_terms "
                f"USING fts5vocab(temp, {SCRATCH}, 'instance')"
            )
            try:
                cursor.executemany(
                    f"INSERT OR REPLACE INTO temp.{SCRATCH}(rowid, words) VALUES (%s, %s)",
                    list(enumerate(texts)),
                )
                cursor.execute(
                    f"SELECT DISTINCT doc, term FROM temp.{SCRATCH}_terms WHERE doc < %s",
                    [len(texts)],
                )
                tokens = {(term, doc in prefixes) for doc, term in cursor.fetchall()}
            finally:
                cursor.execute(f"DELETE FROM temp.{SCRATCH}")
        return sorted(tokens)

    def ranked(self, query: Query, entries: Sql, *, limit: int, offset: int) -> list:
        # Term frequencies per entry and column, read from the index itself (fts5vocab):
        # no statistics over other entries (bm25's) and no re-reading of the texts.
        tokens = self._tokens(query)
        conditions = " OR ".join(
            "(term >= %s AND term < %s)" if prefix else "term = %s" for _, prefix in tokens
        )
        token_params = [p for term, prefix in tokens for p in ((term, term + LAST) if prefix
                                                                  else (term,))]  # fmt: skip
        ctes = (
            "matched AS (SELECT e.id, e.kind, e.object_id, e.part, e.year, e.title "
            f"FROM {FTS} JOIN {ENTRIES} e ON e.id = {FTS}.rowid "
            f"WHERE {FTS} MATCH %s AND e.id IN ({entries[0]})), "
            "hits AS (SELECT doc, SUM(col = 'title') AS t, SUM(col = 'text') AS x "
            f"FROM {TERMS} WHERE ({conditions or '0'}) AND doc IN (SELECT id FROM matched) "
            "GROUP BY doc)",
            [match_expression(query), *entries[1], *token_params],
        )
        # Matched entries and their counts meet in one grouping (a join of the two
        # would scan one for each row of the other: SQLite indexes neither).
        scored = (
            "SELECT id, MAX(kind) AS kind, MAX(object_id) AS object_id, MAX(part) AS part, "
            "MAX(year) AS year, MAX(title) AS title, "
            "(CASE WHEN SUM(t) > 0 THEN 1.0 ELSE 0.0 END) "
            "+ (2.0 * SUM(t) + SUM(x)) / (2.0 * SUM(t) + SUM(x) + 4.0) AS score FROM ("
            "SELECT id, kind, object_id, part, year, title, 0 AS t, 0 AS x FROM matched "
            "UNION ALL SELECT doc, NULL, NULL, NULL, NULL, NULL, t, x FROM hits"
            ") AS counted GROUP BY id",
            [],
        )
        sql, params = page_sql(scored, limit=limit, offset=offset, ctes=ctes)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(pk, float(score), total) for pk, score, total in cursor.fetchall()]

    def snippets(self, query: Query, ids: list[int]) -> dict[int, tuple[str, str]]:
        if not ids:
            return {}
        marks = f"char({ord(START)}), char({ord(STOP)})"
        sql = (
            f"SELECT rowid, highlight({FTS}, 0, {marks}), snippet({FTS}, 1, {marks}, '…', 24) "
            f"FROM {FTS} WHERE {FTS} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(query), *ids])
            return {pk: (title, text) for pk, title, text in cursor.fetchall()}
