"""The programme API: answers, problem details on bad input, constant query counts."""

from __future__ import annotations

import pytest

from secretariat.programme import services as programme
from tests.helpers import get

pytestmark = pytest.mark.django_db


def test_catalogue_as_of_a_day(client, world):
    world.role(world.trade, world.alpha, "coordinator", "2021-11")
    data = get(client, "/api/v1/cbm/catalogue?at=2022-01-01")
    assert data["edition"]["document"]["key"] == "catalogue-2021"
    dims = {d["slug"]: d for d in data["dimensions"]}
    trade = dims["economic"]["areas"][0]
    assert trade["coordinators"][0]["actor"]["slug"] == "alpha"
    assert dims["human"]["areas"][0]["added_on"]["value"] == "2021-01"
    assert data["related_documents"][0]["document"]["key"] == "guidelines-2021"
    old = get(client, "/api/v1/cbm/catalogue?at=2010-01-01")
    assert old["edition"]["document"]["key"] == "catalogue-2004"


def test_the_catalogue_follows_the_documents_lifecycle(client, world):
    """The API serves the edition in force on each day, says when it was in force, and
    lists every edition with its span; numbering the record gave is marked."""
    world.lifecycle()
    programme.area_upsert(
        edition=world.edition, number=1, dimension=world.economic, sources=world.src,
        title_en="Trade and investment", number_ours=True,
    )  # fmt: skip
    world.role(world.trade, world.alpha, "coordinator", "2021-11", start_attested=True)
    for day, key in [
        ("2004-10-22", "catalogue-2004"),
        ("2021-10-15", "catalogue-2004"),
        ("2022-06-01", "catalogue-2021"),
        ("2024-12-16", "catalogue-2021"),
        ("2024-12-17", "catalogue-2024"),
        ("2026-11-28", "catalogue-2024"),
    ]:
        data = get(client, f"/api/v1/cbm/catalogue?at={day}")
        assert data["edition"]["document"]["key"] == key, day
    data = get(client, "/api/v1/cbm/catalogue?at=2022-06-01")
    assert data["edition"]["in_force_from"]["date"]["value"] == "2021-10"
    assert data["edition"]["in_force_until"]["kind"] == "superseded"
    assert data["edition"]["in_force_until"]["date"]["value"] == "2024-12-17"
    trade = {d["slug"]: d for d in data["dimensions"]}["economic"]["areas"][0]
    assert trade["number_ours"] is True
    assert trade["coordinators"][0]["start_attested"] is True
    assert get(client, "/api/v1/cbm/catalogue?at=2025-01-01")["dimensions"] == []
    editions = get(client, "/api/v1/cbm/editions")["items"]
    assert [e["document"]["key"] for e in editions] == [
        "catalogue-2004", "catalogue-2021", "catalogue-2024",
    ]  # fmt: skip
    assert [e["first_day"] for e in editions] == ["2004-10-22", "2021-10-31", "2024-12-17"]
    assert [e["areas"] for e in editions] == [1, 2, 0]
    assert editions[2]["in_force_until"] is None
    problem = get(client, "/api/v1/cbm/catalogue?at=2004-10-21", 404)
    assert problem["detail"] == "No edition of the catalogue was in force on 2004-10-21."


def test_catalogue_errors_are_problem_details(client, world):
    problem = get(client, "/api/v1/cbm/catalogue?at=1990-01-01", 404)
    assert problem["status"] == 404 and "1990-01-01" in problem["detail"]
    problem = get(client, "/api/v1/cbm/catalogue?at=June", 422)
    assert problem["title"] == "Invalid input"


def test_area_detail(client, world):
    world.role(world.trade, world.alpha, "coordinator", "2018", "2021-11")
    world.role(world.trade, world.beta, "coordinator", "2021-11")
    world.event(world.trade, "Seminar", "2022-03", organizer=world.alpha)
    world.event(world.trade, "Workshop", "2023", organizer=world.beta, kind="workshop")
    programme.review_upsert(date="2022-06", documents=[world.guidelines], sources=world.src)
    data = get(client, f"/api/v1/cbm/areas/{world.trade.pk}")
    assert [r["actor"]["slug"] for r in data["coordinators"]] == ["alpha", "beta"]
    assert [e["title"] for e in data["events"]] == ["Seminar", "Workshop"]
    assert data["events_by_year"] == [{"year": 2022, "count": 1}, {"year": 2023, "count": 1}]
    assert data["reviews"][0]["documents"][0]["key"] == "guidelines-2021"
    assert get(client, "/api/v1/cbm/areas/999999", 404)["status"] == 404
    assert get(client, "/api/v1/cbm/areas/abc", 422)["status"] == 422


