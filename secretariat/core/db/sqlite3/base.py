"""Django's SQLite backend, running the pre-commit hooks (core.db.precommit)."""

from django.db.backends.sqlite3 import base

from ..precommit import PreCommitHooks


class DatabaseWrapper(PreCommitHooks, base.DatabaseWrapper):
    pass
