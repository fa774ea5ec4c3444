"""The signed-in user's own view: role, the state represented, and what awaits it."""

from __future__ import annotations

from ninja import Router

from secretariat.core.schemas import Problem
from secretariat.decisions import selectors as decision_selectors

from .answers import MeOut

router = Router(tags=["accounts"])


@router.get(
    "/me",
    response={200: MeOut, 401: Problem},
    summary="Who you are to the API, and what awaits your state",
    description="Anonymous callers are the public. Send `Authorization: Bearer <token>` (made "
    "on your account page) to act with your account's rights.",
)
def me(request):
    user = request.user
    return MeOut.build(user, awaiting=decision_selectors.awaiting(user))
