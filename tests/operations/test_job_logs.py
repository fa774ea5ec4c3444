"""Every background job logs its start, its end or its failure, with its name, id and
how long it ran: what an operator greps for when a mail did not go out."""

from __future__ import annotations

import logging

import pytest

from secretariat.jobs.models import JobRun
from secretariat.jobs.queue import job
from secretariat.operations.logs import KeyValueFormatter

pytestmark = pytest.mark.django_db
LOGGER = "secretariat.jobs.runs"
NAME = "tests.operations.test_job_logs"


@job(retries=0)
def tally(n: int) -> int:
    return n + 1


@job(retries=0)
def mail_out() -> None:
    raise ConnectionRefusedError("the mail server is down")


@job(retries=2)
def mail_later() -> None:
    raise ConnectionRefusedError("the mail server is down")


def job_lines(caplog):
    return [r for r in caplog.records if r.name == LOGGER]


def test_a_job_logs_its_start_and_its_end_with_the_time_it_took(caplog):
    caplog.set_level(logging.INFO)
    tally(1)
    run = JobRun.objects.get()
    started, finished = job_lines(caplog)
    assert (started.msg, finished.msg) == ("job started", "job finished")
    assert started.job == finished.job == f"{NAME}.tally"
    assert started.job_id == finished.job_id == run.task_id
    assert finished.duration_ms >= 0 and finished.levelno == logging.INFO
    line = KeyValueFormatter().format(finished)
    assert f"job_id={run.task_id}" in line and "duration_ms=" in line


@pytest.mark.job_failures
def test_a_failed_job_logs_an_error_with_its_cause(caplog):
    caplog.set_level(logging.INFO)
    mail_out()
    started, failed = job_lines(caplog)
    assert started.msg == "job started"
    assert failed.msg == "job failed" and failed.levelno == logging.ERROR
    assert failed.job == f"{NAME}.mail_out" and failed.duration_ms >= 0
    assert "the mail server is down" in KeyValueFormatter().format(failed)  # the traceback
    assert JobRun.objects.get().state == JobRun.State.FAILED


@pytest.mark.job_failures
def test_a_failure_to_be_retried_is_a_warning(caplog):
    caplog.set_level(logging.INFO)
    mail_later()
    failed = job_lines(caplog)[1]
    assert failed.msg == "job failed, will be retried" and failed.levelno == logging.WARNING
    assert "the mail server is down" in failed.error
