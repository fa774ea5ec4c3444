"""Public API answers kept and reused while the record has not changed.

An answer is kept under everything it depends on: the address (path and query), the
language, the day (the default `at`, embargoes), and the length of the audit trail
(audit.TrailLength), which the database raises as every change of the record commits.
The trail's length is read before the answer is built, so an answer is never kept
under a length older than the record it shows. Only answers the same for every
anonymous caller are kept: signed-in callers, who may read more, are always answered
afresh; so are the reads that depend on the hour (procedures, whose silence ends at a
given time) or on the search index (written just after the change it follows).
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone, translation

from secretariat.audit.models import TrailLength

# The reads kept: the registry, bodies and meetings, documents (not their texts'
# downloads) and treaties.
CACHED = re.compile(
    r"^/api/v1/(?:overview|organization|statuses|chairmanships|heads|people(?:/[^/]+)?"
    r"|actors(?:/[^/]+(?:/treaty-actions)?)?"
    r"|bodies(?:/[^/]+)?|meetings(?:/[^/]+(?:/outcomes)?)?"
    r"|documents(?:/[^/]+)?"
    r"|treaties(?:/[^/]+/(?:status|status\.csv|actions))?)/?$"
)
HEADER = "X-Answer-Cache"  # hit or miss, for the benchmark and for operators
MAX_KEPT_BYTES = 256 * 1024
# Headers not kept with an answer: the outer middleware (core.api_http) sets what it
# varies on, and the server the rest, on every answer. The ETag is kept: a view may have
# tagged its answer with the record's version (api_http.entity_tag), and a kept answer
# must carry the very tag the fresh one did, or If-None-Match would miss.
NOT_KEPT = frozenset({"set-cookie", "vary", "content-length", "date", HEADER.lower()})


def trail_length() -> int | None:
    """The trail's length now (None if its row is missing: nothing is kept then)."""
    return TrailLength.objects.values_list("entries", flat=True).first()


def _cacheable(request) -> bool:
    return (
        settings.API_CACHE_SECONDS > 0
        and request.method == "GET"
        and bool(CACHED.match(request.path_info))
        and not request.user.is_authenticated
        and "HTTP_AUTHORIZATION" not in request.META
        # A client may ask for an answer built afresh (RFC 9111's request directive).
        and "no-cache" not in request.headers.get("Cache-Control", "")
    )


def _key(request, length: int) -> str:
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    day = timezone.localdate().isoformat()
    return f"answer:{length}:{day}:{translation.get_language()}:{address}"


class ResponseCacheMiddleware:
    """Answers a kept public read from the cache, and keeps the ones it builds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable(request) or (length := trail_length()) is None:
            return self.get_response(request)
        cache = caches[settings.API_CACHE]
        key = _key(request, length)
        kept = cache.get(key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content, headers=headers)
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # A few large answers must not crowd out many small ones, nor swell a worker.
            and len(response.content) <= MAX_KEPT_BYTES
        ):
            headers = {h: v for h, v in response.items() if h.lower() not in NOT_KEPT}
            cache.set(key, (response.content, headers), settings.API_CACHE_SECONDS)
            response[HEADER] = "miss"
        return response
