"""A server killed mid-burst leaves no committed record unsearchable: the entries are
written in the record's own transaction, so a restart needs no `reindex`.

A real server process (`secretariat runserver`) on the test's file database takes a
burst of document creations through the records API from several threads, and dies
in the middle of it: first by itself right after the database commits a document
(killed_after_commit: where work done after a commit is always lost), then killed
(SIGKILL) at random moments. Restarted, it finds by search every document whose
creation was answered 201, and every document the database holds."""

from __future__ import annotations

import http.client
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from secretariat.accounts import services as accounts
from secretariat.documents.models import Document
from secretariat.search.models import SearchEntry
from tests.helpers import PASSWORD

ROOT = Path(__file__).parent.parent.parent
THREADS = 4
# Servers killed in one test: each kill lands at another point of a write (CRASH_KILLS
# raises it, to measure).
KILLS = int(os.environ.get("CRASH_KILLS", "3"))
ANSWERED_BEFORE_KILL = 12  # documents answered 201 before the kill, in each round
RECORDS = "/api/v1/records/documents/document"


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = db.get("PASSWORD") or ""
    return f"postgres://{db['USER']}:{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`secretariat runserver` in a process of its own, on the test's database."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, *, die_after_documents: int | None = None) -> None:
        """Start it; with `die_after_documents`, it kills itself right after the database
        commits that many documents (killed_after_commit)."""
        self.starts += 1
        command = ["secretariat"]
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "SECRETARIAT_VAR_DIR": str(self.folder),  # its job queue and secret key
            "MEDIA_ROOT": str(self.folder / "media"),
            "SECRET_KEY": settings.SECRET_KEY,
            "DEBUG": "",
        }
        if die_after_documents is not None:
            command = ["tests.search.killed_after_commit"]
            env["KILL_AFTER_DOCUMENTS"] = str(die_after_documents)
        self.log = (self.folder / f"server-{self.starts}.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", *command, "runserver", "--noreload", "--skip-checks",
             f"127.0.0.1:{self.port}"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/api/v1/search?q=x", timeout=2):
                    return
            except OSError:  # not listening yet
                assert self.process.poll() is None, self.folder / f"server-{self.starts}.log"
                time.sleep(0.1)
        raise AssertionError("the server did not start")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.died()

    def died(self) -> None:
        assert self.process.wait(timeout=60) == -signal.SIGKILL
        self.log.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        if self.process:
            self.log.close()


def _call(url: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method="POST" if body is not None else "GET",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, {"detail": exc.read().decode(errors="replace")[:300]}


def _burst(server: Server, token: str, source: str, round_: int, *, kill: bool) -> dict[str, int]:
    """Threads create documents until the server dies (killed once enough were answered,
    or by itself); the search word of each document answered 201, with its id."""
    answered: dict[str, int] = {}
    refused: list[tuple[int, dict]] = []
    lock = threading.Lock()
    enough = threading.Event()

    def work(thread: int) -> None:
        for n in itertools.count():
            word = f"crashword{round_}x{thread}x{n}"  # one search term per document
            body = {"type": "decision", "symbol": f"CRASH/{word}",
                    "title_en": f"Decision on {word}", "sources": [source]}  # fmt: skip
            try:
                status, data = _call(f"{server.url}{RECORDS}", token, body)
            except (OSError, http.client.HTTPException):  # refused, reset, cut: it is gone
                return
            if status == 503:  # busy: nothing was saved, try again
                continue
            with lock:
                if status != 201:
                    refused.append((status, data))
                    enough.set()
                    return
                answered[word] = data["id"]
                if len(answered) >= ANSWERED_BEFORE_KILL:
                    enough.set()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    if kill:
        assert enough.wait(timeout=120), "too few documents were made in time"
        server.kill()  # mid-burst: the other threads have requests on their way
    server.died()
    for thread in threads:
        thread.join(timeout=60)
    assert not refused, refused[:5]
    return answered


def _found(server: Server, token: str, word: str) -> bool:
    status, data = _call(f"{server.url}/api/v1/search?q={word}", token)
    assert status == 200, data
    return data["total"] == 1


def _unindexed() -> list[str]:
    entries = SearchEntry.objects.filter(kind="document").values("object_id")
    return list(Document.objects.exclude(pk__in=entries).values_list("title_en", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_killed_server_leaves_every_committed_document_searchable(build, tmp_path):
    """First at the worst moment for work done after a commit: the server dies as the
    database commits a document. Then killed at random moments of a burst. Nothing runs
    `reindex` (nor `migrate`, which fills an empty index) before the searches."""
    officer = accounts.account_create(
        username="crash-officer", password=PASSWORD, role="officer"
    ).user
    _, token = accounts.token_create(user=officer, name="crash test")
    source = build.source.key
    server = Server(tmp_path)
    lost = {}
    try:
        for round_ in range(1 + KILLS):
            at_commit = round_ == 0
            server.start(die_after_documents=ANSWERED_BEFORE_KILL if at_commit else None)
            answered = _burst(server, token, source, round_, kill=not at_commit)
            server.start()
            lost[round_] = [word for word in answered if not _found(server, token, word)]
            # Shown with `pytest -s`, to measure over many kills (CRASH_KILLS).
            print(
                f"{'at a commit' if at_commit else f'kill {round_}'}: {len(answered)} "
                f"answered 201, {len(lost[round_])} of them not found; {len(_unindexed())} "
                "documents in the database without entries"
            )
            if at_commit:
                assert _unindexed() == []  # the one committed as the server died too
            server.stop()
        assert not any(lost.values()), f"answered 201 but not found: {lost}"
        # Every document in the database, its answer lost in a kill or not.
        assert _unindexed() == []
        titles = list(Document.objects.values_list("title_en", flat=True))
        assert len(titles) >= (1 + KILLS) * (ANSWERED_BEFORE_KILL - 1)
        server.start()
        assert [t for t in titles if not _found(server, token, t.split()[-1])] == []
    finally:
        server.stop()
