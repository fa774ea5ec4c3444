"""The officers' meeting pages: record a meeting, then reschedule, cancel, record as held,
set the participants and add outcomes. What is saved shows on the meeting's page; a
refusal keeps what was typed, says why beside the field, and saves nothing."""

from __future__ import annotations

import re

import pytest

from secretariat.accounts import services as accounts
from secretariat.audit.models import Act, AuditEntry
from secretariat.bodies.models import Meeting, MeetingParticipant, MeetingSchedule
from secretariat.core.models import Citation, Source
from secretariat.documents import services as documents
from secretariat.documents.models import DocumentEvent
from tests.helpers import PASSWORD, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(build):
    """A committee with one planned meeting; members, an observer, a partner; a decision."""
    alpha = build.actor("alpha", name_en="Alpha", name_ru="Альфа")
    beta = build.actor("beta", name_en="Beta")
    for state in (alpha, beta):
        build.status(state, "member", "2000-01-01")
    omega = build.actor("omega", name_en="Omega")
    build.status(omega, "observer", "2010-01-01")
    union = build.actor("union", kind="organization", name_en="Union")
    build.status(union, "partner", "2015-06")
    body = build.body("soc", "senior_officials_committee", name_en="SOC", name_ru="КСД")
    build.meeting(
        "soc-1", body, ordinal=1,
        schedule=[{"kind": "planned", "start": "2030-05-04", "city_en": "Alphaville"}],
    )  # fmt: skip
    paper = documents.document_create(
        type="decision", symbol="EXO/SOC/2030/1", key="exo-soc-1", title_en="Decision on zebras",
        sources=[build.source],
    )  # fmt: skip
    return {"alpha": alpha, "beta": beta, "omega": omega, "union": union, "body": body,
            "paper": paper}  # fmt: skip


@pytest.fixture
def officer(client):
    user = accounts.account_create(username="ofc", password=PASSWORD, role="officer").user
    client.force_login(user)
    return client


def counts() -> dict:
    """How many rows of each kind a form could write."""
    models = (Meeting, MeetingSchedule, MeetingParticipant, DocumentEvent, Source, Citation,
              Act, AuditEntry)  # fmt: skip
    return {m.__name__: m.objects.count() for m in models}


