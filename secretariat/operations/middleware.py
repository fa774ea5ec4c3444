"""One log line per request: its id, method, path, status, who asked and how long it took.

First in MIDDLEWARE, so that the time counts every other middleware and a request
refused by one of them (a redirect to HTTPS, a busy database) is logged too. The id
is the caller's `X-Request-ID` when it is a sane one (a proxy's or load balancer's,
so that their logs and ours join), else a new one; the answer carries it back.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from . import logs

logger = logging.getLogger(__name__)
HEADER = "X-Request-ID"
# Letters, digits and a few separators, as proxies make them (a UUID, a hex string):
# anything else is not written into the logs as it came.
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Route parameters that are secrets (a password reset's or an unsubscribe link's token):
# the log shows where the request went, not the key that opened it.
SECRET_PARAMS = frozenset({"token"})


def request_id(request) -> str:
    given = request.headers.get(HEADER, "")
    return given if SANE_ID.fullmatch(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = rid = request_id(request)
        token = logs.request_id.set(rid)
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            user, role = _who(request)
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": _path(request),
                    "status": response.status_code,
                    "user": user,
                    "role": role,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            logs.request_id.reset(token)


def _path(request) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name in SECRET_PARAMS & set(match.kwargs if match else ()):
        path = path.replace(str(match.kwargs[name]), "[secret]")
    return path


def _who(request) -> tuple[str, str]:
    """The signed-in user's id and role ("-" for anyone else). The role only if the
    account was already read for this request: the log line costs no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "-", "-"
    role = "-"
    # user.__class__, not type(user): request.user is a lazy object standing for the user.
    descriptor = getattr(user.__class__, "account", None)
    if descriptor is not None and descriptor.is_cached(user):
        role = getattr(getattr(user, "account", None), "role", "-")
    return str(user.pk), role
