"""Authentication for API operations that write: a token, or a session with CSRF."""

from __future__ import annotations

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
