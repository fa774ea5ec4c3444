"""Upcoming meetings as of a date: what was planned by then, as it was planned then.

A plan is known from its announcement date (the end of its window); a plan or a cancellation
without one, from the day it was entered in the record. Nothing learned later (a meeting
planned later, a move, a cancellation, the day it was held) reaches a past day's list.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from secretariat.bodies import selectors
from secretariat.bodies import services as bodies

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@contextlib.contextmanager
def entered_on(day: str):
    """Records written inside are entered in the record on `day` (at noon)."""
    moment = timezone.make_aware(dt.datetime.combine(D(day), dt.time(12)))
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def upcoming(at: str) -> dict[str, tuple[str, str, str]]:
    """{key: (start of the plan shown, its city, status)} as of `at`."""
    return {
        u.meeting.key: (u.plan.start.isoformat(), u.plan.city_en, u.status)
        for u in selectors.meetings_upcoming(D(at))
    }


@pytest.fixture
def soc(build):
    return build.body("soc", "senior_officials_committee", name_en="SOC")


def test_a_plan_shows_from_its_announcement_with_its_planned_date_and_place(build, soc):
    """Announced on 6 April 2012 for September 2012 in Astana, held on 12 September in
    Almaty: not known the day before the announcement, known on the day and after, always
    as planned; no longer upcoming once held."""
    build.meeting(
        "soc-4", soc, ordinal=4,
        schedule=[{"kind": "planned", "start": "2012-09", "city_en": "Astana",
                   "announced": "2012-04-06"},
                  {"kind": "held", "start": "2012-09-12", "city_en": "Almaty"}],
    )  # fmt: skip
    assert upcoming("2012-01-01") == {}
    assert upcoming("2012-04-05") == {}
    assert upcoming("2012-04-06") == {"soc-4": ("2012-09", "Astana", "planned")}
    assert upcoming("2012-09-11") == {"soc-4": ("2012-09", "Astana", "planned")}
    assert upcoming("2012-09-12") == {}  # held that day: no longer to come
    # Today, the record's last word: the meeting was held.
    assert upcoming(timezone.localdate().isoformat()) == {}


def test_an_announcement_known_only_to_the_month_counts_from_its_last_day(build, soc):
    build.meeting(
        "soc-5", soc, ordinal=5,
        schedule=[{"kind": "planned", "start": "2030-06-01", "announced": "2029-04"}],
    )  # fmt: skip
    assert upcoming("2029-04-29") == {}
    assert upcoming("2029-04-30") == {"soc-5": ("2030-06-01", "", "planned")}


def test_a_meeting_moved_after_the_date_shows_as_first_planned(build, soc):
    """Planned for June in Astana, moved in May to October in Baku: before the move it is
    the June meeting in Astana, after it the October one, postponed."""
    build.meeting(
        "soc-6", soc, ordinal=6,
        schedule=[{"kind": "planned", "start": "2013-06-01", "city_en": "Astana",
                   "announced": "2013-01-10"},
                  {"kind": "planned", "start": "2013-10-01", "city_en": "Baku",
                   "announced": "2013-05-02"},
                  {"kind": "held", "start": "2013-10-02", "city_en": "Baku"}],
    )  # fmt: skip
    assert upcoming("2013-03-01") == {"soc-6": ("2013-06-01", "Astana", "planned")}
    assert upcoming("2013-05-01") == {"soc-6": ("2013-06-01", "Astana", "planned")}
    assert upcoming("2013-05-02") == {"soc-6": ("2013-10-01", "Baku", "postponed")}


def test_a_plan_past_its_date_and_not_yet_moved_is_not_upcoming(build, soc):
    """On a day between the first planned date and the announcement of the new one, the
    meeting was neither to come (as then known) nor held: it is not listed."""
    build.meeting(
        "soc-7", soc, ordinal=7,
        schedule=[{"kind": "planned", "start": "2013-06-01", "announced": "2013-01-10"},
                  {"kind": "planned", "start": "2013-10-01", "announced": "2013-07-01"}],
    )  # fmt: skip
    assert upcoming("2013-06-15") == {}
    assert upcoming("2013-07-01") == {"soc-7": ("2013-10-01", "", "postponed")}


def test_a_meeting_cancelled_after_the_date_is_upcoming_before_it(build, soc):
    """A cancellation carries no announcement date: it is known from the day it was entered.
    Before, the meeting is upcoming as planned; from that day, it is not."""
    meeting = build.meeting(
        "soc-8", soc, ordinal=8,
        schedule=[{"kind": "planned", "start": "2014-09-01", "city_en": "Astana",
                   "announced": "2014-01-20"}],
    )  # fmt: skip
    with entered_on("2014-06-15"):
        bodies.meeting_schedule_add(
            meeting=meeting, kind="cancelled", start="2014-09-01", sources=[build.source]
        )
    assert upcoming("2014-03-01") == {"soc-8": ("2014-09-01", "Astana", "planned")}
    assert upcoming("2014-06-14") == {"soc-8": ("2014-09-01", "Astana", "planned")}
    assert upcoming("2014-06-15") == {}
    assert selectors.meeting_status(meeting) == "cancelled"


def test_a_plan_without_an_announcement_date_is_known_from_the_day_it_was_entered(build, soc):
    """The conservative reading: no earlier than the day the record learned it."""
    with entered_on("2015-02-01"):
        build.meeting(
            "soc-9", soc, ordinal=9, schedule=[{"kind": "planned", "start": "2015-11-10"}]
        )
    assert upcoming("2015-01-31") == {}
    assert upcoming("2015-02-01") == {"soc-9": ("2015-11-10", "", "planned")}
    # Loaded today without an announcement date: absent from every past day.
    build.meeting("soc-10", soc, ordinal=10, schedule=[{"kind": "planned", "start": "2099-01"}])
    today = timezone.localdate()
    assert "soc-10" not in upcoming((today - dt.timedelta(days=1)).isoformat())
    assert "soc-10" in upcoming(today.isoformat())


def test_soonest_first_within_the_limit(build, soc):
    for n, start in enumerate(["2040-05-01", "2040-03", "2041", "2040-03-02"], start=1):
        build.meeting(
            f"soc-{n}", soc, ordinal=n,
            schedule=[{"kind": "planned", "start": start, "announced": "2039-01-01"}],
        )  # fmt: skip
    found = selectors.meetings_upcoming(D("2039-06-01"), limit=3)
    assert [u.meeting.key for u in found] == ["soc-2", "soc-4", "soc-1"]


def test_a_title_composed_from_a_date_names_the_plan_known_then(build, soc):
    """A meeting without title or number is named by its date: as of a past day, by the
    date then planned, not by the day it was later held."""
    build.meeting(
        "soc-2012", soc,
        schedule=[{"kind": "planned", "start": "2012-09", "announced": "2012-04-06"},
                  {"kind": "held", "start": "2012-10-03"}],
    )  # fmt: skip
    (item,) = selectors.meetings_upcoming(D("2012-05-01"))
    assert selectors.meeting_title(item.meeting, when=item.plan) == "SOC meeting (September 2012)"
    assert selectors.meeting_title(item.meeting) == "SOC meeting (3 October 2012)"
