"""The database at a scale and seed, made once and reused.

var/bench/scale-N-seed-S/ (SQLite) or var/bench/scale-N-seed-S-pg-DBNAME/ (PostgreSQL) is
the run's SECRETARIAT_VAR_DIR: its secret key, static files, uploaded texts, and, for
SQLite, the database. `prepared.json` in it records how it was made (and how long that
took, with the peak memory): when it names the same scale, seed and database, the
directory is reused as it is, since generating takes minutes.

Without `secretariat generate-synthetic` (not written yet), the CICA dataset is loaded
instead, in var/bench/cica/, and the results say so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse


@dataclass
class Prepared:
    var_dir: Path
    env: dict
    vendor: str  # sqlite or postgresql
    database: str  # the SQLite file, or the PostgreSQL URL without its password
    database_url: str | None
    generator: str
    scale: int | None
    seed: int | None
    reused: bool
    steps: dict = field(default_factory=dict)  # name -> {seconds, peak_rss_mib, ...}

    @property
    def sqlite_path(self) -> Path:
        return self.var_dir / "secretariat.sqlite3"

    def target(self) -> dict:
        """How the floor connects."""
        if self.vendor == "sqlite":
            return {"vendor": "sqlite", "path": str(self.sqlite_path)}
        return {"vendor": "postgresql", "url": self.database_url}


def measure(command: list[str], *, env: dict, log: Path, cwd: Path | None = None) -> dict:
    """Run a command; its wall time and its peak resident memory (the child's own maximum,
    from wait4's rusage, children it waited for included)."""
    started = time.perf_counter()
    with log.open("a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}); see {log}")
    return {
        "command": " ".join(Path(command[0]).name if i == 0 else c for i, c in enumerate(command)),
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
    }


def has_command(bin_dir: Path, name: str, env: dict) -> bool:
    out = subprocess.run(
        [str(bin_dir / "secretariat"), "help"], env=env, capture_output=True, text=True
    ).stdout
    return name.replace("-", "_") in out.split()


def _redact(url: str) -> str:
    parts = urlparse(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"


def prepare(
    *, root: Path, bin_dir: Path, scale: int, seed: int, database_url: str | None,
    dataset: Path, log: Path, force: bool = False,
) -> Prepared:  # fmt: skip
    base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    probe_env = dict(base_env)
    synthetic = has_command(bin_dir, "generate-synthetic", probe_env | {
        "SECRETARIAT_VAR_DIR": str(root / "var" / "bench" / "probe")})  # fmt: skip
    vendor = "postgresql" if database_url else "sqlite"
    if synthetic:
        name = f"scale-{scale}-seed-{seed}"
        generator = f"generate-synthetic --scale {scale} --seed {seed}"
    else:
        name, generator = "cica", f"load-dataset {dataset.relative_to(root)}"
        scale = seed = None
    if database_url:
        dbname = urlparse(database_url).path.lstrip("/") or "postgres"
        if dbname == "test" or dbname.startswith("test_"):
            raise SystemExit(f"Refusing database '{dbname}': test databases are the tests'.")
        name += f"-pg-{dbname}"
    var_dir = root / "var" / "bench" / name
    env = base_env | {"SECRETARIAT_VAR_DIR": str(var_dir), "CONN_MAX_AGE": "60"}
    if database_url:
        env["DATABASE_URL"] = database_url
    stamp_path = var_dir / "prepared.json"
    want = {"generator": generator, "database": _redact(database_url) if database_url else "sqlite"}
    prepared = Prepared(
        var_dir=var_dir, env=env, vendor=vendor,
        database=want["database"] if database_url else str(var_dir / "secretariat.sqlite3"),
        database_url=database_url, generator=generator, scale=scale, seed=seed, reused=False,
    )  # fmt: skip
    if not force and stamp_path.exists():
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        if all(stamp.get(k) == v for k, v in want.items()):
            prepared.reused = True
            prepared.steps = stamp.get("steps", {})
            print(f"Reusing {var_dir.relative_to(root)} ({generator}); migrate…", flush=True)
            # The code may have moved on since: bring the schema (and read models) with it.
            subprocess.run(
                [str(bin_dir / "secretariat"), "migrate", "--no-input", "-v0"],
                env=env, check=True,
            )  # fmt: skip
            return prepared
    if var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    flush = False
    if database_url:
        flush = _check_empty(database_url, force=force)
    secretariat = str(bin_dir / "secretariat")
    print(f"Preparing {var_dir.relative_to(root)}: migrate, {generator}…", flush=True)
    steps = {"migrate": measure([secretariat, "migrate", "--no-input"], env=env, log=log)}
    if synthetic:
        command = [secretariat, "generate-synthetic", "--scale", str(scale), "--seed", str(seed)]
        command += ["--flush"] if flush else []
    else:
        command = [secretariat, "load-dataset", str(dataset)]
    steps["generate"] = measure(command, env=env, log=log, cwd=root)
    steps["collectstatic"] = measure(
        [secretariat, "collectstatic", "--no-input", "--verbosity", "0"], env=env, log=log
    )
    prepared.steps = steps
    stamp_path.write_text(json.dumps(want | {"steps": steps}, indent=2) + "\n", encoding="utf-8")
    return prepared


def _check_empty(database_url: str, *, force: bool) -> bool:
    """Whether the PostgreSQL database must be flushed first: refused unless it is empty
    or --force-prepare says its records may go."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        found = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    if found and not force:
        raise SystemExit(
            f"{_redact(database_url)} has {found} tables but no stamp of this benchmark: give an "
            "empty database (createdb NAME), or pass --force-prepare (BENCH_ARGS=--force-prepare)"
            " to have generate-synthetic --flush empty it."
        )
    return bool(found)


def commands(prepared: Prepared, *, bin_dir: Path, chairmanship: str | None, log: Path) -> dict:
    """Time and peak memory of the big commands at this scale: reindex, a full JSON export,
    the achievements report (HTML)."""
    secretariat = str(bin_dir / "secretariat")
    out_dir = prepared.var_dir / "bench-out"
    out_dir.mkdir(exist_ok=True)
    env = prepared.env
    found = {}
    print("Timing reindex, export, report…", flush=True)
    found["reindex"] = measure([secretariat, "reindex", "--quiet"], env=env, log=log)
    found["export_json"] = measure(
        [secretariat, "export", "--format", "json", "-o", str(out_dir / "export.json")],
        env=env, log=log,
    )  # fmt: skip
    found["export_json"]["bytes"] = (out_dir / "export.json").stat().st_size
    report = [secretariat, "report", "--format", "html", "-o", str(out_dir / "report.html")]
    if chairmanship:
        report += ["--chairmanship", chairmanship]
    found["report_html"] = measure(report, env=env, log=log)
    found["report_html"]["bytes"] = (out_dir / "report.html").stat().st_size
    return found


def analyze(prepared: Prepared) -> bool:
    """PostgreSQL: ANALYZE, as autovacuum would soon after a bulk load (planner statistics;
    without them every plan is a guess). True when it ran. SQLite is left as Django leaves
    it (no sqlite_stat1), for ours and the floor alike."""
    if prepared.vendor != "postgresql":
        return False
    import psycopg

    with psycopg.connect(prepared.database_url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    return True


def checkpoint(prepared: Prepared) -> None:
    """Fold SQLite's write-ahead log into the file, which Datasette reads immutable."""
    if prepared.vendor != "sqlite":
        return
    import sqlite3

    conn = sqlite3.connect(prepared.sqlite_path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def probe(prepared: Prepared, *, root: Path, log: Path) -> dict:
    out = prepared.var_dir / "probe.json"
    env = prepared.env | {"ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"}
    print("Probing: parameters, queries per request, the delegate's token…", flush=True)
    started = time.perf_counter()
    with log.open("a", encoding="utf-8") as handle:
        subprocess.run(
            [sys.executable, str(root / "bench" / "harness" / "probe.py"), "--out", str(out)],
            env=env, check=True, stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
    result = json.loads(out.read_text(encoding="utf-8"))
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result
