"""Whether this process can serve: the checks behind /readyz.

- database: the primary answers a trivial query;
- migrations: none of the code's migrations is left unapplied (a server started
  before `migrate` ran, or a release whose migrations were forgotten); once all are
  applied the answer is kept for the life of the process, as migrations are not undone
  under a running server;
- worker: when the last worker running the schedule was alive (it starts a scheduled
  job every minute; jobs.Heartbeat). It fails readiness only where a worker is expected
  (TASKS_HEARTBEAT_MAX_AGE, seconds, above 0) and its last beat is older than that, or
  there is none; otherwise it is reported, not judged.

Each check answers {"ok": bool, ...}; what went wrong in detail is logged, not shown.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from secretariat.jobs.models import Heartbeat
from secretariat.jobs.runs import SCHEDULE

logger = logging.getLogger(__name__)

_all_applied = False  # kept once true: see the module's docstring


def database() -> dict:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Readiness: the database does not answer")
        return {"ok": False}
    return {"ok": True}


def unapplied_migrations() -> list:
    """The migrations the database lacks, in the order `migrate` would apply them."""
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def migrations(plan: list | None = None) -> dict:
    """`plan`: the migrations to apply, if already known (tests name one)."""
    global _all_applied
    if plan is None and _all_applied:
        return {"ok": True, "unapplied": 0}
    if plan is None:
        try:
            plan = unapplied_migrations()
        except DatabaseError:
            logger.exception("Readiness: could not read which migrations are applied")
            return {"ok": False, "unapplied": None}
        _all_applied = not plan
    if plan:
        logger.warning("Readiness: %d migrations are not applied", len(plan))
    return {"ok": not plan, "unapplied": len(plan)}


def worker() -> dict:
    max_age = settings.TASKS_HEARTBEAT_MAX_AGE
    try:
        beat = Heartbeat.objects.filter(name=SCHEDULE).values_list("beat_at", flat=True).first()
    except DatabaseError:
        beat = None  # the database check says why
    age = None if beat is None else max(0, int((timezone.now() - beat).total_seconds()))
    expected = max_age > 0
    ok = not expected or (age is not None and age <= max_age)
    return {"ok": ok, "expected": expected, "last_beat_seconds_ago": age}


def readiness(*, plan: list | None = None) -> dict:
    """Every check by name, and the names of those that failed."""
    checks = {"database": database()}
    if checks["database"]["ok"]:
        checks["migrations"] = migrations(plan)
        checks["worker"] = worker()
    else:  # nothing else can be read
        checks["migrations"] = {"ok": False, "unapplied": None}
        expected = settings.TASKS_HEARTBEAT_MAX_AGE > 0
        checks["worker"] = {"ok": not expected, "expected": expected, "last_beat_seconds_ago": None}
    failing = [name for name, check in checks.items() if not check["ok"]]
    return {"status": "unavailable" if failing else "ok", "failing": failing, "checks": checks}
