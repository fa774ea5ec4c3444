"""Authentication for API operations that write: a token, or a session with CSRF."""

from __future__ import annotations

import contextlib

from django.core.exceptions import PermissionDenied, ValidationError
from ninja.errors import HttpError
from ninja.utils import check_csrf


def signed_in(request):
    """Ninja auth: the signed-in user, else 401; a browser session must send its CSRF token."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if getattr(request, "auth_via", None) != "token" and check_csrf(request) is not None:
        raise HttpError(403, "CSRF check failed: send the X-CSRFToken header with the session.")
    return user


@contextlib.contextmanager
def refused_as_problems():
    """A service's refusal becomes the API's answer: the policy's 403, the rules' 422."""
    try:
        yield
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Your role may not do this.") from exc
    except ValidationError as exc:
        raise HttpError(422, "; ".join(_messages(exc))) from exc


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {m}" for field, errors in exc.message_dict.items() for m in errors]
    return list(exc.messages)
