"""The CICA dataset answers the questions its users ask, through the public API."""

import pytest

from secretariat.datasets.loader import Loader
from secretariat.registry.models import Actor, Status
from tests.helpers import get

from ..conftest import CICA

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("at", "chair"),
    [("2016-06-01", "china"), ("2021-01-01", "kazakhstan"), ("2025-06-01", "azerbaijan")],
)
def test_chair_on_a_date(client, cica, at, chair):
    """Who chaired CICA on 1 June 2016, 1 January 2021 and 1 June 2025."""
    data = get(client, f"/api/v1/overview?at={at}")
    assert [(c["actor"]["slug"], c["certain"]) for c in data["chair"]] == [(chair, True)]


@pytest.mark.parametrize(("at", "count"), [("2013-12-31", 24), ("2021-12-31", 27)])
def test_member_states_at_year_end(client, cica, at, count):
    """CICA had 24 member states at the end of 2013 and 27 at the end of 2021."""
    members = get(client, f"/api/v1/overview?at={at}")["members"]
    assert (members["count"], members["uncertain"]) == (count, 0)


def test_kuwait_is_the_28th_member_state(client, cica):
    """Kuwait joined in 2022 as the 28th Member State."""
    kuwait = get(client, "/api/v1/actors/kuwait")
    member = next(s for s in kuwait["statuses"] if s["kind"] == "member")
    assert member["start"]["value"].startswith("2022")
    assert member["ordinal"]["label"] == "28th Member State"


@pytest.mark.parametrize(
    ("slug", "year", "label"),
    [
        ("saudi-arabia", "2023", "10th Observer"),
        ("turkmenistan", "2021", "9th Observer"),
        ("eaeu", "2022", "6th Partner Organization"),
    ],
)
def test_ordinals_of_the_seed_report(client, cica, slug, year, label):
    """The ordinals the 2020-2024 report gives come out of the record."""
    data = get(client, f"/api/v1/actors/{slug}")
    current = [s for s in data["statuses"] if s["end"] is None]
    assert current[-1]["start"]["value"].startswith(year)
    assert current[-1]["ordinal"]["label"] == label


def test_first_and_sixth_summits(client, cica):
    """The First Summit met in Almaty in 2002, the Sixth in Astana on 12-13 October 2022."""
    first = get(client, "/api/v1/meetings/summit-1")
    assert (first["city"], first["start"]["value"][:4]) == ("Almaty", "2002")
    sixth = get(client, "/api/v1/meetings/summit-6")
    assert (sixth["city"], sixth["start"]["value"], sixth["end"]["value"]) == (
        "Astana",
        "2022-10-12",
        "2022-10-13",
    )
    summits = get(client, "/api/v1/meetings?body=summit")["items"]
    assert [m["ordinal"] for m in summits] == [1, 2, 3, 4, 5, 6]


def test_morocco_application_is_pending(client, cica):
    """Morocco's application for observer status (2023) is pending."""
    data = get(client, "/api/v1/actors?status=applicant&at=2024-09-01")
    found = [(a["slug"], a["status"]["applied_for"], a["status"]["outcome"]) for a in data["items"]]
    assert found == [("morocco", "observer", "pending")]


def test_seed_chairs_in_order(client, cica):
    """Every chairmanship from Kazakhstan's first to Azerbaijan 2024-2026, in order."""
    chairs = [c["actor"]["slug"] for c in get(client, "/api/v1/chairmanships")["items"]]
    distinct = [s for i, s in enumerate(chairs) if i == 0 or chairs[i - 1] != s]
    assert distinct == ["kazakhstan", "turkiye", "china", "tajikistan", "kazakhstan", "azerbaijan"]


def test_first_secretary_general_appointed_at_the_sixth_summit(client, cica):
    """The first Secretary General was appointed at the Sixth Summit (October 2022)."""
    heads = get(client, "/api/v1/heads")["items"]
    general = [h for h in heads if h["title"] == "secretary_general"]
    assert general[0]["appointed_at"]["key"] == "summit-6"
    assert general[0]["start"]["value"].startswith("2022-10")


def test_institutions_of_the_seed(client, cica):
    """The Council of Eminent Persons, Think Tank Forum and CICA Fund stand as the seed says."""
    bodies = {b["slug"]: b for b in get(client, "/api/v1/bodies?at=2024-10-01")["items"]}
    statuses = {slug: b["status"] for slug, b in bodies.items()}
    assert statuses["council-of-eminent-persons"] == "membership_pending"
    assert statuses["cica-fund"] in {"established", "operational"}
    assert statuses["think-tank-forum"] == "transformed"


def test_every_record_cites_a_source(cica):
    """No actor or status of the dataset is without a source."""
    assert not [a.slug for a in Actor.objects.all() if not a.citations.exists()]
    assert not [str(s) for s in Status.objects.all() if not s.citations.exists()]


