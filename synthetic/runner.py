"""Generates the synthetic organization into an empty database, stage by stage.

All in one transaction: refused (nothing written) when the database already holds
records, unless `flush` empties the secretariat's tables first (in the same
transaction). Files written before a failure stay in the media folder, unreferenced.
Each stage reports its progress, time and the process's peak memory.
"""

from __future__ import annotations

import datetime as dt
import resource
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from secretariat.audit.models import AuditEntry
from secretariat.core.models import Organization, Source, Sourced, read_models
from secretariat.exchange.dump import models_in_dump
from secretariat.search import indexer
from secretariat.search.models import SearchEntry

from . import meetings, programme, registry, treaties
from .documents import DocumentWriter, write_documents
from .files import FileSink
from .sizes import FIRST_YEAR, Sizes
from .words import Prose
from .world import World
from .writer import Writer

Tick = Callable[[int], None]


class NotEmpty(Exception):
    """The database already holds records: generating would mix made-up and real ones."""


@dataclass
class StageTime:
    name: str
    seconds: float  # wall clock
    cpu: float  # this process's CPU time, all threads (the machine may be shared)
    peak_mb: float  # the process's peak resident memory so far


@dataclass
class Summary:
    scale: int
    seed: int
    rows: dict[str, int]
    search_entries: int
    stages: list[StageTime] = field(default_factory=list)


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class Progress:
    """A bar per stage on stderr: redrawn in place on a terminal, a line per tenth
    elsewhere (logs, CI); silent when `stream` is None."""

    def __init__(self, stream: TextIO | None, *, live: bool | None = None):
        self.stream = stream
        self.live = stream is not None and (stream.isatty() if live is None else live)
        self.stages: list[StageTime] = []

    @contextmanager
    def stage(self, name: str, total: int) -> Iterator[Tick]:
        started, cpu, done, shown = time.perf_counter(), time.process_time(), 0, -1

        def tick(n: int) -> None:
            nonlocal done, shown
            done += n
            if self.stream is None or not total:
                return
            percent = min(100, 100 * done // total)
            if self.live:
                bar = "#" * (percent * 30 // 100)
                self.stream.write(f"\r  {name:<14} [{bar:<30}] {percent:3d}% {done}/{total}")
                self.stream.flush()
            elif percent // 10 > shown:
                shown = percent // 10
                self.stream.write(f"  {name:<14} {percent:3d}% {done}/{total}\n")
                self.stream.flush()

        yield tick
        seconds = time.perf_counter() - started
        self.stages.append(StageTime(name, seconds, time.process_time() - cpu, _peak_mb()))
        if self.stream is not None:
            end = "\n" if self.live else ""
            self.stream.write(f"{end}  {name:<14} done in {seconds:.1f} s\n")
            self.stream.flush()


# Tables of the secretariat apps that keep bookkeeping, not records: never emptied.
BOOKKEEPING = {"audit.traillength"}


def records_held() -> list[str]:
    """The kinds of records the database holds: sources, sourced records, audit entries
    (users, their accounts and bookkeeping rows aside)."""
    return [
        model._meta.label_lower
        for model in models_in_dump()
        if (issubclass(model, Sourced) or model in (Source, AuditEntry))
        and model._base_manager.exists()
    ]


def flush_tables() -> None:
    """Empty every table of the secretariat apps (audit trail and search index included;
    read models, notices and drawn reports too, which point at the records; users and
    their logins, and bookkeeping rows, are kept)."""
    from django.apps import apps

    models = [m for m in models_in_dump() if m._meta.label_lower not in BOOKKEEPING]
    about_records = [
        *apps.get_app_config("notices").get_models(),
        apps.get_model("reports", "ReportFile"),
    ]
    tables = [m._meta.db_table for m in [*models, *read_models(), SearchEntry, *about_records]]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=False
    )
    if connection.vendor == "postgresql":
        # TRUNCATE refuses a table with deferred checks still pending in this transaction
        # (foreign keys, the trail's length): run them now.
        connection.check_constraints()
    connection.ops.execute_sql_flush(statements)


def generate(
    *,
    scale: int,
    seed: int,
    flush: bool = False,
    progress: Progress | None = None,
    sizes: Sizes | None = None,
) -> Summary:
    """Fill the database with the synthetic organization; the same scale and seed give the
    same records. Raises NotEmpty (nothing written) when records are already there.

    `sizes` replaces the scale's (tests make smaller organizations with it)."""
    if scale < 1:
        raise ValueError("The scale is a whole number from 1.")
    sizes = sizes or Sizes.of(scale)
    progress = progress or Progress(None)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB of page cache
    # One transaction: the emptying too is undone if the generation fails.
    with transaction.atomic():
        if flush:
            with progress.stage("flush", 1) as tick:
                flush_tables()
                tick(1)
        held = records_held()
        if held:
            raise NotEmpty(
                f"The database already holds records ({', '.join(held[:5])}"
                f"{', ...' if len(held) > 5 else ''}): generate into an empty database "
                "(a new one after `secretariat migrate`), or give --flush to empty it first."
            )
        summary = _generate(sizes, seed, progress)
    return summary


def _generate(sizes: Sizes, seed: int, progress: Progress) -> Summary:
    scale = sizes.scale
    batch = uuid.uuid5(uuid.NAMESPACE_URL, f"secretariat:generate-synthetic:{scale}:{seed}")
    title = f"Synthetic data, scale {scale} seed {seed}"
    writer = Writer(
        now=timezone.now(), source_id=1, batch=batch,
        reason=f"generate-synthetic --scale {scale} --seed {seed}",
    )  # fmt: skip
    writer.record(
        Source,
        {"id": 1, "key": f"synthetic-{seed}", "title": title,
         "publisher": "secretariat generate-synthetic",
         "note": "Made-up records generated for testing at scale: nothing in them is real."},
        title,
    )  # fmt: skip
    world = World(sizes=sizes, seed=seed, writer=writer)
    summary_rows = writer.counts
    with progress.stage("registry", sizes.actors) as tick:
        name_en = f"Synthetic Organization of {sizes.states} States"
        writer.record(
            Organization,
            {"slug": "synthetic", "name_en": name_en,
             "name_ru": f"Синтетическая организация {sizes.states} государств",
             "short_name_en": world.org_short, "short_name_ru": "СОГ",
             "founded_date": dt.date(FIRST_YEAR, 3, 14), "founded_precision": "day",
             "note": "A made-up organization for testing at scale."},
            world.org_short,
        )  # fmt: skip
        meetings.plan_bodies(world)
        meetings.plan_calendar(world)
        registry.plan_actors(world)
        registry.write_registry(world)
        writer.flush()
        tick(sizes.actors)
    with progress.stage("meetings", len(world.meetings)) as tick:
        meetings.write_bodies(world)
        meetings.write_meetings(world, tick)
        writer.flush()
    prose = Prose(world.stream("prose"), states=[(a.name_en, a.name_ru) for a in world.states])
    files = FileSink()
    docs = DocumentWriter(world, prose, files)
    bulk = sizes.documents - sizes.treaties - programme.DOCUMENTS
    try:
        with progress.stage("documents", bulk) as tick:
            write_documents(world, docs, bulk, tick)
            writer.flush()
        with progress.stage("treaties", sizes.treaties) as tick:
            treaties.write_treaties(world, docs, tick)
            writer.flush()
        with progress.stage("programme", sizes.cbm_events) as tick:
            programme.write_programme(world, docs, tick)
            writer.finish()
            files.close()
    except BaseException:
        files.abandon()
        raise
    # The rows came in raw, past the receivers that keep the read models: derive them
    # (as `reindex` and a dump's import do), then the index.
    stored = read_models()
    with progress.stage("read models", len(stored)) as tick:
        for model in stored:
            summary_rows[model._meta.label] = model.refresh()
            tick(1)
    total = sum(model.objects.count() for model in indexer.MODELS.values())
    with progress.stage("search index", total) as tick:
        done = 0

        def step(kind: str, records: int, all_records: int) -> None:
            nonlocal done
            tick(records - done)
            done = records

        entries = sum(indexer.rebuild(progress=step).values())
    summary = Summary(scale, seed, dict(sorted(summary_rows.items())), entries)
    summary.stages = progress.stages
    return summary
