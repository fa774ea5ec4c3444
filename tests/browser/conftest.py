"""A real browser (Debian's Chromium, driven by Playwright) against a live server
holding the CICA dataset, plus a delegate and an open procedure to act on.

Without /usr/bin/chromium the tests are skipped with a message, except under CI
(`CI` set), where a missing browser fails them: .ci/run installs it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings

from secretariat.accounts import services as accounts
from secretariat.core.acting import acting_as
from secretariat.datasets.loader import Loader
from tests.helpers import PASSWORD

from ..conftest import CICA

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        return  # let them fail loudly: CI must run them
    skip = pytest.mark.skip(reason=f"No Chromium at {CHROMIUM}: apt-get install chromium")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test's thread; the ORM calls the
    # tests make between browser steps are ordinary blocking ones.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _chromium(sync_playwright)
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def _chromium(sync_playwright):
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


class Watched:
    """A page whose console errors and failed requests are collected."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url = page, base_url
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        # A browser cancels its favicon fetch when the page navigates on: not a failure.
        page.on(
            "requestfailed",
            lambda r: "favicon" in r.url or self.problems.append(f"failed: {r.url}"),
        )
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def _response(self, response):
        if response.status >= 400 and response.url.startswith(self.base_url):
            self.problems.append(f"{response.status}: {response.url}")

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page


@pytest.fixture
def open_page(browser, live_server, world_data):
    contexts = []

    def make(*, width: int = 1280, language: str = "en") -> Watched:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale=language)
        contexts.append(context)
        return Watched(context.new_page(), live_server.url)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def world_data(transactional_db):
    """CICA, a delegate of a member state, and an open silence procedure on a draft."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from secretariat.bodies.models import Body
    from secretariat.decisions import services as decisions
    from secretariat.documents import services as documents
    from secretariat.records.services import source_upsert
    from secretariat.registry.selectors import statuses_at

    # Loaded for each test: a live server's tests are transactional, flushed after each.
    Loader(CICA).load()
    with acting_as(via="command", reason="browser tests"):
        member = statuses_at(timezone.localdate(), kind="member")[0].status.actor
        delegate = accounts.account_create(
            username="delegate", password=PASSWORD, role="delegate", actor=member
        ).user
        source, _ = source_upsert(key="browser-test", title="Browser test")
        draft = documents.document_create(
            type="decision", title_en="Draft decision on quokka cooperation",
            title_ru="Проект решения о сотрудничестве", sources=[source],
        )  # fmt: skip
        version = documents.version_create(document=draft)
        text = b"The parties welcome the zanzibarite dialogue.\n"
        documents.text_upload(
            version=version, language="en",
            uploaded_file=SimpleUploadedFile("draft.txt", text, "text/plain"),
        )  # fmt: skip
        body = Body.objects.filter(kind="senior_officials_committee").first()
        now = timezone.now()
        procedure = decisions.procedure_open(
            version=version, body=body, kind="silence", opened_at=now - dt.timedelta(hours=1),
            deadline=now + dt.timedelta(days=5), sources=[source],
        )  # fmt: skip
    return {"delegate": delegate, "member": member, "procedure": procedure, "draft": draft}


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
