"""Keeping JobRun rows in step with the task engine's signals, and a job's progress.

The engine (huey) emits a signal as a job is handed over, starts, fails, is retried or
ends; each one updates the job's row here, and logs the job's start, end or failure
with its name, id and duration. A scheduled job's start is the worker's heartbeat
(jobs.Heartbeat). A receiver must never break the job it reports on, so database
trouble is logged and swallowed.
"""

from __future__ import annotations

import json
import logging
import time
import traceback

from django.db import DatabaseError
from django.db.models import F
from django.utils import timezone
from huey import signals as S
from huey.api import PeriodicTask
from huey.contrib.djhuey import HUEY

from .models import Heartbeat, JobRun

logger = logging.getLogger(__name__)
State = JobRun.State
SCHEDULE = "schedule"  # the heartbeat of the worker that runs the schedule


def _json(value):
    """The arguments as JSON can hold them (jobs take ids and plain values)."""
    return json.loads(json.dumps(value, default=str))


def _name(task) -> str:
    return f"{type(task).__module__}.{type(task).__name__}"


def _row(task, **values) -> None:
    JobRun.objects.filter(task_id=task.id).update(**values)


def _enqueued(signal, task, *args) -> None:
    if isinstance(task, PeriodicTask):
        return  # every minute: kept only if it fails
    args, kwargs = task.data if task.data else ((), {})
    kwargs = {k: v for k, v in kwargs.items() if k != "task"}
    JobRun.objects.get_or_create(
        task_id=task.id,
        defaults={"name": _name(task), "args": _json(list(args)), "kwargs": _json(kwargs)},
    )


def _executing(signal, task, *args) -> None:
    if isinstance(task, PeriodicTask):
        beat()
        return
    _row(task, state=State.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now())


def _complete(signal, task, *args) -> None:
    if isinstance(task, PeriodicTask):
        return
    _row(task, state=State.DONE, finished_at=timezone.now(), error="")


def _error(signal, task, exc=None, *args) -> None:
    text = "".join(traceback.format_exception(exc))[-4000:] if exc is not None else ""
    final = not task.retries
    state = State.FAILED if final else State.RETRYING
    if isinstance(task, PeriodicTask):
        if final:  # a failed periodic run is kept, so that someone sees it
            JobRun.objects.create(
                task_id=task.id, name=_name(task), state=state, attempts=1, error=text,
                started_at=timezone.now(), finished_at=timezone.now(),
            )  # fmt: skip
        return
    _row(task, state=state, error=text, finished_at=timezone.now() if final else None)


def _cancelled(signal, task, *args) -> None:
    if not isinstance(task, PeriodicTask):
        _row(task, state=State.CANCELLED, finished_at=timezone.now())


def beat(name: str = SCHEDULE) -> None:
    """Note that the worker is alive now (a scheduled job runs every minute)."""
    now = timezone.now()
    if not Heartbeat.objects.filter(name=name).update(beat_at=now):
        Heartbeat.objects.get_or_create(name=name, defaults={"beat_at": now})


# When each job running in this process started (perf_counter), for its duration.
_started: dict[str, float] = {}


def _log(signal, task, exc=None, *args) -> None:
    fields = {"job": _name(task), "job_id": task.id}
    if signal == S.SIGNAL_EXECUTING:
        _started[task.id] = time.perf_counter()
        logger.info("job started", extra=fields)
        return
    if (started := _started.pop(task.id, None)) is not None:
        fields["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
    if signal == S.SIGNAL_COMPLETE:
        logger.info("job finished", extra=fields)
    elif task.retries:
        logger.warning("job failed, will be retried", extra={**fields, "error": repr(exc)})
    else:
        logger.error("job failed", exc_info=exc, extra=fields)


RECEIVERS = {
    S.SIGNAL_ENQUEUED: _enqueued,
    S.SIGNAL_EXECUTING: _executing,
    S.SIGNAL_COMPLETE: _complete,
    S.SIGNAL_ERROR: _error,
    S.SIGNAL_CANCELED: _cancelled,
    S.SIGNAL_REVOKED: _cancelled,
    S.SIGNAL_EXPIRED: _cancelled,
}


def _safe(receiver):
    def receive(signal, task, *args, **kwargs):
        try:
            receiver(signal, task, *args, **kwargs)
        except DatabaseError:
            logger.exception("Could not record %s of job %s", signal, getattr(task, "id", "?"))

    receive.__name__ = receiver.__name__
    return receive


def connect() -> None:

    for signal, receiver in RECEIVERS.items():
        HUEY.signal(signal)(_safe(receiver))
    HUEY.signal(S.SIGNAL_EXECUTING, S.SIGNAL_COMPLETE, S.SIGNAL_ERROR)(_log)


def progress(task, percent: int, message: str = "") -> None:
    """Say how far a job is (for pages that show it); `task` is the job's own context."""
    if task is None or getattr(task, "id", None) is None:
        return
    try:
        _row(task, progress=max(0, min(100, int(percent))), message=message[:300])
    except DatabaseError:
        logger.exception("Could not record the progress of job %s", task.id)
