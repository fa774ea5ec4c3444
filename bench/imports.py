"""How fast `secretariat import` is, and how long another user's write waits meanwhile
(a benchmark, not a test).

Makes the synthetic organization (`generate-synthetic --scale N --seed S`) in a scratch
SQLite database, exports it as Popolo and as the full JSON dump, then imports each into
a new, migrated database in a child process (Django started, and its URL configuration
loaded as a command's checks load it; the import alone is timed, the whole process too),
while a thread of this process writes a session row (what a user signing in writes)
every 100 ms to that same database and times each write. Reports items (or rows) per
second and the longest wait of a write (a write that gave up after SQLite's 20 s counts
as a failure, with its wait).

    .venv/bin/python bench/imports.py [--scale 1] [--seed 1] [--only popolo|dump] [--code DIR]

--code runs the commands of another checkout (e.g. `git archive <commit> | tar -x -C DIR`,
to compare with an earlier release on the same machine under the same load), in a folder
of its own; its Popolo file is this checkout's export, if made already.

Everything is written under var/bench/imports-scale-N-seed-S/ (the source database and
its exports are made once and reused; delete the folder to make them anew) and the
results to bench/results/imports-<date>-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from harness.machine import machine  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SECRETARIAT = [sys.executable, "-m", "secretariat"]
CODE = ROOT  # the checkout whose commands run (--code)
WRITE_EVERY = 0.1  # seconds between the concurrent user's writes


def child(path: str) -> int:
    """In the child process: start Django as a command does (the URL configuration, which
    the search index needs, loaded), then time the import alone; prints JSON."""
    sys.path.insert(0, os.getcwd())  # the checkout under test (--code), not this one's
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    import django

    django.setup()
    from django.urls import get_resolver

    from secretariat.core.acting import acting_as
    from secretariat.exchange import importers

    get_resolver().url_patterns  # noqa: B018  (what a command's system checks load)
    started = time.perf_counter()
    try:
        with acting_as(via="import", reason=f"import {Path(path).name}"):  # as the CLI does
            importers.import_path(Path(path))
        error = ""
    except Exception as exc:  # reported, not raised: the parent prints it
        error = f"{type(exc).__name__}: {exc}"
    print(json.dumps({"seconds": time.perf_counter() - started, "error": error[-500:]}))
    return 0


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        return child(sys.argv[2])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=("popolo", "dump"))
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to run")
    options = parser.parse_args()
    global CODE
    CODE = options.code.resolve()
    base = ROOT / "var" / "bench" / f"imports-scale-{options.scale}-seed-{options.seed}"
    folder = base if CODE == ROOT else base.with_name(f"{base.name}-{CODE.name}")
    folder.mkdir(parents=True, exist_ok=True)
    if CODE != ROOT and (base / "popolo.json").exists():
        shutil.copy(base / "popolo.json", folder / "popolo.json")
    sources = _prepare(folder, options.scale, options.seed, only=options.only)
    results = {}
    for kind in ("popolo", "dump"):
        if options.only in (None, kind):
            results[kind] = _measure(folder, kind, sources[kind])
            _show(kind, results[kind])
    RESULTS.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    out = RESULTS / f"imports-{now:%Y%m%d-%H%M%S}.json"
    out.write_text(
        json.dumps(
            {"when": now.isoformat(timespec="seconds"), "scale": options.scale,
             "seed": options.seed, "code": str(CODE), "results": results,
             "load_average": os.getloadavg(), "machine": machine()},
            indent=2,
        ) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    print(f"Wrote {out.relative_to(ROOT)}")
    return 0


def _env(folder: Path, database: Path, media: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SECRETARIAT_VAR_DIR": str(folder / "var"),
        "SECRET_KEY": "bench-only",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(media),
        # The generator of the checkout under test (--code), before the one installed here.
        "PYTHONPATH": str(CODE),
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=env, cwd=CODE, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done


def _prepare(folder: Path, scale: int, seed: int, only: str | None) -> dict[str, Path]:
    """The source database and its two exports, made once; an empty migrated database."""
    exports = {"popolo": folder / "popolo.json", "dump": folder / "dump.json"}
    empty = folder / "empty.sqlite3"
    print("Migrating an empty database…", flush=True)
    _run([*SECRETARIAT, "migrate", "-v0"], _env(folder, empty, folder / "none"))
    source = folder / "source.sqlite3"
    env = _env(folder, source, folder / "source-media")
    if source.exists():
        migrated = _run([*SECRETARIAT, "migrate"], env).stdout
        if "No migrations to apply" not in migrated:  # a dump is imported by its own schema
            exports["dump"].unlink(missing_ok=True)
    if all(path.exists() for kind, path in exports.items() if only in (None, kind)):
        return exports
    if not source.exists():
        print(f"Generating the synthetic organization, scale {scale}, seed {seed}…", flush=True)
        shutil.copy(empty, source)
        _run([*SECRETARIAT, "generate-synthetic", "--scale", str(scale), "--seed", str(seed)],
             env)  # fmt: skip
    for kind, path in exports.items():
        print(f"Exporting {kind}…", flush=True)
        fmt = "popolo" if kind == "popolo" else "json"
        _run([*SECRETARIAT, "export", "--format", fmt, "-o", str(path), "-v0"], env)
    return exports


def _items(kind: str, path: Path) -> int:
    """What the file holds: Popolo entities, or the dump's rows."""
    with path.open("rb") as handle:
        if kind == "popolo":
            data = json.load(handle)
            return sum(len(v) for v in data.values() if isinstance(v, list))
        import ijson

        counts = next(ijson.items(handle, "header.counts"))
        return sum(int(n) for n in counts.values())


