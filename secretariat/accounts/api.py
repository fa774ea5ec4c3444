"""The signed-in user's own view: role, the state represented, and what awaits it."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema

from secretariat.core.schemas import Problem
from secretariat.decisions import selectors as decision_selectors

from . import policy

router = Router(tags=["accounts"])


class ActorOut(Schema):
    slug: str
    name: str


class AwaitingCirculation(Schema):
    document: str = Field(description="The document's key.")
    symbol: str
    title: str
    deadline: dt.date | None = None


class AwaitingProcedure(Schema):
    id: int
    document: str
    symbol: str
    deadline: dt.datetime | None = None


class AwaitingOut(Schema):
    circulations: list[AwaitingCirculation]
    procedures: list[AwaitingProcedure]


class MeOut(Schema):
    username: str | None = None
    role: str = Field(description="administrator, officer, delegate or public.")
    role_label: str
    actor: ActorOut | None = Field(None, description="The state or organization represented.")
    reads_restricted: bool = Field(
        description="Whether restricted papers are readable (Secretariat, member-state delegates)."
    )
    awaiting: AwaitingOut | None = Field(
        None, description="For a delegate: what awaits its state's feedback or position."
    )


@router.get(
    "/me",
    response={200: MeOut, 401: Problem},
    summary="Who you are to the API, and what awaits your state",
    description="Anonymous callers are the public. Send `Authorization: Bearer <token>` (made "
    "on your account page) to act with your account's rights.",
)
def me(request):
    user = request.user
    actor = policy.actor_of(user)
    waiting = decision_selectors.awaiting(user)
    awaiting = None
    if waiting is not None:
        awaiting = {
            "circulations": [
                {
                    "document": c.event.document.key,
                    "symbol": c.event.document.symbol,
                    "title": c.event.document.title_en,
                    "deadline": c.event.deadline,
                }
                for c in waiting.circulations
            ],
            "procedures": [
                {
                    "id": s.procedure.pk,
                    "document": s.procedure.version.document.key,
                    "symbol": s.procedure.version.document.symbol,
                    "deadline": s.procedure.deadline,
                }
                for s in waiting.procedures
            ],
        }
    role = policy.role_of(user)
    return {
        "username": user.get_username() if user.is_authenticated else None,
        "role": role.value,
        "role_label": role.label,
        "actor": {"slug": actor.slug, "name": actor.name_en} if actor else None,
        "reads_restricted": policy.is_secretariat(user) or policy.is_member_delegate(user),
        "awaiting": awaiting,
    }
