"""`make bench`: the site under gunicorn, its reads against their floor and Datasette.

    .venv/bin/python bench/run.py [--scale 2] [--seed 1] [--duration 10] [--warmup 2]
                                  [--reads overview,search,...] [--no-datasette]
                                  [--skip-commands] [--worker-class sync|gthread]
    make bench SCALE=2 SEED=1 DURATION=10

On SQLite always, and on PostgreSQL too when DATABASE_URL is set (an empty database the
first time; it is reused after). For each database:

1. prepare: var/bench/scale-N-seed-S/ with migrate, generate-synthetic, collectstatic
   (reused when already made with the same scale and seed);
2. time reindex, a full JSON export and the achievements report, with their peak memory;
3. probe (inside Django): parameters from the data, queries per request at two page
   sizes, a delegate's API token;
4. gunicorn with one worker per core; check that floor and API return the same keys;
   then for every read, the load on our server and on the floor, the same concurrency,
   the same duration; the workers' peak memory;
5. Datasette (SQLite only) on the lists it can serve, after gunicorn has stopped.

Writes bench/results/bench-<time>.json and .md, and prints the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from harness import datasette, floor, load, machine, prepare, results  # noqa: E402
from harness.reads import READS, expand  # noqa: E402
from harness.server import Gunicorn  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent


def main() -> int:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds counted per read")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds not counted first")
    parser.add_argument("--workers", type=int, default=cores, help="gunicorn workers (cores)")
    parser.add_argument("--concurrency", type=int, help="client processes (default: workers)")
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--reads", help="comma-separated read names (default: all)")
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument("--skip-commands", action="store_true", help="no reindex/export/report")
    parser.add_argument("--sqlite-only", action="store_true", help="ignore DATABASE_URL")
    parser.add_argument("--force-prepare", action="store_true", help="make the database anew")
    parser.add_argument("--dataset", type=Path, default=ROOT / "data" / "cica")
    options = parser.parse_args()
    options.concurrency = options.concurrency or options.workers
    wanted = set(options.reads.split(",")) if options.reads else None
    if wanted and (unknown := wanted - {r.name for r in READS}):
        parser.error(f"unknown reads: {', '.join(sorted(unknown))}")

    now = dt.datetime.now(dt.UTC)
    stamp = f"{now:%Y%m%d-%H%M%S}"
    logs = ROOT / "var" / "bench" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"bench-{stamp}.log"
    database_url = None if options.sqlite_only else os.environ.get("DATABASE_URL") or None
    ds_exe = None
    if not options.no_datasette:
        ds_exe = datasette.ensure_venv(ROOT / "var" / "bench" / "datasette-venv")

    run = {
        "when": now.isoformat(timespec="seconds"),
        "stamp": stamp,
        "machine": machine.machine(),
        "versions": machine.versions(
            database_url=database_url, datasette=str(ds_exe) if ds_exe else None
        ),
        "scale": options.scale,
        "seed": options.seed,
        "server": {
            "workers": options.workers,
            "worker_class": options.worker_class,
            "conn_max_age": 60,
        },
        "load": {
            "concurrency": options.concurrency,
            "duration": options.duration,
            "warmup": options.warmup,
            "keep_alive": options.worker_class != "sync",
        },
        "databases": [],
        "log": str(log.relative_to(ROOT)),
    }
    for url in [None] + ([database_url] if database_url else []):
        run["databases"].append(
            bench_database(options, url=url, wanted=wanted, log=log, ds_exe=ds_exe)
        )
    run["machine"]["load_average_end"] = os.getloadavg()
    json_path, md_path = results.write(run, RESULTS)
    print()
    print(md_path.read_text(encoding="utf-8"))
    print(f"Wrote {json_path.relative_to(ROOT)} and {md_path.relative_to(ROOT)} (log: {log})")
    return 0


def bench_database(options, *, url, wanted, log: Path, ds_exe) -> dict:
    prepared = prepare.prepare(
        root=ROOT, bin_dir=BIN, scale=options.scale, seed=options.seed, database_url=url,
        dataset=options.dataset, log=log, force=options.force_prepare,
    )  # fmt: skip
    out: dict = {
        "vendor": prepared.vendor,
        "prepared": {
            "generator": prepared.generator,
            "database": prepared.database,
            "var_dir": str(prepared.var_dir.relative_to(ROOT)),
            "reused": prepared.reused,
            "steps": prepared.steps,
        },
        "notes": [],
        "reads": [],
    }
    if prepared.scale is None:
        out["notes"].append(
            "`secretariat generate-synthetic` is not there yet: the CICA dataset was loaded "
            "instead; --scale and --seed were ignored."
        )
    commands = {}
    gen = prepared.steps.get("generate")
    if gen:
        commands["generate"] = gen | ({"reused": True} if prepared.reused else {})
    if not options.skip_commands:
        commands |= prepare.commands(prepared, bin_dir=BIN, chairmanship=None, log=log)
    out["commands"] = commands

    if prepare.analyze(prepared):
        out["notes"].append(
            "ANALYZE was run before the reads (this server's autovacuum may be off; without "
            "statistics PostgreSQL plans blind)."
        )
    probed = prepare.probe(prepared, root=ROOT, log=log)
    out["rows"] = _rows(prepared)
    prepare.checkpoint(prepared)
    params = expand(probed["params"])
    out["params"] = params
    context = {
        "today": probed["today"],
        "content_types": probed["content_types"],
        "search_statements": probed["search_statements"],
    }
    token = probed.get("token")
    reads = [r for r in READS if wanted is None or r.name in wanted]

    server_env = prepared.env | {"ALLOWED_HOSTS": "127.0.0.1,localhost"}
    print(
        f"Starting gunicorn: {options.workers} {options.worker_class} workers on "
        f"{prepared.vendor}…",
        flush=True,
    )
    server = Gunicorn(
        bin_dir=BIN, env=server_env, workers=options.workers,
        worker_class=options.worker_class, log=log,
    )  # fmt: skip
    try:
        for read in reads:
            if not read.json and "worker_peak_rss_mib_json" not in out:
                # The page reads (the report) grow the workers far more than the API does.
                out["worker_peak_rss_mib_json"] = _rss(server)
            items = params.get(read.name) or []
            row = {"name": read.name, "label": read.label, "parameter_sets": len(items)}
            row["queries"] = probed["queries"].get(read.name)
            out["reads"].append(row)
            if not items:
                out["notes"].append(f"{read.label}: nothing to read in this database, skipped.")
                continue
            headers = {"Authorization": f"Bearer {token}"} if read.delegate and token else {}
            if read.delegate and not token:
                out["notes"].append(f"{read.label}: no member state to make a delegate of.")
                continue
            urls = [read.url(i) for i in items]
            if read.floor is not None:
                row["check"] = _check(read, items[0], server, headers, prepared, context)
            print(f"  {read.name}: ours…", end="", flush=True)
            row["ours"] = _http(options, server, urls, headers)
            print(f" p95 {row['ours']['p95_ms']} ms, {row['ours']['rps']} req/s", end="")
            if row["ours"]["from_cache"]:
                # Served from the answer cache: measure the answers built afresh too.
                print("; afresh…", end="", flush=True)
                row["fresh"] = _http(options, server, urls, headers | {"Cache-Control": "no-cache"})
                print(f" p95 {row['fresh']['p95_ms']} ms", end="")
            if read.floor is not None:
                print("; floor…", end="", flush=True)
                row["floor"] = results.summary(
                    load.floor_load(
                        target=prepared.target(),
                        context=context,
                        run=read.floor,
                        items=items,
                        concurrency=options.concurrency,
                        warmup=options.warmup,
                        duration=options.duration,
                    )
                )
                print(f" p95 {row['floor']['p95_ms']} ms, {row['floor']['rps']} req/s", end="")
            print(flush=True)
        out["worker_peak_rss_mib"] = _rss(server)
    finally:
        server.stop()

    if prepared.vendor != "sqlite":
        out["notes"].append("Datasette serves SQLite files only: not measured on PostgreSQL.")
    elif ds_exe is None:
        out["notes"].append("Datasette was not measured (--no-datasette, or it did not install).")
    else:
        _datasette(options, out, reads, params, prepared, context, ds_exe, log)
    for read, row in zip(reads, out["reads"], strict=True):
        row["targets"] = results.judge(row, target_ms=read.target_ms)
    return out


def _datasette(options, out, reads, params, prepared, context, ds_exe, log) -> None:
    print(f"Starting Datasette on {prepared.sqlite_path.name}…", flush=True)
    server = datasette.Datasette(
        exe=ds_exe, database=prepared.sqlite_path, workdir=prepared.var_dir / "datasette",
        threads=options.workers, log=log,
    )  # fmt: skip
    try:
        for read, row in zip(reads, out["reads"], strict=True):
            items = params.get(read.name) or []
            if read.datasette is None or not items:
                continue
            urls = [read.datasette(i, context) for i in items]
            ours = row.get("check", {}).get("ours")
            theirs = read.datasette_keys(_get_json(server.port, urls[0], {}))
            if ours is not None:
                row.setdefault("check", {})["datasette"] = theirs
                if theirs != ours:
                    row["check"]["ok"] = False
                    print(f"  WARNING {read.name}: Datasette's keys differ from ours", flush=True)
            print(f"  {read.name}: Datasette…", end="", flush=True)
            row["datasette"] = _http(options, server, urls, {})
            print(f" p95 {row['datasette']['p95_ms']} ms, {row['datasette']['rps']} req/s")
    finally:
        server.stop()


def _http(options, server, urls: list[str], headers: dict) -> dict:
    """The load on one of the servers (ours or Datasette), summarised."""
    return results.summary(
        load.http_load(
            host="127.0.0.1",
            port=server.port,
            urls=urls,
            headers=headers,
            keep_alive=server.keep_alive,
            concurrency=options.concurrency,
            warmup=options.warmup,
            duration=options.duration,
        )
    )


def _rss(server) -> dict:
    return {str(pid): round(v, 1) for pid, v in server.peak_rss_mib().items()}


def _get_json(port: int, url: str, headers: dict):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", url, headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status} {body[:300]!r}")
        return json.loads(body)
    finally:
        conn.close()


def _check(read, item, server, headers, prepared, context) -> dict:
    """The floor's keys against the API's, for the first parameter set."""
    ours = read.keys(_get_json(server.port, read.url(item), headers))
    db = floor.Db(prepared.target(), context)
    try:
        theirs = read.floor(db, item)
    finally:
        db.close()
    ok = ours == theirs
    if not ok:
        print(
            f"  WARNING {read.name}: the floor's keys differ from the API's\n"
            f"    API:   {ours[:12]}\n    floor: {theirs[:12]}",
            flush=True,
        )
    return {"ok": ok, "params": item, "ours": ours, "floor": theirs}


def _rows(prepared) -> dict:
    tables = {
        "meetings": "bodies_meeting",
        "documents": "documents_document",
        "versions": "documents_documentversion",
        "texts": "documents_documenttext",
        "procedures": "decisions_procedure",
        "positions": "decisions_position",
        "treaties": "treaties_treaty",
        "treaty actions": "treaties_treatyaction",
        "actors": "registry_actor",
        "search entries": "search_searchentry",
    }
    db = floor.Db(prepared.target(), {"today": None, "content_types": {}})
    try:
        return {k: db.all(f"SELECT COUNT(*) FROM {t}")[0][0] for k, t in tables.items()}
    finally:
        db.close()


if __name__ == "__main__":
    sys.exit(main())
