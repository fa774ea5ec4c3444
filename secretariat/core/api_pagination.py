"""One pagination for every list the API answers: `{count, items}`, by `limit` and `offset`,
in a stable order, and the `ordering` parameter of the lists that offer one.

A list endpoint is decorated `@paginate(Paged)` and returns a queryset, a list, or a
`Presented` (a queryset or list whose items are turned into dicts only once sliced, so a
page costs the queries of its own items). A queryset is ordered by its own ordering, then
by primary key, so that rows equal on the sort key keep their places from page to page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Far beyond any list on record, and well inside what a database takes as an OFFSET.
MAX_OFFSET = 1_000_000


class PageQuery(Schema):
    """Which slice of the list to answer."""

    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page (1-{MAX_LIMIT})."
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip before the page.")


class Presented:
    """Items presented (turned into dicts) only once the page is sliced."""

    def __init__(self, items: QuerySet | Sequence, present: Callable[[Any], Any]):
        self.items, self.present = items, present

    def count(self) -> int:
        return self.items.count() if isinstance(self.items, QuerySet) else len(self.items)

    def __getitem__(self, window: slice) -> list:
        return [self.present(item) for item in self.items[window]]


def stable(qs: QuerySet) -> QuerySet:
    """The queryset in its own order, ties broken by primary key."""
    fields = list(qs.query.order_by) or list(qs.model._meta.ordering)
    if not any(str(f).lstrip("-") in ("pk", "id") for f in fields):
        fields.append("pk")
    return qs.order_by(*fields)


def window(items, *, limit: int, offset: int) -> dict[str, Any]:
    """`{count, items}`: the page of `items` (a queryset, a list or a Presented)."""
    if isinstance(items, Presented) and isinstance(items.items, QuerySet):
        items = Presented(stable(items.items), items.present)
    elif isinstance(items, QuerySet):
        items = stable(items)
    count = items.count() if isinstance(items, QuerySet | Presented) else len(items)
    return {"count": count, "items": list(items[offset : offset + limit])}


class Paged(PaginationBase):
    """Limit and offset, answering `{count, items}` with the total over all pages."""

    Input = PageQuery

    class Output(Schema):
        count: int = Field(description="Items matching, over all pages.")
        items: list[Any]

    def paginate_queryset(self, queryset, pagination: PageQuery, request, **params):
        return window(queryset, limit=pagination.limit, offset=pagination.offset)


def ordering(name: str, *keys: str) -> type[StrEnum]:
    """An enum of the orders a list offers: each key ascending, and descending with "-"."""
    return StrEnum(name, {v.replace("-", "desc_"): v for k in keys for v in (k, f"-{k}")})


def order_by(qs: QuerySet, choice: StrEnum | None, fields: dict[str, Sequence[str]]) -> QuerySet:
    """The queryset in the chosen order: `fields` maps each key to its model fields."""
    if choice is None:
        return qs
    descending = choice.value.startswith("-")
    columns = fields[choice.value.lstrip("-")]
    return qs.order_by(*(("-" if descending else "") + c for c in columns), "pk")


def sort(items: list, choice: StrEnum | None, keys: dict[str, Callable[[Any], Any]]) -> list:
    """A list in the chosen order (stable: equal items keep the order they came in)."""
    if choice is None:
        return items
    key = keys[choice.value.lstrip("-")]
    return sorted(items, key=key, reverse=choice.value.startswith("-"))
