"""HTTP for the API under /api/: conditional GET, one error format, and If-Match.

`ApiHttpMiddleware` (in settings.MIDDLEWARE) gives every successful read an ETag
derived from the answer's bytes, so the tag depends on exactly what this caller was
shown: two callers with different rights who were shown different answers never
share a tag, and a 304 can never hide a difference (an answer that depends on the
day, the caller or the language changes its tag with it). It answers 304 to a
matching If-None-Match, and marks what the answer varies on for caches.

It also makes every 4xx an RFC 9457 problem, whoever produced it: the URL resolver
(no such path), ninja (a method the path does not take), the CSRF check.

Writes use edit versions: a record's ETag starts with `"v<version>"`, and If-Match
names the version the client's edit started from (`if_match_version`).
"""

from __future__ import annotations

import hashlib
import json
import re
from http import HTTPStatus
from typing import Any

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe
from ninja.errors import HttpError

API_PREFIX = "/api/"
PROBLEM = "application/problem+json"
# An answer differs by who asks (token or session) and in which language.
VARY = ("Authorization", "Cookie", "Accept-Language")
# Headers a rewritten error keeps: they tell the client what to do next.
KEPT = ("Allow", "WWW-Authenticate", "Retry-After", "ETag", "Vary", "Cache-Control")


def problem_body(status: int, detail: str, *, title: str | None = None, **extra) -> dict:
    """The fields of an RFC 9457 problem."""
    return {
        "type": "about:blank",
        "title": title or title_of(status),
        "status": status,
        "detail": detail,
        **extra,
    }


def title_of(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:32]


def answer_digest(data: Any) -> str:
    """A digest of an answer before it is rendered (keys sorted, so order cannot matter)."""
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return digest(text.encode())


def entity_tag(
    *, content: bytes | None = None, data: Any = None, version: int | None = None
) -> str:
    """The one ETag of a representation, wherever it is made (a view, the middleware, a
    kept answer, an export): `"v<version>-<digest>"` for a versioned record (If-Match
    reads the version, If-None-Match the whole), `"<digest>"` otherwise, `"v<version>"`
    when only the version is known. The digest is of the bytes sent, or of the answer's
    data before it is rendered."""
    if content is not None:
        hashed = digest(content)
    elif data is not None:
        hashed = answer_digest(data)
    else:
        hashed = None
    if version is None:
        if hashed is None:
            raise ValueError("An ETag needs a version, the content or the data.")
        return f'"{hashed}"'
    return f'"v{version}-{hashed}"' if hashed else f'"v{version}"'


def version_etag(version: int, data: Any = None) -> str:
    """A record's ETag: its edit version, and with the answer given, a digest of it, so the
    tag serves If-Match (the version) and If-None-Match (this very answer) alike."""
    return entity_tag(data=data, version=version)


_IF_MATCH = re.compile(r'\s*"v(\d{1,9})(?:-[0-9a-f]{1,64})?"\s*')


def if_match_version(request, *, what: str = "record") -> int:
    """The version the client's edit started from, from If-Match (one ETag, as GET gave it).

    Missing: 428 (an edit must say what it started from); not one of our tags: 412.
    """
    header = request.headers.get("If-Match")
    if not header:
        raise HttpError(
            428,
            f"Send If-Match with the ETag of the {what} as you read it (GET gives it), so "
            "that your edit cannot overwrite someone else's.",
        )
    match = _IF_MATCH.fullmatch(header)
    if match is None:
        raise HttpError(412, f'If-Match must be one ETag of the {what} as GET gave it: "v3".')
    return int(match.group(1))


def is_problem(response) -> bool:
    return response.get("Content-Type", "").startswith(PROBLEM)


def _detail(request, response) -> str:
    """What went wrong, in words, for an error answered without problem details."""
    status = response.status_code
    if status == 405:
        allowed = response.get("Allow", "")
        return f"{request.method} is not allowed here; this path takes: {allowed}."
    if status == 404:
        return "No API operation answers this path (see /api/v1/openapi.json)."
    if status == 412:
        return "The precondition failed: the ETag named no longer matches the current answer."
    if status == 403 and b"CSRF" in getattr(response, "content", b""):
        return "CSRF check failed: send the X-CSRFToken header with the session."
    content_type = response.get("Content-Type", "")
    content = b"" if getattr(response, "streaming", False) else response.content
    text = content.decode("utf-8", "replace").strip()
    if content_type.startswith("text/plain") and text and len(text) < 300:
        return text
    if content_type.startswith("application/json"):
        try:
            detail = json.loads(text).get("detail")
        except (ValueError, AttributeError):
            detail = None
        if isinstance(detail, str):
            return detail
    return title_of(status) + "."


def as_problem(request, response) -> HttpResponse:
    """The same error as RFC 9457 problem details."""
    status = response.status_code
    body = problem_body(status, _detail(request, response))
    problem = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM)
    for header in KEPT:
        if header in response:
            problem[header] = response[header]
    problem.cookies = response.cookies
    return problem


def conditional(request, response):
    """ETag (unless the view gave one), then 304 for a matching If-None-Match."""
    if not response.has_header("ETag") and not getattr(response, "streaming", False):
        kind = response.get("Content-Type", "").encode()
        response["ETag"] = entity_tag(content=kind + b"\n" + response.content)
    patch_cache_control(response, no_cache=True)  # keep it, but ask us before reusing it
    if not response.has_header("ETag"):
        return response
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    answer = get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )
    if answer.status_code == 412:
        return as_problem(request, answer)
    return answer


def _refuse_nul(request) -> HttpResponse | None:
    """422 for a path or JSON body holding NUL (U+0000): no record holds one, and PostgreSQL
    refuses it in a query, so it is refused at the door, saying where, not failing inside."""
    # Query parameters are left to their schemas: search, for one, takes any text.
    places = []
    if "\x00" in request.path_info:
        places.append("path")
    if _is_json(request) and "\\u0000" in _body_text(request).lower():
        places.append("body")
    if not places:
        return None
    detail = "Text may not contain the NUL character (U+0000): " + ", ".join(places) + "."
    errors = [{"loc": place.split("."), "msg": "NUL character"} for place in places]
    body = problem_body(422, detail, title="Invalid input", errors=errors)
    return HttpResponse(json.dumps(body), status=422, content_type=PROBLEM)


def _is_json(request) -> bool:
    kind = request.content_type or ""
    return kind == "application/json" or kind.endswith("+json")


def _body_text(request) -> str:
    try:
        return request.body.decode("utf-8", "replace")
    except Exception:  # a body too large to read, or already read as a stream
        return ""


class ApiHttpMiddleware:
    """Conditional GET and problem details for every answer under /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        response = _refuse_nul(request) or self.get_response(request)
        if 400 <= response.status_code < 500 and not is_problem(response):
            response = as_problem(request, response)
        elif request.method in ("GET", "HEAD") and response.status_code == 200:
            response = conditional(request, response)
        patch_vary_headers(response, VARY)
        return response
