"""The read API for the registry: answers, errors and query counts."""

import pytest

from tests.helpers import get

pytestmark = pytest.mark.django_db


def test_overview_lists_members_chair_troika_and_head_on_a_date(client, minimal):
    """On 2003-01-01 the made-up organization has 3 members, Beta chairs, Ann heads."""
    data = get(client, "/api/v1/overview?at=2003-01-01")
    assert data["at"] == "2003-01-01"
    assert data["members"]["count"] == 3
    assert [m["slug"] for m in data["members"]["items"]] == ["alpha", "beta", "gamma"]
    assert data["members"]["items"][2]["ordinal"] == "3rd Member State"
    assert [c["actor"]["slug"] for c in data["chair"]] == ["beta"]
    assert data["troika"]["previous"]["slug"] == "alpha"
    assert data["troika"]["next"] is None  # Gamma's term was decided only in September 2003
    assert data["head"][0]["person"]["name"] == "Ann Example"
    assert data["organization"]["short_name"] == "EXO"


def test_overview_next_chair_appears_once_decided(client, minimal):
    """The next chair shows in the troika once its deciding meeting has taken place."""
    data = get(client, "/api/v1/overview?at=2004-06-01")
    assert data["troika"]["previous"]["slug"] == "alpha"  # Beta's renewal is one run
    assert [c["slug"] for c in data["troika"]["current"]] == ["beta"]
    assert data["troika"]["next"]["slug"] == "gamma"


def test_overview_marks_partial_date_answers_uncertain(client, minimal):
    """Gamma's observer status from "1995" is uncertain inside 1995 and certain after."""
    during = get(client, "/api/v1/overview?at=1995-06-01")
    assert during["observers"]["count"] == 0
    assert during["observers"]["uncertain"] == 1
    assert during["observers"]["items"][0]["certain"] is False
    after = get(client, "/api/v1/overview?at=1996-01-01")
    assert after["observers"]["count"] == 1


def test_overview_without_at_answers_for_today(client, minimal):
    """Without `at` the answer is for today."""
    import datetime as dt

    data = get(client, "/api/v1/overview")
    assert data["at"] == dt.date.today().isoformat()
    assert data["members"]["count"] == 3


def test_actors_filter_by_status_and_kind(client, minimal):
    """Filtering by status and kind gives each actor with its status, since and ordinal."""
    members = get(client, "/api/v1/actors?status=member&at=2003-01-01")
    assert members["count"] == 3
    gamma = members["items"][2]
    assert gamma["slug"] == "gamma"
    assert gamma["status"]["start"]["value"] == "2002-06-10"
    assert gamma["status"]["ordinal"]["label"] == "3rd Member State"
    assert gamma["status"]["decided_at"]["key"] == "council-2"
    partners = get(client, "/api/v1/actors?status=partner&kind=organization&at=2010-01-01")
    assert [p["slug"] for p in partners["items"]] == ["union"]
    applicants = get(client, "/api/v1/actors?status=applicant&at=2011-01-01")
    assert applicants["items"][0]["status"]["applied_for"] == "observer"
    assert applicants["items"][0]["status"]["outcome"] == "pending"


def test_founding_members_share_an_ordinal_range(client, minimal):
    """Two states that joined the same day are "1st-2nd", not an arbitrary order."""
    data = get(client, "/api/v1/actors?status=member&at=2003-01-01")
    assert data["items"][0]["status"]["ordinal"] == {
        "number": 1,
        "upto": 2,
        "exact": False,
        "label": "1st-2nd Member State",
    }


def test_actor_detail_has_history_sources_variants_and_chairs(client, minimal):
    """An actor's page data: every status with ordinals and sources, and chairmanships."""
    data = get(client, "/api/v1/actors/gamma?at=2003-01-01")
    assert [(s["kind"], s["holds"]) for s in data["statuses"]] == [
        ("observer", "no"),
        ("member", "yes"),
    ]
    assert data["statuses"][0]["end"]["value"] == "2002-06-10"
    assert data["statuses"][1]["sources"][0]["key"] == "minutes"
    assert data["chairmanships"][0]["start"]["value"] == "2006-01-01"
    assert data["exists_from"]["value"] == "1991"
    beta = get(client, "/api/v1/actors/beta")
    assert [c["kind"] for c in beta["chairmanships"]] == ["term", "renewal"]


