"""The registry's answers under the names the other apps' presenters still call (until
they build their own answers with core.answers too)."""

from __future__ import annotations

from typing import Any

from .answers import ActorRef, MeetingRef, StatusOut
from .selectors import StatusAt


def actor_ref(actor) -> dict[str, Any]:
    return ActorRef.build(actor)


def meeting_ref(meeting) -> dict[str, Any] | None:
    return None if meeting is None else MeetingRef.build(meeting)


def status_dict(item: StatusAt, *, with_actor: bool = False) -> dict[str, Any]:
    data = StatusOut.build(item)
    if with_actor:
        data["actor"] = ActorRef.build(item.status.actor)
    return data
