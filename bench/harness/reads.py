"""The mix of reads: what each one asks the site, its floor, and what Datasette is asked.

A Read turns one parameter set (picked by the probe) into the URL of our answer, says how
to take the keys out of that answer (to compare with the floor's), and names its floor
function and, for the lists Datasette can serve, Datasette's URL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from . import floor


@dataclass(frozen=True)
class Read:
    name: str
    label: str
    path: str  # a format string over the parameter set
    query: tuple[str, ...]  # the parameters sent in the query string
    keys: Callable[[dict], list]  # keys of our JSON answer, in order
    floor: Callable | None = None
    page_param: str | None = None  # the page size parameter, for lists
    items: str | None = None  # where a list's items are, to count them
    delegate: bool = False  # sent with the delegate's API token
    datasette: Callable[[dict, dict], str] | None = None  # (item, context) -> path
    datasette_keys: Callable[[dict], list] | None = None
    json: bool = True
    target_ms: float = 50.0

    def url(self, item: dict) -> str:
        query = {k: item[k] for k in self.query if item.get(k) is not None}
        path = self.path.format(**item)
        return f"{path}?{urlencode(query)}" if query else path

    def count_items(self, response) -> int | None:
        """How many items a list answer holds (the probe's Client response)."""
        if not self.items or response.status_code != 200:
            return None
        data = json.loads(response.content)
        for part in self.items.split("."):
            data = data[part]
        return len(data)


def _items(key: str, path: str = "items") -> Callable[[dict], list]:
    def keys(data: dict) -> list:
        for part in path.split("."):
            data = data[part]
        return [i[key] for i in data]

    return keys


def _document_keys(data: dict) -> list:
    return [f"v{v['number']}" for v in data["versions"]] + [f"e{e['id']}" for e in data["events"]]


def _treaty_keys(data: dict) -> list:
    return sorted({r["participant"]["slug"] for r in data["table"]})


def _datasette_sql(sql: str, params: dict) -> str:
    return "/bench.json?" + urlencode({"sql": sql, **params, "_shape": "objects"})


def _datasette_members(item: dict, context: dict) -> str:
    sql = floor.MEMBERS_PAGE.format(holds=floor.holds("s"))
    return _datasette_sql(sql, floor.bounds("at", item["at"]) | {"limit": item["limit"]})


def _datasette_meetings(item: dict, context: dict) -> str:
    return _datasette_sql(floor.MEETINGS_PAGE, floor.meetings_params(item))


def _datasette_documents(item: dict, context: dict) -> str:
    """The table endpoint, as a Datasette user would ask it: filters, the access rule as
    `_where`, sorted by symbol, foreign keys labelled, the filtered count included."""
    query = {"type": item["type"]}
    if item.get("body_id"):
        query["body_id"] = item["body_id"]
    query |= {
        "_where": f"(access = 'public' OR public_from <= '{context['today']}')",
        "_sort": "symbol",
        "_size": item["limit"],
        "_labels": "on",
        "_shape": "objects",
    }
    return "/bench/documents_document.json?" + urlencode(query)


def _rows_key(key: str) -> Callable[[dict], list]:
    def keys(data) -> list:
        rows = data["rows"] if isinstance(data, dict) else data
        return [r[key] for r in rows]

    return keys


READS: tuple[Read, ...] = (
    Read(
        "overview",
        "Overview at a date",
        "/api/v1/overview",
        ("at",),
        _items("slug", "members.items"),
        floor.overview,
    ),
    Read(
        "members",
        "Members at a date",
        "/api/v1/actors",
        ("at", "status", "limit"),
        _items("slug"),
        floor.members,
        page_param="limit",
        items="items",
        datasette=_datasette_members,
        datasette_keys=_rows_key("slug"),
    ),
    Read(
        "meetings",
        "Meetings by body and year",
        "/api/v1/meetings",
        ("body", "from", "to", "limit"),
        _items("key"),
        floor.meetings,
        page_param="limit",
        items="items",
        datasette=_datasette_meetings,
        datasette_keys=_rows_key("key"),
    ),
    Read(
        "documents",
        "Document list, filtered",
        "/api/v1/documents",
        ("type", "body", "at", "limit"),
        _items("key"),
        floor.documents,
        page_param="limit",
        items="items",
        datasette=_datasette_documents,
        datasette_keys=_rows_key("key"),
    ),
    Read(
        "document",
        "Document detail",
        "/api/v1/documents/{key}",
        ("at",),
        _document_keys,
        floor.document,
    ),
    Read(
        "treaty",
        "Treaty status",
        "/api/v1/treaties/{key}/status",
        ("at",),
        _treaty_keys,
        floor.treaty,
    ),
    Read(
        "procedure",
        "Procedure detail",
        "/api/v1/procedures/{id}",
        (),
        _items("id", "positions"),
        floor.procedure,
    ),
    Read(
        "search",
        "Search (public)",
        "/api/v1/search",
        ("q", "limit"),
        _items("key", "results"),
        floor.search,
        page_param="limit",
        items="results",
        target_ms=100.0,
    ),
    Read(
        "search_delegate",
        "Search (delegate)",
        "/api/v1/search",
        ("q", "limit"),
        _items("key", "results"),
        floor.search_delegate,
        page_param="limit",
        items="results",
        delegate=True,
        target_ms=100.0,
    ),
    Read(
        "report",
        "Report page (HTML)",
        "/reports/report/",
        ("chairmanship", "audience", "language"),
        lambda data: [],
        json=False,
    ),
)

BY_NAME = {r.name: r for r in READS}


def expand(params: dict) -> dict:
    """Parameter sets with the derived values the URLs use (members' status, meetings'
    from/to, documents' at)."""
    out = {}
    for name, sets in params.items():
        items = []
        for item in sets:
            item = dict(item)
            if name == "members":
                item["status"] = "member"
            if name == "meetings":
                item["from"], item["to"] = f"{item['year']}-01-01", f"{item['year']}-12-31"
            items.append(item)
        out[name] = items
    return out
