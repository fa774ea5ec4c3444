"""Lists: `{count, items}`, a page at a time, in a stable order, in constant queries."""

from __future__ import annotations

import pytest

from tests.helpers import get

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_equal(build):
    """Twelve members who all joined on one day: a sort on the date alone cannot order them."""
    return [build.status(build.actor(f"state-{i:02d}"), "member", "2000-01-01") for i in range(12)]


def pages(client, url: str, size: int) -> list:
    items, offset = [], 0
    while True:
        page = get(client, f"{url}&limit={size}&offset={offset}")
        items += page["items"]
        offset += size
        if offset >= page["count"]:
            return items


def test_pages_cover_the_list_once_in_the_same_order(client, many_equal):
    """Paging through rows equal on the sort key still meets each row once, in the order the
    whole list has: ties are broken by id, so no row moves between pages."""
    for url in (
        "/api/v1/statuses?kind=member&ordering=start",  # all equal on the key
        "/api/v1/statuses?kind=member&ordering=-start",
        "/api/v1/actors?status=member&at=2001-01-01",
    ):
        whole = get(client, f"{url}&limit=1000")
        assert whole["count"] == 12
        paged = pages(client, url, 5)
        key = "id" if "statuses" in url else "slug"
        assert [i[key] for i in paged] == [i[key] for i in whole["items"]]
        assert len({i[key] for i in paged}) == 12


def test_the_total_counts_every_page(client, many_equal):
    page = get(client, "/api/v1/statuses?kind=member&limit=5&offset=10")
    assert page["count"] == 12 and len(page["items"]) == 2
    assert get(client, "/api/v1/statuses?kind=member&offset=50")["items"] == []


def test_ordering_by_a_documented_choice(client, build):
    """`ordering` takes the choices the schema lists; "-" reverses; others are refused."""
    for i, day in enumerate(["2003-05-01", "2001-05-01", "2002-05-01"]):
        build.meeting(f"m{i}", schedule=[{"kind": "held", "start": day}])
    forward = [m["key"] for m in get(client, "/api/v1/meetings?ordering=start")["items"]]
    assert forward == ["m1", "m2", "m0"]
    backward = [m["key"] for m in get(client, "/api/v1/meetings?ordering=-start")["items"]]
    assert backward == forward[::-1]
    by_key = [m["key"] for m in get(client, "/api/v1/meetings?ordering=key")["items"]]
    assert by_key == ["m0", "m1", "m2"]
    refused = client.get("/api/v1/meetings?ordering=colour")
    assert refused.status_code == 422 and "ordering" in refused.json()["detail"]


@pytest.mark.parametrize("params", ["limit=0", "limit=1001", "offset=-1", "offset=99999999999"])
def test_page_bounds_are_problems(client, params):
    response = client.get(f"/api/v1/chairmanships?{params}")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_new_lists_take_constant_queries(client, build, django_assert_max_num_queries):
    """Statuses, people and sources cost as many queries for 3 records as for 30."""
    from secretariat.records import services as core
    from secretariat.registry import services as registry

    def grow(start, stop):
        for i in range(start, stop):
            actor = build.actor(f"s{i}")
            build.status(actor, "member", f"2000-01-{i % 28 + 1:02d}")
            registry.person_upsert(
                slug=f"p{i}", name_en=f"P {i}", nationality=actor, sources=[build.source]
            )
            core.source_upsert(key=f"source-{i}", title=f"Source {i}")

    urls = ["/api/v1/statuses", "/api/v1/people", "/api/v1/sources"]
    grow(0, 3)
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(12) as few:
            get(client, url)
        counts[url] = len(few.captured_queries)
    grow(3, 30)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert get(client, url)["count"] >= 30
