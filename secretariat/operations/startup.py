"""What a process of the site needs on disk, made as it starts rather than when the
settings are imported (importing them writes nothing).

- var/ (SECRETARIAT_VAR_DIR), readable by the site's own user only;
- the secret key, when SECRET_KEY is not set: settings read the one stored in var/,
  or, before one is stored, make one for the process; the first process started
  stores it, so that every later one (the worker beside the web server, the next
  start) signs with the same key;
- the folders of the SQLite database and of the static files (WhiteNoise warns
  about a missing one at every start).

Called by the `secretariat` command and by the WSGI entry point, before Django sets up.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def prepare() -> None:

    if getattr(settings, "VAR_DIR", None) is None:
        return  # settings of another shape (--settings): they see to their own files
    Path(settings.VAR_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
    if getattr(settings, "SECRET_KEY_FILE", None) is not None:
        settings.SECRET_KEY = store_key(Path(settings.SECRET_KEY_FILE), settings.SECRET_KEY)
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not str(database["NAME"]).startswith(
        (":memory:", "file:")
    ):
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def store_key(path: Path, key: str) -> str:
    """The key stored at `path`: `key`, unless another process stored one first. Written
    whole beside it, then linked into place, so that no process reads half a key."""
    if path.exists():
        return path.read_text().strip()
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    try:
        os.link(draft, path)  # fails if another process linked its own first
    except FileExistsError:
        key = path.read_text().strip()
    finally:
        draft.unlink()
    return key
