"""Searching the index, for the API and the pages alike.

The access rule is applied first: the entries searched are those of public
records and of the documents the user may read (`accounts.policy.documents_q`,
joined to the live document row, so a change of access or a passed embargo
counts at once). Filters narrow them; the backend then matches, counts, ranks
and quotes only inside that set. Nothing said back depends on entries outside
it: a restricted document's words find nothing, count nothing and leave the
note unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.expressions import RawSQL

from secretariat.accounts.policy import documents_q
from secretariat.documents.models import Document
from secretariat.documents.selectors import documents_list

from .backends import backend, choose
from .models import SearchEntry
from .query import Query, clean, parse

MAX_LIMIT = 100


@dataclass(frozen=True)
class Result:
    type: str
    key: str
    title: str
    snippet: str  # HTML: escaped text, matches in <mark>
    url: str
    year: int | None
    language: str
    status: str | None
    rank: float


@dataclass(frozen=True)
class Results:
    total: int
    results: list[Result]
    query: str  # what was actually searched
    note: str | None
    limit: int
    offset: int


def readable_entries(user) -> Q:
    """Entries the user may read: those of public records, and of readable documents."""
    public = Q(document__isnull=True) & ~Q(kind=SearchEntry.Kind.DOCUMENT)
    rule = documents_q(user, "document__")
    # An empty rule (the Secretariat) reads everything; `public | Q()` would not.
    return public | rule if rule else Q()


def _filter(value, length: int) -> str | None:
    """A filter value safe for any database (or None when there is nothing left)."""
    text = clean(value).strip()[:length] if value is not None else ""
    return text or None


def search(
    q: object,
    *,
    user,
    type: str | None = None,
    body: str | None = None,
    year: int | None = None,
    status: str | None = None,
    language: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Results:
    """Ranked results for what the user typed, among what the user may read.

    `type` is an entry kind, `body` a body's slug; `limit` is capped at MAX_LIMIT.
    """
    query: Query = parse(q)
    limit, offset = max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))
    if not query:
        return Results(0, [], "", query.note, limit, offset)
    entries = SearchEntry.objects.filter(readable_entries(user))
    for name, value, length in (
        ("kind", type, 12), ("body__slug", body, 80), ("status", status, 30),
        ("language", language, 8),
    ):  # fmt: skip
        if (value := _filter(value, length)) is not None:
            entries = entries.filter(**{name: value})
    if year is not None:
        entries = entries.filter(year=year)
    engine = backend()
    # The match goes inside the set of readable entries: the database then finds the
    # matching entries by the full-text index and checks access on those alone, instead
    # of listing every readable entry first (which grows with the whole index).
    matching, match_params = engine.matching(query)
    entries = entries.filter(id__in=RawSQL(matching, match_params))
    subquery = entries.order_by().values("id").query.sql_with_params()
    ranked = engine.ranked(query, subquery, limit=limit, offset=offset)
    # The page carries the count; an empty page (nothing matched, or a page past the end)
    # needs the count alone, unless it is the first.
    total = ranked[0][2] if ranked else (engine.count(query, subquery) if offset else 0)
    ids = [pk for pk, _, _ in ranked]
    rows = SearchEntry.objects.in_bulk(ids)
    snippets = engine.snippets(query, ids)
    results = []
    for pk, score, _ in ranked:
        entry = rows.get(pk)
        if entry is None:  # reindexed away since it was ranked
            continue
        title, text = snippets.get(pk, ("", ""))
        results.append(
            Result(
                type=entry.kind,
                key=entry.key,
                title=entry.title,
                snippet=choose(title, text),
                url=entry.url,
                year=entry.year,
                language=entry.language,
                status=entry.status or None,
                rank=round(score, 4),
            )
        )
    return Results(total, results, query.text, query.note, limit, offset)


# --- The documents page's text search -----------------------------------------------

# Search entries read for one registry search: a few pages of the index's best matches.
SEARCH_PAGES = 3


@dataclass(frozen=True)
class Found:
    """Readable documents matching a text search, best first, each with its snippet."""

    documents: list[Document]
    snippets: dict[int, str]  # document id -> HTML snippet (escaped, matches in <mark>)
    note: str | None  # what the search said about the query, if anything
    capped: bool  # more entries matched than were read: only the best are shown


def documents_search(
    q: str,
    *,
    user,
    at: dt.date,
    type: str | None = None,
    status: str | None = None,
    body=None,
    meeting=None,
    year: int | None = None,
) -> Found:
    """The documents of `documents_list` (same filters) whose texts or titles match `q`,
    ranked by the search index (which applies the access rule itself)."""
    keys: list[str] = []
    snippets_by_key: dict[str, str] = {}
    note, total, read = None, 0, 0
    for page in range(SEARCH_PAGES):
        results = search(q, user=user, type="document", limit=MAX_LIMIT, offset=page * MAX_LIMIT)
        note, total = results.note, results.total
        read += len(results.results)
        for result in results.results:
            if result.key not in snippets_by_key:
                keys.append(result.key)
                snippets_by_key[result.key] = result.snippet
        if read >= total or not results.results:
            break
    found = documents_list(
        user=user, at=at, type=type, status=status, body=body, meeting=meeting, year=year
    ).filter(key__in=keys)
    by_key = {d.key: d for d in found}
    ordered = [by_key[k] for k in keys if k in by_key]
    return Found(
        documents=ordered,
        snippets={d.pk: snippets_by_key[d.key] for d in ordered},
        note=note,
        capped=read < total,
    )
