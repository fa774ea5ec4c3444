"""The background jobs on a real worker: huey's own consumer takes what the site hands
over, records each job's fate where officers see it, retries with backoff, and runs the
schedule; and jobs run twice at once still do their work once."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from secretariat.core.acting import acting_as
from secretariat.jobs.models import JobRun
from secretariat.notices import services as notices
from secretariat.notices.models import Delivery, Notice

ROOT = Path(__file__).parent.parent.parent


@pytest.fixture
def consumer(tmp_path):
    """huey's consumer, in threads of this process, on a queue of the test's own."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import SqliteStorage

    saved_storage, saved = (
        HUEY.storage,
        {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)},
    )
    HUEY.immediate = False
    HUEY.storage = SqliteStorage(name="test", filename=str(tmp_path / "tasks.db"))
    worker = HUEY.create_consumer(
        workers=2, worker_type="thread", periodic=False, check_worker_health=False,
        backoff=1.1, max_delay=0.2,
    )  # fmt: skip
    worker.start()
    yield worker
    worker.stop(graceful=True)
    for thread in [worker.scheduler, *(t for _, t in worker.worker_threads)]:
        thread.join(timeout=10)
    HUEY.storage = saved_storage
    HUEY.immediate = True
    for number, handler in saved.items():
        signal.signal(number, handler)