def field_error(html: str, name: str) -> str:
    """The error shown beside the field `name` ('' when none)."""
    found = re.search(rf'id="id_{name}_error"[^>]*>(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


def top_error(html: str) -> str:
    found = re.search(r'<div class="notice error" role="alert">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


def meeting_data(**changes) -> dict:
    data = {
        "body": "soc", "ordinal": "2", "title_en": "Second SOC", "title_ru": "Второе КСД",
        "formal": "on", "chair": "alpha", "key": "", "kind": "held", "start": "2024-05-06",
        "end": "2024-05-07", "city_en": "Alphaville", "city_ru": "Альфавиль",
        "country": "alpha", "mode": "hybrid", "source_keys": "test-source",
        "participants": ["alpha", "beta", "omega"], "participants-role-alpha": "chair",
        "participants-role-beta": "member", "participants-role-omega": "observer",
        "outcomes-kind": ["adopted", "adopted"], "outcomes-document": ["EXO/SOC/2030/1", ""],
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- Record a meeting ------------------------------------------------------------------

FORMS = [
    "/bodies/soc/meetings/new/",
    "/meetings/new/",
    "/meetings/soc-1/reschedule/",
    "/meetings/soc-1/cancel/",
    "/meetings/soc-1/held/",
    "/meetings/soc-1/participants/",
    "/meetings/soc-1/outcomes/new/",
]


def posts_its_fields(html: str) -> bool:
    """The fields are inside a form that posts (not a form nested in another, which
    browsers ignore: its button would submit the outer one)."""
    fields = html[: html.index('name="source_keys"')]
    opened = fields.rfind("<form")
    return fields.startswith('<form method="post"', opened) and fields.count("<form") == (
        fields.count("</form>") + 1
    )


@pytest.mark.parametrize("url", FORMS)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_officers_open_each_form_in_both_languages(officer, world, url, language):
    response = officer.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert posts_its_fields(html)
    title = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    button = re.search(r'<button type="submit">(.*?)</button>', html, re.S).group(1)
    cyrillic = re.compile("[а-яА-Я]")
    assert bool(cyrillic.search(title + button)) == (language == "ru"), (title, button)
    assert ("Назад" in html) == (language == "ru")


def test_the_body_page_presets_the_body_and_offers_every_actor_by_standing(officer, world):
    html = officer.get("/bodies/soc/meetings/new/").content.decode()
    assert '<option value="soc" selected>SOC</option>' in html
    groups = re.findall(r"<legend>([^<]+?) <span", html)
    assert groups[:3] == ["Member States", "Observers", "Partners"]
    # A member takes part as a member unless the officer says otherwise.
    assert re.search(r'name="participants-role-alpha".*?<option value="member" selected>', html,
                     re.S)  # fmt: skip


def test_a_meeting_is_recorded_with_its_dates_participants_and_outcomes(officer, world):
    """One form: the meeting, its held entry, who took part in which role, what it adopted;
    the key comes from the body and the number; then the meeting's page shows it all."""
    response = officer.post("/bodies/soc/meetings/new/", meeting_data())
    assert response.status_code == 302, field_error(response.content.decode(), "__all__")
    assert response["Location"] == "/meetings/soc-2/"
    meeting = Meeting.objects.get(key="soc-2")
    entry = meeting.schedule.get()
    assert (entry.kind, entry.start.isoformat(), entry.end.isoformat(), entry.mode) == (
        "held", "2024-05-06", "2024-05-07", "hybrid",
    )  # fmt: skip
    roles = {p.actor.slug: p.role for p in meeting.participants.select_related("actor")}
    assert roles == {"alpha": "chair", "beta": "member", "omega": "observer"}
    outcome = DocumentEvent.objects.get(meeting=meeting)
    assert (outcome.document.key, outcome.kind) == ("exo-soc-1", "adopted")
    assert outcome.body.slug == "soc"
    page = text(officer.get("/meetings/soc-2/").content.decode())
    assert "Second SOC" in page and "Decision on zebras" in page and "Omega" in page
    assert "Alphaville" in page


def test_without_a_number_the_key_comes_from_the_date(officer, world):
    data = meeting_data(ordinal="", kind="planned", start="2031-06", end="")
    data["outcomes-document"] = ["", ""]
    response = officer.post("/meetings/new/", data)
    assert response.status_code == 302
    assert response["Location"] == "/meetings/soc-2031-06/"
    assert Act.objects.filter(verb="meeting_scheduled").count() == 1  # the followers are told


def test_a_new_source_is_made_and_cited(officer, world):
    data = meeting_data(source_keys="", source_title="Press release of 7 May 2024")
    assert officer.post("/meetings/new/", data).status_code == 302
    meeting = Meeting.objects.get(key="soc-2")
    assert [c.source.title for c in meeting.citations.all()] == ["Press release of 7 May 2024"]


REFUSALS = [
    # (what is wrong, the posted changes, the field the message is beside, words of it)
    ("no source", {"source_keys": ""}, "source_keys", "Name where this comes from"),
    ("end before start", {"end": "2024-05-01"}, "end", "before the first"),
    ("unknown document", {"outcomes-document": ["EXO/NOPE/1", ""]}, "outcomes",
     "No document on record has the key or symbol EXO/NOPE/1"),
    ("unknown actor", {"participants": ["alpha", "atlantis"]}, "participants",
     "No actor on record has the key atlantis"),
    ("number taken", {"ordinal": "1"}, "ordinal", "already has a meeting no. 1 (soc-1)"),
    ("key taken", {"key": "soc-1", "ordinal": "5"}, "key", "already on record"),
    ("outcomes of a plan", {"kind": "planned"}, "outcomes", "only planned has no outcomes"),
    ("not a date", {"start": "May 2024"}, "start", "is not a date"),
    ("unknown chair", {"chair": "atlantis"}, "chair", "No state on record has this key"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "changes", "field", "words"), REFUSALS,
                         ids=[r[0] for r in REFUSALS])  # fmt: skip
def test_a_refused_meeting_keeps_what_was_typed_and_saves_nothing(
    officer, world, case, changes, field, words
):
    before = counts()
    response = officer.post("/bodies/soc/meetings/new/", meeting_data(**changes))
    assert response.status_code == 422
    html = response.content.decode()
    assert words in field_error(html, field), (case, field_error(html, field), top_error(html))
    assert 'value="Второе КСД"' in html and 'value="Alphaville"' in html  # kept as typed
    assert re.search(r'value="alpha" id="id_participants_alpha" checked', html)
    assert counts() == before


def test_a_refusal_in_russian_is_worded_in_russian(officer, world):
    data = meeting_data(**{"outcomes-document": ["EXO/NOPE/1", ""]})
    response = officer.post("/meetings/new/", data, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Нет документа с ключом" in field_error(html, "outcomes")
    assert "Некоторые значения нужно исправить" in html


# --- What becomes of a meeting ----------------------------------------------------------


def test_rescheduling_adds_a_plan_and_keeps_the_old_one(officer, world):
    url = "/meetings/soc-1/reschedule/"
    form = officer.get(url).content.decode()
    assert 'value="2030-05-04"' in form  # starts from the plan that stands
    data = {"start": "2030-09-01", "end": "2030-09-02", "city_en": "Betatown", "mode": "online",
            "source_keys": "test-source"}  # fmt: skip
    response = officer.post(url + "?next=/meetings/soc-1/", data)
    assert response.status_code == 302 and response["Location"] == "/meetings/soc-1/"
    kinds = list(Meeting.objects.get(key="soc-1").schedule.values_list("kind", "start_date"))
    assert [k for k, _day in kinds] == ["planned", "planned"]
    page = text(officer.get("/meetings/soc-1/").content.decode())
    assert "postponed" in page and "Betatown" in page and "Alphaville" in page
    assert Act.objects.filter(verb="meeting_moved").count() == 1


def test_cancelling_shows_the_meeting_cancelled(officer, world):
    data = {"start": "2030-05-04", "source_keys": "test-source"}
    response = officer.post("/meetings/soc-1/cancel/", data)
    assert response.status_code == 302
    page = text(officer.get("/meetings/soc-1/").content.decode())
    assert "cancelled" in page
    assert Act.objects.filter(verb="meeting_cancelled").count() == 1
    # Cancelled once is enough.
    before = counts()
    again = officer.post("/meetings/soc-1/cancel/", {**data, "start": "2030-05"})
    assert again.status_code == 422 and "already cancelled" in top_error(again.content.decode())
    assert counts() == before


def test_recording_as_held_then_the_meeting_is_no_longer_moved(officer, world):
    url = "/meetings/soc-1/held/"
    data = {"start": "2030-05-05", "city_en": "Gammaburg", "country": "beta", "mode": "in_person",
            "source_keys": "test-source"}  # fmt: skip
    assert officer.post(url, data).status_code == 302
    page = text(officer.get("/meetings/soc-1/").content.decode())
    assert "held" in page and "Gammaburg" in page
    before = counts()
    for again, words in [
        (url, "already recorded as held"),
        ("/meetings/soc-1/reschedule/", "cannot be planned anew or cancelled"),
        ("/meetings/soc-1/cancel/", "cannot be planned anew or cancelled"),
    ]:
        response = officer.post(again, {**data, "start": "2030-06-01"})
        assert response.status_code == 422, again
        html = response.content.decode()
        assert words in top_error(html) and 'value="2030-06-01"' in html
    assert counts() == before


def test_a_schedule_entry_ending_before_it_starts_is_refused(officer, world):
    before = counts()
    data = {"start": "2030-05-05", "end": "2030-05-01", "mode": "in_person",
            "source_keys": "test-source"}  # fmt: skip
    response = officer.post("/meetings/soc-1/held/", data)
    assert response.status_code == 422
    assert "before the first" in field_error(response.content.decode(), "end")
    assert counts() == before


def test_participants_replace_the_list_and_cite_the_source(officer, world):
    url = "/meetings/soc-1/participants/"
    data = {"participants": ["alpha", "union"], "participants-role-alpha": "chair",
            "participants-role-union": "guest", "source_title": "List of participants"}  # fmt: skip
    assert officer.post(url, data).status_code == 302
    meeting = Meeting.objects.get(key="soc-1")
    roles = {p.actor.slug: p.role for p in meeting.participants.select_related("actor")}
    assert roles == {"alpha": "chair", "union": "guest"}
    assert "List of participants" in [c.source.title for c in meeting.citations.all()]
    form = officer.get(url).content.decode()
    assert re.search(r'value="union" id="id_participants_union" checked', form)
    data = {"participants": ["beta"], "participants-role-beta": "member",
            "source_keys": "test-source"}  # fmt: skip
    assert officer.post(url, data).status_code == 302
    assert list(meeting.participants.values_list("actor__slug", flat=True)) == ["beta"]


@pytest.mark.parametrize(
    ("changes", "words"),
    [({"participants": ["atlantis"]}, "No actor on record has the key atlantis"),
     ({"participants-role-alpha": "king"}, "Choose the role of Alpha"),
     ({"source_keys": "no-such-source"}, "No source on record has the key no-such-source")],
)  # fmt: skip
def test_refused_participants_save_nothing(officer, world, changes, words):
    before = counts()
    data = {"participants": ["alpha"], "participants-role-alpha": "member",
            "source_keys": "test-source", **changes}  # fmt: skip
    response = officer.post("/meetings/soc-1/participants/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert words in field_error(html, "participants") + field_error(html, "source_keys")
    assert counts() == before


def test_an_outcome_is_added_by_symbol_and_shows_on_the_meeting(officer, world):
    url = "/meetings/soc-1/outcomes/new/"
    assert 'value="2030-05-04"' in officer.get(url).content.decode()  # the meeting's day
    data = {"kind": "took_note", "document": "EXO/SOC/2030/1", "date": "2030-05-04",
            "source_keys": "test-source"}  # fmt: skip
    assert officer.post(url, data).status_code == 302
    event = DocumentEvent.objects.get(meeting__key="soc-1")
    assert (event.kind, event.document.key) == ("took_note", "exo-soc-1")
    page = text(officer.get("/meetings/soc-1/").content.decode())
    assert "Taken note of" in page and "Decision on zebras" in page


def test_an_unknown_document_is_refused_beside_its_field(officer, world):
    before = counts()
    data = {"kind": "adopted", "document": "EXO/NOPE", "date": "2030-05-04",
            "source_keys": "test-source"}  # fmt: skip
    response = officer.post("/meetings/soc-1/outcomes/new/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "EXO/NOPE" in field_error(html, "document") and 'value="EXO/NOPE"' in html
    assert counts() == before


# --- Who may --------------------------------------------------------------------------


def test_the_pages_offer_these_forms_to_officers_only(officer, client, world):
    meeting_page = officer.get("/meetings/soc-1/").content.decode()
    for url in FORMS[2:]:
        assert url in meeting_page
    assert "/bodies/soc/meetings/new/" in officer.get("/bodies/soc/").content.decode()
    assert "/meetings/new/" in officer.get("/meetings/").content.decode()
    client.logout()
    assert "/reschedule/" not in client.get("/meetings/soc-1/").content.decode()
    assert "/meetings/new/" not in client.get("/meetings/").content.decode()


def test_a_held_meeting_is_no_longer_offered_a_new_date(officer, world, build):
    build.meeting("soc-9", world["body"], ordinal=9)  # held on 2020-01-01
    html = officer.get("/meetings/soc-9/").content.decode()
    assert "/meetings/soc-9/held/" not in html and "/meetings/soc-9/reschedule/" not in html
    assert "/meetings/soc-9/participants/" in html


@pytest.mark.parametrize("role", [None, "public", "delegate"])
def test_only_officers_reach_the_forms(client, world, role):
    """Anonymous visitors are asked to sign in; readers and delegates are told the page is
    not theirs, whether the meeting or body exists or not; nothing is saved."""
    if role is not None:
        actor = world["alpha"] if role == "delegate" else None
        user = accounts.account_create(username="u", password=PASSWORD, role=role, actor=actor).user
        client.force_login(user)
    before = counts()
    urls = FORMS + [u.replace("soc-1", "soc-404").replace("/soc/", "/nobody/") for u in FORMS]
    for url in urls:
        response = client.get(url)
        assert response.status_code == (302 if role is None else 403), url
        if role is None:
            assert response["Location"].startswith("/accounts/")
        posted = client.post(url, meeting_data())
        assert posted.status_code == (302 if role is None else 403), url
    assert counts() == before


def test_officers_get_404_for_a_missing_meeting_or_body(officer, world):
    for url in ("/meetings/soc-404/cancel/", "/bodies/nobody/meetings/new/"):
        assert officer.get(url).status_code == 404


def test_a_form_shown_again_groups_actors_by_standing_on_the_date_typed(officer, world):
    """Omega observes from 2010: a meeting of 2005 shows it without standing."""
    data = meeting_data(start="2005-03-01", end="2005-02-01")
    html = officer.post("/meetings/new/", data).content.decode()
    groups = re.findall(r"<legend>([^<]+?) <span", html)
    assert "Observers" not in groups and "No standing on that date" in groups
