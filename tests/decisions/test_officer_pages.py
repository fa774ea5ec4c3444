"""The officers' pages on procedures: open a silence procedure or a decision at a meeting on
a version (from the document's page, or from the procedures list), and record a meeting's
decision.

What must hold: a valid form opens exactly the procedure asked for, sourced by the act,
and goes to its page; a refusal answers 422 with the reason on the field, what was typed
kept and nothing saved; only officers reach the forms, whatever record the address names.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from secretariat.accounts import services as accounts
from secretariat.audit.models import Act
from secretariat.decisions.models import Procedure, ProcedureClosing
from secretariat.documents import services as documents
from tests.helpers import PASSWORD

from .world import T0, at

pytestmark = pytest.mark.django_db
OPEN = "/documents/exo-soc-2024-1/procedures/new/"


@pytest.fixture(autouse=True)
def back_to_english():
    """A page asked for in Russian leaves Russian active in the thread."""
    yield
    translation.deactivate()


@pytest.fixture
def officer(client):
    user = accounts.account_create(username="ofc", password=PASSWORD, role="officer").user
    client.force_login(user)
    return client


@pytest.fixture
def paper(world):
    """The world's document, with its first version dated 2 April 2024 and a second one."""
    documents.version_update(version=world.version, date="2024-04-02")
    documents.version_create(document=world.document, date="2024-05-10")
    return world.document


def page(response) -> str:
    return response.content.decode()


def later(days: int = 10) -> str:
    moment = timezone.localtime() + dt.timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M")


def silence(**changes) -> dict:
    data = {"version": "2", "kind": "silence", "body": "soc", "deadline": later(),
            "note": "By silence", "positions_visibility": "officers"}  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- Opening a procedure ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_open_page_offers_versions_bodies_and_meetings(officer, paper, language):
    response = officer.get(OPEN, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = page(response)
    if language == "ru":
        assert "Версия 2 — 10 мая 2024" in html and "Процедура умолчания" in html
    else:
        assert '<option value="2" selected>Version 2 — 10 May 2024</option>' in html
        assert "Version 1 — 2 April 2024" in html
        assert '<option value="soc-1">SOC meeting (5 March 2024)</option>' in html
    assert '<option value="soc-1">' in html  # the SOC's meeting, by key
    deadline = (timezone.localdate() + dt.timedelta(days=14)).isoformat() + "T23:59"
    assert f'value="{deadline}"' in html  # 14 days, at the end of the day
    assert 'name="positions_visibility"' in html


def test_the_document_page_and_the_list_lead_to_the_form(officer, paper):
    assert f"{OPEN}?next=" in page(officer.get("/documents/exo-soc-2024-1/"))
    response = officer.get("/procedures/new/", {"document": "EXO/SOC/2024/1"})
    assert response.status_code == 302 and response["Location"] == OPEN
    assert officer.get("/procedures/new/").status_code == 200
    missing = officer.get("/procedures/new/", {"document": "EXO/NONE"})
    assert missing.status_code == 422
    assert "No document has this symbol or key." in page(missing)


def test_a_silence_procedure_is_opened_with_the_act_as_source(officer, world, paper):
    response = officer.post(OPEN, silence())
    assert response.status_code == 302, page(response)[-3000:]
    procedure = Procedure.objects.get()
    assert response["Location"] == f"/procedures/{procedure.pk}/"
    assert (procedure.version.number, procedure.kind, procedure.body) == (2, "silence", world.body)
    assert procedure.meeting is None and procedure.note == "By silence"
    assert procedure.positions_visibility == "officers"
    assert timezone.localtime(procedure.deadline).strftime("%Y-%m-%dT%H:%M") == later()
    assert abs(procedure.opened_at - timezone.now()) < dt.timedelta(minutes=1)
    act = Act.objects.get(verb=Act.Verb.PROCEDURE_OPENED)
    assert act.object_id == procedure.pk
    [cited] = [c.source for c in procedure.citations.all()]
    assert cited.title.startswith("Secretariat record: ")
    assert "is open until" in page(officer.get(response["Location"]))


def test_a_decision_at_a_meeting_is_opened(officer, world, paper):
    data = silence(kind="meeting", meeting="soc-1", deadline="", version="1")
    response = officer.post(OPEN, data)
    assert response.status_code == 302, page(response)[-3000:]
    procedure = Procedure.objects.get()
    assert (procedure.kind, procedure.meeting, procedure.deadline) == (
        "meeting", world.meeting, None,
    )  # fmt: skip
    assert procedure.version.number == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"deadline": ""}, "deadline", "A silence procedure needs a deadline."),
        ({"deadline": "2024-01-01T10:00"}, "deadline", "must come after the opening, now"),
        ({"kind": "meeting"}, "meeting", "A decision at a meeting needs its meeting."),
        ({"kind": "meeting", "meeting": "ms-1", "body": "soc"}, "meeting",
         "is a meeting of Council, not of SOC"),
        ({"version": "9"}, "version", "This document has no version 9."),
        ({"body": "secretariat"}, "body", "Select a valid choice."),
        ({"source_keys": "no-such-source"}, "source_keys", "No source on record has the key"),
    ],
)  # fmt: skip
def test_a_refused_procedure_saves_nothing(officer, world, paper, changes, field, message):
    world.build.meeting("ms-1", world.build.body("council", name_en="Council"))
    world.build.body("secretariat", "secretariat", name_en="Secretariat")
    response = officer.post(OPEN, silence(**changes))
    assert response.status_code == 422
    errors = response.context["form"].errors[field]
    assert any(message in str(e) for e in errors), errors
    assert "By silence</textarea>" in page(response)  # what was typed is kept
    assert not Procedure.objects.exists()
    assert not Act.objects.filter(verb=Act.Verb.PROCEDURE_OPENED).exists()


