"""Small composable builders: every test makes the records it needs through the services."""

from __future__ import annotations

import contextlib
import re
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.db.models.signals import post_save

from secretariat.bodies import services as bodies
from secretariat.records import services as core
from secretariat.registry import services as registry

FIXTURES = Path(__file__).parent / "fixtures"
CICA = Path(__file__).parent.parent / "data" / "cica"


class Build:
    """Makes records through the services, with sensible defaults."""

    def __init__(self):
        self._source = None
        self._n = 0

    @property
    def source(self):
        if self._source is None:
            self._source, _ = core.source_upsert(key="test-source", title="Test source")
        return self._source

    def actor(self, slug: str | None = None, *, kind: str = "state", **kw):
        self._n += 1
        slug = slug or f"actor-{self._n}"
        if kind == "state":
            letters = chr(65 + self._n // 26 % 26) + chr(65 + self._n % 26)
            kw.setdefault("iso2", letters)
            kw.setdefault("iso3", "X" + letters)
        actor, _ = registry.actor_upsert(
            slug=slug, kind=kind, name_en=kw.pop("name_en", slug.title()), sources=[self.source],
            **kw,
        )  # fmt: skip
        return actor

    def status(self, actor, kind: str, start, end=None, **kw):
        status, _ = registry.status_upsert(
            actor=actor, kind=kind, start=start, end=end, sources=[self.source], **kw
        )
        return status

    def chair(self, actor, start, end=None, **kw):
        term, _ = registry.chairmanship_upsert(
            actor=actor, start=start, end=end, sources=[self.source], **kw
        )
        return term

    def head(self, name: str, start, end=None, *, title="executive_director", **kw):
        person, _ = registry.person_upsert(
            slug=name.lower().replace(" ", "-"), name_en=name, sources=[self.source]
        )
        term, _ = registry.head_upsert(
            person=person, title=title, start=start, end=end, sources=[self.source], **kw
        )
        return term

    def body(self, slug: str = "council", kind: str = "ministerial_council", **kw):
        body, _ = bodies.body_upsert(
            slug=slug, kind=kind, name_en=kw.pop("name_en", slug.title()), sources=[self.source],
            **kw,
        )  # fmt: skip
        return body

    def meeting(self, key: str, body=None, *, schedule=None, **kw):
        body = body or self.body()
        meeting, _ = bodies.meeting_upsert(key=key, body=body, sources=[self.source], **kw)
        entries = schedule or [{"kind": "held", "start": "2020-01-01"}]
        bodies.meeting_schedule_set(
            meeting=meeting,
            entries=[{"sources": [self.source], **entry} for entry in entries],
        )
        return meeting


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Tests make hundreds of accounts: a cheap hash keeps each from costing half a second
    of key stretching. The production hashers are checked where hashing itself is the
    subject (tests/accounts/test_sign_in.py)."""
    from django.test.utils import override_settings

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    fast.enable()
    yield
    fast.disable()


@pytest.fixture(autouse=True, scope="session")
def answers_not_kept():
    """The public answer cache is off, but in its own tests (tests/core/
    test_response_cache.py): elsewhere, a test reading the same address twice inside one
    transaction would be answered from it, the change it made not yet committed."""
    from django.test.utils import override_settings

    off = override_settings(API_CACHE_SECONDS=0)
    off.enable()
    yield
    off.disable()


@pytest.fixture(autouse=True, scope="session")
def jobs_run_inline():
    """Background jobs run inline, as they are handed over (huey's immediate mode, in
    memory): a test sees their effect at once. Tests of the worker itself start a real
    consumer (tests/jobs)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture(autouse=True, scope="session")
def logs_kept_to_warnings():
    """The site logs a line per request and per job at INFO (settings.LOGGING): the test
    run keeps warnings and worse, so that a failing test's report is not buried under
    them. A test of those lines asks for them (`caplog.set_level(logging.INFO)`)."""
    import logging

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.WARNING)
    yield
    root.setLevel(level)


@pytest.fixture(autouse=True)
def jobs_do_not_fail(request):
    """A job that fails inline would only be logged by the engine: fail the test instead,
    unless it expects failures (`@pytest.mark.job_failures`)."""
    from huey import signals
    from huey.contrib.djhuey import HUEY

    failures = []

    def failed(signal, task, exc=None, *args):
        failures.append(f"{type(task).__name__}: {exc!r}")

    HUEY.signal(signals.SIGNAL_ERROR)(failed)
    yield failures
    HUEY.disconnect_signal(failed, signals.SIGNAL_ERROR)
    if failures and request.node.get_closest_marker("job_failures") is None:
        pytest.fail("A background job failed: " + "; ".join(failures), pytrace=False)


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English: a request in Russian must not carry over to the next."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True, scope="session")
def acting_as_the_test():
    """The suite is a program: it says whom its own writes act as (the system, as a
    command would), since a write where nothing says so is refused (core.acting.NoActor).
    Requests and jobs inside a test set their own; a new thread starts with no one acting."""
    from secretariat.core.acting import acting_as

    with acting_as(via="system"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run the block's commit work as a commit would: `with committing(): ...`."""
    return lambda: as_committed(django_capture_on_commit_callbacks)


@contextlib.contextmanager
def as_committed(capture):
    """At the end of the block, what a commit does in a test whose transaction never
    commits: the work hooked before the commit (core.db.precommit: the search index),
    then the on-commit work (acts announced, jobs handed over)."""
    from secretariat.core.db import precommit

    with capture(execute=True) as callbacks:
        yield callbacks
        precommit.run()


@pytest.fixture
def build(db) -> Build:
    return Build()


@pytest.fixture
def minimal(db):
    """The made-up organization in tests/fixtures/minimal, loaded."""
    from secretariat.datasets.loader import Loader

    return Loader(FIXTURES / "minimal").load()


# --- Every write is audited ---------------------------------------------------------------

# Tables written for bookkeeping, not as part of the record.
UNAUDITED_APPS = {"audit", "search", "jobs", "notices"}
UNAUDITED_MODELS = {
    "accounts.signinfailure", "accounts.passwordresetrequest", "accounts.apitoken",
    "reports.reportfile",
}  # fmt: skip
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE
)


