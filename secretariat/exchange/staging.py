"""Files an import writes, kept apart until its transaction commits.

Each import stages its files in a folder of its own under MEDIA_ROOT/.import-staging
(the file system of the files' place, so that putting one in place is a rename), and
holds a lock on that folder while it runs. When the transaction commits
(transaction.on_commit) the folder is marked committed, with the list of its files, and
the files are moved into place; a refused or failed import removes the folder, files
and all. A folder left by a killed import (its lock went with its process) is dealt
with by the next import (`remove_stale`): removed, or, if it was marked committed, its
files still there moved into place first, so that the records that name them find them.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from .safe import ImportRefused

FOLDER = ".import-staging"
COMMITTED = "committed.json"  # the files to move into place: [[staged name, file name]]
LOCK = ".lock"
logger = logging.getLogger(__name__)


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


class Staging:
    """One import's staging folder; see the module's docstring."""

    def __init__(self):
        remove_stale()
        root().mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix="import-", dir=root()))
        self._lock = (self.folder / LOCK).open("w")
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.files: list[tuple[Any, str, str]] = []  # (storage, file name, staged name)

    def __len__(self) -> int:
        return len(self.files)

    def put(self, storage: Any, name: str, data: bytes, where: str) -> None:
        """Stage a file to be stored as `name` in `storage` when the import commits."""
        staged = str(len(self.files))
        try:
            (self.folder / staged).write_bytes(data)
        except OSError as exc:
            raise ImportRefused(where, f"cannot write the file: {exc.strerror}") from None
        self.files.append((storage, name, staged))

    def publish(self) -> None:
        """Put the files in place (the import has committed) and remove the folder."""
        marker = self.folder / f"{COMMITTED}.part"
        marker.write_text(json.dumps([[staged, name] for _, name, staged in self.files]))
        marker.rename(self.folder / COMMITTED)  # from here on the files belong in place
        for storage, name, staged in self.files:
            _place(storage, self.folder / staged, name)
        self.discard()

    def discard(self) -> None:
        """Remove the folder and what it holds (the import did not commit, or is done)."""
        self._lock.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _place(storage: Any, staged: Path, name: str) -> None:
    if not staged.exists() or storage.exists(name):
        return  # moved already, or the same file was there (its checksum was compared)
    try:
        target = Path(storage.path(name))
    except NotImplementedError:  # a storage without local paths: copied through it
        with staged.open("rb") as handle:
            storage.save(name, File(handle))
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, target)
    mode = getattr(storage, "file_permissions_mode", None)
    if mode is not None:
        os.chmod(target, mode)


def remove_stale() -> list[Path]:
    """Deal with the staging folders of imports no longer running (killed): those marked
    committed have their files put in place first. Returns the folders removed."""
    removed = []
    folder = root()
    if not folder.is_dir():
        return removed
    for child in folder.iterdir():
        if not child.is_dir():
            continue
        try:
            lock = (child / LOCK).open("a")
        except OSError:
            lock = None  # killed before it could lock: nobody holds it
        try:
            if lock is not None:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue  # a running import's
        try:
            committed = child / COMMITTED
            if committed.exists():
                for staged, name in json.loads(committed.read_text()):
                    _place(default_storage, child / staged, name)
                logger.warning("Put in place the files of an import killed after it committed.")
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
        finally:
            if lock is not None:
                lock.close()
    return removed