def test_dataset_loads_idempotently(cica):
    """Loading the CICA dataset a second time changes nothing."""
    again = Loader(CICA).load()
    changed = {k: c for k, c in again.items() if c["created"] or c["updated"]}
    assert changed == {}


# Member States on the day each Summit's heads of state met, as the sources give them:
# 16 at the First (CICA), 18 with the Republic of Korea at the Second, 22 with Iraq and
# Viet Nam at the Third (President Gül), 26 with Qatar and Bangladesh at the Fourth,
# 27 at the Fifth (TASS), 27 on the first day of the Sixth and 28 with Kuwait on its second.
SUMMIT_DAYS = [
    ("2002-06-04", 16),
    ("2006-06-17", 18),
    ("2010-06-08", 22),
    ("2014-05-20", 26),
    ("2014-05-21", 26),
    ("2019-06-15", 27),
    ("2022-10-12", 27),
    ("2022-10-13", 28),
]


@pytest.mark.parametrize(("at", "count"), SUMMIT_DAYS)
def test_member_states_on_each_summit_day(client, cica, at, count):
    """On each Summit's day the number of Member States is the one the sources give, and no
    admission decided at the Summit is left uncertain by a start given only to the month."""
    members = get(client, f"/api/v1/overview?at={at}")["members"]
    assert (members["count"], members["uncertain"]) == (count, 0)


def test_observers_at_the_first_summit(client, cica):
    """Ten observer states and organizations took part in the First Summit (4 June 2002):
    the USA, Japan, the Republic of Korea, Indonesia, Malaysia, Viet Nam, Australia,
    Ukraine, the UN and the OSCE."""
    observers = get(client, "/api/v1/overview?at=2002-06-04")["observers"]
    assert (observers["count"], observers["uncertain"]) == (10, 0)


def test_a_status_decided_at_a_meeting_starts_on_a_day_of_it(cica):
    """A status decided at a meeting whose held days are on record starts on one of those
    days, not on a month or a year containing them (which would leave the counts of the
    meeting's own day uncertain)."""
    from secretariat.bodies.models import MeetingSchedule

    statuses = Status.objects.exclude(decided_at=None).select_related("actor")
    statuses = statuses.prefetch_related("decided_at__schedule")
    off = []
    for status in statuses:
        held = [e for e in status.decided_at.schedule.all() if e.kind == MeetingSchedule.Kind.HELD]
        if not held or not held[0].start.is_exact:
            continue
        first, last = held[0].start.earliest, (held[0].end or held[0].start).latest
        if not (status.start.is_exact and first <= status.start.earliest <= last):
            off.append(f"{status.actor.slug} {status.kind} from {status.start}")
    assert off == []


@pytest.mark.parametrize(
    ("slug", "start", "label"),
    [
        ("iraq", "2010-06-08", "21st-22nd Member State"),
        ("viet-nam", "2010-06-08", "21st-22nd Member State"),
        ("qatar", "2014-05-20", "25th-26th Member State"),
        ("bangladesh", "2014-05-20", "25th-26th Member State"),
    ],
)
def test_admissions_at_the_third_and_fourth_summits(client, cica, slug, start, label):
    """Iraq and Viet Nam joined on 8 June 2010, Qatar and Bangladesh on 20 May 2014: each
    pair on the same day, so each state's ordinal spans the pair."""
    data = get(client, f"/api/v1/actors/{slug}")
    member = next(s for s in data["statuses"] if s["kind"] == "member")
    assert (member["start"]["value"], member["ordinal"]["label"]) == (start, label)


@pytest.mark.parametrize(
    ("at", "head", "certain"),
    [
        ("2008-06-01", "jandos-asanov", True),
        ("2008-09-01", "dulat-bakishev", True),
        ("2009-06-01", "dulat-bakishev", True),
        ("2010-07-01", "cinar-aldemir", True),
    ],
)
def test_heads_of_the_secretariat_2008_to_2010(client, cica, at, head, certain):
    """Jandos Asanov headed the Secretariat until August 2008, Dulat Bakishev from then until
    Türkiye's Chairmanship began in June 2010, Çınar Aldemir after him."""
    heads = get(client, f"/api/v1/overview?at={at}")["head"]
    assert [(h["person"]["slug"], h["certain"]) for h in heads] == [(head, certain)]


def test_senior_officials_committee_meetings_before_2020(client, cica):
    """The Senior Officials Committee met in March 2006, in Istanbul in January 2011 and in
    Astana on 26-28 October 2016 (with the Special Working Group), among the meetings on record
    before 2020."""
    items = get(client, "/api/v1/meetings?body=senior-officials-committee")["items"]
    before = {m["key"]: m for m in items if m["start"]["value"] < "2020"}
    assert set(before) == {"soc-2006-03", "soc-2011-01", "soc-2016-10"}
    astana = before["soc-2016-10"]
    assert (astana["city"], astana["start"]["value"], astana["end"]["value"]) == (
        "Astana",
        "2016-10-26",
        "2016-10-28",
    )
