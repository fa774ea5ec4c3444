"""Datasette, the comparison for the lists it can serve, from its own venv.

It lives in var/bench/datasette-venv with a pinned version, apart from the project's venv:
its dependencies (uvicorn, click, jinja2, ...) must not move ours. It serves the SQLite
file immutable (-i: read-only, no locking, table counts cached), under the name "bench".
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .server import free_port, stop, wait_http

VERSION = "0.65.5"


def ensure_venv(venv: Path) -> Path | None:
    """The datasette executable, installing it into `venv` first if needed (None if that
    fails: the run goes on without Datasette and says so)."""
    exe = venv / "bin" / "datasette"
    stamp = venv / f".datasette-{VERSION}"
    if exe.exists() and stamp.exists():
        return exe
    print(f"Installing datasette=={VERSION} into {venv}…", flush=True)
    try:
        if not (venv / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", f"datasette=={VERSION}"],
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"Datasette could not be installed: {error}", file=sys.stderr)
        return None
    stamp.touch()
    return exe


class Datasette:
    def __init__(self, *, exe: Path, database: Path, workdir: Path, threads: int, log: Path):
        workdir.mkdir(parents=True, exist_ok=True)
        link = workdir / "bench.db"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(database.resolve())
        self.port = free_port()
        command = [
            str(exe), "serve", "-i", str(link),
            "--host", "127.0.0.1", "--port", str(self.port),
            "--setting", "num_sql_threads", str(threads),
            "--setting", "sql_time_limit_ms", "10000",
            "--setting", "max_returned_rows", "1000",
        ]  # fmt: skip
        self.log = log.open("a", encoding="utf-8")
        self.proc = subprocess.Popen(
            command, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        )  # fmt: skip
        wait_http(self.port, "/-/versions.json", proc=self.proc)

    keep_alive = False  # measured as gunicorn's sync workers are: a connection per request

    def stop(self) -> None:
        stop(self.proc, self.log)
