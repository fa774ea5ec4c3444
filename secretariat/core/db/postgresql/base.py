"""Django's PostgreSQL backend, running the pre-commit hooks (core.db.precommit)."""

from django.db.backends.postgresql import base

from ..precommit import PreCommitHooks


class DatabaseWrapper(PreCommitHooks, base.DatabaseWrapper):
    pass
