"""The API: answers as of a date, problem details for bad input, constant query counts."""

import pytest

from secretariat.checklists import services as checklists
from secretariat.initiatives import services
from tests.helpers import get

from .conftest import event

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(world):
    prio, _ = services.priorities_upsert(
        slug="p-2022", title_en="Priorities and initiatives for 2022-2024", sources=world.src
    )
    services.initiative_upsert(
        slug="pnlu",
        title_en="PNLU",
        proposer_actor=world.kz,
        priorities=[prio],
        meetings=[world.soc1],
        sources=world.src,
    )
    event(world, "proposed", "2022-10-12")
    event(world, "adopted", "2023-06")
    exp, _ = services.expectation_upsert(
        initiative=world.initiative,
        position=1,
        text_en="Nominate universities",
        sources=world.src,
    )
    services.expectation_response_upsert(
        expectation=exp, actor=world.cn, date="2023-02", text_en="Univ", sources=world.src
    )
    checklists.checklist_set(
        subject=world.initiative,
        steps=[
            {
                "title_en": "Draft the regulations",
                "status": "done",
                "done": "2023-05",
                "sources": world.src,
            },
            {"title_en": "First meeting", "sources": world.src},
        ],
    )
    return world


def test_the_list_filters_on_the_status_as_of_a_date(client, seeded):
    listed = get(client, "/api/v1/initiatives?at=2023-01-01")["items"]
    assert [i["status"] for i in listed] == ["proposed"]
    assert get(client, "/api/v1/initiatives?at=2023-01-01&status=adopted")["items"] == []
    url = "/api/v1/initiatives?at=2024-01-01&status=adopted&priorities=p-2022"
    data = get(client, url)["items"]
    assert [(i["slug"], i["proposer"]["kind"]) for i in data] == [("pnlu", "actor")]


def test_the_detail_gives_events_steps_and_who_has_not_responded(client, seeded):
    data = get(client, "/api/v1/initiatives/pnlu?at=2024-01-01")
    assert data["status"] == "adopted"
    assert [e["kind"] for e in data["events"]] == ["proposed", "adopted"]
    assert data["next_steps"]["progress"] == "1 of 2 steps done"
    [exp] = data["expectations"]
    assert exp["from"] == "all_member_states"
    assert [r["actor"]["slug"] for r in exp["responses"]] == ["china"]
    assert [a["slug"] for a in exp["not_responded"]] == ["kazakhstan"]
    assert [m["key"] for m in data["meetings"]] == ["soc-1"]


def test_institutions_show_counted_and_reported_meetings(client, seeded):
    services.reported_count_upsert(body=seeded.ttf, as_of="2024", value=11, sources=seeded.src)
    services.fund_contribution_upsert(
        fund=seeded.fund,
        actor=seeded.cn,
        date="2022",
        amount=1000,
        currency="usd",
        sources=seeded.src,
    )
    data = {b["slug"]: b for b in get(client, "/api/v1/institutions?at=2025-01-01")["items"]}
    assert data["think-tank-forum"]["meetings_held"] == 3
    assert data["think-tank-forum"]["reported_meetings_held"]["value"] == 11
    assert data["cica-fund"]["contributions"][0]["amount"] == "1000.00"
    assert data["cica-fund"]["contributions"][0]["currency"] == "USD"


def test_relations_show_stage_ordinal_and_applicants(client, seeded):
    p, _ = services.partnership_upsert(actor=seeded.sco, sources=seeded.src)
    services.partnership_event_upsert(
        partnership=p, kind="partner", date="2010", body=seeded.soc, sources=seeded.src
    )
    data = get(client, "/api/v1/relations?at=2024-01-01")
    [item] = data["partnerships"]
    assert (item["stage"], item["ordinal"]["label"]) == ("partner", "1st Partner Organization")
    assert [a["actor"]["slug"] for a in data["applicants"]] == ["morocco"]


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/initiatives?at=2023-13-01", 422),
        ("/api/v1/initiatives?status=nonsense", 422),
        ("/api/v1/initiatives?priorities=nope", 404),
        ("/api/v1/initiatives/nope", 404),
        ("/api/v1/initiatives/pnlu?at=yesterday", 422),
        ("/api/v1/institutions?at=x", 422),
        ("/api/v1/relations?at=2024-02-30", 422),
    ],
)
def test_bad_input_is_a_problem_never_a_500(client, seeded, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == status


def grow(world, n):
    """One more of everything the lists show."""
    b = world.build
    i, _ = services.initiative_upsert(
        slug=f"i-{n}", title_en="I", proposer_body=world.soc, sources=world.src
    )
    event(world, "proposed", "2020", initiative=i, meeting=world.soc1)
    fund = b.body(f"inst-{n}", kind="institution")
    b.meeting(f"inst-{n}-1", fund)
    services.reported_count_upsert(body=fund, as_of="2020", value=1, sources=world.src)
    services.fund_project_upsert(fund=fund, title_en="P", proposer=world.kz, sources=world.src)
    services.fund_contribution_upsert(
        fund=fund, actor=world.cn, date="2021", in_kind_en="Staff", sources=world.src
    )
    org = b.actor(f"org-{n}", kind="organization")
    b.status(org, "partner", "2015")
    p, _ = services.partnership_upsert(actor=org, sources=world.src)
    services.partnership_event_upsert(
        partnership=p, kind="partner", date="2015", meeting=world.soc1, sources=world.src
    )


def test_lists_take_constant_queries(client, seeded, django_assert_max_num_queries):
    """The number of queries does not grow with the number of records listed."""
    grow(seeded, 0)
    urls = ["/api/v1/initiatives", "/api/v1/institutions", "/api/v1/relations"]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(20) as few:
            get(client, url)
        counts[url] = len(few.captured_queries)
    for n in range(1, 5):
        grow(seeded, n)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert get(client, url)["count"] >= 5 if url != "/api/v1/relations" else True