def _measure(folder: Path, kind: str, path: Path) -> dict:
    target = folder / f"into-{kind}.sqlite3"
    media = folder / f"into-{kind}-media"
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(media, ignore_errors=True)
    shutil.copy(folder / "empty.sqlite3", target)
    env = _env(folder, target, media)
    writer = _Writer(target)
    print(f"Importing {kind} ({path.stat().st_size / 1e6:.0f} MB)…", flush=True)
    writer.start()
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(path)], env=env,
        cwd=CODE, capture_output=True, text=True,
    )  # fmt: skip
    process_seconds = time.perf_counter() - started
    writer.stop()
    items = _items(kind, path)
    try:
        report = json.loads(child.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        report = {"seconds": process_seconds, "error": child.stderr.strip()[-500:]}
    seconds = report["seconds"]
    return {
        "file_bytes": path.stat().st_size,
        "items": items,
        "seconds": round(seconds, 2),
        "items_per_second": round(items / seconds, 1),
        "process_seconds": round(process_seconds, 2),
        "error": report["error"],
        "concurrent_writes": len(writer.waits),
        "concurrent_write_max_wait_s": round(max(writer.waits, default=0), 3),
        "concurrent_write_failures": writer.failures,
        "files_written": sum(1 for p in media.rglob("*") if p.is_file()) if media.exists() else 0,
    }


class _Writer:
    """Another user: a small write (a session row, as a sign-in makes) every 100 ms, timed."""

    def __init__(self, database: Path):
        self.database = database
        self.waits: list[float] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        import sqlite3

        # What Django's settings open (secretariat/settings.py): WAL, a 20 s busy
        # timeout, transactions that take the write lock when they begin.
        db = sqlite3.connect(self.database, timeout=20, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        n = 0
        while not self._stop.wait(WRITE_EVERY):
            n += 1
            started = time.perf_counter()
            try:
                db.execute("BEGIN IMMEDIATE")
                db.execute(
                    "INSERT INTO django_session (session_key, session_data, expire_date) "
                    "VALUES (?, ?, ?)",
                    (f"bench-{os.getpid()}-{n}", "{}", "2100-01-01 00:00:00"),
                )
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                self.failures.append(f"{time.perf_counter() - started:.1f} s: {exc}")
                if db.in_transaction:
                    db.execute("ROLLBACK")
            self.waits.append(time.perf_counter() - started)  # a failed write waited too
        db.close()


def _show(kind: str, row: dict) -> None:
    status = "ok" if not row["error"] else f"FAILED: {row['error']}"
    print(
        f"  {kind}: {row['items']} items in {row['seconds']} s = {row['items_per_second']} "
        f"items/s ({status}; the process, with Django's start, {row['process_seconds']} s); "
        "another user's write waited at most "
        f"{row['concurrent_write_max_wait_s']} s over {row['concurrent_writes']} writes, "
        f"{len(row['concurrent_write_failures'])} failed",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