def wait_for(condition, seconds: float = 90.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the worker did not get there in time")


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_what_an_act_announces(build, consumer):
    """An officer opens a procedure: the commit hands the announcement over, a worker
    thread makes the notice and the copies, another mails them; each job is on record as
    done."""
    from tests.notices.conftest import Office

    office = Office(build)
    mail.outbox.clear()
    office.silence()
    wait_for(lambda: len(mail.outbox) == 5)
    assert {m.to[0] for m in mail.outbox} == {"alpha@example.org", "alpha2@example.org",
                                            "beta@example.org", "gamma@example.org",
                                            "omega@example.org"}  # fmt: skip
    wait_for(lambda: not JobRun.objects.exclude(state=JobRun.State.DONE).exists())
    names = sorted({r.short_name for r in JobRun.objects.all()})
    assert names == ["announce act", "mail delivery"]
    assert Delivery.objects.filter(mailed_at__isnull=False).count() == 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.job_failures
def test_a_failed_job_is_retried_later_with_backoff(build, consumer, settings):
    """The mail server is down: the job fails, is on record as 'failed, will be retried'
    with the error, and waits in the schedule for its retry, 30 s later."""
    from huey.contrib.djhuey import HUEY

    from tests.notices.conftest import Office

    office = Office(build)
    settings.EMAIL_BACKEND = "tests.notices.failing.RefusingBackend"
    before = timezone.now()
    office.silence()
    wait_for(lambda: JobRun.objects.filter(state=JobRun.State.RETRYING).count() == 5)
    run = JobRun.objects.filter(state=JobRun.State.RETRYING).first()
    assert "refused by the test's mail server" in run.error and run.attempts == 1
    retries = [t for t in HUEY.scheduled() if t.id == run.task_id]
    assert len(retries) == 1
    wait = retries[0].eta.replace(tzinfo=dt.UTC) - before
    assert dt.timedelta(seconds=30) <= wait < dt.timedelta(seconds=120)  # 30 s after failing
    assert retries[0].retry_delay == 60  # the next one waits twice as long
    assert not Delivery.objects.filter(mailed_at__isnull=False).exists()


def _at_once(count: int, work):
    """Run `work` in `count` threads started together; their results."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        from django.db import connection

        barrier.wait()
        try:
            with acting_as(via="job"):  # as a worker does (jobs.queue)
                results.append(work())
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_two_workers_mailing_the_same_copy_send_it_once(build):
    from tests.notices.conftest import Office

    office = Office(build)
    from secretariat.notices.models import Preferences

    # Kept for the digest, so that nothing mails it before the workers race for it.
    notices.preferences_set(user=office.beta, own_state=Preferences.OwnState.DIGEST)
    office.silence()
    mail.outbox.clear()
    delivery = Delivery.objects.get(user=office.beta)
    Delivery.objects.filter(pk=delivery.pk).update(mode="immediate")
    assert sorted(_at_once(4, lambda: notices.delivery_mail(delivery.pk))) == [
        False, False, False, True,
    ]  # fmt: skip
    assert [m.to for m in mail.outbox] == [["beta@example.org"]]
    assert notices.delivery_mail(delivery.pk) is False  # a retry, later: still once


@pytest.mark.django_db(transaction=True)
def test_two_workers_closing_due_procedures_close_each_once(build):
    """Two schedulers ran the closing at once: one closing, one act, one notice."""
    from secretariat.audit.models import Act
    from secretariat.decisions import services as decisions
    from secretariat.decisions.models import ProcedureClosing
    from tests.notices.conftest import Office

    office = Office(build)
    office.world.silence()  # 1 March 2024, a week: long due
    results = _at_once(3, lambda: len(decisions.procedures_close_due()))
    assert sorted(results) == [0, 0, 1]
    assert ProcedureClosing.objects.count() == 1
    assert Act.objects.filter(verb="procedure_closed").count() == 1
    assert Notice.objects.filter(kind="procedure_closed").count() == 1


def test_the_schedule_closes_reminds_sweeps_and_sends_digests():
    """Which periodic jobs run when (huey's schedule, in UTC)."""
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")  # as the worker does (run_huey)

    def due(hour, minute):
        moment = dt.datetime(2026, 12, 7, hour, minute)
        return sorted(type(t).__name__ for t in HUEY.read_periodic(moment))

    assert due(7, 0) == ["close_due", "digests", "index_queued", "remind", "sweep"]
    assert due(7, 1) == ["close_due"]
    assert due(7, 5) == ["close_due", "index_queued", "remind"]
    assert due(6, 17) == ["close_due", "prune_reports"]
    assert due(6, 41) == ["catch_up", "close_due"]  # the search index's hourly check


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_runs_the_site_with_a_worker_beside_it(tmp_path, stop):
    """`secretariat serve` (what `make run` ends with) answers on its port and runs huey's
    consumer as its child; stopping the server (Ctrl-C, or a service manager's SIGTERM)
    stops the worker."""
    port = _free_port()
    env = {**os.environ, "SECRETARIAT_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "secretariat", "serve", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer")
        children = subprocess.run(
            ["pgrep", "-f", "-P", str(server.pid), "run_huey"], capture_output=True, text=True
        ).stdout.split()
        assert len(children) == 1, children
        worker = Path(f"/proc/{children[0]}")
    finally:
        server.send_signal(stop)
        output, _ = server.communicate(timeout=30)
    assert "Background worker started" in output, output
    assert not worker.exists()  # stopped, and reaped by the server
    assert settings.HUEY["consumer"]["periodic"] is True


@pytest.mark.django_db
def test_officers_see_failed_jobs_from_their_account_page(client):
    """A job that failed for good is counted on an officer's account page, which links to
    the list of jobs, where its error is; delegates see no such line."""
    from secretariat.accounts import services as accounts

    JobRun.objects.create(task_id="t-1", name="secretariat.notices.tasks.mail_delivery",
                          state=JobRun.State.FAILED, error="SMTPServerDisconnected")  # fmt: skip
    officer = accounts.account_create(username="o", password="x-Secret-42!", role="officer")
    client.force_login(officer.user)
    page = client.get("/accounts/").content.decode()
    assert "Background jobs: 1 failed" in page
    listing = client.get("/admin/jobs/jobrun/?state__exact=failed").content.decode()
    assert "mail delivery" in listing
    detail = client.get(f"/admin/jobs/jobrun/{JobRun.objects.get().pk}/change/").content.decode()
    assert "SMTPServerDisconnected" in detail
