"""The treaties pages: the status table, the entry-into-force progress ("2 of 3
instruments"), reported figures beside the computed ones, and next steps."""

from __future__ import annotations

import pytest
from django.utils import translation

from secretariat.accounts import services as accounts
from secretariat.checklists.services import checklist_set
from tests.helpers import PASSWORD, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """A page asked for in Russian leaves Russian active in the thread: reset it, so that
    later tests read messages in English."""
    yield
    translation.deactivate()


def test_the_list_shows_each_treatys_progress(client, world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    world.signed_and_ratified(world.beta, "2010-06-08", "2012-05-01")
    response = client.get("/treaties/")
    assert response.status_code == 200
    page = text(response)
    assert "Convention EXO/CONV/2010/1" in page and "8 June 2010" in page
    assert "2 of 3 instruments" in page and "Not in force." in page
    assert '<progress value="2" max="3"' in response.content.decode()
    earlier = text(client.get("/treaties/?at=2011-06-01"))
    assert "1 of 3 instruments" in earlier


def test_the_status_table_and_entry_into_force(client, world):
    for state, ratified in ((world.alpha, "2011-01-10"), (world.beta, "2012-05-01")):
        world.signed_and_ratified(state, "2010-06-08", ratified)
    world.act(world.gamma, "accession", "2013-02-01")
    world.act(world.delta, "signature", "2010-06-08")
    response = client.get("/treaties/convention-2010/")
    assert response.status_code == 200
    page = text(response)
    assert "In force since 3 March 2013." in page
    assert "3 of 3 instruments" in page
    assert "Status by participant" in page
    for name in ("Alpha", "Beta", "Gamma", "Delta"):
        assert name in page
    assert "1 February 2013 a" in page  # the accession's marker
    assert "30 days after the deposit of instrument no. 3" in page
    assert "Istanbul" in page and "EXO Secretariat" in page
    assert "Download the table (CSV)" in page
    assert "/api/v1/treaties/convention-2010/status.csv?at=" in response.content.decode()
    before = text(client.get("/treaties/convention-2010/?at=2012-12-31"))
    assert "Not in force." in before and "2 of 3 instruments" in before
    assert "1 more instrument is required." in before


def test_reported_figures_beside_computed_ones(client, world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    world.figure("signed_and_ratified", "2012-01", 1)
    world.figure("parties", "2012-01", 4)
    page = text(client.get("/treaties/convention-2010/"))
    assert "Figures reported by sources, beside the computed ones" in page
    assert "signed and ratified January 2012 1 1 agrees" in page
    assert "parties January 2012 4 1 differs" in page


def test_partial_dates_give_ranges_not_guesses(client, world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011")
    page = text(client.get("/treaties/convention-2010/?at=2011-06-01"))
    assert "possibly a party (partial date)" in page
    assert "0 to 1" in page and "(up to 1 with partial dates)" in page


def test_next_steps_show_with_their_progress(client, world):
    checklist_set(
        subject=world.document,
        steps=[
            {"title_en": "Collect the instruments", "status": "done",
             "sources": [world.build.source]},
            {"title_en": "Notify the depositary", "title_ru": "Уведомить депозитария",
             "sources": [world.build.source]},
        ],
    )  # fmt: skip
    page = text(client.get("/treaties/convention-2010/"))
    assert "Next steps" in page and "1 of 2 steps done" in page
    assert "Notify the depositary (next)" in page
    russian = text(client.get("/treaties/convention-2010/", HTTP_ACCEPT_LANGUAGE="ru"))
    assert "Уведомить депозитария" in russian


def test_unknown_treaties_answer_404(client, world):
    for key in ("no-such-treaty", "987654321", "9" * 40, "%00", "x" * 300):
        assert client.get(f"/treaties/{key}/").status_code == 404
    plain = world.doc("plain-paper", "EXO/PLAIN/1", type="declaration")
    assert client.get(f"/treaties/{plain.key}/").status_code == 404


def test_bad_dates_are_refused_in_words_never_a_500(client, world):
    for query in ("at=2024-13-45", "at=yesterday", "at=0001-01-01"):
        for path in ("/treaties/", "/treaties/convention-2010/"):
            response = client.get(f"{path}?{query}")
            assert response.status_code == 400, path
            assert "YYYY-MM-DD" in response.content.decode() or "years" in response.content.decode()
    assert client.get("/treaties/?at=").status_code == 200
    assert client.get("/treaties/convention-2010/?at=").status_code == 200


def test_a_treaty_on_a_restricted_document_is_absent_for_the_public(client, world):
    hidden = world.doc("hidden-accord", "EXO/HID/1", access="restricted")
    world.make_treaty(hidden)
    assert "EXO/HID/1" not in text(client.get("/treaties/"))
    assert client.get("/treaties/hidden-accord/").status_code == 404
    delegate = accounts.account_create(
        username="alpha-delegate", password=PASSWORD, role="delegate", actor=world.alpha
    ).user
    client.force_login(delegate)
    assert "EXO/HID/1" in text(client.get("/treaties/"))
    assert client.get("/treaties/hidden-accord/").status_code == 200


def test_officers_see_history_and_edit_links(client, world):
    client.force_login(
        accounts.account_create(username="officer", password=PASSWORD, role="officer").user
    )
    body = client.get("/treaties/convention-2010/").content.decode()
    assert f"/history/treaties.treaty/{world.treaty.pk}/" in body
    assert f"/admin/treaties/treaty/{world.treaty.pk}/change/" in body


def test_the_pages_in_russian_with_a_visible_fallback(client, world):
    world.signed_and_ratified(world.alpha, "2010-06-08", "2011-01-10")
    response = client.get("/treaties/convention-2010/", HTTP_ACCEPT_LANGUAGE="ru")
    page = text(response)
    assert "Состояние на" in page and "Не вступил в силу." in page
    assert "1 из 3 документов" in page
    body = response.content.decode()
    assert '<span class="fallback" lang="en">Alpha</span>' in body
    assert '<span class="fallback" lang="en">Convention EXO/CONV/2010/1</span>' in body
    assert "8 июня 2010" in page
    assert "Договоры" in text(client.get("/treaties/", HTTP_ACCEPT_LANGUAGE="ru"))


def test_the_pages_cost_the_same_queries_for_three_times_the_participants(
    client, world, django_assert_max_num_queries
):
    states = [world.build.actor(f"state-{i}") for i in range(9)]

    def ratify(actors):
        for actor in actors:
            world.build.status(actor, "member", "2000-01-01")
            world.signed_and_ratified(actor, "2010-06-08", "2011-01-10")

    ratify(states[:3])
    with django_assert_max_num_queries(30) as small:
        assert client.get("/treaties/convention-2010/").status_code == 200
    with django_assert_max_num_queries(30) as small_list:
        assert client.get("/treaties/").status_code == 200
    ratify(states[3:])
    for _ in range(2):
        other = world.doc(f"accord-{_}", f"EXO/ACC/{_}", type="agreement")
        world.make_treaty(other)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/treaties/convention-2010/").status_code == 200
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        assert client.get("/treaties/").status_code == 200


# --- The CICA dataset ------------------------------------------------------------------
# Last in the module: the dataset is loaded once for the module, after the tests above.


@pytest.mark.usefixtures("cica")
def test_the_status_of_the_2010_convention(client):
    """The status of the 2010 Convention, answered in both languages."""
    listing = text(client.get("/treaties/"))
    assert "Convention on the Privileges and Immunities" in listing
    page = text(client.get("/treaties/convention-privileges-immunities-2010/"))
    assert "Not in force." in page
    assert "5 of 14 instruments" in page and "9 more instruments are required." in page
    assert "signed and ratified September 2024 10" in page and "differs" in page
    for state in ("China", "Kazakhstan", "Russia", "Bangladesh", "Jordan"):
        assert state in page
    russian = text(
        client.get("/treaties/convention-privileges-immunities-2010/", HTTP_ACCEPT_LANGUAGE="ru")
    )
    assert "Не вступил в силу." in russian and "5 из 14 документов" in russian
    assert "Казахстан" in russian and "Стамбул" in russian
