"""Who is acting: the user (or program) behind the writes of this request or command.

Set once per request by middleware, and by the dataset loader and commands; read by
the write policy and the audit trail, so no service needs a `user` argument to be
checked and attributed. Outside any request (commands, the loader, tests) the
system acts, trusted.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Acting:
    user: Any = None  # a User, AnonymousUser, or None for the system itself
    via: str = "system"  # web, api, admin, loader, command, system
    reason: str = ""

    @property
    def is_system(self) -> bool:
        return self.via in SYSTEM_CHANNELS


# "import": a file imported by the system (the CLI), audited apart from other commands.
SYSTEM_CHANNELS = frozenset({"system", "loader", "command", "import"})
_SYSTEM = Acting()
_current: ContextVar[Acting] = ContextVar("acting", default=_SYSTEM)


def current() -> Acting:
    return _current.get()


@contextlib.contextmanager
def acting_as(user=None, *, via: str, reason: str = ""):
    """Run the block's writes as `user`, arriving through `via`."""
    token = _current.set(Acting(user=user, via=via, reason=reason))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


@contextlib.contextmanager
def because(reason: str):
    """Attach a reason ("why") to the block's writes, keeping who and how."""
    token = _current.set(replace(_current.get(), reason=reason or _current.get().reason))
    try:
        yield
    finally:
        _current.reset(token)
