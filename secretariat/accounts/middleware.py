"""Who is asking: API tokens, then the acting user for every write of the request."""

from __future__ import annotations

import json

from django.http import HttpResponse

from secretariat.core.acting import acting_as

from . import tokens


def _problem(status: int, title: str, detail: str) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    response = HttpResponse(
        json.dumps(body), status=status, content_type="application/problem+json"
    )
    response["WWW-Authenticate"] = 'Bearer realm="secretariat"'
    return response


class ApiTokenMiddleware:
    """`Authorization: Bearer <token>` signs the request in as the token's user.

    A token request carries no cookie a browser could be tricked into sending,
    so it needs no CSRF token; an unknown or revoked token is refused outright
    rather than silently read as the public.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.auth_via = "session" if request.user.is_authenticated else None
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return _problem(401, "Unauthorized", "Use 'Authorization: Bearer <token>'.")
            user = tokens.user_for(token.strip())
            if user is None:
                return _problem(401, "Unauthorized", "The API token is unknown or revoked.")
            request.user = user
            request.auth_via = "token"
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)


class ActingMiddleware:
    """Every write made while answering the request is checked and audited as its user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        via = (
            "api" if path.startswith("/api/") else "admin" if path.startswith("/admin/") else "web"
        )
        with acting_as(request.user, via=via):
            return self.get_response(request)
