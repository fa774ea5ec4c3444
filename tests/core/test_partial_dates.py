"""Partial dates: parsing, windows, display, and the "as of date D" rule in Python and in SQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretariat.core.partial_dates import (
    Certainty,
    PartialDate,
    Precision,
    certainly_before,
    certainly_overlap,
    holds_on,
    q_holds_on,
    q_latest_lte,
)
from secretariat.registry.models import Status

D = dt.date
ONE_DAY = dt.timedelta(days=1)

# Leap years 2000, 2004, ..., 2028 inside; 2100-style century rules are covered by 2000.
MIN_DAY, MAX_DAY = D(1999, 1, 1), D(2030, 12, 31)
EDGE_DAYS = [
    D(2020, 2, 29),
    D(2024, 2, 29),
    D(2023, 2, 28),
    D(2024, 2, 28),
    D(2024, 3, 1),
    D(2021, 12, 31),
    D(2022, 1, 1),
    D(2021, 4, 30),
    D(2021, 5, 31),
    D(2000, 2, 29),
]


def truncate(day: dt.date, precision: Precision) -> PartialDate:
    if precision == Precision.YEAR:
        return PartialDate(day.year)
    if precision == Precision.MONTH:
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


def partial_dates(min_value: dt.date = MIN_DAY, max_value: dt.date = MAX_DAY):
    return st.builds(
        truncate,
        st.one_of(
            st.dates(min_value, max_value),
            st.sampled_from([d for d in EDGE_DAYS if min_value <= d <= max_value] or [min_value]),
        ),
        st.sampled_from(list(Precision)),
    )


@st.composite
def spans(draw) -> tuple[PartialDate, PartialDate | None]:
    """A start and an optional end that the rules accept (end.latest after start.earliest).

    The end's window may overlap the start's: "2021" to "2021-06" is a valid record.
    """
    start = draw(partial_dates(max_value=MAX_DAY - dt.timedelta(days=400)))
    if draw(st.booleans()):
        return start, None
    end = draw(partial_dates(min_value=start.earliest + ONE_DAY))
    return start, end


days = st.one_of(st.dates(MIN_DAY, MAX_DAY), st.sampled_from(EDGE_DAYS))


def window(p: PartialDate) -> list[dt.date]:
    """Every day the partial date may stand for, enumerated one by one."""
    count = (p.latest - p.earliest).days + 1
    return [p.earliest + dt.timedelta(days=i) for i in range(count)]


def brute_force_holds_on(start: PartialDate, end: PartialDate | None, day: dt.date) -> Certainty:
    """Try every (start day, end day) the record allows and see on how many the fact holds."""
    # "start <= day < end" splits into one condition per window, so the set of outcomes
    # over all pairs is the set of pairwise ANDs of each window's outcomes.
    after_start = {s <= day for s in window(start)}
    before_end = {day < e for e in window(end)} if end is not None else {True}
    outcomes = {a and b for a in after_start for b in before_end}
    if outcomes == {True}:
        return Certainty.YES
    if outcomes == {False}:
        return Certainty.NO
    return Certainty.UNCERTAIN


# --- Parsing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2021", PartialDate(2021), Precision.YEAR),
        ("2021-06", PartialDate(2021, 6), Precision.MONTH),
        ("2021-06-15", PartialDate(2021, 6, 15), Precision.DAY),
        (" 2021-06 ", PartialDate(2021, 6), Precision.MONTH),
        (D(2021, 6, 15), PartialDate(2021, 6, 15), Precision.DAY),
        (dt.datetime(2021, 6, 15, 23, 59), PartialDate(2021, 6, 15), Precision.DAY),
        (2021, PartialDate(2021), Precision.YEAR),
        (PartialDate(2021, 6), PartialDate(2021, 6), Precision.MONTH),
    ],
)
def test_parse_reads_years_months_days_dates_and_ints(value, expected, precision):
    """Every accepted form parses to the partial date it names, with its precision."""
    parsed = PartialDate.parse(value)
    assert parsed == expected
    assert parsed.precision == precision


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2021-13", "'2021-13' is not a real date."),
        ("2021-02-30", "'2021-02-30' is not a real date."),
        ("2023-02-29", "'2023-02-29' is not a real date."),
        ("0000", "'0000' is not a real date."),
        ("21", "'21' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD."),
        (21, "'21' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD."),
        ("June 2021", "'June 2021' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD."),
        ("2021-6", "'2021-6' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD."),
        ("15.06.2021", "'15.06.2021' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD."),
        ("", "'' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD."),
        (None, "'' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD."),
    ],
)
def test_parse_refuses_what_is_not_a_date_with_a_clear_message(value, message):
    """Malformed or impossible dates raise ValidationError saying what was wrong."""
    with pytest.raises(ValidationError) as caught:
        PartialDate.parse(value)
    assert caught.value.messages == [message]
    assert caught.value.code == "invalid"


@pytest.mark.parametrize("value", ["2021-00", "2021-06-00", "2021-00-15"])
def test_parse_refuses_a_zero_month_or_day(value):
    """Month 0 and day 0 are not real dates and are refused, not read as the 1st."""
    with pytest.raises(ValidationError) as caught:
        PartialDate.parse(value)
    assert caught.value.messages == [f"'{value}' is not a real date."]


def test_constructor_refuses_a_day_without_a_month():
    """A day needs a month: PartialDate(2021, day=5) is impossible."""
    with pytest.raises(ValueError, match="a day needs a month"):
        PartialDate(2021, None, 5)


# --- Windows --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2021", D(2021, 1, 1), D(2021, 12, 31)),
        ("2021-06", D(2021, 6, 1), D(2021, 6, 30)),
        ("2021-06-15", D(2021, 6, 15), D(2021, 6, 15)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28)),
        ("2000-02", D(2000, 2, 1), D(2000, 2, 29)),
        ("2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("2021-12", D(2021, 12, 1), D(2021, 12, 31)),
    ],
)
def test_window_bounds(text, earliest, latest):
    """earliest/latest are the first and last day the partial date may stand for."""
    p = PartialDate.parse(text)
    assert (p.earliest, p.latest) == (earliest, latest)
    assert p.contains(earliest) and p.contains(latest)
    assert not p.contains(earliest - ONE_DAY) and not p.contains(latest + ONE_DAY)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2021", "2021"),
        ("2021-06", "June 2021"),
        ("2021-06-15", "15 June 2021"),
        ("2021-06-05", "5 June 2021"),
        ("2024-02-29", "29 February 2024"),
        ("2021-01", "January 2021"),
    ],
)
def test_display_in_english(text, shown):
    """Readers see "June 2021" and "15 June 2021", never ISO codes."""
    assert PartialDate.parse(text).display() == shown


@given(partial_dates(D(1, 1, 1), D(9999, 12, 31)))
def test_isoformat_round_trips(p):
    """Parsing the ISO form of any partial date gives it back, with the same precision."""
    again = PartialDate.parse(p.isoformat())
    assert again == p
    assert again.precision == p.precision
    assert str(p) == p.isoformat()


@given(partial_dates(), partial_dates())
def test_order_is_chronological_by_window(a, b):
    """Sorting partial dates follows their first days; a narrower window first on a tie."""
    if a.earliest != b.earliest:
        assert (a < b) == (a.earliest < b.earliest)
    elif a != b:
        assert (a < b) == (a.latest < b.latest)
    else:
        assert not a < b and a <= b


def test_certainly_before_compares_whole_windows():
    """One window is certainly before another only if it ends before the other begins."""
    assert certainly_before(PartialDate(2020), PartialDate(2021, 1, 1))
    assert not certainly_before(PartialDate(2021), PartialDate(2021, 6, 1))
    assert not certainly_before(PartialDate(2021, 6, 1), PartialDate(2021, 6, 1))


# --- The "as of date D" rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "day", "expected"),
    [
        # Exact span: start inclusive, end exclusive.
        ("2021-06-15", "2022-01-01", D(2021, 6, 14), Certainty.NO),
        ("2021-06-15", "2022-01-01", D(2021, 6, 15), Certainty.YES),
        ("2021-06-15", "2022-01-01", D(2021, 12, 31), Certainty.YES),
        ("2021-06-15", "2022-01-01", D(2022, 1, 1), Certainty.NO),
        # Partial start "2021-06".
        ("2021-06", "2022-01-01", D(2021, 5, 31), Certainty.NO),
        ("2021-06", "2022-01-01", D(2021, 6, 1), Certainty.UNCERTAIN),
        ("2021-06", "2022-01-01", D(2021, 6, 10), Certainty.UNCERTAIN),
        ("2021-06", "2022-01-01", D(2021, 6, 30), Certainty.YES),
        ("2021-06", "2022-01-01", D(2021, 7, 1), Certainty.YES),
        # Partial end "2022".
        ("2021-06-15", "2022", D(2021, 12, 31), Certainty.YES),
        ("2021-06-15", "2022", D(2022, 1, 1), Certainty.UNCERTAIN),
        ("2021-06-15", "2022", D(2022, 3, 1), Certainty.UNCERTAIN),
        ("2021-06-15", "2022", D(2022, 12, 30), Certainty.UNCERTAIN),
        ("2021-06-15", "2022", D(2022, 12, 31), Certainty.NO),
        # Open-ended.
        ("2021-06-15", None, D(2099, 1, 1), Certainty.YES),
        ("2024-02", None, D(2024, 2, 28), Certainty.UNCERTAIN),
        ("2024-02", None, D(2024, 2, 29), Certainty.YES),
    ],
)
def test_holds_on_edges(start, end, day, expected):
    """Start inclusive, end exclusive; a day inside a partial date's window is uncertain."""
    end = PartialDate.parse(end) if end else None
    assert holds_on(PartialDate.parse(start), end, day) is expected


