"""PostgreSQL: a `vector` tsvector column on the entries, with a GIN index.

An entry's vector holds its title (weight A) and text (weight B) parsed with the
configuration of its language ('english', 'russian', else 'simple'), and its
title once more with 'simple', so that names match as written. A query is tried
in each configuration, every term as a phrase (phraseto_tsquery never fails on
any input), and matches when all its terms match in one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from ..query import Query
from .base import ENTRIES, START, STOP, Sql, count_sql, page_sql

CONFIGS = {"en": "english", "ru": "russian"}
QUERY_CONFIGS = ("english", "russian", "simple")
# The configuration of an entry's language, in SQL (constants only).
CONFIG_OF_LANGUAGE = (
    "CASE language "
    + " ".join(f"WHEN '{code}' THEN '{name}'::regconfig" for code, name in CONFIGS.items())
    + " ELSE 'simple'::regconfig END"
)
VECTOR = (
    f"setweight(to_tsvector({CONFIG_OF_LANGUAGE}, title), 'A') "
    "|| setweight(to_tsvector('simple', title), 'A') "
    f"|| setweight(to_tsvector({CONFIG_OF_LANGUAGE}, text), 'B')"
)
# One excerpt around the best match (fragment mode is several times slower on long texts).
HEADLINE = f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, ShortWord=2"
TITLE_HEADLINE = HEADLINE + ", HighlightAll=true"


@dataclass(frozen=True)
class TsQueries:
    """A query as tsquery text in each configuration, and all of them joined by OR
    (PostgreSQL's own output, safe to cast back)."""

    by_config: dict[str, str]
    joined: str

    def of_language(self) -> Sql:
        """SQL for the entry's own configuration's query: ranking and headlines use it
        alone, an OR of all three costs them many times more on long texts."""
        cases = " ".join(f"WHEN '{code}' THEN %s::tsquery" for code in CONFIGS)
        return (
            f"CASE language {cases} ELSE %s::tsquery END",
            [*(self.by_config[name] for name in CONFIGS.values()), self.by_config["simple"]],
        )


class PostgreSQLBackend:
    vendor = "postgresql"

    def __init__(self):
        self._tsqueries: dict[Query, TsQueries] = {}

    def synced(self, ids: list[int]) -> None:
        if ids:
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {ENTRIES} SET vector = {VECTOR} WHERE id = ANY(%s)", [ids])

    def tsqueries(self, query: Query) -> TsQueries:
        """Every term as a phrase (phraseto_tsquery never fails on any input), all terms
        required, in each configuration."""
        if query not in self._tsqueries:
            columns, params = [], []
            for config in QUERY_CONFIGS:
                terms = " && ".join(f"phraseto_tsquery('{config}', %s)" for _ in query.terms)
                columns.append(f"({terms})::text")
                params += [term.text for term in query.terms]
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {', '.join(columns)}", params)
                texts = dict(zip(QUERY_CONFIGS, cursor.fetchone(), strict=True))
            joined = " | ".join(f"( {t} )" for t in texts.values() if t)
            self._tsqueries[query] = TsQueries(by_config=texts, joined=joined)
        return self._tsqueries[query]

    def matching(self, query: Query) -> Sql:
        # No term left in any configuration (stop words only): nothing matches.
        tsquery = self.tsqueries(query).joined or "''"
        return f"SELECT id FROM {ENTRIES} WHERE vector @@ %s::tsquery", [tsquery]

    def count(self, query: Query, entries: Sql) -> int:
        if not self.tsqueries(query).joined:
            return 0
        sql, params = count_sql(self.matching(query), entries)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def ranked(self, query: Query, entries: Sql, *, limit: int, offset: int) -> list:
        queries = self.tsqueries(query)
        if not queries.joined:
            return []
        own, own_params = queries.of_language()
        # A title match: the title's lexemes (weight A) alone match. Flag 32 maps the
        # cover density to rank / (rank + 1), below 1.
        scored = (
            "SELECT e.id, e.kind, e.object_id, e.part, e.year, e.title, "
            "((CASE WHEN ts_filter(e.vector, '{a}') @@ %s::tsquery THEN 1.0 ELSE 0.0 END) "
            f"+ ts_rank_cd(e.vector, {own}, 32))::float8 AS score "
            f"FROM {ENTRIES} e WHERE e.vector @@ %s::tsquery AND e.id IN ({entries[0]})",
            [queries.joined, *own_params, queries.joined, *entries[1]],
        )
        sql, params = page_sql(scored, limit=limit, offset=offset)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(pk, float(score), total) for pk, score, total in cursor.fetchall()]

    def snippets(self, query: Query, ids: list[int]) -> dict[int, tuple[str, str]]:
        queries = self.tsqueries(query) if ids else None
        if queries is None or not queries.joined:
            return {}
        own, own_params = queries.of_language()
        sql = (
            f"SELECT id, ts_headline({CONFIG_OF_LANGUAGE}, title, {own}, %s), "
            f"ts_headline({CONFIG_OF_LANGUAGE}, text, {own}, %s) "
            f"FROM {ENTRIES} WHERE id = ANY(%s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*own_params, TITLE_HEADLINE, *own_params, HEADLINE, ids])
            return {pk: (title, text) for pk, title, text in cursor.fetchall()}
