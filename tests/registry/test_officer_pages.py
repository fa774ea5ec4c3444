"""The officers' registry pages: a new state or organization, a status decision about an
actor, the end of a status. What is saved shows on the actor's page and the members
table; a refusal keeps what was typed, says why beside the field, and saves nothing."""

from __future__ import annotations

import re

import pytest

from secretariat.accounts import services as accounts
from secretariat.audit.models import AuditEntry
from secretariat.core.models import Citation, Source
from secretariat.registry.models import Actor, Status
from tests.helpers import PASSWORD, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(build):
    """Two member states, an applicant state, an organization, and a summit that decides."""
    alpha = build.actor("alpha", name_en="Alpha", name_ru="Альфа")
    build.status(alpha, "member", "2000-01-01")
    kappa = build.actor("kappa", name_en="Kappa")
    build.status(kappa, "applicant", "2019-03", applied_for="member", outcome="pending")
    union = build.actor("union", kind="organization", name_en="Union")
    summit = build.body("summit", "summit", name_en="Summit")
    build.meeting("summit-6", summit, ordinal=6, title_en="Sixth Summit",
                  schedule=[{"kind": "held", "start": "2022-10-12"}])  # fmt: skip
    return {"alpha": alpha, "kappa": kappa, "union": union}


@pytest.fixture
def officer(client):
    user = accounts.account_create(username="ofc", password=PASSWORD, role="officer").user
    client.force_login(user)
    return client


def counts() -> dict:
    return {m.__name__: m.objects.count() for m in (Actor, Status, Source, Citation, AuditEntry)}


