"""Registry selectors: who was a member, the chair, the head of the Secretariat, on any date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretariat.core.partial_dates import Certainty
from secretariat.registry import selectors
from secretariat.registry.answers import Group

D = dt.date
ONE_DAY = dt.timedelta(days=1)
pytestmark = pytest.mark.django_db

ROLLED_BACK = settings(
    max_examples=10,
    deadline=None,
    # Each example builds its rows in a savepoint and rolls it back.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def labels(statuses) -> list[str]:
    ordinals = selectors.ordinals_for({s.kind for s in statuses})
    return [ordinals[s.pk].label for s in statuses]


def names(holders) -> list[tuple[str, bool]]:
    def name(term):
        return term.actor.name_en if hasattr(term, "actor") else term.person.name_en

    return [(name(h.term), h.certain) for h in holders]


def members_on(day: dt.date) -> dict:
    return Group.build(selectors.overview_at(day).members)


# --- Ordinals --------------------------------------------------------------------------


def test_members_joining_in_order_get_first_second_third(build):
    """Each new Member State gets the next ordinal."""
    statuses = [
        build.status(build.actor(), "member", day)
        for day in ("1992-10-05", "1999-09-14", "2002-06-04")
    ]
    assert labels(statuses) == ["1st Member State", "2nd Member State", "3rd Member State"]
    held = selectors.statuses_at(D(2010, 1, 1), kind="member")
    assert [(s.ordinal.number, s.ordinal.exact) for s in held] == [(1, True), (2, True), (3, True)]


@ROLLED_BACK
@given(st.lists(st.dates(D(1990, 1, 1), D(2020, 12, 31)), min_size=1, max_size=5, unique=True))
def test_ordinals_follow_the_join_dates_not_the_order_of_entry(build, join_days):
    """Members entered in any order are numbered by when they joined."""
    assert build.source.pk  # made once, outside the savepoint each example rolls back
    with transaction.atomic():
        statuses = [build.status(build.actor(), "member", day) for day in join_days]
        ordinals = selectors.ordinals_for({"member"})
        rank = {day: i + 1 for i, day in enumerate(sorted(join_days))}
        for status, day in zip(statuses, join_days, strict=True):
            assert (ordinals[status.pk].number, ordinals[status.pk].upto) == (rank[day],) * 2
        transaction.set_rollback(True)


def test_members_joining_the_same_day_share_a_range(build):
    """Two joining on one day are "2nd-3rd"; the next one is "4th"."""
    first = build.status(build.actor(), "member", "1992-10-05")
    a = build.status(build.actor(), "member", "1999-09-14")
    b = build.status(build.actor(), "member", "1999-09-14")
    after = build.status(build.actor(), "member", "2002-06-04")
    ordinals = selectors.ordinals_for({"member"})
    assert (ordinals[a.pk].number, ordinals[a.pk].upto) == (2, 3)
    assert not ordinals[a.pk].exact
    assert labels([first, a, b, after]) == [
        "1st Member State",
        "2nd-3rd Member State",
        "2nd-3rd Member State",
        "4th Member State",
    ]


def test_a_partial_start_overlapping_an_exact_one_gives_a_range(build):
    """Joined "2021" and joined 15 June 2021: which came first cannot be told."""
    first = build.status(build.actor(), "member", "2020-01-01")
    year = build.status(build.actor(), "member", "2021")
    day = build.status(build.actor(), "member", "2021-06-15")
    later = build.status(build.actor(), "member", "2022-01-01")
    assert labels([first, year, day, later]) == [
        "1st Member State",
        "2nd-3rd Member State",
        "2nd-3rd Member State",
        "4th Member State",
    ]


def test_a_partial_start_before_an_exact_one_is_ordered(build):
    """Joined "2021-05" certainly came before joined 15 June 2021."""
    may = build.status(build.actor(), "member", "2021-05")
    june = build.status(build.actor(), "member", "2021-06-15")
    assert labels([may, june]) == ["1st Member State", "2nd Member State"]


def test_ending_a_status_does_not_renumber_anyone(build):
    """A member that later left keeps its ordinal, and so do those who joined after it."""
    first = build.status(build.actor(), "member", "1992-10-05", "2005-01-01")
    second = build.status(build.actor(), "member", "1999-09-14")
    assert labels([first, second]) == ["1st Member State", "2nd Member State"]
    history = selectors.actor_history(first.actor, at=D(2010, 1, 1))
    assert [(h.ordinal.label, h.certainty) for h in history] == [("1st Member State", Certainty.NO)]
    held = selectors.statuses_at(D(2010, 1, 1), kind="member")
    assert [h.ordinal.label for h in held] == ["2nd Member State"]


def test_a_member_that_left_before_another_joined_is_not_counted_in_its_number(build):
    """The documented rule: an ordinal counts the members still in when it joined."""
    # selectors.ordinals_for: "those who had left before ... are not counted, as in the
    # organization's own usage". A member leaving on the day another joins has left.
    build.status(build.actor(), "member", "1992-10-05", "2005-01-01")
    build.status(build.actor(), "member", "1999-09-14")
    newcomer = build.status(build.actor(), "member", "2005-01-01")
    assert labels([newcomer]) == ["2nd Member State"]


def test_observers_are_counted_apart_from_members(build):
    """The first observer is "1st Observer" however many members there are."""
    observer = build.status(build.actor(), "observer", "1990-01-01")
    members = [build.status(build.actor(), "member", f"{year}-01-01") for year in (1995, 1996)]
    org = build.actor("un", kind="organization", name_en="United Nations")
    org_observer = build.status(org, "observer", "1991-01-01")
    assert labels([observer, *members, org_observer]) == [
        "1st Observer",
        "1st Member State",
        "2nd Member State",
        "1st Observer Organization",
    ]


# --- Statuses and the overview on a date -----------------------------------------------


@pytest.mark.parametrize(
    ("day", "count"),
    [
        (D(2010, 4, 30), 0),
        (D(2010, 5, 1), 1),
        (D(2012, 1, 1), 1),
        (D(2014, 12, 31), 1),
        (D(2015, 1, 1), 0),
    ],
)
def test_member_count_around_join_and_leave_days(build, day, count):
    """A member counts from its join day up to the day before it left."""
    build.status(build.actor(), "member", "2010-05-01", "2015-01-01")
    assert members_on(day)["count"] == count
    assert members_on(day)["uncertain"] == 0
    assert len(selectors.statuses_at(day, kind="member")) == count


def counted(day: dt.date) -> tuple[int, int]:
    """(count, uncertain) of Member States on `day`, as the overview reports them."""
    members = members_on(day)
    return members["count"], members["uncertain"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2020, 12, 31), (1, 0)),
        (D(2021, 1, 1), (1, 1)),
        (D(2021, 6, 1), (1, 1)),
        (D(2021, 12, 30), (1, 1)),
        (D(2021, 12, 31), (2, 0)),
        (D(2022, 1, 1), (2, 0)),
    ],
)
def test_a_year_start_is_uncertain_within_that_year(build, day, expected):
    """Joined "2021": during 2021 it may or may not be a member yet; by 2022 it is."""
    build.status(build.actor("kazakhstan", name_en="Kazakhstan"), "member", "2021")
    build.status(build.actor("uzbekistan", name_en="Uzbekistan"), "member", "2000-01-01")
    assert counted(day) == expected


def test_an_uncertain_member_is_listed_as_not_certain(build):
    """The list shows the possible member, flagged, after the certain ones."""
    build.status(build.actor("kazakhstan", name_en="Kazakhstan"), "member", "2021")
    build.status(build.actor("uzbekistan", name_en="Uzbekistan"), "member", "2000-01-01")
    items = members_on(D(2021, 6, 1))["items"]
    assert [(i["name"], i["certain"]) for i in items] == [
        ("Uzbekistan", True),
        ("Kazakhstan", False),
    ]
    held = selectors.statuses_at(D(2021, 6, 1))
    assert [h.certainty for h in held] == [Certainty.YES, Certainty.UNCERTAIN]


def test_statuses_at_filters_by_kind_and_actor_kind(build):
    """Observers are not members; organizations are filtered apart from states."""
    build.status(build.actor(), "member", "2000-01-01")
    build.status(build.actor(), "observer", "2000-01-01")
    org = build.actor("un", kind="organization")
    build.status(org, "observer", "2000-01-01")
    day = D(2001, 1, 1)
    assert len(selectors.statuses_at(day)) == 3
    assert len(selectors.statuses_at(day, kind="observer")) == 2
    observers = selectors.statuses_at(day, kind="observer", actor_kind="organization")
    assert [s.status.actor for s in observers] == [org]
    overview = selectors.overview_at(day)
    assert (len(overview.members), len(overview.observers), len(overview.partners)) == (1, 2, 0)


@ROLLED_BACK
@given(
    st.lists(
        st.tuples(
            st.dates(D(2000, 1, 1), D(2004, 12, 31)),
            st.none() | st.integers(min_value=1, max_value=800),
        ),
        min_size=1,
        max_size=4,
    ),
    st.lists(st.dates(D(1999, 12, 1), D(2007, 6, 30)), min_size=1, max_size=3),
)
def test_member_count_matches_the_days_each_member_held(build, spans, probe_days):
    """On any day, the members listed are exactly the exact spans containing that day."""
    assert build.source.pk  # made once, outside the savepoint each example rolls back
    with transaction.atomic():
        days = set(probe_days)
        expected_on = {}
        for start, length in spans:
            end = start + dt.timedelta(days=length) if length else None
            status = build.status(build.actor(), "member", start, end)
            expected_on[status.pk] = (start, end)
            days |= {start - ONE_DAY, start} | ({end - ONE_DAY, end} if end else set())
        for day in sorted(days):
            expected = {
                pk for pk, (start, end) in expected_on.items() if start <= day < (end or D.max)
            }
            held = selectors.statuses_at(day, kind="member")
            assert {h.status.pk for h in held} == expected, day
            assert {h.certainty for h in held} <= {Certainty.YES}, day
        transaction.set_rollback(True)


# --- The chair ---------------------------------------------------------------------------


@pytest.fixture
def states(build):
    return {name: build.actor(name.lower(), name_en=name) for name in ("Alpha", "Beta", "Gamma")}


def test_chair_on_the_handover_day_is_the_new_chair(build, states):
    """The term's end is the next chair's first day."""
    build.chair(states["Alpha"], "2018-01-01", "2020-01-01")
    build.chair(states["Beta"], "2020-01-01")
    assert names(selectors.chair_at(D(2019, 12, 31))) == [("Alpha", True)]
    assert names(selectors.chair_at(D(2020, 1, 1))) == [("Beta", True)]
    assert names(selectors.chair_at(D(2017, 12, 31))) == []


def test_a_partial_handover_returns_both_chairs_uncertain(build, states):
    """Old term ending "2020", new one starting "2020": in mid-2020 either may chair."""
    build.chair(states["Alpha"], "2018-01-01", "2020")
    build.chair(states["Beta"], "2020")
    assert names(selectors.chair_at(D(2019, 12, 31))) == [("Alpha", True)]
    assert names(selectors.chair_at(D(2020, 6, 1))) == [("Alpha", False), ("Beta", False)]
    assert names(selectors.chair_at(D(2020, 1, 1))) == [("Alpha", False), ("Beta", False)]
    assert names(selectors.chair_at(D(2021, 1, 1))) == [("Beta", True)]
    overview = selectors.overview_at(D(2020, 6, 1))
    assert names(overview.chair) == [("Alpha", False), ("Beta", False)]


def test_a_blurred_renewal_keeps_the_chair_certain(build, states):
    """A state renewed on a partial date certainly chairs across it."""
    build.chair(states["Alpha"], "2018-01-01", "2020")
    build.chair(states["Alpha"], "2020", "2022-01-01", kind="renewal")
    assert names(selectors.chair_at(D(2020, 6, 1))) == [("Alpha", True)]
    assert names(selectors.chair_at(D(2022, 1, 1))) == []


@pytest.fixture
def terms(build, states):
    """Alpha 2016-2018, Beta 2018-2020 renewed 2020-2022, Gamma from 2022."""
    return [
        build.chair(states["Alpha"], "2016-01-01", "2018-01-01"),
        build.chair(states["Beta"], "2018-01-01", "2020-01-01"),
        build.chair(states["Beta"], "2020-01-01", "2022-01-01", kind="renewal"),
        build.chair(states["Gamma"], "2022-01-01"),
    ]


def troika_names(day: dt.date) -> tuple:
    troika = selectors.troika_at(day)
    return (
        troika.previous.actor.name_en if troika.previous else None,
        names(troika.current),
        troika.next.actor.name_en if troika.next else None,
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2015, 6, 1), (None, [], "Alpha")),
        (D(2017, 1, 1), (None, [("Alpha", True)], "Beta")),
        (D(2019, 1, 1), ("Alpha", [("Beta", True)], "Gamma")),
        (D(2021, 1, 1), ("Alpha", [("Beta", True)], "Gamma")),
        (D(2022, 1, 1), ("Beta", [("Gamma", True)], None)),
    ],
)
def test_troika_previous_current_next(terms, day, expected):
    """A renewal does not make the chairing state its own previous or next chair."""
    assert troika_names(day) == expected


def test_troika_in_a_gap_between_terms(build, states):
    """With no chair on a day, previous is the last one and next the coming one."""
    build.chair(states["Alpha"], "2016-01-01", "2018-01-01")
    build.chair(states["Beta"], "2018-03-01")
    assert troika_names(D(2018, 2, 1)) == ("Alpha", [], "Beta")


def test_next_chair_is_shown_only_once_decided(build, states):
    """A next chair decided at a meeting on 15 June 2021 is unknown before that day."""
    meeting = build.meeting("council-2021", schedule=[{"kind": "held", "start": "2021-06-15"}])
    build.chair(states["Alpha"], "2020-01-01", "2022-01-01")
    build.chair(states["Beta"], "2022-01-01", decided_at=meeting)
    assert troika_names(D(2021, 6, 14)) == (None, [("Alpha", True)], None)
    assert troika_names(D(2021, 6, 15))[2] == "Beta"
    assert troika_names(D(2021, 7, 1))[2] == "Beta"
    assert selectors.overview_at(D(2021, 6, 14)).troika.next is None
    assert selectors.overview_at(D(2021, 7, 1)).troika.next.actor == states["Beta"]


def test_next_chair_in_a_gap_waits_for_the_decision(build, states):
    """Between terms, the coming chair is shown only after the meeting that chose it."""
    meeting = build.meeting("council-2021", schedule=[{"kind": "held", "start": "2021-06-15"}])
    build.chair(states["Alpha"], "2020-01-01", "2021-01-01")
    build.chair(states["Beta"], "2022-01-01", decided_at=meeting)
    assert troika_names(D(2021, 3, 1)) == ("Alpha", [], None)
    assert troika_names(D(2021, 9, 1)) == ("Alpha", [], "Beta")


# --- The head of the Secretariat -----------------------------------------------------------


def test_head_on_the_handover_day_is_the_new_head(build):
    """The new head is in office from the first day of the term."""
    build.head("Jane Roe", "2015-01-01", "2019-01-01")
    build.head("John Doe", "2019-01-01")
    assert names(selectors.head_at(D(2014, 12, 31))) == []
    assert names(selectors.head_at(D(2018, 12, 31))) == [("Jane Roe", True)]
    assert names(selectors.head_at(D(2019, 1, 1))) == [("John Doe", True)]
    assert names(selectors.overview_at(D(2019, 1, 1)).head) == [("John Doe", True)]


def test_a_partial_head_handover_returns_both_uncertain(build):
    """Term ending "2019-01" and the next starting "2019-01": both possible in January."""
    build.head("Jane Roe", "2015-01-01", "2019-01")
    build.head("John Doe", "2019-01")
    assert names(selectors.head_at(D(2019, 1, 15))) == [("Jane Roe", False), ("John Doe", False)]
    assert names(selectors.head_at(D(2019, 2, 1))) == [("John Doe", True)]


def test_a_reappointed_head_stays_certain_across_a_blurred_date(build):
    """A second term of the same person starting "2019" leaves no doubt who is head."""
    build.head("Jane Roe", "2015-01-01", "2019")
    build.head("Jane Roe", "2019", "2023-01-01")
    assert names(selectors.head_at(D(2019, 6, 1))) == [("Jane Roe", True)]


# --- Query counts ------------------------------------------------------------------------


def _members(build, count: int, offset: int) -> None:
    for i in range(offset, offset + count):
        build.status(build.actor(), "member", D(2000, 1, 1) + dt.timedelta(days=30 * i))


def test_overview_uses_a_constant_number_of_queries(build, states, django_assert_max_num_queries):
    """The overview costs the same number of queries for 3 members as for 30."""
    meeting = build.meeting("council-2019")
    build.chair(states["Alpha"], "2019-01-01", "2021-01-01")
    build.chair(states["Beta"], "2021-01-01", decided_at=meeting)
    build.head("Jane Roe", "2015-01-01")
    build.status(states["Gamma"], "observer", "2001-01-01")
    _members(build, 3, offset=0)
    day = D(2020, 6, 1)
    with CaptureQueriesContext(connection) as small:
        overview = selectors.overview_at(day)
        Group.build(overview.members)
    assert len(overview.members) == 3
    _members(build, 27, offset=3)
    with django_assert_max_num_queries(len(small)):
        overview = selectors.overview_at(day)
        data = Group.build(overview.members)
    assert data["count"] == 30
    assert data["items"][-1]["ordinal"] == "30th Member State"
    assert overview.troika.next.actor == states["Beta"]
