"""What a benchmark ran on: cores, memory, OS, Python and the versions that matter.

Shared by every script under bench/ so that results are comparable across them.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from importlib import metadata


def _memory_mib() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict:
    """The machine block of every result file (the keys report_formats.py always wrote,
    and more)."""
    return {
        "python": platform.python_version(),
        "system": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_mib": _memory_mib(),
        "load_average": os.getloadavg(),
    }


def versions(*, database_url: str | None = None, datasette: str | None = None) -> dict:
    """Django, gunicorn, SQLite, PostgreSQL (when `database_url` names one) and Datasette
    (the path of its executable, when there is one)."""
    found = {
        "django": _version("Django"),
        "django_ninja": _version("django-ninja"),
        "gunicorn": _version("gunicorn"),
        "sqlite": sqlite3.sqlite_version,
    }
    if database_url and database_url.startswith(("postgres://", "postgresql://")):
        found["postgresql"] = postgresql_version(database_url)
    if datasette:
        try:
            out = subprocess.run(
                [datasette, "--version"], capture_output=True, text=True, check=True, timeout=60
            ).stdout
            found["datasette"] = out.strip().rsplit(" ", 1)[-1]
        except (OSError, subprocess.SubprocessError):
            found["datasette"] = None
    return found


def postgresql_version(database_url: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(database_url, connect_timeout=5) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # the version is a note, never a reason to fail
        return None
