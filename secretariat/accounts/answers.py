"""The answer about the signed-in user, declared once (core.answers): who they are to the
API, and what awaits their state."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field

from secretariat.core.answers import Answer, From

from . import policy


class ActorOut(Answer):
    slug: str
    name: Annotated[str, From("name_en")]


# Built from a circulation awaiting the state's feedback.
class AwaitingCirculation(Answer):
    document: Annotated[str, From("event.document.key")] = Field(description="The document's key.")
    symbol: Annotated[str, From("event.document.symbol")]
    title: Annotated[str, From("event.document.title_en")]
    deadline: Annotated[dt.date | None, From("event.deadline")] = None


# Built from a procedure's state awaiting the state's position.
class AwaitingProcedure(Answer):
    id: Annotated[int, From("procedure.pk")]
    document: Annotated[str, From("procedure.version.document.key")]
    symbol: Annotated[str, From("procedure.version.document.symbol")]
    deadline: Annotated[dt.datetime | None, From("procedure.deadline")] = None


# Built from decisions.selectors.awaiting's answer.
class AwaitingOut(Answer):
    circulations: list[AwaitingCirculation]
    procedures: list[AwaitingProcedure]


def _username(user) -> str | None:
    return user.get_username() if user.is_authenticated else None


# Built from the request's user, with `awaiting` given (decisions.selectors.awaiting's answer).
class MeOut(Answer):
    username: Annotated[str | None, From(_username)] = None
    role: Annotated[str, From(lambda user: policy.role_of(user).value)] = Field(
        description="administrator, officer, delegate or public."
    )
    role_label: Annotated[str, From(lambda user: policy.role_of(user).label)]
    actor: Annotated[ActorOut | None, From(policy.actor_of)] = Field(
        None, description="The state or organization represented."
    )
    reads_restricted: Annotated[
        bool, From(lambda user: policy.is_secretariat(user) or policy.is_member_delegate(user))
    ] = Field(
        description="Whether restricted papers are readable (Secretariat, member-state delegates)."
    )
    awaiting: AwaitingOut | None = Field(
        None, description="For a delegate: what awaits its state's feedback or position."
    )
