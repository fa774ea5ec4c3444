"""Reads from read replicas, writes to the primary: the router and the middleware behind
`DATABASE_REPLICA_URLS` (settings), for several application servers at scale.

A request reads from one replica, chosen when it starts, unless it is pinned to the
primary: every unsafe request (POST, PATCH...) is, and so is every request of a client
that wrote in the last `REPLICA_PIN_SECONDS`, told by a cookie, so that people see
their own change at once although replicas lag. Reads inside a transaction go to the
primary too: they must see the transaction's own writes and the rows it locked.
Outside a request (commands, the loader, tests) everything goes to the primary.
"""

from __future__ import annotations

import random
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PINNED = "replica_pin"  # the cookie a write sets
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_reading_from: ContextVar[str] = ContextVar("reading_from", default=DEFAULT_DB_ALIAS)


class ReplicaRouter:
    """Sends each read to the request's replica, and everything else to the primary."""

    def db_for_read(self, model, **hints) -> str:
        alias = _reading_from.get()
        if alias == DEFAULT_DB_ALIAS or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS  # replicas follow the primary's schema by replication


class ReplicaMiddleware:
    """Chooses where the request reads from, and pins a client that writes to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method not in SAFE_METHODS
        choices = settings.DATABASE_REPLICAS
        if writes or not choices or request.COOKIES.get(PINNED):
            alias = DEFAULT_DB_ALIAS
        else:
            alias = random.choice(choices)
        token = _reading_from.set(alias)
        try:
            response = self.get_response(request)
        finally:
            _reading_from.reset(token)
        if writes and choices:
            response.set_cookie(
                PINNED,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
