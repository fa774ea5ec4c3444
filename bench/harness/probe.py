"""Runs inside Django (a subprocess with the benchmark's environment), before the load.

    python bench/harness/probe.py --out PATH

1. Makes (once) a delegate account of a member state and an API token for it, kept in the
   var dir, so that search can also be measured as a signed-in delegate.
2. Picks the parameters of every read from the database, deterministically: dates,
   bodies and years, document types, keys, treaty keys, procedure ids, search words,
   chairmanships. Each read gets several parameter sets, cycled through under load.
3. Counts the SQL queries of each read (django.test.Client, CaptureQueriesContext) at two
   page sizes, to tell whether they grow with the page.
4. Writes what the floor needs and Django alone knows: content type ids, the search
   backend's SQL pieces (FTS5 match expression and index terms, or tsqueries).

It writes one JSON file; nothing else reads Django.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from harness.reads import READS, expand

DELEGATE = "bench-delegate"
PAGE_SMALL, PAGE_LARGE = 10, 50


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    import django

    django.setup()
    result = probe()
    options.out.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


def probe() -> dict:
    from django.conf import settings

    today = dt.date.today()
    from secretariat.accounts import tokens

    token = delegate_token(Path(settings.VAR_DIR), today)
    params = pick(today)
    delegate = tokens.user_for(token["token"]) if token else None
    return {
        "today": today.isoformat(),
        "vendor": _vendor(),
        "params": params,
        "token": token["token"] if token else None,
        "delegate": token["actor"] if token else None,
        "content_types": content_types(),
        "search_statements": search_statements(params.get("search", []), delegate),
        "queries": count_queries(expand(params), token["token"] if token else None),
    }


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


# --- The delegate and its token ----------------------------------------------------------


def delegate_token(var_dir: Path, today: dt.date) -> dict | None:
    """A delegate of the first member state (by name) on `today`, with a token; kept in
    var_dir/bench-token.json and reused while the account exists."""
    from django.contrib.auth import get_user_model

    from secretariat.accounts import tokens
    from secretariat.accounts.services import account_create, token_create
    from secretariat.core.acting import acting_as
    from secretariat.registry.selectors import statuses_at

    path = var_dir / "bench-token.json"
    user_model = get_user_model()
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        if tokens.user_for(saved["token"]) is not None:
            return saved
    members = sorted(
        (s.status.actor for s in statuses_at(today, kind="member") if s.certainty == "yes"),
        key=lambda a: a.name_en,
    )
    if not members:
        return None
    actor = members[0]
    with acting_as(via="command", reason="bench: a delegate to search as"):
        user = user_model.objects.filter(username=DELEGATE).first()
        if user is None:
            user = account_create(
                username=DELEGATE,
                password=f"bench-{os.urandom(12).hex()}",
                role="delegate",
                actor=actor,
                email="",
            )
            user = getattr(user, "user", user)
        _, secret = token_create(user=user, name="bench")
    saved = {"token": secret, "actor": actor.slug}
    path.write_text(json.dumps(saved) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return saved


# --- Parameters ----------------------------------------------------------------------------


def _spread(items: list, n: int) -> list:
    """n items evenly spread over the list (all of them when there are fewer)."""
    if len(items) <= n:
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def pick(today: dt.date) -> dict:
    from django.db.models import Count

    from secretariat.accounts.policy import documents_q
    from secretariat.bodies.models import Body
    from secretariat.bodies.selectors import meetings_list
    from secretariat.decisions.models import Procedure
    from secretariat.documents.models import Document
    from secretariat.registry.models import Status
    from secretariat.reports.period import runs
    from secretariat.treaties.models import Treaty

    params: dict[str, list[dict]] = {}

    # Dates: the first of January of years spread from the first status to today, and today.
    first = Status.objects.order_by("start_date").values_list("start_date", flat=True).first()
    if first is not None:
        years = list(range(first.year + 1, today.year + 1))
        dates = [dt.date(y, 1, 1) for y in _spread(years, 4)] + [today]
        params["overview"] = [{"at": d.isoformat()} for d in dates]
        params["members"] = [{"at": d.isoformat(), "limit": PAGE_LARGE} for d in dates]

    # Meetings: the three bodies with most meetings, each in its two busiest years.
    bodies = list(
        Body.objects.annotate(n=Count("meetings")).filter(n__gt=0).order_by("-n", "slug")[:3]
    )
    sets = []
    for body in bodies:
        years = Counter(
            m.effective_start.year for m in meetings_list(body=body) if m.effective_start
        )
        for year, _ in sorted(years.items(), key=lambda kv: (-kv[1], kv[0]))[:2]:
            sets.append({"body": body.slug, "body_id": body.pk, "year": year, "limit": PAGE_LARGE})
    params["meetings"] = sets

    # Document list: the three commonest types, alone and with their commonest body.
    public = Document.objects.filter(documents_q(None, day=today))
    types = list(
        public.values("type")
        .annotate(n=Count("id"))
        .order_by("-n", "type")
        .values_list("type", flat=True)[:3]
    )
    sets = []
    for kind in types:
        sets.append({"type": kind, "limit": PAGE_LARGE})
        top = (
            public.filter(type=kind, body__isnull=False)
            .values("body__slug", "body_id")
            .annotate(n=Count("id"))
            .order_by("-n", "body__slug")
            .first()
        )
        if top:
            sets.append(
                {"type": kind, "body": top["body__slug"], "body_id": top["body_id"],
                 "limit": PAGE_LARGE}
            )  # fmt: skip
    params["documents"] = sets

    # Document detail: public documents spread over the ids, busiest and quietest alike.
    ids = list(public.order_by("id").values_list("key", flat=True))
    params["document"] = [{"key": k, "at": today.isoformat()} for k in _spread(ids, 8)]

    # Treaties readable by the public.
    treaties = list(
        Treaty.objects.filter(documents_q(None, "document__", day=today))
        .order_by("document__symbol", "id")
        .values_list("document__key", flat=True)
    )
    params["treaty"] = [{"key": k, "at": today.isoformat()} for k in _spread(treaties, 5)]

    # Procedures readable by the public, spread over the ids.
    procedures = list(
        Procedure.objects.filter(documents_q(None, "version__document__", day=today))
        .order_by("id")
        .values_list("id", flat=True)
    )
    params["procedure"] = [{"id": pk} for pk in _spread(procedures, 8)]

    params["search"] = [{"q": w, "limit": 20} for w in search_words(public.count())]
    params["search_delegate"] = params["search"]

    chairmanships = [r.slug for r in runs()][-3:]
    params["report"] = [
        {"chairmanship": c, "audience": "public", "language": "en"} for c in chairmanships
    ]
    return params


def search_words(documents: int) -> list[str]:
    """Words of document titles that match a moderate number of records: about one in
    twenty documents (at least two), the closest three, ties by the word."""
    from secretariat.search.models import SearchEntry
    from secretariat.search.selectors import search

    counts: Counter[str] = Counter()
    titles = SearchEntry.objects.filter(kind="document", language="en", part=0).values_list(
        "title", flat=True
    )
    for title in titles.iterator():
        counts.update({w.lower() for w in re.findall(r"[A-Za-z]{6,}", title)})
    target = max(2, documents // 20)
    # Titles count a word once per record; the text matches more: look near the target.
    candidates = sorted(counts, key=lambda w: (abs(counts[w] - target), w))[:12]
    totals = {w: search(w, user=None, limit=1).total for w in candidates}
    chosen = sorted((w for w in candidates if totals[w] >= 2), key=lambda w: (
        abs(totals[w] - target), w))[:3]  # fmt: skip
    return chosen or candidates[:1]


# --- What the floor needs from Django --------------------------------------------------------


def content_types() -> dict[str, int]:
    from django.contrib.contenttypes.models import ContentType

    return {f"{c.app_label}.{c.model}": c.pk for c in ContentType.objects.all()}


def search_statements(sets: list[dict], delegate) -> dict:
    """The SQL the search backend sends for each word, as the public and as the delegate:
    (statement, parameters, many) as Django hands them to the driver, for the floor to
    replay without Django."""
    from django.db import connection

    from secretariat.search.selectors import search

    out: dict[str, dict] = {"public": {}, "delegate": {}}
    for who, user in (("public", None), ("delegate", delegate)):
        if who == "delegate" and delegate is None:
            continue
        for item in sets:
            captured: list = []

            def keep(execute, sql, params, many, context, captured=captured):
                captured.append((sql, [list(p) for p in params] if many else list(params or []),
                                 many))  # fmt: skip
                return execute(sql, params, many, context)

            search(item["q"], user=user, limit=item["limit"])  # warm the backend's caches
            with connection.execute_wrapper(keep):
                search(item["q"], user=user, limit=item["limit"])
            out[who][item["q"]] = captured
    return out


# --- Queries per request --------------------------------------------------------------------


def count_queries(params: dict, token: str | None) -> dict:
    """SQL queries of each read's first parameter set, at two page sizes where it has one."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    out = {}
    for read in READS:
        sets = params.get(read.name) or []
        if not sets:
            continue
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if read.delegate and token else {}
        # The queries of building the answer, not of taking it from the answer cache.
        headers["HTTP_CACHE_CONTROL"] = "no-cache"
        sizes = [None] if read.page_param is None else [PAGE_SMALL, PAGE_LARGE]
        row = {}
        for size in sizes:
            item = dict(sets[0])
            if size is not None:
                item[read.page_param] = size
            url = read.url(item)
            client.get(url, **headers)  # warm: per-process caches are not per-request cost
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, **headers)
            row[str(size or "page")] = {
                "status": response.status_code,
                "queries": len(captured.captured_queries),
                "items": read.count_items(response),
            }
        out[read.name] = row
    return out


if __name__ == "__main__":
    sys.exit(main())
