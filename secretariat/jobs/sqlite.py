"""huey's SQLite queue (the embedded default, var/tasks.sqlite3), making the folder of
its file as it first opens it: settings name the file but write nothing."""

from __future__ import annotations

from pathlib import Path

import huey
from huey.storage import SqliteStorage


class _Storage(SqliteStorage):
    def __init__(self, name="huey", filename="huey.db", **kwargs):
        Path(filename).parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # as var/ is
        super().__init__(name, filename=filename, **kwargs)


class SqliteHuey(huey.SqliteHuey):
    storage_class = _Storage
