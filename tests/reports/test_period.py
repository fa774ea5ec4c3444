"""The period a report covers: a chairmanship by its slug (consecutive terms of one state
taken together), the current one by default, or any two dates; bad input said plainly."""

import datetime as dt

import pytest

from secretariat.reports.period import (
    PeriodError,
    period_between,
    period_default,
    period_for,
    runs,
)

pytestmark = pytest.mark.django_db


def test_chairmanships_are_named_by_state_and_years(small):
    assert [r.slug for r in runs()] == ["alpha-2019-2021", "beta-2021-2023", "gamma-2023"]


def test_a_chairmanship_runs_to_the_day_the_next_chair_takes_over(small):
    """The handover meeting closes the outgoing term: its day belongs to the period."""
    period = period_for(chairmanship="beta-2021-2023")
    assert (period.start, period.end) == (dt.date(2021, 1, 1), dt.date(2023, 1, 10))
    assert period.label == "Chairmanship of Beta, 2021-2023"
    assert period.chairmanship == "beta-2021-2023"


def test_consecutive_terms_of_one_state_are_one_chairmanship(small):
    """A renewal continues the chairmanship; each term can still be asked for alone."""
    small.build.chair(small.gamma, "2023-01-10", "2025-01-10", taken_over_at=small.handover)
    small.build.chair(small.gamma, "2025-01-10", kind="renewal")
    assert [r.slug for r in runs()][-1] == "gamma-2023"
    whole = period_for(chairmanship="gamma-2023")
    assert whole.start == dt.date(2023, 1, 10)
    term = period_for(chairmanship="gamma-2023-2025")
    assert (term.start, term.end) == (dt.date(2023, 1, 10), dt.date(2025, 1, 10))


def test_the_default_is_the_current_chairmanship(small):
    period = period_default()
    assert period.chairmanship == "gamma-2023"
    assert period.start == dt.date(2023, 1, 10)
    assert period.end >= dt.date(2026, 1, 1)  # runs to today


def test_the_label_is_in_the_report_language(small):
    assert period_for(chairmanship="beta-2021-2023", language="ru").label == (
        "Председательство: Бета, 2021-2023"
    )


def test_an_unknown_chairmanship_is_refused_with_the_known_ones(small):
    with pytest.raises(PeriodError) as refusal:
        period_for(chairmanship="nobody-1999")
    assert str(refusal.value) == (
        "There is no chairmanship “nobody-1999”. "
        "Chairmanships: alpha-2019-2021, beta-2021-2023, gamma-2023."
    )


def test_without_chairmanships_the_default_asks_for_dates(db):
    with pytest.raises(PeriodError, match="No chairmanship is on record: give the dates"):
        period_default()


def test_any_two_dates():
    period = period_between("2021-01-01", "2022-12-31")
    assert (period.start, period.end) == (dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    assert period.label == "1 January 2021 to 31 December 2022"
    assert period.chairmanship is None


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2024-01-01", "2023-01-01", "The start (2024-01-01) comes after the end (2023-01-01)."),
        ("2024-02-30", "2024-03-01", "The start: “2024-02-30” is not a date (YYYY-MM-DD)."),
        ("2024-01-01", "", "Give the end as a date (YYYY-MM-DD)."),
        ("0001-01-01", "2024-01-01", "The start: 0001-01-01 is out of range."),
    ],
)
def test_bad_dates_are_refused_saying_which(start, end, message):
    with pytest.raises(PeriodError) as refusal:
        period_between(start, end)
    assert str(refusal.value) == message
