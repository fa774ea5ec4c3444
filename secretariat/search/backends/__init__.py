"""The database's own full-text search behind one interface, chosen by its vendor."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .base import Backend, Sql, choose, render

__all__ = ["Backend", "Sql", "backend", "choose", "render"]


def backend() -> Backend:
    """The backend for the default database (SQLite FTS5 or PostgreSQL full-text search)."""
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteBackend  # lazy: only this database's backend

        return SQLiteBackend()
    if connection.vendor == "postgresql":
        from .postgresql import PostgreSQLBackend  # lazy: needs psycopg

        return PostgreSQLBackend()
    raise ImproperlyConfigured(
        f"Search works on SQLite and PostgreSQL, not on {connection.vendor}."
    )
