"""Work done inside a transaction just before it commits: `before_commit(func)`.

Django runs code after a commit (`transaction.on_commit`), never just before it. A read
model written after the commit (the search index) is lost when the process dies between
the two: the record is saved, its copy is not. A hook registered here runs at the
commit, inside the transaction still open, so that what it writes commits with the
record or not at all.

- Hooks run in the order registered, once each (a function registered twice runs
  once), when the outermost atomic block (or `transaction.commit()`) commits; they may
  register more, which run too. They see the transaction as an atomic block would: an
  atomic block inside one is a savepoint, `on_commit` waits for the commit.
- A rollback drops them, and so does the loss of the connection. The rollback of a
  savepoint does not: a hook reads the database as it is at the commit, so it must be
  right to run it after work that was undone (the index reindexes what is there).
- A hook that raises fails the commit: the transaction is rolled back and the error
  goes to the caller. A hook whose failure must not undo the write catches it.
- Outside a transaction (autocommit) `before_commit` runs the function at once.

The backends of settings.DATABASES (core.db.sqlite3, core.db.postgresql) are Django's
own with this mixin. A test whose transaction never commits (pytest-django's `db`)
calls `run()` where a commit would be (tests/conftest.py: `committing`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.transaction import TransactionManagementError


class PreCommitHooks:
    """A database backend's connection that runs `run_before_commit` when committing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.run_before_commit: list[Callable[[], None]] = []

    def connect(self):
        self.run_before_commit = []
        super().connect()

    def commit(self):
        if self.run_before_commit:
            self._run_before_commit()
        super().commit()

    def rollback(self):
        self.run_before_commit = []
        super().rollback()

    def close(self):
        self.run_before_commit = []
        super().close()

    def _run_before_commit(self) -> None:
        # Atomic.__exit__ leaves the block before it commits: the hooks run as inside it
        # again, so that their own atomic blocks are savepoints of this transaction.
        outside = not self.in_atomic_block
        self.in_atomic_block = True
        try:
            _run_hooks(self)
            if self.needs_rollback:
                raise TransactionManagementError(
                    "A pre-commit hook left the transaction marked for rollback."
                )
        except BaseException:
            if outside:
                self.in_atomic_block = False
            self.rollback()
            raise
        if outside:
            self.in_atomic_block = False


def _run_hooks(connection) -> None:
    while connection.run_before_commit:
        hooks, connection.run_before_commit = connection.run_before_commit, []
        for func in hooks:
            func()


def _connection(using: str | None):
    connection = transaction.get_connection(using)
    if not isinstance(connection, PreCommitHooks):
        raise ImproperlyConfigured(
            f"The database {connection.alias!r} (ENGINE {connection.settings_dict['ENGINE']}) "
            "cannot run work before a commit: use secretariat.core.db.sqlite3 or "
            "secretariat.core.db.postgresql (settings.py maps Django's backends to them)."
        )
    return connection


def before_commit(func: Callable[[], None], using: str | None = None) -> None:
    """Run `func` inside the current transaction just before it commits (at once outside
    a transaction); dropped if the transaction rolls back."""
    connection = _connection(using)
    if connection.get_autocommit():
        func()
        return
    if not any(hook is func for hook in connection.run_before_commit):
        connection.run_before_commit.append(func)


def pending(using: str | None = None) -> list[Callable[[], None]]:
    """The hooks waiting for the current transaction's commit."""
    return list(_connection(using).run_before_commit)


def run(using: str | None = None) -> None:
    """Run the waiting hooks now, in the transaction: what a commit does first. For tests,
    whose transaction never commits."""
    _run_hooks(_connection(using or DEFAULT_DB_ALIAS))
