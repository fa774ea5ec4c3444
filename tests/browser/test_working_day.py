"""A working day, in Chromium, against the live site and a real background worker (huey's
consumer in its own process, mail written to files):

an officer records a meeting, adds a document with its English and Russian texts,
circulates it and opens a silence procedure; the member states' delegates are mailed;
reminders go to those who have not answered; a delegate, on a phone, confirms an
objection; the procedure fails; everyone taking part is told the outcome; the public
page shows the outcome and no state's position.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from secretariat.accounts import services as accounts
from secretariat.core.acting import acting_as
from secretariat.datasets.loader import Loader
from tests.helpers import PASSWORD

from ..conftest import CICA
from .conftest import Watched

pytestmark = pytest.mark.browser
ROOT = Path(__file__).parent.parent.parent
PHONE = 390  # a phone's width, in CSS pixels
MAIL_SEPARATOR = "\n" + "-" * 79 + "\n"


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = db.get("PASSWORD") or ""
    return f"postgres://{db['USER']}:{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(live_server, tmp_path):
    """huey's consumer as `secretariat run_huey` in a process of its own, on the test's
    database, with the schedule; the site hands it jobs through the same queue."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import SqliteStorage

    queue = tmp_path / "tasks.sqlite3"
    saved = HUEY.storage
    HUEY.immediate = False
    HUEY.storage = SqliteStorage(name=HUEY.name, filename=str(queue))
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "SECRETARIAT_VAR_DIR": str(tmp_path),  # its queue: var/tasks.sqlite3
        "SECRET_KEY": settings.SECRET_KEY,  # the unsubscribe links the site will check
        "SITE_URL": live_server.url,
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "secretariat", "run_huey", "--workers", "2"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield tmp_path
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
    HUEY.storage = saved
    HUEY.immediate = True


def mails(folder: Path) -> list:
    """Every mail the worker wrote (the file backend: one file per connection)."""
    found = []
    for path in sorted((folder / "mail").glob("*.log")):
        for chunk in path.read_text().split(MAIL_SEPARATOR):
            if chunk.strip():
                found.append(email.message_from_string(chunk, policy=email.policy.default))
    return found


def inbox_of(folder: Path, address: str, containing: str) -> list:
    return [m for m in mails(folder) if m["To"] == address and containing in m["Subject"]]