def field_error(html: str, name: str) -> str:
    found = re.search(rf'id="id_{name}_error"[^>]*>(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


def top_error(html: str) -> str:
    found = re.search(r'<div class="notice error" role="alert">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


FORMS = ["/actors/new/", "/actors/kappa/statuses/new/"]


def end_url(status: Status) -> str:
    return f"/actors/{status.actor.slug}/statuses/{status.pk}/end/"


@pytest.mark.parametrize(("language", "words"), [("en", "Decision"), ("ru", "Решение")])
def test_officers_open_each_form_in_both_languages(officer, world, language, words):
    urls = [*FORMS, end_url(world["alpha"].statuses.get())]
    for url in urls:
        response = officer.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        html = response.content.decode()
        fields = html[: html.index('name="source_keys"')]
        assert fields[fields.rfind("<form") :].startswith('<form method="post"')
    html = officer.get(FORMS[1], HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert words in html
    assert 'list="deciding-meetings"' in html and '<option value="summit-6">' in html


# --- A status decision -----------------------------------------------------------------


def test_an_admission_is_recorded_and_counts_on_the_members_table(officer, world):
    data = {"kind": "member", "start": "2022-10-13", "decided_at": "summit-6",
            "source_keys": "test-source"}  # fmt: skip
    response = officer.post("/actors/kappa/statuses/new/?next=/actors/kappa/", data)
    assert response.status_code == 302 and response["Location"] == "/actors/kappa/"
    status = Status.objects.get(actor__slug="kappa", kind="member")
    assert (status.start.isoformat(), status.decided_at.key) == ("2022-10-13", "summit-6")
    page = text(officer.get("/actors/kappa/?at=2023-01-01").content.decode())
    assert "2nd Member State" in page and "Sixth Summit" in page
    members = text(officer.get("/members/?at=2023-01-01&status=member").content.decode())
    assert "Kappa" in members


def test_an_application_is_pending_unless_told_otherwise(officer, world):
    data = {"kind": "applicant", "start": "2021", "applied_for": "observer",
            "source_title": "Letter of application"}  # fmt: skip
    assert officer.post("/actors/union/statuses/new/", data).status_code == 302
    status = Status.objects.get(actor__slug="union")
    assert (status.applied_for, status.outcome) == ("observer", "pending")
    assert [c.source.title for c in status.citations.all()] == ["Letter of application"]


REFUSALS = [
    ("no source", {"source_keys": ""}, "source_keys", "Name where this comes from"),
    ("end before start", {"end": "2021-01-01"}, "end", "must come after the start"),
    ("unknown meeting", {"decided_at": "summit-99"}, "decided_at",
     "No meeting on record has this key"),
    ("already on record", {"kind": "applicant", "start": "2019-03", "applied_for": "member"},
     "start", "already on record"),
    ("applicant without aim", {"kind": "applicant"}, "applied_for", "Say which status"),
    ("not a date", {"start": "soon"}, "start", "is not a date"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "changes", "field", "words"), REFUSALS,
                         ids=[r[0] for r in REFUSALS])  # fmt: skip
def test_a_refused_decision_keeps_what_was_typed_and_saves_nothing(
    officer, world, case, changes, field, words
):
    before = counts()
    data = {"kind": "member", "start": "2022-10-13", "decided_at": "summit-6",
            "note": "Admitted by consensus", "source_keys": "test-source", **changes}  # fmt: skip
    response = officer.post("/actors/kappa/statuses/new/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert words in field_error(html, field), (case, field_error(html, field), top_error(html))
    assert "Admitted by consensus" in html
    assert counts() == before


def test_an_organization_cannot_become_a_member_state(officer, world):
    before = counts()
    data = {"kind": "member", "start": "2022", "source_keys": "test-source"}
    response = officer.post("/actors/union/statuses/new/", data)
    assert response.status_code == 422
    assert "not a state" in field_error(response.content.decode(), "kind")
    assert counts() == before


# --- Ending a status -------------------------------------------------------------------


def test_ending_a_status_closes_it_and_adds_its_source(officer, world):
    status = world["alpha"].statuses.get()
    page = officer.get("/actors/alpha/").content.decode()
    assert end_url(status) in page  # offered for the status still held
    data = {"end": "2024-01-01", "source_title": "Notice of withdrawal"}
    response = officer.post(end_url(status), data)
    assert response.status_code == 302 and response["Location"] == "/actors/alpha/"
    status.refresh_from_db()
    assert status.end.isoformat() == "2024-01-01"
    assert [c.source.title for c in status.citations.order_by("id")] == [
        "Test source", "Notice of withdrawal",
    ]  # fmt: skip
    assert end_url(status) not in officer.get("/actors/alpha/").content.decode()
    assert "Alpha" not in text(officer.get("/members/?at=2024-06-01").content.decode())


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [({"end": "1999-12-31"}, "end", "must come after the start"),
     ({"source_keys": ""}, "source_keys", "Name where this comes from")],
)  # fmt: skip
def test_a_refused_end_saves_nothing(officer, world, changes, field, words):
    status = world["alpha"].statuses.get()
    before = counts()
    response = officer.post(end_url(status), {"end": "2024-01-01", "source_keys": "test-source",
                                               **changes})  # fmt: skip
    assert response.status_code == 422
    html = response.content.decode()
    assert words in field_error(html, field)
    assert f'value="{changes.get("end", "2024-01-01")}"' in html
    assert counts() == before
    status.refresh_from_db()
    assert status.end is None


def test_a_status_already_ended_is_not_ended_again(officer, world, build):
    old = build.status(world["union"], "observer", "2001", "2005")
    before = counts()
    response = officer.post(end_url(old), {"end": "2010", "source_keys": "test-source"})
    assert response.status_code == 422
    assert "already ended" in top_error(response.content.decode())
    assert counts() == before


def test_a_status_of_another_actor_is_not_found(officer, world):
    status = world["alpha"].statuses.get()
    assert officer.get(f"/actors/kappa/statuses/{status.pk}/end/").status_code == 404


# --- A new actor ----------------------------------------------------------------------


def test_a_new_state_is_recorded_with_its_key_made_from_its_name(officer, world):
    assert "/actors/new/" in officer.get("/members/").content.decode()
    data = {"kind": "state", "name_en": "New Zealandia", "name_ru": "Новая Зеландия",
            "iso2": "nz", "iso3": "nzl", "slug": "", "source_keys": "test-source"}  # fmt: skip
    response = officer.post("/actors/new/", data)
    assert response.status_code == 302 and response["Location"] == "/actors/new-zealandia/"
    actor = Actor.objects.get(slug="new-zealandia")
    assert (actor.iso2, actor.iso3, actor.name_ru) == ("NZ", "NZL", "Новая Зеландия")
    html = officer.get("/actors/new-zealandia/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Новая Зеландия" in html


ACTOR_REFUSALS = [
    ("state without code", {"iso2": "", "iso3": ""}, "iso2", "needs its ISO 3166-1"),
    ("organization with a code", {"kind": "organization"}, "iso2", "no ISO 3166"),
    ("code taken", {}, "iso2", "already has the code"),  # alpha's code: set in the test
    ("key taken", {"slug": "alpha"}, "slug", "already on record"),
    ("key of the site", {"slug": "new"}, "slug", "kept for the site"),
    ("no name", {"name_en": ""}, "name_en", "This field is required"),
    ("no source", {"source_keys": ""}, "source_keys", "Name where this comes from"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "changes", "field", "words"), ACTOR_REFUSALS,
                         ids=[r[0] for r in ACTOR_REFUSALS])  # fmt: skip
def test_a_refused_actor_keeps_what_was_typed_and_saves_nothing(
    officer, world, case, changes, field, words
):
    if case == "code taken":
        changes = {"iso2": world["alpha"].iso2}
    before = counts()
    data = {"kind": "state", "name_en": "Zed", "name_ru": "Зед", "iso2": "ZD", "iso3": "ZED",
            "source_keys": "test-source", **changes}  # fmt: skip
    response = officer.post("/actors/new/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert words in field_error(html, field), (case, field_error(html, field), top_error(html))
    assert 'value="Зед"' in html
    assert counts() == before


# --- Who may --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, "public", "delegate"])
def test_only_officers_reach_the_forms(client, world, role):
    if role is not None:
        actor = world["alpha"] if role == "delegate" else None
        user = accounts.account_create(username="u", password=PASSWORD, role=role, actor=actor).user
        client.force_login(user)
    status = world["alpha"].statuses.get()
    urls = [*FORMS, end_url(status), "/actors/nobody/statuses/new/",
            "/actors/alpha/statuses/987654/end/"]  # fmt: skip
    before = counts()
    for url in urls:
        response = client.get(url)
        assert response.status_code == (302 if role is None else 403), url
        posted = client.post(url, {"kind": "state", "name_en": "X", "start": "2024",
                                   "end": "2024", "source_keys": "test-source"})  # fmt: skip
        assert posted.status_code == (302 if role is None else 403), url
    assert counts() == before
    assert "/statuses/new/" not in client.get("/actors/alpha/").content.decode()
    assert "/actors/new/" not in client.get("/members/").content.decode()
