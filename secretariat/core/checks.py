"""Preconditions and option parsing that commands share."""

import datetime as dt

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def require_migrated(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse with a clear message, not a traceback, when migrations are pending."""
    executor = MigrationExecutor(connections[alias])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError(
            "The database is not set up or not up to date: run `secretariat migrate` first."
        )


def day_option(value: str | None, *, option: str = "--at") -> dt.date | None:
    """A YYYY-MM-DD command-line option as a date (None when not given), or a clear refusal."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} '{value}' is not a date: write YYYY-MM-DD.") from None
