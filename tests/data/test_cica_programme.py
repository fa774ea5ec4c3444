"""The CICA dataset's programme of work answers the programme issue's questions."""

import pytest

from tests.helpers import get

pytestmark = pytest.mark.django_db


def _areas(data):
    return {a["number"]: a for d in data["dimensions"] for a in d["areas"]}


def _roles(area):
    return {(r["actor"]["slug"], r["role"]) for r in area["coordinators"]}


def test_2021_catalogue_has_its_18_areas_with_the_coordinators_sources_name(client, cica):
    """The 2021 edition, as in force in mid-2024: 18 priority areas in five dimensions (as the
    Chairmanship's presentation says), each numbered by the record and marked so, with the
    coordinators and co-coordinators the sources name, and none invented elsewhere."""
    data = get(client, "/api/v1/cbm/catalogue?at=2024-06-01")
    assert data["edition"]["document"]["key"] == "catalogue-cbms-2021"
    areas = _areas(data)
    assert sorted(areas) == list(range(1, 19))
    assert all(a["number_ours"] for a in areas.values())
    assert [d["slug"] for d in data["dimensions"]] == [
        "new-challenges-and-threats", "economic", "environmental", "human", "military-political",
    ]  # fmt: skip
    assert [len(d["areas"]) for d in data["dimensions"]] == [5, 8, 3, 1, 1]
    titles = {n: a["title"] for n, a in areas.items()}
    assert titles[17] == "Environment protection" and titles[18] == "Natural disaster management"
    expected = {
        1: {("turkiye", "coordinator"), ("afghanistan", "co_coordinator")},
        2: {("india", "coordinator")},
        3: {("russia", "coordinator"), ("china", "co_coordinator")},  # for 2024-2025
        7: {("china", "coordinator")},
        13: {("kyrgyzstan", "coordinator")},
        14: {("thailand", "coordinator")},
        15: {("uzbekistan", "coordinator")}
        | {(s, "co_coordinator") for s in ("china", "india", "kazakhstan", "kyrgyzstan")},
    }
    for number, area in areas.items():
        assert _roles(area) == expected.get(number, set()), number


def test_coordinators_change_over_time(client, cica):
    """Roles hold on the days the sources give: Kyrgyzstan coordinates trade and investment
    from October 2022, Russia and China the security of ICTs for 2024-2025 only."""
    before = _areas(get(client, "/api/v1/cbm/catalogue?at=2022-06-01"))
    assert _roles(before[13]) == set() and _roles(before[3]) == set()
    after = _areas(get(client, "/api/v1/cbm/catalogue?at=2023-06-01"))
    assert _roles(after[13]) == {("kyrgyzstan", "coordinator")}
    roles = get(client, "/api/v1/cbm/roles?state=russia")["items"]
    assert [(r["area"]["number"], r["start"]["value"], r["end"]["value"]) for r in roles] == [
        (3, "2024", "2026")
    ]


@pytest.mark.parametrize(
    ("day", "edition", "areas"),
    [
        ("2004-10-22", "catalogue-cbms-2004", 9),
        ("2015-01-01", "catalogue-cbms-2004", 9),
        ("2021-07-01", "catalogue-cbms-2004", 10),  # epidemiological safety added January 2021
        ("2021-10-15", "catalogue-cbms-2004", 10),  # the 2021 adoption is dated to the month
        ("2021-11-01", "catalogue-cbms-2021", 18),
        ("2024-12-16", "catalogue-cbms-2021", 18),
        ("2024-12-17", "catalogue-cbms-2024", 0),
        ("2026-11-28", "catalogue-cbms-2024", 0),
    ],
)
def test_the_edition_in_force_on_every_date(client, cica, day, edition, areas):
    """The edition served follows the documents' lifecycle: 2004's from its adoption until
    the 2021 one's, 2021's until it is superseded on 17 December 2024, then 2024's (whose
    areas are not on record)."""
    data = get(client, f"/api/v1/cbm/catalogue?at={day}")
    assert data["edition"]["document"]["key"] == edition
    assert len(_areas(data)) == areas


def test_no_edition_before_2004(client, cica):
    assert client.get("/api/v1/cbm/catalogue?at=2004-10-21").status_code == 404


