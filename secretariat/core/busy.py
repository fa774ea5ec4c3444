"""A busy database: a write that cannot get its lock is answered 503 with Retry-After.

SQLite lets one connection write at a time; a write that waits longer than its busy
timeout fails with "database is locked". PostgreSQL writes fail alike when a lock is
not granted within `lock_timeout` (or NOWAIT), when transactions cannot be serialized,
and when no connection slot is left. Each is a moment's contention, not a fault: the
caller is told to try again (503 and Retry-After), as problem details under /api/ and
as a page elsewhere that keeps what the user typed, never as a 500 with a traceback.

One place answers it for every view (`BusyDatabaseMiddleware.process_exception`, and
the API's exception handler in secretariat/api.py, which calls `answer`); `server_error`
(urls.handler500) answers it when another middleware met it (a session saved, a token
looked up). The middleware also gives web requests a shorter busy timeout than
commands and workers (settings.DATABASE_WEB_TIMEOUT): a person waits a few seconds
for the 503, a background import waits its turn.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import re
import sqlite3
import sys
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults

from .api_http import API_PREFIX, PROBLEM, problem_body

logger = logging.getLogger(__name__)

# SQLite's words for a lock another connection holds (SQLITE_BUSY, SQLITE_LOCKED).
SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked")
# PostgreSQL's SQLSTATEs: lock_not_available (lock_timeout, NOWAIT: "could not obtain
# lock"), serialization_failure, deadlock_detected, too_many_connections.
POSTGRESQL_BUSY = frozenset({"55P03", "40001", "40P01", "53300"})
# ...and their words where no SQLSTATE comes with the error (a connection refused at once).
POSTGRESQL_WORDS = re.compile(
    r"could not obtain lock|lock timeout|could not serialize access|deadlock detected"
    r"|too many (?:clients|connections)|remaining connection slots are reserved",
    re.IGNORECASE,
)
# Fields a page never writes back into itself: the user types them again.
SECRET_FIELD = re.compile(r"password|secret|token|^code$", re.IGNORECASE)
CSRF_FIELD = "csrfmiddlewaretoken"
# What a refused request tells the user, where a view says more than the default (e.g.
# sign-in: "you are not signed in"): the view (function or class) sets this attribute.
REFUSAL = "busy_refusal"


def is_busy(exc: BaseException) -> bool:
    """Whether the error is a lock or connection slot not granted in time (try again),
    rather than a fault (a missing table, a broken query)."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, (OperationalError, sqlite3.OperationalError)) or _sqlstate(exc):
            if _sqlstate(exc) in POSTGRESQL_BUSY:
                return True
            text = str(exc)
            if text.strip().lower() in SQLITE_BUSY or POSTGRESQL_WORDS.search(text):
                return True
        exc = exc.__cause__  # Django's error wraps the driver's, which carries the SQLSTATE
        seen += 1
    return False


def _sqlstate(exc: BaseException) -> str | None:
    # psycopg 3 names it sqlstate, psycopg2 pgcode.
    return getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)


def retry_after() -> int:
    """Seconds to wait before trying again: as long as a request waits for the lock."""
    return max(1, math.ceil(settings.DATABASE_WEB_TIMEOUT))


def answer(request) -> HttpResponse:
    """The 503 for a request whose write could not get the database: problem details under
    /api/, else a page saying so, with a form that sends the user's input again."""
    seconds = retry_after()
    logger.warning(
        "The database is busy: %s %s answered 503 (try again in %s s)",
        request.method,
        request.path,
        seconds,
    )
    if request.path_info.startswith(API_PREFIX):
        detail = (
            "The record is busy: another change is being saved. Nothing was saved; "
            f"send the request again in {seconds} seconds (Retry-After)."
        )
        body = problem_body(503, detail)
        response = HttpResponse(json.dumps(body), status=503, content_type=PROBLEM)
    else:
        response = HttpResponse(_page(request, seconds), status=503)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)  # the page may hold what the user typed
    return response


