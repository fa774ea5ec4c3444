"""What every backend does, and the SQL they share.

A backend answers three questions about a parsed query, each restricted to a
set of entries given as SQL (the entries the user may read, after the filters):
how many records match, which ones rank first, and the snippets of a page. The
restriction is inside each statement, so rows the user may not read are never
counted, scored or quoted.

Scores depend on the entry alone, never on statistics over the whole index (as
FTS5's bm25 would: its term weights count every entry, readable or not, so a
public score would move with restricted text). A title match scores 1 plus its
density, a match in the text alone its density, below 1.
"""

from __future__ import annotations

import html
import re
from typing import Protocol

from ..query import Query

Sql = tuple[str, list]  # a statement (or subquery) and its parameters

ENTRIES = "search_searchentry"
# Snippet markers: control characters, which `query.clean` removes from all indexed
# text, so no text can forge a mark.
START, STOP = "\x02", "\x03"


class Backend(Protocol):
    vendor: str

    def synced(self, ids: list[int]) -> None:
        """Bring the full-text structures up to date after these entries were written."""

    def matching(self, query: Query) -> Sql:
        """A subquery of the ids of the entries that match (readable or not: the caller
        restricts it)."""

    def count(self, query: Query, entries: Sql) -> int:
        """How many records (not entries) among `entries` match."""

    def ranked(self, query: Query, entries: Sql, *, limit: int, offset: int) -> list:
        """(entry id, score, records matching in all) of the best entry of each matching
        record, best first."""

    def snippets(self, query: Query, ids: list[int]) -> dict[int, tuple[str, str]]:
        """Marked title and marked text excerpt of these entries."""


def count_sql(matching: Sql, entries: Sql) -> Sql:
    return (
        f"SELECT COUNT(*) FROM (SELECT DISTINCT e.kind, e.object_id FROM {ENTRIES} e "
        f"WHERE e.id IN ({matching[0]}) AND e.id IN ({entries[0]})) AS records",
        [*matching[1], *entries[1]],
    )


def page_sql(scored: Sql, *, limit: int, offset: int, ctes: Sql = ("", [])) -> Sql:
    """One row per record (its best entry), best first, then newest, then by title, each
    with the number of records in all.

    `scored` selects id, kind, object_id, part, year, title and score; `ctes` are
    common table expressions it reads.
    """
    before = f"{ctes[0]}, " if ctes[0] else ""
    return (
        f"WITH {before}scored AS ({scored[0]}), best AS ("
        "SELECT id, score, year, title, ROW_NUMBER() OVER "
        "(PARTITION BY kind, object_id ORDER BY score DESC, part, id) AS n FROM scored) "
        # How many records match, counted in the same pass (before the page is cut):
        # the count alone would match and check access a second time.
        "SELECT id, score, COUNT(*) OVER () FROM best WHERE n = 1 "
        "ORDER BY score DESC, year DESC NULLS LAST, title, id LIMIT %s OFFSET %s",
        [*ctes[1], *scored[1], limit, offset],
    )


_SPACE = re.compile(r"\s+")


def render(marked: str) -> str:
    """HTML of a marked excerpt: the text escaped first, then the marks made <mark>."""
    text = html.escape(_SPACE.sub(" ", marked).strip(), quote=True)
    out, open_ = [], False
    for piece in re.split(f"([{START}{STOP}])", text):
        if piece == START and not open_:
            out.append("<mark>")
            open_ = True
        elif piece == STOP and open_:
            out.append("</mark>")
            open_ = False
        elif piece not in (START, STOP):
            out.append(piece)
    if open_:
        out.append("</mark>")
    return "".join(out)


def choose(title: str, text: str) -> str:
    """The excerpt to show: from the text where it matched, else the marked title."""
    if START in text:
        return render(text)
    if START in title or not text.strip():
        return render(title)
    return render(text)