# --- Recording a meeting's decision -----------------------------------------------------


@pytest.fixture
def at_meeting(world, paper):
    return world.meeting_procedure(opened_at=T0)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_decide_page_shows_its_form(officer, at_meeting, language):
    url = f"/procedures/{at_meeting.pk}/decide/"
    response = officer.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = page(response)
    assert 'name="decided_at"' in html
    assert ("Решение принято" if language == "ru" else "Decision taken at") in html
    assert url + "?next=" in page(officer.get(f"/procedures/{at_meeting.pk}/"))


def test_the_decision_is_recorded(officer, world, at_meeting):
    world.position(at_meeting, world.alpha, "support", at(hours=1))
    url = f"/procedures/{at_meeting.pk}/decide/"
    response = officer.post(url, {"decided_at": "2024-03-05T15:00"})
    assert response.status_code == 302, page(response)[-3000:]
    assert response["Location"] == f"/procedures/{at_meeting.pk}/"
    closing = ProcedureClosing.objects.get(procedure=at_meeting)
    assert closing.outcome == "adopted"
    assert timezone.localtime(closing.closed_at).strftime("%Y-%m-%d %H:%M") == "2024-03-05 15:00"
    assert "The decision is recorded: adopted." in page(officer.get(response["Location"]))
    # Recorded: the page says so instead of offering the form again.
    again = officer.get(url)
    assert "The decision is on record" in page(again) and 'name="decided_at"' not in page(again)
    refused = officer.post(url, {"decided_at": "2024-03-06T15:00"})
    assert refused.status_code == 422
    assert "already recorded" in page(refused)
    assert ProcedureClosing.objects.count() == 1


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        ("2024-02-01T10:00", "must come after the opening"),
        ((timezone.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
         "cannot be recorded before it is taken"),
        ("2024-03-01T12:30", "not before the decision"),  # a position stated at 13:00
        ("", "This field is required."),
    ],
)  # fmt: skip
def test_a_refused_decision_saves_nothing(officer, world, at_meeting, moment, message):
    world.position(at_meeting, world.beta, "objection", at(hours=1))
    response = officer.post(f"/procedures/{at_meeting.pk}/decide/", {"decided_at": moment})
    assert response.status_code == 422
    assert message in page(response)
    assert not ProcedureClosing.objects.exists()


def test_a_silence_procedure_is_not_decided_here(officer, world, paper):
    procedure = world.silence()
    url = f"/procedures/{procedure.pk}/decide/"
    assert "closes by itself at its deadline" in page(officer.get(url))
    response = officer.post(url, {"decided_at": "2024-03-02T10:00"})
    assert response.status_code == 422
    assert not ProcedureClosing.objects.exists()
    assert f"{url}?next=" not in page(officer.get(f"/procedures/{procedure.pk}/"))


# --- Who may use the forms --------------------------------------------------------------


@pytest.mark.parametrize("role", [None, "public", "delegate"])
def test_only_officers_reach_the_forms(client, world, at_meeting, role):
    """Anonymous visitors are sent to sign in, readers and delegates told the page is not
    theirs: the same for records that exist and records that do not."""
    if role is not None:
        actor = world.alpha if role == "delegate" else None
        user = accounts.account_create(username="u", password=PASSWORD, role=role, actor=actor).user
        client.force_login(user)
    urls = [OPEN, "/documents/no-such-document/procedures/new/", "/procedures/new/",
            f"/procedures/{at_meeting.pk}/decide/", "/procedures/987654/decide/"]  # fmt: skip
    for url in urls:
        for response in (client.get(url), client.post(url, silence(decided_at="2024-03-05T15:00"))):
            assert response.status_code == (302 if role is None else 403), url
    assert Procedure.objects.count() == 1 and not ProcedureClosing.objects.exists()


def test_missing_records_answer_404_to_officers(officer, at_meeting):
    assert officer.get("/documents/no-such-document/procedures/new/").status_code == 404
    assert officer.get("/procedures/987654/decide/").status_code == 404


def test_an_officer_edits_a_procedures_note_and_who_sees_positions(client, build):
    """The procedure's page leads officers to Edit; the note and the visibility change; a
    page older than the last change is refused (409) and changes nothing."""
    from secretariat.accounts import services as accounts
    from tests.decisions.world import World

    world = World(build)
    procedure = world.silence()
    officer = accounts.account_create(username="ed", password="x-Secret-42!", role="officer")
    client.force_login(officer.user)
    url = f"/procedures/{procedure.pk}/edit/"
    assert url in client.get(f"/procedures/{procedure.pk}/").content.decode()
    form = client.get(url).context["form"]
    stamp = form.initial["changed_at"]
    response = client.post(url, {"changed_at": stamp, "note": "Extended by the Chair.",
                                 "positions_visibility": "public"})  # fmt: skip
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert (procedure.note, procedure.positions_visibility) == ("Extended by the Chair.", "public")
    stale = client.post(
        url, {"changed_at": stamp, "note": "Mine", "positions_visibility": "officers"}
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    procedure.refresh_from_db()
    assert procedure.note == "Extended by the Chair."