def test_chairmanships_and_heads_in_order(client, minimal):
    """The lists of chairs and heads come in chronological order with their meetings."""
    chairs = get(client, "/api/v1/chairmanships")["items"]
    assert [c["actor"]["slug"] for c in chairs] == ["alpha", "beta", "beta", "gamma"]
    assert chairs[1]["taken_over_at"]["title"] == "Second Council meeting"
    heads = get(client, "/api/v1/heads")["items"]
    assert [h["title"] for h in heads] == ["executive_director", "secretary_general"]
    assert heads[1]["appointed_at"]["key"] == "council-2"


@pytest.mark.parametrize(
    ("url", "status", "fragment"),
    [
        ("/api/v1/overview?at=2016-13-01", 422, "at"),
        ("/api/v1/overview?at=yesterday", 422, "at"),
        ("/api/v1/actors?status=emperor", 422, "status"),
        ("/api/v1/actors?kind=planet", 422, "kind"),
        ("/api/v1/actors?at=2016-02-30", 422, "at"),
        ("/api/v1/actors/atlantis", 404, "No actor with slug 'atlantis'"),
        ("/api/v1/actors/alpha?at=1.5.2000", 422, "at"),
    ],
)
def test_bad_input_gets_a_problem_saying_what_was_wrong(client, minimal, url, status, fragment):
    """Malformed dates, unknown statuses and slugs answer 4xx problem details, never 500."""
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert fragment in body["detail"]


def test_actors_list_query_count_does_not_grow(client, build, django_assert_max_num_queries):
    """Listing members costs the same number of queries for 3 or 30 members."""
    for i in range(3):
        build.status(build.actor(f"s{i}"), "member", "2000-01-01")
    with django_assert_max_num_queries(8) as small:
        get(client, "/api/v1/actors?status=member&at=2001-01-01")
    for i in range(3, 30):
        build.status(build.actor(f"s{i}"), "member", f"2000-02-{i - 2:02d}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = get(client, "/api/v1/actors?status=member&at=2001-01-01")
    assert data["count"] == 30


@pytest.mark.parametrize("at", ["1900-01-01", "2200-12-31"])
def test_extreme_dates_are_answered(client, minimal, at):
    """The first and last days `at` takes are answered, not a server error."""
    data = get(client, f"/api/v1/overview?at={at}")
    assert data["at"] == at


@pytest.mark.parametrize("at", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_days_outside_the_years_taken_are_refused_saying_which(client, minimal, at):
    response = client.get(f"/api/v1/overview?at={at}")
    assert response.status_code == 422
    assert "outside the years 1900 to 2200" in response.json()["detail"]


def test_chairs_and_heads_query_count_does_not_grow(client, build, django_assert_max_num_queries):
    """Chairs and heads, each with an untitled meeting, cost the same queries for 2 or 12."""

    def add(i):
        meeting = build.meeting(
            f"m{i}", schedule=[{"kind": "held", "start": f"{1990 + 2 * i}-01-01"}]
        )
        start, end = f"{1990 + 2 * i}-01-01", f"{1992 + 2 * i}-01-01"
        build.chair(build.actor(f"c{i}"), start, end, taken_over_at=meeting, decided_at=meeting)
        build.head(f"Head {i}", start, end, appointed_at=meeting)

    for i in range(2):
        add(i)
    with django_assert_max_num_queries(20) as small:
        get(client, "/api/v1/chairmanships")
        get(client, "/api/v1/heads")
    for i in range(2, 12):
        add(i)
    with django_assert_max_num_queries(len(small.captured_queries)):
        chairs = get(client, "/api/v1/chairmanships")
        get(client, "/api/v1/heads")
    assert chairs["count"] == 12
    assert chairs["items"][3]["taken_over_at"]["title"] == "Council meeting (1 January 1996)"
