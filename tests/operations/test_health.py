"""/healthz says the process is up without touching the database; /readyz says whether
it can serve, and when it cannot, names what fails (503), for a load balancer to stop
sending it requests."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from secretariat.jobs.models import Heartbeat
from secretariat.jobs.runs import SCHEDULE, beat
from secretariat.operations import health


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    """Asked as a load balancer asks, with no session cookie."""
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_readyz_is_ready_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["status"] == "ok" and answer["failing"] == []
    assert answer["checks"]["database"] == {"ok": True}
    assert answer["checks"]["migrations"] == {"ok": True, "unapplied": 0}
    assert answer["checks"]["worker"]["expected"] is False
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_fails_naming_the_migrations_left_unapplied():
    """A release whose migrations were not run: the plan `migrate` would follow is not
    empty (here the last migration of the jobs app, as if it had not been applied)."""
    loader = MigrationLoader(connection)
    last = loader.graph.leaf_nodes("jobs")[0]
    plan = [(loader.graph.nodes[last], False)]
    answer = health.readiness(plan=plan)
    assert answer["status"] == "unavailable" and answer["failing"] == ["migrations"]
    assert answer["checks"]["migrations"] == {"ok": False, "unapplied": 1}
    assert MigrationExecutor(connection).migration_plan(loader.graph.leaf_nodes()) == []


@pytest.mark.django_db
def test_readyz_is_503_when_an_expected_worker_has_not_beaten(client, settings, caplog):
    """Where a worker is expected (TASKS_HEARTBEAT_MAX_AGE) and none ran the schedule
    within it, the site is not ready and says it is the worker. The request is logged
    once, without Django's error line for a 503 (asked every few seconds)."""
    settings.TASKS_HEARTBEAT_MAX_AGE = 600
    caplog.set_level(logging.INFO)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert [(r.name, r.status) for r in caplog.records if hasattr(r, "status")] == [
        ("secretariat.operations.middleware", 503)
    ]
    assert not [r for r in caplog.records if r.name == "django.request"]
    answer = response.json()
    assert answer["failing"] == ["worker"]
    assert answer["checks"]["worker"] == {
        "ok": False, "expected": True, "last_beat_seconds_ago": None,
    }  # fmt: skip
    beat()
    assert client.get("/readyz").status_code == 200
    Heartbeat.objects.filter(name=SCHEDULE).update(
        beat_at=timezone.now() - dt.timedelta(minutes=11)
    )
    stale = client.get("/readyz")
    assert stale.status_code == 503
    assert stale.json()["checks"]["worker"]["last_beat_seconds_ago"] >= 660


@pytest.mark.django_db
def test_a_worker_not_expected_is_reported_not_judged(client):
    beat()
    Heartbeat.objects.filter(name=SCHEDULE).update(beat_at=timezone.now() - dt.timedelta(days=2))
    response = client.get("/readyz")
    assert response.status_code == 200
    worker = response.json()["checks"]["worker"]
    assert worker["ok"] is True and worker["last_beat_seconds_ago"] >= 2 * 86400


@pytest.mark.django_db
def test_a_scheduled_job_run_by_the_worker_is_its_heartbeat():
    """The worker's scheduler starts a periodic job: the heartbeat moves to now."""
    from huey.contrib.djhuey import HUEY

    from secretariat.decisions.tasks import close_due

    before = timezone.now()
    HUEY.execute(close_due.task_class())
    assert Heartbeat.objects.get(name=SCHEDULE).beat_at >= before


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_health_answers_refuse_writes(client, method):
    """No database either: a test without it fails on the first query."""
    assert getattr(client, method)("/healthz").status_code == 405
    assert client.get("/healthz").status_code == 200
