"""The search endpoint: whatever is typed is answered, never with a server error."""

from enum import StrEnum

from ninja import Field, Query, Router, Schema

from secretariat.core.schemas import Problem

from . import selectors
from .answers import SearchOut
from .models import SearchEntry

router = Router(tags=["search"])

EntryType = StrEnum("EntryType", {k: k for k in SearchEntry.Kind.values})


class SearchQuery(Schema):
    q: str = Field("", description='Words, and "quoted phrases"; every term must match.')
    type: EntryType | None = Field(None, description="Only this kind of record.")
    year: int | None = Field(None, ge=1, le=9999, description="The record's year.")
    body: str | None = Field(None, description="A body's slug.")
    status: str | None = Field(
        None, description="Status when indexed: a document's lifecycle status, a meeting's "
        "held/planned/..., an initiative's or a body's status, an actor's current status.",
    )  # fmt: skip
    language: str | None = Field(None, description="Language of the match: en, ru...")
    limit: int = Field(
        20, ge=1, le=selectors.MAX_LIMIT, description=f"Results per page (1-{selectors.MAX_LIMIT})."
    )
    offset: int = Field(0, ge=0, le=100_000, description="Results to skip before the page.")


@router.get(
    "/search",
    response={200: SearchOut, 422: Problem},
    summary="Full-text search over documents, meetings, actors, bodies and initiatives",
    description="Ranked results with highlighted snippets, one per record (its best "
    "language). Only what the caller may read is searched, counted and quoted. Any text "
    "is accepted in `q`: operators and special characters are dropped, an unmatched quote "
    "ignored, and long input cut (see `note`).",
)
def search(request, query: Query[SearchQuery]):
    results = selectors.search(
        query.q, user=request.user, type=query.type.value if query.type else None,
        year=query.year, body=query.body, status=query.status, language=query.language,
        limit=query.limit, offset=query.offset,
    )  # fmt: skip
    return SearchOut.build(results)
