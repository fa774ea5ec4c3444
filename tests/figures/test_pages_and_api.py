"""Where a source's figure and the record's count differ, every place shows both and why:
the overview and a body's page, and the API answers behind them; the editorial note stays
with the officers."""

from __future__ import annotations

import pytest

from secretariat.figures import services
from secretariat.initiatives import services as initiatives
from secretariat.records import services as core
from tests.helpers import page, text

pytestmark = pytest.mark.django_db

WHY = "The source counts the founders who signed; one of them joined the record later."
READING = "Read from the preamble of the charter."


def api(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def world(build):
    org, _ = core.organization_upsert(
        slug="exo", name_en="Example Organization", short_name_en="EXO", sources=[build.source]
    )
    for slug in ("alpha", "beta"):
        build.status(build.actor(slug), "member", "2000-01-01")
    build.status(build.actor("gamma"), "observer", "2010")
    forum = build.body("forum", kind="institution", name_en="Forum")
    build.meeting("forum-1", forum, schedule=[{"kind": "held", "start": "2015-05-05"}])
    figures = {
        "members": services.figure_upsert(
            subject=org, measure="members", as_of="2010-05-05", value=3, note=WHY,
            editorial_note=READING, sources=[build.source],
        )[0],
        "observers": services.figure_upsert(
            subject=org, measure="observers", as_of="2010-05-05", value=1, sources=[build.source]
        )[0],
        "held": initiatives.reported_count_upsert(
            body=forum, as_of="2020", value=5, note="Five round tables, not recorded one by one.",
            sources=[build.source],
        )[0],
    }  # fmt: skip
    return org, forum, figures


def test_the_overview_shows_a_differing_figure_beside_the_count_with_why(client, world):
    shown = text(page(client, "/?at=2010-05-05"))
    assert "2 Member States" in shown
    assert "What sources count" in shown
    assert (
        "differs The source counts 3 Member States as of 5 May 2010; the record holds 2 on "
        "5 May 2010. " + WHY
    ) in shown
    # The observer's status began some day of 2010: the record's count is a range.
    assert "agrees The source counts 1 observers as of 5 May 2010, as the record does." in shown
    assert READING not in shown
    russian = text(page(client, "/?at=2010-05-05", HTTP_ACCEPT_LANGUAGE="ru"))
    assert "Что насчитывают источники" in russian
    assert "По данным источника на 5 мая 2010: государства-члены — 3; по записи на" in russian


def test_the_overview_shows_no_figure_before_its_date(client, world):
    assert "What sources count" not in text(page(client, "/?at=2010-05-04"))


def test_the_overview_answer_carries_the_figures(client, world):
    data = api(client, "/api/v1/overview?at=2011-01-01")
    [members, observers] = data["reported"]
    assert members["measure"] == "members" and members["subject"]["type"] == "organization"
    assert (members["reported"], members["computed"]["value"], members["differs"]) == (3, 2, True)
    assert members["as_of"]["value"] == "2010-05-05"
    assert members["compared_on"] == "2010-05-05"
    assert members["note"] == WHY
    assert "editorial_note" not in members and READING not in str(data)
    assert members["sources"][0]["key"] == "test-source"
    assert (observers["computed"]["low"], observers["computed"]["high"]) == (0, 1)
    assert observers["differs"] is False


def test_a_bodys_page_shows_meetings_held_beside_the_figure(client, world):
    shown = text(page(client, "/bodies/forum/?at=2021-01-01"))
    assert "1 meeting held by 1 January 2021, on record." in shown
    assert (
        "differs The source counts 5 meetings held as of 2020; the record holds 1 on "
        "31 December 2020. Five round tables, not recorded one by one."
    ) in shown
    assert "What sources count" not in text(page(client, "/bodies/forum/?at=2019-12-31"))


def test_the_body_and_institutions_answers_carry_the_figures(client, world):
    body = api(client, "/api/v1/bodies/forum?at=2021-01-01")
    assert body["meetings_held"] == {"value": 1, "low": 1, "high": 1, "uncertain": 0}
    [figure] = body["reported"]
    assert (figure["measure"], figure["reported"], figure["computed"]["value"]) == (
        "meetings_held",
        5,
        1,
    )
    assert figure["differs"] is True and figure["note"].startswith("Five round tables")
    assert api(client, "/api/v1/bodies/forum?at=2019-06-01")["reported"] == []
    [forum] = api(client, "/api/v1/institutions?at=2021-01-01")["items"]
    assert forum["reported_meetings_held"]["value"] == 5
    assert forum["reported_meetings_held"]["note"].startswith("Five round tables")
    assert [r["computed"]["value"] for r in forum["reported"]] == [1]


def test_a_meetings_answer_says_when_the_record_lists_nobody(client, world, build):
    meeting = build.meeting("council-1")
    services.figure_upsert(
        subject=meeting, measure="participants", as_of="2020-01-01", value=12,
        sources=[build.source],
    )  # fmt: skip
    [figure] = api(client, "/api/v1/meetings/council-1")["reported"]
    assert figure["computed"] is None and figure["differs"] is True
    assert "the record has nothing to count" in figure["detail"]


def test_officers_see_the_editorial_note_beside_the_figure(client, world, admin_user):
    client.force_login(admin_user)
    shown = text(page(client, "/?at=2010-05-05"))
    assert READING in shown