def test_2004_edition_areas_and_the_list_of_june_2021(client, cica):
    """Under the 2004 Catalogue, the SOC's list of 23 June 2021 named new co-coordinators; a
    coordinator known only from a later mention is marked as such."""
    areas = _areas(get(client, "/api/v1/cbm/catalogue?at=2021-07-01"))
    by_title = {a["title"]: a for a in areas.values()}
    assert _roles(by_title["Epidemiological safety, public health and pharmaceuticals"]) == {
        ("china", "co_coordinator"), ("jordan", "co_coordinator"),
    }  # fmt: skip
    assert ("bangladesh", "co_coordinator") in _roles(by_title["Natural disaster management"])
    human = by_title["Human dimension"]
    kazakhstan = next(r for r in human["coordinators"] if r["actor"]["slug"] == "kazakhstan")
    assert kazakhstan["start_attested"] is True and kazakhstan["start"]["value"] == "2007-10-17"


def test_editions_list_with_their_spans(client, cica):
    editions = get(client, "/api/v1/cbm/editions")["items"]
    assert [(e["document"]["key"], e["areas"]) for e in editions] == [
        ("catalogue-cbms-2004", 10), ("catalogue-cbms-2021", 18), ("catalogue-cbms-2024", 0),
    ]  # fmt: skip
    assert editions[1]["in_force_until"]["date"]["value"] == "2024-12-17"


def test_editorial_notes_stay_out_of_the_public_api(client, cica):
    """Notes on how sources were read ("dated from the Catalogue's adoption") are the
    dataset's, not the readers'."""
    text = str(get(client, "/api/v1/cbm/catalogue?at=2024-06-01"))
    text += str(get(client, "/api/v1/roadmap"))
    assert "dated from the Catalogue's adoption" not in text
    assert "editorial" not in text and "seed" not in text


def test_think_tank_forum_meetings_held_beside_the_seeds_count(client, cica):
    """By September 2024 the seed reports 11 Think Tank Forum meetings; the count of meeting
    records stands beside it."""
    bodies = {b["slug"]: b for b in get(client, "/api/v1/institutions?at=2024-09-30")["items"]}
    forum = bodies["think-tank-forum"]
    assert forum["reported_meetings_held"]["value"] == 11
    assert forum["meetings_held"] <= 11


def test_escap_and_unoct_stages_on_1_october_2024(client, cica):
    """ESCAP's MoU was approved by the SOC; UNOCT's, dated only "2024", may be under
    consideration: said as possible, not guessed."""
    relations = get(client, "/api/v1/relations?at=2024-10-01")
    stages = {p["actor"]["slug"]: p for p in relations["partnerships"]}
    assert stages["escap"]["stage"] == "mou_approved"
    assert stages["unoct"]["stage"] is None
    assert stages["unoct"]["possible_stage"] == "mou_under_consideration"
    assert stages["eaeu"]["ordinal"]["label"] == "6th Partner Organization"
    assert [a["actor"]["slug"] for a in relations["applicants"]] == ["morocco"]


@pytest.mark.parametrize(
    ("slug", "status"),
    [("pnlu", "draft_agreed"), ("finance-summit-institutionalization", "under_discussion")],
)
def test_pnlu_and_finance_summit_status_and_next_steps(client, cica, slug, status):
    """The PNLU and the Finance Summit stand where the seed left them, with what is
    expected of member states."""
    data = get(client, f"/api/v1/initiatives/{slug}?at=2024-09-30")
    assert data["status"] == status
    assert data["expectations"]


def test_road_map_clusters_and_focus_in_2024(client, cica):
    """The road map's numbered clusters, 1 to 4: the Charter (1) and the Rules of Procedure
    (4) are the focus in 2024; Cluster 2, which the record lacked, is the modalities of
    implementation of CBMs, with the Decision adopted on 17 December 2024."""
    data = get(client, "/api/v1/roadmap")
    clusters = {c["number"]: c for c in data["clusters"]}
    assert sorted(clusters) == [1, 2, 3, 4]
    assert [d["key"] for d in clusters[2]["documents"]] == ["modalities-cbm-implementation-2024"]
    assert clusters[2]["tasks"][0]["status"] == "done"
    focus = str(data["focus_by_year"])
    assert "2024" in focus