@settings(max_examples=200)
@given(spans(), days)
def test_holds_on_agrees_with_brute_force(span, day):
    """YES iff the fact holds for every start/end day the record allows, NO iff for none."""
    start, end = span
    assert holds_on(start, end, day) is brute_force_holds_on(start, end, day)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # Exact spans: sharing a day, adjacent (end == next start), apart.
        (("2020-01-01", "2021-01-01"), ("2020-12-31", None), True),
        (("2020-01-01", "2021-01-01"), ("2021-01-01", None), False),
        (("2020-01-01", "2021-01-01"), ("2022-01-01", "2023-01-01"), False),
        (("2020-01-01", None), ("2030-01-01", None), True),
        # A partial handover: the old ends "2020", the new starts "2020": maybe not.
        (("2018-01-01", "2020"), ("2020", None), False),
        # A year-long window still certainly shares its last day with an open span.
        (("2020", "2021"), ("2020-06", None), True),
        # A start in the same year as the other's end may fall after it.
        (("2019-01-01", "2020-07-01"), ("2020", None), False),
        (("2019-01-01", "2021-01-01"), ("2020", None), True),
    ],
)
def test_certainly_overlap_examples(a, b, expected):
    """Spans certainly overlap only if they share a day whatever days their windows mean."""

    def parse(span):
        return PartialDate.parse(span[0]), PartialDate.parse(span[1]) if span[1] else None

    assert certainly_overlap(*parse(a), *parse(b)) is expected
    assert certainly_overlap(*parse(b), *parse(a)) is expected


