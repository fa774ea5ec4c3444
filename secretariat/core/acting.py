"""Who is acting: the user (or program) behind the writes of this request or command.

Set once per request by middleware, per job by the task engine, and by the dataset
loader, imports and commands; read by the write policy and the audit trail, so no
service needs a `user` argument to be checked and attributed.

It fails closed: where nothing has said who is acting (a new thread, a task or a
command path that forgot), a write is refused with NoActor rather than run with the
system's rights.
"""

from __future__ import annotations

import contextlib
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any


class NoActor(RuntimeError):
    """A write was attempted where nothing said who is acting."""


@dataclass
class Batch:
    """The audit batch of an act: the id its entries share, one per transaction.

    Drawn at the first audited write and forgotten when that transaction commits
    (audit.trail registers the forgetting with on_commit), so the act's next
    transaction draws a new one. A rolled-back transaction leaves no entry behind,
    so keeping its id for the next transaction of the same act is harmless.
    """

    id: uuid.UUID | None = None


@dataclass(frozen=True)
class Acting:
    user: Any = None  # a User, AnonymousUser, or None for the system itself
    via: str = "system"  # web, api, admin, loader, command, import, job, system, test
    reason: str = ""
    batch: Batch = field(default_factory=Batch, compare=False)

    @property
    def is_system(self) -> bool:
        return self.via in SYSTEM_CHANNELS

    @property
    def is_nobody(self) -> bool:
        return self.via == NOBODY_CHANNEL


# "import": a file imported by the system (the CLI), audited apart from other commands;
# "job": a background job, acting for the system that scheduled it.
SYSTEM_CHANNELS = frozenset({"system", "loader", "command", "import", "job"})
NOBODY_CHANNEL = ""
_NOBODY = Acting(via=NOBODY_CHANNEL)
_current: ContextVar[Acting] = ContextVar("acting", default=_NOBODY)


def current() -> Acting:
    return _current.get()


def require_actor() -> Acting:
    """Who is acting, or NoActor when nothing has said so."""
    who = _current.get()
    if who.is_nobody:
        raise NoActor(
            "No one is acting: a write outside a request must say whom it acts as "
            "(core.acting.acting_as(user, via=...), e.g. via='command' for a command); "
            "nothing was written."
        )
    return who


@contextlib.contextmanager
def acting_as(user=None, *, via: str, reason: str = ""):
    """Run the block's writes as `user` (None: the system), arriving through `via`."""
    if via == NOBODY_CHANNEL:
        raise ValueError("acting_as needs a channel (via=...)")
    token = _current.set(Acting(user=user, via=via, reason=reason))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


@contextlib.contextmanager
def because(reason: str):
    """Attach a reason ("why") to the block's writes, keeping who, how and the batch."""
    token = _current.set(replace(_current.get(), reason=reason or _current.get().reason))
    try:
        yield
    finally:
        _current.reset(token)