def _page(request, seconds: int) -> str:
    resend, posted = _form_again(request)
    context = {
        "seconds": seconds,
        "refusal": _refusal(request),
        "posted": posted,
        "resend": resend,
        "action": request.get_full_path(),
        "back": _back(request),
    }
    try:
        return render_to_string("503.html", context, request=request)
    except Exception:
        # The layout reads the database (its menus, the inbox); with no connection slot
        # left it cannot: the page alone then, still in the user's language.
        logger.warning("The busy page could not be drawn in the layout", exc_info=True)
        context["csrf_token"] = get_token(request)
        return render_to_string("portal/busy_plain.html", context)


def _refusal(request) -> str:
    """What the view says a refusal means (sign-in: "you are not signed in"), if it does."""
    view = getattr(getattr(request, "resolver_match", None), "func", None)
    return str(getattr(getattr(view, "view_class", view), REFUSAL, "") or "")


def _form_again(request) -> tuple[list[tuple[str, str]], bool]:
    """The posted fields a page can send again (none if a password or a file cannot be
    kept: the user goes back to the form instead), and whether a form was posted."""
    if request.method != "POST":
        return [], False
    try:
        posted, files = request.POST, request.FILES
    except Exception:  # a body that cannot be read as a form
        return [], True
    fields = []
    for name, values in posted.lists():
        if name == CSRF_FIELD:
            continue
        if SECRET_FIELD.search(name):
            return [], True
        fields.extend((name, value) for value in values)
    if files or not fields:
        return [], True
    return fields, True


def _back(request) -> str:
    """Where the user came from (the form), if it is this site's; else this address."""
    referer = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and safe else request.get_full_path()


def server_error(request):
    """urls.handler500: a busy database met outside a view (another middleware) is a 503
    too; every other error is Django's plain 500 page."""
    exc = sys.exc_info()[1]
    if exc is not None and is_busy(exc):
        return answer(request)
    return defaults.server_error(request)


_in_web_request: ContextVar[bool] = ContextVar("in_web_request", default=False)


@contextlib.contextmanager
def web_timeout(using: str = DEFAULT_DB_ALIAS):
    """SQLite: the block waits at most DATABASE_WEB_TIMEOUT for another's write lock, on
    the connection open now or on the one it opens (a request that reads nothing opens
    none); after it, the connection's own timeout (settings.DATABASES) again."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    token = _in_web_request.set(True)
    if connection.connection is not None:  # kept from an earlier request (CONN_MAX_AGE)
        _set_busy_timeout(connection.connection, _web_milliseconds())
    try:
        yield
    finally:
        _in_web_request.reset(token)
        if connection.connection is not None:
            _set_busy_timeout(connection.connection, _own_milliseconds(connection))


@receiver(connection_created)
def _opened_in_a_request(sender, connection, **kwargs):
    if connection.vendor == "sqlite" and _in_web_request.get():
        _set_busy_timeout(connection.connection, _web_milliseconds())


def _web_milliseconds() -> int:
    return int(settings.DATABASE_WEB_TIMEOUT * 1000)


def _own_milliseconds(connection) -> int:
    # As the driver was given it (sqlite3.connect's timeout, 5 s unless settings say).
    return int(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5) * 1000)


@contextlib.contextmanager
def not_waiting(using: str = DEFAULT_DB_ALIAS):
    """A write that gives up at once (OperationalError) rather than wait for a lock another
    connection holds: for bookkeeping that may be skipped, never worth a request's time."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        before = _busy_timeout(raw)
        _set_busy_timeout(raw, 0)
        try:
            yield
        finally:
            if connection.connection is raw:
                _set_busy_timeout(raw, before)
        return
    # A savepoint, so a refusal inside a caller's transaction leaves it usable (and undoes
    # the SET LOCAL; done, the caller's transaction gets its own lock_timeout back).
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(using=using):
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '100ms'")
        yield
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout TO DEFAULT")


# Set on the driver's connection, not through Django's cursor: no query to count or log.
def _busy_timeout(raw) -> int:
    return raw.execute("PRAGMA busy_timeout").fetchone()[0]


def _set_busy_timeout(raw, milliseconds: int) -> None:
    raw.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")


class BusyDatabaseMiddleware:
    """Web requests wait briefly for the database's write lock; one that cannot get it is
    answered 503 with Retry-After, whatever view it reached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with web_timeout():
            return self.get_response(request)

    def process_exception(self, request, exception):
        if is_busy(exception):
            return answer(request)
        return None