@given(spans(), spans())
def test_certainly_overlap_implies_both_hold_on_a_shared_day(a, b):
    """If two spans certainly overlap, some day certainly has both holding."""
    if certainly_overlap(*a, *b):
        first = max(a[0].latest, b[0].latest)
        assert holds_on(*a, first) is Certainty.YES
        assert holds_on(*b, first) is Certainty.YES


# --- The same rule in SQL --------------------------------------------------------------


@settings(
    max_examples=10,
    deadline=None,
    # Each example builds its rows in a savepoint and rolls it back, so the shared
    # function-scoped `build` fixture starts every example from the same state.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(spans(), min_size=1, max_size=4), st.lists(days, max_size=4))
def test_sql_filters_match_the_python_rule(build, span_list, drawn_days):
    """q_latest_lte and q_holds_on select exactly the rows the Python functions accept."""
    _ = build.source  # created once, outside the rolled-back savepoint
    with transaction.atomic():
        for start, end in span_list:
            build.status(build.actor(), "member", start, end)
        rows = list(Status.objects.all())
        probe = set(drawn_days)
        for s in rows:  # every window edge, and the days just outside it
            for p in (s.start, s.end):
                if p is not None:
                    probe |= {p.earliest - ONE_DAY, p.earliest, p.latest, p.latest + ONE_DAY}

        def selected(q):
            return set(Status.objects.filter(q).values_list("pk", flat=True))

        for day in sorted(probe):
            expected_start = {s.pk for s in rows if s.start.latest <= day}
            expected_end = {s.pk for s in rows if s.end is not None and s.end.latest <= day}
            possibly = {s.pk for s in rows if holds_on(s.start, s.end, day) is not Certainty.NO}
            certainly = {s.pk for s in rows if holds_on(s.start, s.end, day) is Certainty.YES}
            assert selected(q_latest_lte("start", day)) == expected_start, day
            assert selected(q_latest_lte("end", day)) == expected_end, day
            assert selected(q_holds_on("start", "end", day)) == possibly, day
            assert selected(q_holds_on("start", "end", day, certain=True)) == certainly, day
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("day", [D.max, D.min, D(1, 6, 1)], ids=str)
def test_sql_filters_accept_the_first_and_last_representable_days(build, day):
    """Asking about 9999-12-31 (a common "far future") or year 1 answers, not crashes."""
    status = build.status(build.actor(), "member", "2021", "2022")
    started = Status.objects.filter(q_latest_lte("start", day))
    held = Status.objects.filter(q_holds_on("start", "end", day))
    assert list(started) == ([status] if day == D.max else [])
    assert list(held) == []


# --- The model property ----------------------------------------------------------------


def test_property_sets_first_day_and_precision():
    """Status(start="2021-06") stores 1 June 2021 with precision "month" and reads it back."""
    status = Status(start="2021-06", end=D(2022, 3, 15))
    assert (status.start_date, status.start_precision) == (D(2021, 6, 1), "month")
    assert (status.end_date, status.end_precision) == (D(2022, 3, 15), "day")
    assert status.start == PartialDate(2021, 6)
    status.start = "2021"
    assert (status.start_date, status.start_precision) == (D(2021, 1, 1), "year")
    assert status.start.display() == "2021"


@pytest.mark.parametrize("empty", [None, ""])
def test_property_none_clears_both_columns(empty):
    """Assigning None (or "") clears the date and its precision."""
    status = Status(start="2021", end="2022-05")
    status.end = empty
    assert status.end is None
    assert (status.end_date, status.end_precision) == (None, "")


def test_property_refuses_invalid_input():
    """Assigning a malformed date raises ValidationError and leaves the old value."""
    status = Status(start="2021-06")
    with pytest.raises(ValidationError, match=re.escape("'2021-02-30' is not a real date.")):
        status.start = "2021-02-30"
    assert status.start == PartialDate(2021, 6)


@pytest.mark.django_db
def test_property_survives_a_database_round_trip(build):
    """A partial date saved through the service reads back with its precision."""
    saved = build.status(build.actor(), "member", "2024-02", end="2025")
    again = Status.objects.get(pk=saved.pk)
    assert again.start == PartialDate(2024, 2)
    assert again.start.latest == D(2024, 2, 29)
    assert again.end == PartialDate(2025)
