"""Writing the texts' files to the media storage, in a helper process.

Creating a file costs the kernel far more than it costs Python (some 100-300 µs a
file on a virtual machine's ext4), and threads would make the generator wait for
the interpreter lock each time it hashes a text or writes rows (the workers hold it
between system calls). A child process writes the files instead (or several, in turn):
the generator sends them in packets through a pipe, which blocks when the child
falls behind, so at most a few packets wait in memory.
Names are the documents' own, so the same seed writes the same files (over
those of an earlier run). For a storage other than the file system, the files
are saved through the storage's own API, in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
PACKET = 256  # files a message


def _write_files(connection, root: str) -> None:
    """The child: write each packet's files under root until told to stop."""
    folders: set[str] = set()
    while True:
        try:
            packet = pickle.loads(connection.recv_bytes())
        except EOFError:  # the generator is gone
            break
        if packet is None:
            break
        for name, data in packet:
            path = os.path.join(root, name)
            folder = os.path.dirname(path)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            fd = os.open(path, _FLAGS, 0o644)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
    connection.close()


class FileSink:
    # One writer: two on the same file system contend for its journal and were slower
    # here (2 vCPUs, ext4), not faster.
    def __init__(self, *, workers: int = 1):
        storage = default_storage
        self.root = storage.location if isinstance(storage, FileSystemStorage) else None
        self.packet: list[tuple[str, bytes]] = []
        self.count = 0
        self.workers: list[tuple] = []  # (process, writing end of its pipe)
        self.turn = 0
        if self.root is None:
            return
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        for _ in range(max(1, workers)):
            theirs, ours = context.Pipe(duplex=False)  # (reading end, writing end)
            process = context.Process(target=_write_files, args=(theirs, self.root), daemon=True)
            process.start()
            theirs.close()
            self.workers.append((process, ours))

    def put(self, name: str, data: bytes) -> None:
        self.count += 1
        if not self.workers:  # another storage (e.g. object storage): its own API
            if default_storage.exists(name):
                default_storage.delete(name)
            default_storage.save(name, ContentFile(data))
            return
        self.packet.append((name, data))
        if len(self.packet) >= PACKET:
            self._send()

    def _send(self, packet=None) -> None:
        if packet is None:
            packet, self.packet = self.packet, []
        process, pipe = self.workers[self.turn]
        self.turn = (self.turn + 1) % len(self.workers)
        try:
            pipe.send_bytes(pickle.dumps(packet, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            process.join()
            raise OSError(
                f"A process writing the files stopped (exit code {process.exitcode})."
            ) from None

    def close(self) -> None:
        """Wait for every file to be written; raise if a writer failed."""
        if self.packet:
            self._send()
        for _process, pipe in self.workers:
            pipe.send_bytes(pickle.dumps(None))
            pipe.close()
        for process, _ in self.workers:
            process.join()
            if process.exitcode != 0:
                raise OSError(f"A process writing the files failed (exit code {process.exitcode}).")
        self.workers = []

    def abandon(self) -> None:
        """Stop the writers without waiting (the generation failed)."""
        for process, pipe in self.workers:
            pipe.close()
            if process.is_alive():
                process.terminate()
            process.join()
        self.workers = []
