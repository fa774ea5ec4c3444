"""Every request leaves one log line with its id, status, who asked and how long it took;
the answer carries the id back, so a caller's report can be found in the logs."""

from __future__ import annotations

import io
import json
import logging

import pytest

from secretariat.accounts import services as accounts
from secretariat.operations.logs import JsonFormatter, KeyValueFormatter
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db
LOGGER = "secretariat.operations.middleware"


def lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == LOGGER]


def test_a_request_is_logged_with_its_id_status_and_duration(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/healthz")
    rid = response["X-Request-ID"]
    assert len(rid) == 32 and int(rid, 16) >= 0  # a new uuid4, in hex
    [record] = lines(caplog)
    assert record.request_id == rid
    assert (record.method, record.path, record.status) == ("GET", "/healthz", 200)
    assert record.user == "-" and record.duration_ms >= 0
    text = KeyValueFormatter().format(record)
    assert f"request_id={rid}" in text and "status=200" in text and "duration_ms=" in text
    assert "method=GET path=/healthz" in text and "user=-" in text


def test_the_callers_request_id_is_kept_and_echoed(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/no-such-page/", headers={"X-Request-ID": "lb-7f3a.42"})
    assert response.status_code == 404
    assert response["X-Request-ID"] == "lb-7f3a.42"
    [record] = lines(caplog)
    assert record.request_id == "lb-7f3a.42" and record.status == 404


@pytest.mark.parametrize("given", ["a b", "x" * 200, "id\nstatus=200", ""])
def test_an_unlikely_request_id_is_replaced_by_a_new_one(client, caplog, given):
    """An id that could forge a log line (spaces, line breaks) or bloat it is not taken."""
    caplog.set_level(logging.INFO)
    response = client.get("/healthz", headers={"X-Request-ID": given})
    assert response["X-Request-ID"] != given and len(response["X-Request-ID"]) == 32


def test_a_link_with_a_secret_token_is_logged_without_it(client, caplog):
    """An unsubscribe link's token opens someone's preferences: the logs keep its place,
    not the token."""
    caplog.set_level(logging.INFO)
    client.get("/notices/unsubscribe/s3cr3t-t0ken-value/")
    [record] = lines(caplog)
    assert record.path == "/notices/unsubscribe/[secret]/"


def test_a_signed_in_request_names_the_user(client, caplog):
    user = accounts.account_create(username="officer", password=PASSWORD, role="officer").user
    client.force_login(user)
    caplog.set_level(logging.INFO)
    client.get("/")
    client.get("/healthz")
    page, health = lines(caplog)
    assert page.user == health.user == str(user.pk)
    assert page.role == "officer"  # read by the page: the line names it
    assert health.role == "-"  # not read there: the line does not read it either


def test_json_lines_carry_the_same_fields(client, caplog):
    caplog.set_level(logging.INFO)
    client.get("/healthz", headers={"X-Request-ID": "abc123"})
    [record] = lines(caplog)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc123" and line["status"] == 200
    assert line["level"] == "INFO" and line["msg"] == "request" and line["path"] == "/healthz"
    assert line["time"].endswith("Z") and isinstance(line["duration_ms"], float)


@pytest.fixture
def console(caplog):
    """What the configured handler (settings.LOGGING) writes to stderr, at INFO."""
    caplog.set_level(logging.INFO)
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    buffer = io.StringIO()
    stream = handler.setStream(buffer)
    yield buffer
    handler.setStream(stream)


def test_the_console_shows_one_readable_line_per_request(client, console):
    """What an operator reads on stderr: key=value pairs, and every line logged while
    answering (here Django's warning for a 404) carries the request's id."""
    client.get("/no-such-page/", headers={"X-Request-ID": "trace-1"})
    out = console.getvalue().splitlines()
    [line] = [x for x in out if f"logger={LOGGER}" in x]
    assert "level=INFO" in line and "msg=request" in line and "request_id=trace-1" in line
    assert "status=404" in line and "path=/no-such-page/" in line
    warned = [x for x in out if "logger=django.request" in x]
    assert warned and all("request_id=trace-1" in x for x in warned)