def _audited_tables() -> dict[str, str]:
    """Each table of our apps -> what a write to it must leave in the trail: an entry for
    that model, or a change of "sources" / "variants" / a link field of its record."""
    from django.apps import apps

    from secretariat.core.models import Citation, ReadModel, Variant

    tables = {}
    for model in apps.get_models(include_auto_created=True):
        config = model._meta.app_config
        label = model._meta.label_lower
        if not config.name.startswith("secretariat.") or config.label in UNAUDITED_APPS:
            continue
        if label in UNAUDITED_MODELS or issubclass(model, ReadModel):  # derived, rebuildable
            continue
        owner = model._meta.auto_created or model  # a many-to-many table: its record's change
        if owner is Citation:
            tables[model._meta.db_table] = "part:sources"
        elif owner is Variant:
            tables[model._meta.db_table] = "part:variants"
        else:
            tables[model._meta.db_table] = owner._meta.label_lower
    return tables


@pytest.fixture(autouse=True)
def every_write_is_audited(request):
    """Fails a test in which a model of ours was written without an audit entry for it
    (for a citation or variant: a change of its record's sources or variants).

    The proof, over the whole suite, that every service writes through the audited
    paths. A test that writes raw rows on purpose says so, with its reason:
    `@pytest.mark.raw_writes("why")`.
    """
    marker = request.node.get_closest_marker("raw_writes")
    if marker is not None:
        assert marker.args or marker.kwargs.get("reason"), "raw_writes needs a reason"
        yield
        return
    from secretariat.audit.models import AuditEntry

    tables = _audited_tables()
    written: set[str] = set()
    entries: list[tuple[str, str, frozenset]] = []
    lock = threading.Lock()

    def watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        match = _WRITE.match(sql)
        # A statement that touched no row (a cascade that found nothing) wrote nothing.
        if match and match.group(1) in tables and context["cursor"].rowcount != 0:
            written.add(tables[match.group(1)])
        return result

    def noted(sender, instance, created, **kwargs):
        label = instance.content_type.model_class()._meta.label_lower
        with lock:
            entries.append((label, instance.action, frozenset(instance.changes)))

    post_save.connect(noted, sender=AuditEntry, dispatch_uid="every_write_is_audited")
    try:
        with connection.execute_wrapper(watch):
            yield
    finally:
        post_save.disconnect(sender=AuditEntry, dispatch_uid="every_write_is_audited")
    whole = {"delete", "restore"}  # a deletion or restore carries the record's parts
    missing = sorted(
        need
        for need in written
        if not any(
            (need.startswith("part:") and (need[5:] in changes or action in whole)) or label == need
            for label, action, changes in entries
        )
    )
    if missing:
        pytest.fail(
            "Written without an audit entry: " + ", ".join(missing) + ". Write through "
            "records.services (validated_save, record_delete, citations_set, variants_set, "
            'links_set), or mark a deliberate raw write @pytest.mark.raw_writes("why").',
            pytrace=False,
        )


@pytest.fixture(scope="module")
def cica(django_db_setup, django_db_blocker):
    """The CICA dataset, loaded once for the module that asks for it and removed after it
    (loading takes seconds): its tests read it, and write only inside their own transaction."""
    from django.core.management import call_command

    from secretariat.datasets.loader import Loader

    with django_db_blocker.unblock():
        counts = Loader(CICA).load()
    yield counts
    with django_db_blocker.unblock():
        call_command("flush", "--no-input", verbosity=0)


def pytest_collection_modifyitems(config, items):
    """Under xdist (`make test` runs `-n auto --dist loadgroup`) each test goes to whichever
    worker is free, except that the tests of a module reading the `cica` dataset stay on
    one worker, which then loads it once for them all."""
    for item in items:
        if "cica" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file (one per test process), as in production,
    not Django's shared in-memory one: a real background worker, in another thread or
    process, then opens its own connection to it (tests/jobs, tests/browser)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.db")
        options = database.setdefault("OPTIONS", {})
        # The test database is thrown away: no need to wait for the disk at each commit.
        options["init_command"] = options.get("init_command", "") + "PRAGMA synchronous=OFF;"
