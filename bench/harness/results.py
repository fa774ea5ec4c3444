"""Percentiles, the targets, and the two files a run writes: bench-<time>.json and .md."""

from __future__ import annotations

import json
import math
from pathlib import Path

from .load import Sample

# The targets.
P95_MS = 50.0  # every read (search: its own target on the Read, 100 ms)
FLOOR_RATIO = 3.0  # our p95 at most 3x the floor's
RSS_MIB = 300.0  # each gunicorn worker's peak


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(sample: Sample) -> dict:
    ms = [x * 1000 for x in sample.latencies]
    seconds = sample.seconds or 1.0
    return {
        "requests": len(ms),
        "errors": sample.errors,
        "first_error": sample.first_error,
        "seconds": round(seconds, 2),
        "rps": round(len(ms) / seconds, 1),
        "p50_ms": _round(percentile(ms, 50)),
        "p95_ms": _round(percentile(ms, 95)),
        "p99_ms": _round(percentile(ms, 99)),
        "from_cache": round(sample.cached / len(ms), 2) if ms else None,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or not b:
        return None
    return round(a / b, 2)


def judge(row: dict, *, target_ms: float) -> dict:
    """The targets of one read, each True, False or None (not measured here); with the
    answers built afresh too (`fresh`), when the answer cache served some."""
    if row.get("fresh"):
        fresh = {k: v for k, v in row.items() if k not in ("ours", "fresh")}
        fresh["ours"] = row["fresh"]
        row["targets_fresh"] = judge(fresh, target_ms=target_ms)
        row["ratio_floor_p95_fresh"] = fresh["ratio_floor_p95"]
        row["ratio_datasette_rps_fresh"] = fresh["ratio_datasette_rps"]
    ours, floor, ds, queries = (
        row.get("ours"),
        row.get("floor"),
        row.get("datasette"),
        row.get("queries"),
    )
    p95 = ours and ours["p95_ms"]
    row["ratio_floor_p95"] = _ratio(p95, floor and floor["p95_ms"])
    row["ratio_datasette_rps"] = _ratio(ours and ours["rps"], ds and ds["rps"])
    growth = None
    if queries and len(queries) == 2:
        small, large = (queries[k]["queries"] for k in sorted(queries, key=int))
        growth = small == large
    elif queries:
        growth = None
    if ours and not ours["requests"] and ours["errors"]:
        p95 = float("inf")  # nothing but errors: the target is not met
    return {
        "p95": None if p95 is None else p95 <= target_ms,
        "floor": None if row["ratio_floor_p95"] is None else row["ratio_floor_p95"] <= FLOOR_RATIO,
        "datasette": None if ds is None or ours is None else ours["rps"] >= ds["rps"],
        "queries_constant": growth,
    }


def _mark(value) -> str:
    return "–" if value is None else ("✓" if value else "✗")


def _num(value, fmt: str = "{:.1f}") -> str:
    return "–" if value is None else fmt.format(value)


def markdown(run: dict) -> str:
    lines = [f"# Benchmark {run['when']}", ""]
    m, v = run["machine"], run["versions"]
    lines += [
        f"- Machine: {m['cpus']} cores, {m['memory_mib']} MiB, {m['system']}, "
        f"load average {m['load_average'][0]:.2f} at the start, "
        f"{m.get('load_average_end', [0])[0]:.2f} at the end (other work on the machine "
        "inflates every number)",
        "- Versions: " + ", ".join(f"{k} {val}" for k, val in v.items() if val),
        f"- Server: gunicorn, {run['server']['workers']} {run['server']['worker_class']} workers"
        f" (CONN_MAX_AGE={run['server']['conn_max_age']}); load: {run['load']['concurrency']} "
        f"client processes, {run['load']['duration']} s per read after {run['load']['warmup']} s "
        f"warm-up, {'keep-alive' if run['load']['keep_alive'] else 'a connection per request'}",
        "",
    ]
    for db in run["databases"]:
        lines += _database(db)
    lines += [
        "Targets: p95 ≤ 50 ms (search ≤ 100 ms) and ≤ 3× the floor's p95 for every read; JSON "
        "list throughput ≥ Datasette's; each worker's peak RSS < 300 MB; queries per request "
        "the same at both page sizes. ✓ met, ✗ not met, – not measured.",
        "",
        "The floor is each answer's rows fetched by hand-written SQL on an open connection "
        "(bench/harness/floor.py), without deriving anything from them in Python; search's "
        "floor replays the search backend's own SQL. Datasette answers only its SQL's rows "
        "(no sources, no derived fields). The report page has no floor.",
        "",
    ]
    return "\n".join(lines)


def _database(db: dict) -> list[str]:
    prepared = db["prepared"]
    lines = [
        f"## {db['vendor']}: {prepared['generator']}" + (" (reused)" if prepared["reused"] else ""),
        "",
        f"Database: {prepared['database']}. Rows: "
        + ", ".join(f"{k} {n}" for k, n in db.get("rows", {}).items()),
        "",
    ]
    for note in db.get("notes", []):
        lines.append(f"- {note}")
    if db.get("notes"):
        lines.append("")
    lines += [
        "| read | p50 ms | p95 ms | p99 ms | req/s | from cache | floor p50/p95/p99 ms | "
        "floor req/s | ours/floor p95 | Datasette p95 ms | Datasette req/s | ours/DS req/s | "
        "queries (small→large page) | p95 | ×floor | ≥DS | queries const |",
        "|" + "---|" * 17,
    ]
    for row in db["reads"]:
        ours, fl, ds = row.get("ours") or {}, row.get("floor") or {}, row.get("datasette") or {}
        queries = row.get("queries") or {}
        q = "→".join(
            f"{v['queries']}" + (f" ({v['items']})" if v.get("items") is not None else "")
            for _, v in sorted(queries.items(), key=lambda kv: kv[0])
        )
        t = row.get("targets", {})
        floor_cell = (
            "–"
            if not fl
            else f"{_num(fl['p50_ms'], '{:.2f}')}/{_num(fl['p95_ms'], '{:.2f}')}/"
            f"{_num(fl['p99_ms'], '{:.2f}')}"
        )
        lines.append(
            f"| {row['label']} | {_num(ours.get('p50_ms'))} | {_num(ours.get('p95_ms'))} | "
            f"{_num(ours.get('p99_ms'))} | {_num(ours.get('rps'))} | "
            f"{_num(ours.get('from_cache'), '{:.0%}')} | {floor_cell} | "
            f"{_num(fl.get('rps'))} | {_num(row.get('ratio_floor_p95'))} | "
            f"{_num(ds.get('p95_ms'))} | {_num(ds.get('rps'))} | "
            f"{_num(row.get('ratio_datasette_rps'), '{:.2f}')} | {q or '–'} | "
            f"{_mark(t.get('p95'))} | {_mark(t.get('floor'))} | {_mark(t.get('datasette'))} | "
            f"{_mark(t.get('queries_constant'))} |"
        )
    lines.append("")
    fresh = [r for r in db["reads"] if r.get("fresh")]
    if fresh:
        lines += [
            "The same reads built afresh by the server (`Cache-Control: no-cache`, which the "
            "answer cache honours), as after every change of the record:",
            "",
            "| read | p50 ms | p95 ms | p99 ms | req/s | ours/floor p95 | ours/DS req/s | "
            "p95 | ×floor | ≥DS |",
            "|" + "---|" * 10,
        ]
        for row in fresh:
            f, t = row["fresh"], row.get("targets_fresh", {})
            lines.append(
                f"| {row['label']} | {_num(f.get('p50_ms'))} | {_num(f.get('p95_ms'))} | "
                f"{_num(f.get('p99_ms'))} | {_num(f.get('rps'))} | "
                f"{_num(row.get('ratio_floor_p95_fresh'))} | "
                f"{_num(row.get('ratio_datasette_rps_fresh'), '{:.2f}')} | "
                f"{_mark(t.get('p95'))} | {_mark(t.get('floor'))} | {_mark(t.get('datasette'))} |"
            )
        lines.append("")
    for row in db["reads"]:
        for side in ("ours", "fresh", "floor", "datasette"):
            found = row.get(side) or {}
            if found.get("errors"):
                lines.append(
                    f"Errors: {row['label']}, {side}: {found['errors']} "
                    f"(first: {found['first_error']})."
                )
    for key, when in (
        ("worker_peak_rss_mib_json", "after the JSON reads"),
        ("worker_peak_rss_mib", "at the end (report page included)"),
    ):
        rss = db.get(key) or {}
        if rss:
            worst = max(rss.values())
            lines.append(
                f"Worker peak RSS {when}: {', '.join(f'{v:.0f}' for v in rss.values())} MiB "
                f"({_mark(worst < RSS_MIB)} < {RSS_MIB:.0f} MB)."
            )
    checks = [r for r in db["reads"] if r.get("check")]
    bad = [r for r in checks if not r["check"]["ok"]]
    lines.append(
        f"Floor and Datasette answers checked against ours: {len(checks) - len(bad)} of "
        f"{len(checks)} reads agree" + (": " + ", ".join(r["name"] for r in bad) if bad else "")
        + "."
    )  # fmt: skip
    lines += ["", "| command | seconds | peak RSS MiB | CPU s |", "|---|---|---|---|"]
    for name, step in db.get("commands", {}).items():
        lines.append(
            f"| {name}: `{step['command']}` | {step['seconds']} | {step['peak_rss_mib']} | "
            f"{step.get('cpu_seconds', '–')} |"
        )
    lines.append("")
    return lines


def write(run: dict, results_dir: Path) -> tuple[Path, Path]:
    results_dir.mkdir(parents=True, exist_ok=True)
    stem = results_dir / f"bench-{run['stamp']}"
    json_path, md_path = stem.with_suffix(".json"), stem.with_suffix(".md")
    json_path.write_text(json.dumps(run, indent=2, default=str) + "\n", encoding="utf-8")
    md_path.write_text(markdown(run), encoding="utf-8")
    return json_path, md_path
