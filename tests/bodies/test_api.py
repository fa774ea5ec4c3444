"""The read API for bodies and meetings."""

import pytest

from tests.helpers import get

pytestmark = pytest.mark.django_db


def items(client, url):
    """The items of a list answer ({count, items}), checking the count is of them all."""
    data = get(client, url)
    assert data["count"] == len(data["items"])
    return data["items"]


def test_bodies_with_status_derived_from_events(client, minimal):
    """A body's status is its latest event by the date; its events stop at the date."""
    before = {b["slug"]: b for b in items(client, "/api/v1/bodies?at=2001-06-01")}
    assert before["fund"]["status"] is None  # "initiated" in 2001 is not certain yet
    mid = {b["slug"]: b for b in items(client, "/api/v1/bodies?at=2002-01-01")}
    assert mid["fund"]["status"] == "initiated"
    after = {b["slug"]: b for b in items(client, "/api/v1/bodies?at=2002-06-10")}
    assert after["fund"]["status"] == "established"
    assert after["fund"]["events"][1]["meeting"]["key"] == "council-2"
    assert after["fund"]["initiated_by"][0]["slug"] == "beta"
    assert after["fund"]["parent"]["slug"] == "council"


def test_meetings_in_date_order_with_filters(client, minimal):
    """Meetings list in date order; body, from/to and kind filter them."""
    data = get(client, "/api/v1/meetings")
    assert data["count"] == 3
    assert [m["key"] for m in data["items"]] == ["council-1", "council-2", "council-informal-2003"]
    informal = get(client, "/api/v1/meetings?kind=informal")
    assert [m["key"] for m in informal["items"]] == ["council-informal-2003"]
    window = get(client, "/api/v1/meetings?body=council&from=2002-01-01&to=2002-12-31")
    assert [m["key"] for m in window["items"]] == ["council-2"]
    assert get(client, "/api/v1/meetings?limit=1&offset=1")["items"][0]["key"] == "council-2"


def test_meeting_keeps_planned_and_actual_dates_and_places(client, minimal):
    """A meeting planned in Betatown for March and held in Alphaville in June keeps both."""
    data = get(client, "/api/v1/meetings/council-2")
    assert data["status"] == "held"
    assert data["start"]["value"] == "2002-06-10"
    assert data["city"] == "Alphaville"
    kinds = [(e["kind"], e["start"]["value"], e["city"]) for e in data["schedule"]]
    assert kinds == [("planned", "2002-03", "Betatown"), ("held", "2002-06-10", "Alphaville")]
    assert data["schedule"][0]["announced"]["value"] == "2001-11"
    by_id = get(client, f"/api/v1/meetings/{data['id']}")
    assert by_id["key"] == "council-2"


def test_a_mode_no_source_gives_stays_unknown(client, minimal):
    """The dataset says where council-2 met but not how: not assumed to be in person."""
    data = get(client, "/api/v1/meetings/council-2")
    assert data["mode"] is None
    assert [e["mode"] for e in data["schedule"]] == [None, None]
    assert get(client, "/api/v1/meetings/council-informal-2003")["mode"] == "online"
    page = client.get("/meetings/council-2/").content.decode()
    assert "not on record" in page and "in person" not in page


def test_meeting_title_composed_when_not_recorded(client, minimal):
    """Without a recorded title a meeting is named from its ordinal and body."""
    assert get(client, "/api/v1/meetings/council-1")["title"] == "First Council"
    informal = get(client, "/api/v1/meetings/council-informal-2003")
    assert informal["title"] == "Informal Council meeting (September 2003)"
    assert informal["mode"] == "online"


@pytest.mark.parametrize(
    ("url", "status", "fragment"),
    [
        ("/api/v1/meetings?body=parliament", 404, "No body with slug 'parliament'"),
        ("/api/v1/meetings?from=2002-02-31", 422, "from"),
        ("/api/v1/meetings?from=2003-01-01&to=2002-01-01", 422, "'from' must not be after 'to'"),
        ("/api/v1/meetings?kind=secret", 422, "kind"),
        ("/api/v1/meetings/nowhere", 404, "No meeting 'nowhere'"),
        ("/api/v1/bodies?at=someday", 422, "at"),
    ],
)
def test_bad_meeting_queries_get_problems(client, minimal, url, status, fragment):
    """Unknown bodies, bad dates and kinds answer 4xx with what was wrong."""
    response = client.get(url)
    assert response.status_code == status
    assert fragment in response.json()["detail"]


def test_meetings_list_query_count_does_not_grow(client, build, django_assert_max_num_queries):
    """Listing meetings costs the same number of queries for 2 or 40 meetings."""
    body = build.body()
    chair = build.actor("host")
    for i in range(2):
        build.meeting(f"m{i}", body, chair=chair)
    with django_assert_max_num_queries(10) as small:
        get(client, "/api/v1/meetings")
    for i in range(2, 40):
        build.meeting(
            f"m{i}",
            body,
            chair=chair,
            schedule=[{"kind": "held", "start": f"2020-02-{i % 28 + 1:02d}", "country": chair}],
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = get(client, "/api/v1/meetings?limit=100")
    assert data["count"] == 40


def test_a_meeting_can_be_a_source(client, minimal):
    """A source that is a meeting's own record points at that meeting."""
    fund = next(b for b in items(client, "/api/v1/bodies?at=2010-01-01") if b["slug"] == "fund")
    cited = fund["events"][1]["sources"]
    assert [s["key"] for s in cited] == ["minutes", "council-2-record"]
    meeting = get(client, "/api/v1/meetings/council-2")
    assert cited[1]["record"] == {"type": "meeting", "id": meeting["id"]}
    assert cited[0]["record"] is None


def test_upcoming_meetings_as_planned_on_a_date(client, build):
    """The plan known on the day asked for, with its dates, place and sources; a meeting
    moved later shows as first planned, one announced later is absent."""
    body = build.body("soc", "senior_officials_committee", name_en="SOC")
    build.meeting(
        "soc-1", body, ordinal=1,
        schedule=[{"kind": "planned", "start": "2030-05-04", "city_en": "Astana",
                   "announced": "2029-01-10"},
                  {"kind": "planned", "start": "2030-09", "city_en": "Baku",
                   "announced": "2030-03-01"}],
    )  # fmt: skip
    build.meeting(
        "soc-2", body, ordinal=2,
        schedule=[{"kind": "planned", "start": "2030-07-01", "announced": "2030-02-01"}],
    )  # fmt: skip
    (first,) = items(client, "/api/v1/meetings/upcoming?at=2029-06-01")
    assert first["key"] == "soc-1" and first["title"] == "First SOC"
    assert first["start"]["value"] == "2030-05-04" and first["city"] == "Astana"
    assert first["status"] == "planned" and first["announced"]["value"] == "2029-01-10"
    assert [s["key"] for s in first["sources"]] == ["test-source"]
    later = items(client, "/api/v1/meetings/upcoming?at=2030-03-01")
    assert [(m["key"], m["city"], m["status"]) for m in later] == [
        ("soc-2", None, "planned"), ("soc-1", "Baku", "postponed"),
    ]  # fmt: skip
    page = get(client, "/api/v1/meetings/upcoming?at=2030-03-01&limit=1&offset=1")
    assert page["count"] == 2 and [m["key"] for m in page["items"]] == ["soc-1"]
    assert items(client, "/api/v1/meetings/upcoming?at=2031-01-01") == []
    # The meeting itself is still read at its own address, every plan with it.
    assert len(get(client, "/api/v1/meetings/soc-1")["schedule"]) == 2
