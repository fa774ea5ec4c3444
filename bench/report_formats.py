"""How long the chairmanship report takes in each format (a benchmark, not a test).

Loads data/cica into a scratch SQLite database, composes the report once (the period, the
audience and the language from the options), then renders it as HTML, PDF, PPTX and
Markdown several times each and all four together, and reports the median and the fastest
run. The issue's target: all four together under 2 seconds on the shipped data.

    .venv/bin/python bench/report_formats.py [--runs 5] [--chairmanship kazakhstan-2020-2024]
                                            [--audience public|internal] [--lang en|ru]
    make bench-report

Prints a table and writes bench/results/report-<date>-<time>.json. Nothing outside a
temporary folder is written but that file; the first run of each format is a warm-up
(imports, font loading) and is not counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from harness.machine import machine  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET = 2.0  # seconds, all four formats together (issue 9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per format (default 5)")
    parser.add_argument("--chairmanship", default="kazakhstan-2020-2024")
    parser.add_argument("--audience", choices=("public", "internal"), default="public")
    parser.add_argument("--lang", choices=("en", "ru"), default="en")
    parser.add_argument("--dataset", type=Path, default=ROOT / "data" / "cica")
    options = parser.parse_args()
    if options.runs < 1:
        parser.error("--runs must be at least 1")

    with tempfile.TemporaryDirectory(prefix="bench-report-") as scratch:
        # A database and var/ of the benchmark's own: the real ones are never touched.
        os.environ["SECRETARIAT_VAR_DIR"] = scratch
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        return _run(options)


def _run(options) -> int:
    from django.core.management import call_command

    from secretariat.accounts.policy import SYSTEM
    from secretariat.datasets.loader import Loader
    from secretariat.reports import html, markdown, pdf, pptx
    from secretariat.reports.compose import report_build
    from secretariat.reports.model import Audience
    from secretariat.reports.period import PeriodError, period_for

    print(f"Loading {options.dataset} into a scratch SQLite database…", flush=True)
    call_command("migrate", verbosity=0)
    Loader(options.dataset).load()
    try:
        period = period_for(chairmanship=options.chairmanship, language=options.lang)
    except PeriodError as error:
        print(error, file=sys.stderr)
        return 2

    def compose():
        return report_build(
            period=period, audience=Audience(options.audience), language=options.lang, user=SYSTEM
        )

    report = compose()
    report.base_url = "https://secretariat.example.org"
    formats = {
        "html": lambda: html.render(report),
        "pdf": lambda: pdf.render(report),
        "pptx": lambda: pptx.render(report),
        "md": lambda: markdown.render(report),
    }
    rows: dict[str, dict] = {"compose": _time(compose, options.runs)}
    for name, render in formats.items():
        rows[name] = _time(render, options.runs)
        rows[name]["bytes"] = len(_bytes(render()))
    rows["all four"] = _time(lambda: [render() for render in formats.values()], options.runs)
    rows["compose + all four"] = _time(
        lambda: [compose()] + [render() for render in formats.values()], options.runs
    )

    print(
        f"\n{report.organization}: {report.title} ({period.label}; {options.audience}, "
        f"{options.lang}): {len(report.sections)} sections, "
        f"{sum(len(s.charts) for s in report.sections)} charts, {options.runs} runs\n"
    )
    print(f"{'format':<20} {'median s':>9} {'fastest s':>10} {'CPU s':>7} {'size':>9}")
    for name, row in rows.items():
        size = f"{row['bytes'] / 1024:.0f} KiB" if "bytes" in row else ""
        print(
            f"{name:<20} {row['median']:>9.3f} {row['fastest']:>10.3f} "
            f"{row['cpu_median']:>7.3f} {size:>9}"
        )
    verdict = "within" if rows["all four"]["median"] < TARGET else "OVER"
    print(
        f"\nAll four together: {rows['all four']['median']:.2f} s, {verdict} the "
        f"{TARGET:.0f} s target ({rows['all four']['cpu_median']:.2f} s of CPU; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: wall time above CPU time is "
        "time spent waiting for a CPU)."
    )

    RESULTS.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    out = RESULTS / f"report-{now:%Y%m%d-%H%M%S}.json"
    out.write_text(
        json.dumps(
            {
                "when": now.isoformat(timespec="seconds"),
                "report": {
                    "chairmanship": options.chairmanship,
                    "audience": options.audience,
                    "language": options.lang,
                    "sections": len(report.sections),
                    "charts": sum(len(s.charts) for s in report.sections),
                },
                "runs": options.runs,
                "seconds": rows,
                "target_all_four_seconds": TARGET,
                "machine": machine(),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"Wrote {out.relative_to(ROOT)}")
    return 0


def _time(work, runs: int) -> dict:
    """Wall and CPU seconds of `work`, each run cold: the charts drawn anew (charts.py keeps
    recent drawings, which would flatter every run after the first)."""
    from secretariat.reports import charts

    work()  # warm-up: imports, fonts, template loading
    walls, cpus = [], []
    for _ in range(runs):
        charts.cache_clear()
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {
        "median": statistics.median(walls),
        "fastest": min(walls),
        "cpu_median": statistics.median(cpus),
        "times": walls,
    }


def _bytes(body) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


if __name__ == "__main__":
    sys.exit(main())