def test_roles_of_a_state(client, world):
    world.role(world.trade, world.alpha, "coordinator", "2018", "2021")
    world.role(world.health, world.alpha, "co_coordinator", "2021-01")
    data = get(client, "/api/v1/cbm/roles?state=alpha&at=2022-01-01")["items"]
    assert [(r["area"]["number"], r["role"]) for r in data] == [(2, "co_coordinator")]
    assert len(get(client, "/api/v1/cbm/roles?state=alpha")["items"]) == 2
    assert get(client, "/api/v1/cbm/roles?state=nowhere", 404)["detail"] == "No state 'nowhere'."
    assert get(client, "/api/v1/cbm/roles", 422)["status"] == 422


def test_roadmap(client, world):
    assert get(client, "/api/v1/roadmap", 404)["detail"] == "No road map is on record."
    world.roadmap()
    data = get(client, "/api/v1/roadmap")
    assert (data["done"], data["total"]) == (2, 3)
    charter = data["clusters"][0]
    assert charter["progress"] == "1 of 2 tasks done"
    assert charter["tasks"][0]["lead_states"][0]["slug"] == "alpha"
    assert charter["documents"][0]["key"] == "soc-decision-2021"
    assert charter["next_steps"]["steps"][0]["title"] == "Circulate the draft"
    assert [c["number"] for c in data["focus_by_year"][0]["clusters"]] == [1, 4]
    assert get(client, "/api/v1/roadmap?document=road-map")["document"]["key"] == "road-map"
    assert get(client, "/api/v1/roadmap?document=nope", 404)["status"] == 404


def test_quotations_by_topic(client, world):
    programme.quotation_upsert(
        text_en="Transform.", speaker_en="The President", speaker_actor=world.alpha,
        meeting=world.soc, date="2019-06-15", topic="transformation", sources=world.src,
    )  # fmt: skip
    programme.quotation_upsert(
        text_en="Other.", speaker_en="A minister", topic="other", sources=world.src
    )
    data = get(client, "/api/v1/quotations?topic=transformation")["items"]
    assert [q["text"] for q in data] == ["Transform."]
    assert data[0]["meeting"]["key"] == "soc-2021-01"
    assert len(get(client, "/api/v1/quotations")["items"]) == 2


def _grow(world, n):
    base = world.trade.pk * 100 + n
    for i in range(n):
        actor = world.build.actor(f"state-{base}-{i}")
        area = programme.area_add(
            edition=world.edition, number=10 + n * 10 + i, dimension=world.human,
            title_en=f"Area {i}", sources=world.src,
        )  # fmt: skip
        world.role(area, actor, "coordinator", "2021-11")
        world.role(world.trade, actor, "co_coordinator", "2021-11")
        world.event(world.trade, f"Event {n}-{i}", "2022", organizer=actor)
        programme.review_upsert(date=f"{2030 + n * 5 + i}", sources=world.src)
        programme.quotation_upsert(
            text_en=f"Words {n} {i}", speaker_en="S", meeting=world.soc, topic="transformation",
            sources=world.src,
        )  # fmt: skip
        programme.task_upsert(
            cluster=world.charter, position=10 + n * 10 + i, title_en="T",
            lead_states=[actor], sources=world.src,
        )  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cbm/catalogue?at=2023-01-01",
        "/api/v1/cbm/editions",
        "/api/v1/cbm/areas/{trade}",
        "/api/v1/cbm/roles?state=alpha",
        "/api/v1/roadmap",
        "/api/v1/quotations?topic=transformation",
    ],
)
def test_query_counts_stay_constant(client, world, django_assert_max_num_queries, url):
    """Lists do not grow their query count with the data."""
    world.roadmap()
    world.role(world.trade, world.alpha, "coordinator", "2021-11")
    url = url.format(trade=world.trade.pk)
    _grow(world, 1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        get(client, url)
    _grow(world, 4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        get(client, url)