def wait_for(condition, what: str, folder: Path, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    log = (folder / "worker.log").read_text()[-3000:]
    subjects = [(m["To"], m["Subject"]) for m in mails(folder)]
    raise AssertionError(f"{what}: not done in time.\nMails: {subjects}\nWorker: {log}")


@pytest.fixture
def people(transactional_db):
    """CICA, an officer, and delegates of three member states (one reads in Russian)."""
    from secretariat.notices.services import preferences_set
    from secretariat.registry.selectors import statuses_at

    Loader(CICA).load()
    members = [s.status.actor for s in statuses_at(timezone.localdate(), kind="member")]
    a, b, c = members[0], members[1], members[2]
    with acting_as(via="command", reason="browser tests"):
        make = accounts.account_create
        officer = make(username="clerk", password=PASSWORD, role="officer",
                       email="clerk@secretariat.example").user  # fmt: skip
        delegates = {
            state.slug: make(username=f"del-{state.slug}", password=PASSWORD, role="delegate",
                             actor=state, email=f"{state.slug}@missions.example").user
            for state in (a, b, c)
        }  # fmt: skip
    preferences_set(user=delegates[c.slug], language="ru")
    return {"officer": officer, "a": a, "b": b, "c": c, "delegates": delegates}


def cite_new_source(page, title: str):
    """Name a new source: its fields are folded under "Or a new source"."""
    page.locator("details:has([name=source_title]) > summary").click()
    page.fill("[name=source_title]", title)


def sign_in(watched: Watched, username: str, then: str):
    page = watched.goto(f"/accounts/sign-in/?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{then}")
    return page


def test_a_working_day(browser, live_server, people, worker, screenshots):
    from huey.contrib.djhuey import HUEY

    from secretariat.bodies.models import Body, Meeting
    from secretariat.decisions.models import Procedure, ProcedureClosing
    from secretariat.decisions.tasks import close_due
    from secretariat.documents.models import Document
    from secretariat.notices.tasks import remind_as_of

    a, b, c = people["a"], people["b"], people["c"]
    address = {state: f"{state.slug}@missions.example" for state in (a, b, c)}
    soc = Body.objects.get(kind="senior_officials_committee")
    contexts = []

    def window(width=1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        return Watched(context.new_page(), live_server.url)

    try:
        # --- Delegate C follows the SOC, to hear of its meetings. -----------------------
        c_window = window(PHONE)
        page = sign_in(c_window, f"del-{c.slug}", f"/bodies/{soc.slug}/")
        page.select_option("#follow-mode", "immediate")
        page.locator("form.follow button").click()
        page.wait_for_load_state()

        # --- The officer records a meeting of the SOC. ------------------------------------
        officer = window()
        page = sign_in(officer, "clerk", f"/bodies/{soc.slug}/")
        page.get_by_role("link", name="Record a meeting").click()
        meeting_day = timezone.localdate() + dt.timedelta(days=40)
        page.fill("[name=title_en]", "Extraordinary meeting of the SOC")
        page.select_option("[name=kind]", "planned")
        page.fill("[name=start]", meeting_day.isoformat())
        page.fill("[name=city_en]", "Astana")
        cite_new_source(page, "Note verbale of the Secretariat convening the SOC")
        page.get_by_role("button", name="Record the meeting").click()
        page.wait_for_url("**/meetings/*/")
        meeting = Meeting.objects.get(title_en="Extraordinary meeting of the SOC")
        assert page.get_by_text("The meeting is on record.").count() == 1

        # --- ... adds a document with its English and Russian texts. ---------------------
        page = officer.goto(f"/documents/new/?body={soc.slug}")
        page.select_option("[name=type]", "decision")
        page.fill("[name=title_en]", "Draft decision on the wombat dialogue")
        page.fill("[name=title_ru]", "Проект решения о диалоге")
        page.set_input_files("[name=text_en]", files=[{
            "name": "draft-en.txt", "mimeType": "text/plain",
            "buffer": b"The Member States welcome the wombat dialogue.\n"}])  # fmt: skip
        page.set_input_files("[name=text_ru]", files=[{
            "name": "draft-ru.txt", "mimeType": "text/plain",
            "buffer": "Государства-члены приветствуют диалог.\n".encode()}])  # fmt: skip
        cite_new_source(page, "Draft prepared by the Secretariat")
        page.get_by_role("button", name="Add the document").click()
        page.wait_for_url("**/documents/*/")
        document = Document.objects.get(title_en="Draft decision on the wombat dialogue")
        assert sorted(document.versions.get().texts.values_list("language", flat=True)) == [
            "en", "ru",
        ]  # fmt: skip
        page.screenshot(path=str(screenshots / "day-officer-document.png"), full_page=True)

        # --- ... circulates it for feedback, to every member state. ------------------------
        page.get_by_role("link", name="Circulate for feedback").click()
        page.fill("[name=deadline]", (timezone.localdate() + dt.timedelta(days=10)).isoformat())
        page.get_by_role("button", name="Circulate").click()
        page.wait_for_url(f"**/documents/{document.key}/**")

        # --- ... and opens a silence procedure on it (its deadline five days away). ---------
        page = officer.goto(f"/documents/{document.key}/")
        page.get_by_role("link", name="Open a consensus procedure").click()
        page.check("input[name=kind][value=silence]")
        page.select_option("[name=body]", soc.slug)
        deadline = timezone.localtime() + dt.timedelta(days=5)
        page.fill("[name=deadline]", deadline.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_role("button", name="Open the procedure").click()
        page.wait_for_url("**/procedures/*/")
        procedure = Procedure.objects.get(version__document=document)
        assert not officer.problems, "\n".join(officer.problems)

        # --- The delegates are mailed: the circulation, the procedure; C the meeting too. --
        for state in (a, b, c):
            wait_for(lambda s=state: inbox_of(worker, address[s], "EXO") or (
                len([m for m in mails(worker) if m["To"] == address[s]]) >= 2
            ), f"mail to {state.slug}", worker)  # fmt: skip
        wait_for(lambda: all(
            len([m for m in mails(worker) if m["To"] == address[s]]) >= (3 if s is c else 2)
            for s in (a, b, c)
        ), "the first mails", worker)  # fmt: skip
        (opened,) = inbox_of(worker, address[a], "Silence procedure on")
        body = opened.get_body(preferencelist=("plain",)).get_content()
        assert "silence means consent" in body
        assert f"{live_server.url}/procedures/{procedure.pk}/" in body
        assert opened["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert inbox_of(worker, address[a], "For feedback by")
        assert inbox_of(worker, address[c], "Процедура умолчания")  # in C's language
        assert inbox_of(worker, address[c], "Запланировано")  # the meeting C follows
        assert not [
            m for m in mails(worker) if m["To"] == address[a] and "Scheduled" in m["Subject"]
        ]
        assert meeting.pk

        # --- Three days before the deadline: reminders to all three, none has answered. ----
        remind_as_of((procedure.deadline - dt.timedelta(days=3, minutes=-1)).isoformat())
        wait_for(lambda: all(inbox_of(worker, address[s], "3 days left") or
                             inbox_of(worker, address[s], "Напоминание") for s in (a, b, c)),
                 "the first reminders", worker)  # fmt: skip

        # --- Delegate B, on a phone, supports the draft. -----------------------------------
        b_window = window(PHONE)
        page = sign_in(b_window, f"del-{b.slug}", f"/procedures/{procedure.pk}/")
        page.select_option("#pos-kind", "support")
        page.get_by_role("button", name="Record the position").click()
        page.get_by_text("The position is recorded.").wait_for()

        # --- A day before: the last reminder, only to those who have not answered. --------
        remind_as_of((procedure.deadline - dt.timedelta(days=1, minutes=-1)).isoformat())
        wait_for(lambda: inbox_of(worker, address[a], "Last reminder")
                 and inbox_of(worker, address[c], "Последнее напоминание"),
                 "the last reminders", worker)  # fmt: skip
        time.sleep(1)
        assert not inbox_of(worker, address[b], "Last reminder")

        # --- Delegate A, on a phone, objects, and confirms what the objection does. --------
        a_window = window(PHONE)
        page = sign_in(a_window, f"del-{a.slug}", f"/procedures/{procedure.pk}/")
        page.select_option("#pos-kind", "objection")
        page.fill("#pos-statement", "The quokka clause is not agreed.")
        page.get_by_role("button", name="Record the position").click()
        page.get_by_role("button", name="Confirm objection").wait_for()
        page.screenshot(path=str(screenshots / "day-delegate-confirm-390.png"), full_page=True)
        page.get_by_role("button", name="Confirm objection").click()
        page.get_by_text("The position is recorded.").wait_for()
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"the procedure page is {overflow}px wider than a phone"

        # --- The schedule closes it (handed over now rather than at the next minute). ------
        close_due()
        wait_for(lambda: ProcedureClosing.objects.filter(procedure=procedure).exists(),
                 "the closing", worker)  # fmt: skip
        assert ProcedureClosing.objects.get(procedure=procedure).outcome == "failed"
        wait_for(lambda: all(inbox_of(worker, address[s], "Not adopted") or
                             inbox_of(worker, address[s], "Не принят") for s in (a, b, c)),
                 "the outcome told", worker)  # fmt: skip
        (told,) = inbox_of(worker, address[b], "Not adopted")
        text = told.get_body(preferencelist=("plain",)).get_content()
        assert "1 objection was raised" in text and a.name_en not in text

        # --- The public sees the outcome, the count of objections, and no position. --------
        public = window()
        page = public.goto(f"/procedures/{procedure.pk}/")
        main = page.locator("main").inner_text()
        assert "failed" in main.lower() and "1 objection" in main
        assert a.name_en not in main and "quokka clause" not in main
        assert b.name_en not in page.locator("#positions").inner_text()
        page.screenshot(path=str(screenshots / "day-public-procedure.png"), full_page=True)
        for watched in (officer, a_window, b_window, c_window, public):
            assert not watched.problems, "\n".join(watched.problems)
        assert not HUEY.immediate
    finally:
        for context in contexts:
            context.close()
