"""How the apps declare and hand over background jobs (on huey, through djhuey).

Every job is idempotent: it may run twice (two workers, a retry after a crash) and must
then change nothing the second time. The apps' `tasks.py` declare jobs with `job` or
`periodic`; writes hand them over with `after_commit`, so that a job never runs on data
that was rolled back, and a worker never reads a row before it is committed.
"""

from __future__ import annotations

import functools
import logging

from django.db import transaction
from huey import crontab  # noqa: F401  (re-exported for the apps' schedules)
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from secretariat.core.acting import acting_as

logger = logging.getLogger(__name__)

# A failed job is tried again after 30 s, then 1, 2, 4 and 8 minutes, then kept as failed.
RETRIES = 5
FIRST_RETRY_SECONDS = 30
BACKOFF = 2


def _as_a_job(fn):
    """Run `fn` acting as a job: audited as such, with the system's rights (writes
    refuse to run where nothing says who is acting, core.acting)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        with acting_as(via="job", reason=f"job {fn.__name__}"):
            return fn(*args, **kwargs)

    return run


def job(*, retries: int = RETRIES, retry_delay: int = FIRST_RETRY_SECONDS, context=False):
    """Declare a job (a function of plain arguments: ids, strings, numbers)."""
    task = db_task(retries=retries, retry_delay=retry_delay, retry_backoff=BACKOFF, context=context)
    return lambda fn: task(_as_a_job(fn))


def periodic(schedule):
    """Declare a job the worker's scheduler runs on `schedule` (a huey crontab)."""
    return lambda fn: db_periodic_task(schedule)(_as_a_job(fn))


def after_commit(task, *args, **kwargs) -> None:
    """Hand the job over once the current transaction commits (at once outside one).

    If the queue cannot take it, the failure is logged and the commit stands: the
    periodic sweeps (notices.tasks.sweep) pick up what was not handed over.
    """

    def hand_over():
        try:
            task(*args, **kwargs)
        except Exception:
            logger.exception("Could not hand job %s over to the queue", task.func.__name__)

    transaction.on_commit(hand_over)


def immediate() -> bool:
    """Whether jobs run inline instead of in a worker (the test suite's default)."""
    return HUEY.immediate
