"""Under a busy database: a write that cannot get the lock is told to try again (503 and
Retry-After: problem details in the API, a page that keeps what was typed on the site),
a sign-in is refused with a message, and reads answer as usual, token reads included.

The lock is held as a long import would hold it: another connection to the same SQLite
file, inside BEGIN IMMEDIATE. PostgreSQL takes row locks and waits for them without a
lock_timeout, so the scenario is SQLite's; the errors PostgreSQL raises when a lock is
not granted are mapped the same way (tested below without a database).
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3

import psycopg.errors
import pytest
from django.db import DatabaseError, OperationalError, connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from secretariat.accounts import services as accounts
from secretariat.accounts.models import ApiToken, SignInFailure
from secretariat.core import busy

PASSWORD = "correct-horse-battery-9"
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="holds SQLite's write lock from another connection (PostgreSQL waits on row "
    "locks unless lock_timeout is set; its errors are mapped in the tests below)",
)


@contextlib.contextmanager
def write_lock_held():
    """Another connection holds the database's write lock for the block (readers go on)."""
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.fixture
def quick(settings):
    """Web requests wait a fifth of a second for the lock, not seconds: the test is fast."""
    settings.DATABASE_WEB_TIMEOUT = 0.2


@pytest.fixture
def officer(build):
    user = accounts.account_create(username="olga", password=PASSWORD, role="officer").user
    _, secret = accounts.token_create(user=user, name="script")
    return user, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _problem(response, status):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_an_api_write_is_told_to_try_again_and_saves_nothing(build, officer, quick):
    """POST and PATCH through a token: 503, Retry-After, problem details, nothing saved;
    once the lock is released the same requests succeed."""
    _, bearer = officer
    actor = build.actor("omega", name_en="Omega")
    status = build.status(actor, "observer", "2010-01-01")
    client = Client()
    body = {"actor": actor.pk, "kind": "partner", "start": "2021-06", "sources": ["test-source"]}
    address = f"/api/v1/records/registry/status/{status.pk}"
    with write_lock_held():
        made = client.post(
            "/api/v1/records/registry/status", json.dumps(body),
            content_type="application/json", **bearer,
        )  # fmt: skip
        changed = client.patch(
            address, json.dumps({"end": "2023"}), content_type="application/json",
            HTTP_IF_MATCH='"v1"', **bearer,
        )  # fmt: skip
    for answer in (made, changed):
        problem = _problem(answer, 503)
        assert answer["Retry-After"] == "1"
        assert problem["status"] == 503 and problem["title"] == "Service Unavailable"
        assert "busy" in problem["detail"] and "Nothing was saved" in problem["detail"]
        assert "Traceback" not in answer.text
    status.refresh_from_db()
    assert status.end is None and status.version == 1
    assert actor.statuses.count() == 1

    assert client.patch(
        address, json.dumps({"end": "2023"}), content_type="application/json",
        HTTP_IF_MATCH='"v1"', **bearer,
    ).status_code == 200  # fmt: skip


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_token_reads_answer_while_the_lock_is_held(build, officer, quick):
    """A read authenticated by a token answers 200: noting the token's use does not wait
    for the lock (that use goes unnoted; the next one, the lock free, is noted)."""
    user, bearer = officer
    build.actor("omega", name_en="Omega")
    client = Client()
    waits = []

    def note_wait(execute, sql, params, many, context):
        if sql.startswith('UPDATE "accounts_apitoken"'):  # how long it would wait for the lock
            waits.append(connection.connection.execute("PRAGMA busy_timeout").fetchone()[0])
        return execute(sql, params, many, context)

    with write_lock_held(), connection.execute_wrapper(note_wait):
        me = client.get("/api/v1/me", **bearer)
        assert me.status_code == 200 and me.json()["username"] == "olga"
        assert client.get("/api/v1/actors/omega", **bearer).status_code == 200
        assert client.get("/api/v1/actors", **bearer).status_code == 200
    assert waits and set(waits) == {0}  # no read waited for the lock to note the use
    assert ApiToken.objects.get(user=user).last_used_at is None
    assert client.get("/api/v1/me", **bearer).status_code == 200
    assert ApiToken.objects.get(user=user).last_used_at is not None


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_pages_read_while_the_lock_is_held(build, officer, quick):
    """Reading pages, searching and an officer's own page need no lock."""
    user, _ = officer
    build.actor("omega", name_en="Omega")
    client = Client()
    client.force_login(user)
    with write_lock_held():
        for address in ("/", "/search/?q=omega", reverse("accounts:home")):
            assert client.get(address).status_code == 200, address
        assert Client().get("/search/?q=omega").status_code == 200


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_site_form_gets_a_page_that_keeps_what_was_typed(officer, quick):
    """A form sent to the site: a 503 page in the portal's layout that says the record is
    busy and when to try again, and sends the same input again with a fresh CSRF token."""
    user, _ = officer
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("accounts:home"))  # the form's page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    with write_lock_held():
        answer = client.post(
            reverse("accounts:token-create"),
            {"name": "nightly <export>", "csrfmiddlewaretoken": csrf},
        )
    assert answer.status_code == 503 and answer["Retry-After"] == "1"
    assert answer["Content-Type"].startswith("text/html")
    assert "no-store" in answer["Cache-Control"]
    page = answer.text
    assert "The record is busy" in page and "Nothing was saved" in page
    assert "Try again in 1 second." in page and "Traceback" not in page
    assert 'class="site"' in page  # the portal's layout, not a bare error
    form = re.search(r'<form method="post" action="/accounts/tokens/">(.*?)</form>', page, re.S)
    assert form is not None
    assert '<input type="hidden" name="name" value="nightly &lt;export&gt;">' in form.group(1)
    assert "csrfmiddlewaretoken" in form.group(1)
    assert not ApiToken.objects.filter(name__startswith="nightly").exists()

    # Sent again once the lock is free: saved.
    again = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1)).group(1)
    sent = client.post(
        reverse("accounts:token-create"),
        {"name": "nightly <export>", "csrfmiddlewaretoken": again},
    )
    assert sent.status_code == 201
    assert ApiToken.objects.filter(name="nightly <export>").exists()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_sign_in_is_refused_with_a_message(officer, quick):
    """Right or wrong password alike: 503 saying the user is not signed in and to try again
    (the password is not written back into the page); then the sign-in works."""
    client = Client()
    address = reverse("accounts:sign-in")
    with write_lock_held():
        right = client.post(address, {"username": "olga", "password": PASSWORD})
        wrong = client.post(address, {"username": "olga", "password": "not-it"})
        russian = client.post(
            address, {"username": "olga", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="ru"
        )
    assert russian.status_code == 503
    assert "Вход не выполнен: реестр занят" in russian.text
    assert "Попробуйте ещё раз через 1 секунду." in russian.text
    for answer in (right, wrong):
        assert answer.status_code == 503 and answer["Retry-After"] == "1"
        page = answer.text
        assert "You are not signed in: the record is busy" in page
        assert "Try again in 1 second." in page and "Traceback" not in page
        assert PASSWORD not in page and "not-it" not in page
        assert "Back to the form" in page
    assert client.get("/api/v1/me").json()["username"] is None
    assert not SignInFailure.objects.exists()

    signed_in = client.post(address, {"username": "olga", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/api/v1/me").json()["username"] == "olga"


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_web_request_waits_less_than_commands(quick):
    """Requests wait DATABASE_WEB_TIMEOUT for the lock; the connection keeps its own
    (longer) timeout outside them."""
    connection.ensure_connection()
    own = connection.connection.execute("PRAGMA busy_timeout").fetchone()[0]
    seen = []

    def view(request):
        connection.ensure_connection()
        seen.append(connection.connection.execute("PRAGMA busy_timeout").fetchone()[0])
        return HttpResponse()

    middleware = busy.BusyDatabaseMiddleware(view)
    middleware(RequestFactory().get("/"))
    connection.close()  # a request that opens the connection itself
    middleware(RequestFactory().get("/"))
    assert seen == [200, 200]
    assert connection.connection.execute("PRAGMA busy_timeout").fetchone()[0] == own > 200


# --- Which errors mean "busy" (no database needed) ---------------------------------------


def _wrapped(cause: Exception) -> OperationalError:
    """The error as Django raises it: its own class, the driver's error as the cause."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("database is locked"),
        OperationalError("database table is locked"),
        _wrapped(sqlite3.OperationalError("database is locked")),
        _wrapped(psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")),
        _wrapped(psycopg.errors.LockNotAvailable('could not obtain lock on row in "x"')),
        _wrapped(psycopg.errors.SerializationFailure("could not serialize access")),
        _wrapped(psycopg.errors.DeadlockDetected("deadlock detected")),
        _wrapped(psycopg.errors.TooManyConnections("too many connections for role")),
        _wrapped(psycopg.OperationalError("connection failed: sorry, too many clients already")),
    ],
    ids=lambda e: str(e)[:40],
)
def test_lock_and_slot_errors_are_busy(error):
    assert busy.is_busy(error)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("no such table: registry_actor"),
        _wrapped(psycopg.errors.UndefinedTable('relation "x" does not exist')),
        DatabaseError("database is locked"),  # not an OperationalError: not the driver's
        ValueError("database is locked"),
    ],
    ids=lambda e: str(e)[:40],
)
def test_other_errors_are_not_busy(error):
    assert not busy.is_busy(error)


def _raising(exc):
    def view(request):
        raise exc

    return view


def test_the_middleware_answers_busy_errors_and_leaves_the_rest(settings):
    """A busy error from any view: 503 (problem details under /api/); any other error is
    left to Django (a 500), never hidden as busy."""
    settings.DATABASE_WEB_TIMEOUT = 3
    factory = RequestFactory()
    middleware = busy.BusyDatabaseMiddleware(lambda request: HttpResponse())
    locked = _wrapped(psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"))
    api = middleware.process_exception(factory.patch("/api/v1/documents/x"), locked)
    assert api.status_code == 503 and api["Retry-After"] == "3"
    assert api["Content-Type"] == "application/problem+json"
    assert json.loads(api.content)["status"] == 503
    broken = OperationalError("no such table: registry_actor")
    assert middleware.process_exception(factory.post("/documents/x/edit/"), broken) is None


def test_a_busy_error_met_in_a_middleware_is_a_503_too(rf):
    """urls.handler500: a session or token read failing because no connection slot was free
    answers 503 too; any other error keeps Django's 500 page."""
    request = rf.get("/api/v1/me")
    try:
        raise _wrapped(psycopg.errors.TooManyConnections("too many connections"))
    except OperationalError:
        assert busy.server_error(request).status_code == 503
    try:
        raise OperationalError("no such table: x")
    except OperationalError:
        assert busy.server_error(request).status_code == 500


def test_the_api_document_says_writes_may_answer_503():
    from secretariat.api import api

    document = api.get_openapi_schema()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            answers = {int(code): answer for code, answer in operation["responses"].items()}
            if method == "get":
                assert 503 not in answers, path
            else:
                assert "Retry-After" in answers[503]["headers"], (method, path)


def test_without_the_layout_the_page_still_says_it(rf, monkeypatch):
    """No connection slot left, the layout (which reads the database) cannot be drawn: the
    page alone then, still keeping the form."""
    drawn = busy.render_to_string

    def no_layout(name, *args, **kwargs):
        if name == "503.html":
            raise OperationalError("sorry, too many clients already")
        return drawn(name, *args, **kwargs)

    monkeypatch.setattr(busy, "render_to_string", no_layout)
    request = rf.post("/documents/new/", {"title_en": "Draft", "csrfmiddlewaretoken": "x"})
    answer = busy.answer(request)
    assert answer.status_code == 503 and "Retry-After" in answer
    page = answer.content.decode()
    assert "The record is busy" in page and "Nothing was saved" in page
    assert '<input type="hidden" name="title_en" value="Draft">' in page
    assert 'name="csrfmiddlewaretoken"' in page and 'value="x"' not in page
