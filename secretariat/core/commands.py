"""Preconditions and option parsing that commands share."""

import datetime as dt

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from .as_of import BadAsOf, parse_as_of


def require_migrated(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse with a clear message, not a traceback, when migrations are pending."""
    executor = MigrationExecutor(connections[alias])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError(
            "The database is not set up or not up to date: run `secretariat migrate` first."
        )


def day_option(value: str | None, *, option: str = "--at") -> dt.date | None:
    """A YYYY-MM-DD command-line option as a date (None when not given), or a clear refusal."""
    try:
        return parse_as_of(value)  # the parser of every page and API route
    except BadAsOf as exc:
        raise CommandError(f"{option} {exc.message}") from None
