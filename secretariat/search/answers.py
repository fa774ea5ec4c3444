"""The search's answer, declared once (core.answers), built from search.selectors.Results."""

from __future__ import annotations

from ninja import Field

from secretariat.core.answers import Answer


class ResultOut(Answer):
    type: str
    key: str
    title: str
    snippet: str = Field(description="HTML: the text escaped, matches in <mark>...</mark>.")
    url: str = Field(description="Where the API shows the record.")
    year: int | None = None
    language: str
    status: str | None = None
    rank: float = Field(description="Higher is better; above 1: the title matched.")


class SearchOut(Answer):
    total: int = Field(description="Records matching, among those the caller may read.")
    results: list[ResultOut]
    query: str = Field(description="What was actually searched.")
    note: str | None = Field(None, description="What was changed in the query, if anything.")
    limit: int
    offset: int
