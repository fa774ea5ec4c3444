"""The `secretariat` command, killing its own process (SIGKILL) the moment the database
has committed the Nth transaction that created a document (KILL_AFTER_DOCUMENTS): after
the COMMIT, before anything that runs after it (on-commit work, the answer). The worst
moment for whatever is written after a commit; tests/search/test_crash.py runs the
server so.

    python -m tests.search.killed_after_commit runserver --noreload 127.0.0.1:8000
"""

from __future__ import annotations

import os
import signal
import sys
import threading

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_save

_left = int(os.environ["KILL_AFTER_DOCUMENTS"])
_lock = threading.Lock()
_commit = BaseDatabaseWrapper.commit


def _created(sender, instance, created, using, **kwargs) -> None:
    if created:
        connections[using]._made_a_document = True


def _commit_then_die(self) -> None:
    made = self.__dict__.pop("_made_a_document", False)
    _commit(self)
    global _left
    with _lock:
        _left -= made
        if made and _left <= 0:
            os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    BaseDatabaseWrapper.commit = _commit_then_die
    post_save.connect(_created, sender="documents.Document", weak=False)
    from secretariat.__main__ import main

    main([sys.argv[0], *sys.argv[1:]])
