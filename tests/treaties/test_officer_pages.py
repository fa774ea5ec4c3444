"""The officers' treaty page: record a state's action on a treaty. The treaty's derived
status (signatories, parties, entry into force) then counts it; an action that cannot
stand among the state's others is refused beside its field, nothing saved."""

from __future__ import annotations

import re

import pytest

from secretariat.accounts import services as accounts
from secretariat.audit.models import AuditEntry
from secretariat.core.models import Citation, Source
from secretariat.treaties.models import TreatyAction
from tests.helpers import PASSWORD, text

pytestmark = pytest.mark.django_db
URL = "/treaties/convention-2010/actions/new/"


@pytest.fixture
def officer(client):
    user = accounts.account_create(username="ofc", password=PASSWORD, role="officer").user
    client.force_login(user)
    return client


def counts() -> dict:
    return {m.__name__: m.objects.count() for m in (TreatyAction, Source, Citation, AuditEntry)}


def field_error(html: str, name: str) -> str:
    found = re.search(rf'id="id_{name}_error"[^>]*>(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


def top_error(html: str) -> str:
    found = re.search(r'<div class="notice error" role="alert">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


def action(**changes) -> dict:
    data = {"actor": "gamma", "kind": "ratification", "date": "2013-02-01",
            "domestic_act_en": "Law No. 12 of 10 January 2013", "domestic_act_ru": "Закон № 12",
            "domestic_act_date": "2013-01-10", "source_keys": "test-source"}  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.parametrize(("language", "words"), [("en", "Domestic act, in English"),
                                                 ("ru", "Внутригосударственный акт")])  # fmt: skip
def test_officers_open_the_form_in_both_languages(officer, world, language, words):
    response = officer.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert words in html and '<option value="gamma">Gamma</option>' in html
    fields = html[: html.index('name="source_keys"')]
    assert fields[fields.rfind("<form") :].startswith('<form method="post"')
    assert '<option value="union">' not in html  # only states act on treaties


def test_the_third_instrument_brings_the_treaty_into_force(officer, world):
    """With the action recorded, the treaty's page derives its entry into force from it."""
    for state, ratified in ((world.alpha, "2011-01-10"), (world.beta, "2012-05-01")):
        world.signed_and_ratified(state, "2010-06-08", ratified)
    assert "Not in force." in text(officer.get("/treaties/convention-2010/").content.decode())
    data = action(kind="accession", domestic_act_en="", domestic_act_ru="",
                  domestic_act_date="")  # fmt: skip
    response = officer.post(URL + "?next=/treaties/convention-2010/", data)
    assert response.status_code == 302 and response["Location"] == "/treaties/convention-2010/"
    page = text(officer.get("/treaties/convention-2010/").content.decode())
    assert "In force since 3 March 2013." in page and "3 of 3 instruments" in page
    assert "Gamma" in page


def test_a_ratification_keeps_its_domestic_act(officer, world):
    world.act(world.gamma, "signature", "2010-06-08")
    assert officer.post(URL, action()).status_code == 302
    saved = TreatyAction.objects.get(actor__slug="gamma", kind="ratification")
    assert (saved.domestic_act_en, saved.domestic_act_ru, saved.domestic_act_date.isoformat()) == (
        "Law No. 12 of 10 January 2013", "Закон № 12", "2013-01-10",
    )  # fmt: skip
    assert [c.source.key for c in saved.citations.all()] == ["test-source"]


def test_a_denunciation_takes_effect_on_its_day(officer, world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    data = action(actor="alpha", kind="denunciation", date="2020-01-01", effective="2021-01-01",
                  statement="Alpha denounces the convention.")  # fmt: skip
    assert officer.post(URL, data).status_code == 302
    saved = TreatyAction.objects.get(kind="denunciation")
    assert (saved.effective.isoformat(), saved.statement) == (
        "2021-01-01",
        "Alpha denounces the convention.",
    )


REFUSALS = [
    ("no source", {"source_keys": ""}, "source_keys", "Name where this comes from"),
    ("unknown state", {"actor": "atlantis"}, "actor", "No state on record has this key"),
    ("an organization", {"actor": "union"}, "actor", "No state on record has this key"),
    ("effective on a ratification", {"effective": "2014"}, "effective",
     "Only a denunciation has an effective date"),
    ("before the opening", {"date": "2009-01-01"}, "date", "before the treaty was opened"),
    ("not a date", {"date": "last year"}, "date", "is not a date"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "changes", "field", "words"), REFUSALS,
                         ids=[r[0] for r in REFUSALS])  # fmt: skip
def test_a_refused_action_keeps_what_was_typed_and_saves_nothing(
    officer, world, case, changes, field, words
):
    before = counts()
    response = officer.post(URL, action(**changes))
    assert response.status_code == 422
    html = response.content.decode()
    assert words in field_error(html, field), (case, field_error(html, field), top_error(html))
    assert 'value="Закон № 12"' in html
    assert counts() == before


@pytest.mark.parametrize(
    ("setup", "changes", "words"),
    [("ratified", {}, "already has a ratification on record"),
     ("signed_late", {}, "follows no signature"),
     ("none", {"actor": "outsider", "kind": "accession"}, "was not a member state")],
)  # fmt: skip
def test_an_action_out_of_sequence_is_refused(officer, world, setup, changes, words):
    if setup == "ratified":
        world.signed_and_ratified(world.gamma, "2010-06-08", "2012-01-01")
    elif setup == "signed_late":
        world.act(world.gamma, "signature", "2014-01-01")
    before = counts()
    response = officer.post(URL, action(**changes))
    assert response.status_code == 422
    html = response.content.decode()
    assert words in top_error(html) + field_error(html, "kind"), top_error(html)
    assert counts() == before


def test_the_same_action_twice_is_refused_not_overwritten(officer, world):
    world.act(world.gamma, "declaration", "2012-01-01", statement="First words")
    before = counts()
    response = officer.post(URL, action(kind="declaration", date="2012-01-01",
                                        statement="Other words"))  # fmt: skip
    assert response.status_code == 422
    assert "already on record" in field_error(response.content.decode(), "kind")
    assert TreatyAction.objects.get(kind="declaration").statement == "First words"
    assert counts() == before


# --- Who may --------------------------------------------------------------------------


def test_the_treaty_page_offers_the_form_to_officers_only(officer, client, world):
    assert URL in officer.get("/treaties/convention-2010/").content.decode()
    client.logout()
    assert URL not in client.get("/treaties/convention-2010/").content.decode()


@pytest.mark.parametrize("role", [None, "public", "delegate"])
def test_only_officers_reach_the_form(client, world, role):
    if role is not None:
        actor = world.alpha if role == "delegate" else None
        user = accounts.account_create(username="u", password=PASSWORD, role=role, actor=actor).user
        client.force_login(user)
    before = counts()
    for url in (URL, "/treaties/no-such-treaty/actions/new/"):
        assert client.get(url).status_code == (302 if role is None else 403), url
        assert client.post(url, action()).status_code == (302 if role is None else 403), url
    assert counts() == before


def test_officers_get_404_for_a_missing_treaty(officer, world):
    assert officer.get("/treaties/no-such-treaty/actions/new/").status_code == 404
    assert officer.get("/treaties/EXO%2FX/actions/new/").status_code == 404
