"""gunicorn serving the site: started on a free loopback port, its workers' peak memory
read from /proc before it is stopped.

Worker class: sync by default. A sync worker handles one request at a time in its own
process (no GIL shared between requests: the site is CPU-bound Python), and it is what
gunicorn's docs recommend behind a buffering proxy, which is how a secretariat would run
it (nginx in front, holding the clients' keep-alive connections, opening one to gunicorn
per request). It does not keep connections alive, so the load opens one per request,
as that proxy would. gthread (--worker-class gthread, one thread per worker) keeps them
alive; it is there to compare, but long-lived connections stick to whichever worker
accepted them, so two clients can end up on one worker while the other idles.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(port: int, path: str, *, timeout: float = 120.0, proc=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}) before answering")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} within {timeout:.0f} s")


def stop(proc: subprocess.Popen, log) -> None:
    """End a server: politely, then by force after 30 s; close its log."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    log.close()


class Gunicorn:
    def __init__(self, *, bin_dir: Path, env: dict, workers: int, worker_class: str,
                 log: Path):  # fmt: skip
        self.port = free_port()
        self.workers = workers
        self.worker_class = worker_class
        command = [
            str(bin_dir / "gunicorn"),
            "secretariat.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers),
            "--worker-class", worker_class,
            "--timeout", "300",
            "--log-level", "warning",
            "--error-logfile", "-",
        ]  # fmt: skip
        if worker_class == "gthread":
            command += ["--threads", "1", "--keep-alive", "30"]
        self.log = log.open("a", encoding="utf-8")
        self.proc = subprocess.Popen(
            command, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_http(self.port, "/api/v1/organization", proc=self.proc)

    @property
    def keep_alive(self) -> bool:
        return self.worker_class != "sync"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def peak_rss_mib(self) -> dict[int, float]:
        """Each worker's peak resident memory (VmHWM), in MiB."""
        peaks = {}
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[pid] = int(line.split()[1]) / 1024
            except OSError:
                continue
        return peaks

    def stop(self) -> None:
        stop(self.proc, self.log)
