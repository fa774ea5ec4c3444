"""Who is asking: API tokens, the second factor a role requires, then the acting user for
every write of the request."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from secretariat.core.acting import acting_as

from . import second_factor, tokens


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


class SecondFactorMiddleware:
    """A role that must sign in with a second factor (settings.MFA_REQUIRED_ROLES) reaches
    nothing before its session passed one: it is sent to give a code, or to turn the
    second factor on, and comes back after. Only signing out, those pages, static files
    and the language switch stay open. API tokens need no code: one is made only from a
    session that passed it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.auth_via == "session"
            and not second_factor.satisfied(request.user)
            and not request.path_info.startswith(_open_paths())
        ):
            return _second_factor_first(request)
        return self.get_response(request)


def _open_paths() -> tuple[str, ...]:
    return (
        reverse("accounts:sign-out"),
        reverse("accounts:sign-in-code"),
        reverse("accounts:second-factor"),
        reverse("set_language"),
        settings.STATIC_URL,
    )


def _second_factor_first(request) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return _problem(
            403, "Forbidden", "Your role signs in with a second factor: give your code first."
        )
    on = second_factor.is_on(request.user)
    step = "accounts:sign-in-code" if on else "accounts:second-factor"
    back = request.get_full_path() if request.method == "GET" else ""
    return redirect(reverse(step) + (f"?{urlencode({'next': back})}" if back else ""))


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
