"""Every entity is readable: the read endpoints that complete the API, over the CICA dataset."""

from __future__ import annotations

import pytest

from tests.helpers import get

pytestmark = pytest.mark.django_db


def every(client, url) -> list:
    """All the items of a list, page by page (two at a time)."""
    items, offset = [], 0
    while True:
        sep = "&" if "?" in url else "?"
        page = get(client, f"{url}{sep}limit=2&offset={offset}")
        items += page["items"]
        offset += 2
        if offset >= page["count"]:
            assert len(items) == page["count"]
            return items


class TestOverTheDataset:
    """The CICA dataset, read through the endpoints added for every entity."""

    def test_the_organization_and_how_it_numbers(self, cica, client):
        org = get(client, "/api/v1/organization")
        assert org["short_name"] == "CICA" and org["founded"] is not None
        assert any("member" in s["status_kinds"] for s in org["ordinal_series"])

    def test_statuses_with_ordinals_over_the_whole_history(self, cica, client):
        data = get(client, "/api/v1/statuses?actor=kazakhstan&kind=member&at=2024-06-01")
        assert data["count"] == 1
        [status] = data["items"]
        assert status["start"]["value"] == "1999-09-14" and status["holds"] == "yes"
        assert status["actor"]["slug"] == "kazakhstan" and status["id"] > 0
        assert status["ordinal"]["label"].endswith("Member State")
        before = get(client, "/api/v1/statuses?actor=kazakhstan&kind=member&at=1990-01-01")
        assert before["items"][0]["holds"] == "no"
        assert get(client, "/api/v1/statuses?actor=atlantis", 404)

    def test_people_and_their_terms(self, cica, client):
        people = every(client, "/api/v1/people")
        assert "jandos-asanov" in {p["slug"] for p in people}
        person = get(client, "/api/v1/people/jandos-asanov")
        assert [t["title"] for t in person["terms"]] == ["executive_director"]
        assert person["terms"][0]["start"]["value"] == "2006"
        missing = get(client, "/api/v1/people/nobody", 404)
        assert missing["detail"] == "No person with slug 'nobody'."

    def test_a_body_on_a_date(self, cica, client):
        summit = get(client, "/api/v1/bodies/summit?at=2024-06-01")
        assert summit["at"] == "2024-06-01" and summit["name"] == "Summit"
        assert all(e["date"]["earliest"] <= "2024-06-01" for e in summit["events"])
        assert get(client, "/api/v1/bodies/none", 404)

    def test_treaty_actions_by_treaty_and_by_state(self, cica, client):
        url = "/api/v1/treaties/convention-privileges-immunities-2010/actions"
        actions = every(client, url)
        assert {"signature", "ratification"} <= {a["kind"] for a in actions}
        assert all(a["sources"] for a in actions)
        russia = get(client, url + "?participant=russia&ordering=date")["items"]
        assert [a["kind"] for a in russia][:2] == ["signature", "ratification"]
        assert russia[0]["domestic_act_date"]["value"] == "2010-06-07"
        kind = get(client, url + "?kind=signature")["items"]
        assert {a["kind"] for a in kind} == {"signature"}
        by_state = every(client, "/api/v1/actors/kazakhstan/treaty-actions")
        assert "agreement-secretariat-2006" in {a["treaty"]["key"] for a in by_state}
        assert get(client, url + "?participant=atlantis", 404)

    def test_the_programme_areas_events_reviews_and_road_maps(self, cica, client):
        areas = every(client, "/api/v1/cbm/areas")
        assert areas and all(a["edition"]["id"] for a in areas)
        events = get(client, "/api/v1/cbm/events?at=2024-12-31")
        assert events["count"] > 0 and events["items"][0]["area"]["number"]
        early = get(client, "/api/v1/cbm/events?at=1990-01-01")
        assert early["count"] == 0  # none had begun
        assert get(client, "/api/v1/cbm/reviews")["count"] > 0
        roadmaps = get(client, "/api/v1/roadmaps")["items"]
        assert "road-map-transformation-2023" in [d["key"] for d in roadmaps]
        assert get(client, "/api/v1/cbm/areas?dimension=nowhere", 404)

    def test_priorities_with_their_initiatives(self, cica, client):
        sets = get(client, "/api/v1/priorities")["items"]
        assert "priorities-2022-2024" in [p["slug"] for p in sets]
        detail = get(client, "/api/v1/priorities/priorities-2022-2024?at=2024-06-01")
        assert detail["initiatives"] and detail["chairmanship"]["actor"]["slug"] == "kazakhstan"

    def test_sources_by_key_and_search(self, cica, client):
        found = get(client, "/api/v1/sources?q=achievements")["items"]
        assert "cica-achievements-2020-2024" in [s["key"] for s in found]
        source = get(client, "/api/v1/sources/cica-achievements-2020-2024")
        assert source["published"]["value"] == "2024-09"
        assert get(client, "/api/v1/sources/none", 404)
