"""Reported figures: one model for every count a source states, one rule to compare them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from secretariat.figures import services
from secretariat.figures.compare import Computed, compare, known_by, latest_statement, nearest
from secretariat.figures.models import ReportedFigure
from secretariat.records.services import Outcome

D = dt.date


def figure(measure, as_of, value, pk=None):
    return ReportedFigure(pk=pk, measure=measure, as_of=as_of, value=value)


def test_a_figure_agrees_when_the_records_range_holds_it():
    """Compared on the last day of its date; a range from partial dates admits any value in it;
    nothing to count is a difference."""
    asked = []

    def counts(day):
        asked.append(day)
        return {"members": Computed.of(20, 2)}

    agree, differ, none = compare(
        [figure("members", "2010-06", 22), figure("members", "2010", 19),
         figure("observers", "2010", 3)],
        counts,
    )  # fmt: skip
    assert asked == [D(2010, 6, 30), D(2010, 12, 31)]  # once a day
    assert not agree.differs and agree.computed.display() == "20 to 22"
    assert differ.differs
    assert differ.detail == (
        "The source counts 19 as of 2010; the record holds 20 to 22 on 31 December 2010."
    )
    assert none.differs and "nothing to count" in none.detail


def test_a_page_shows_the_figures_known_by_its_day_nearest_it():
    """Known by a day: its date has begun. Nearest: a date holding the day (the narrowest)
    wins over an earlier one; the overview shows every figure of the one nearest date."""
    year = figure("members", "2022", 27, pk=1)
    day = figure("members", "2022-10-13", 28, pk=2)
    earlier = figure("observers", "2019-06-15", 13, pk=3)
    same_day = figure("observer_states", "2022-10-13", 9, pk=4)
    figures = [year, day, earlier, same_day]
    assert known_by(figures, D(2021, 12, 31)) == [earlier]
    assert nearest(figures, D(2022, 10, 13)) == [day, earlier, same_day]
    assert nearest(figures, D(2022, 11, 1)) == [year, earlier, same_day]
    assert latest_statement(figures, D(2022, 10, 13)) == [day, same_day]
    assert latest_statement(figures, D(2020, 1, 1)) == [earlier]


@pytest.mark.django_db
def test_a_figure_is_matched_on_what_it_counts_of_measure_and_date(build):
    body = build.body("forum", kind="institution")
    first, created = services.figure_upsert(
        subject=body, measure="meetings_held", as_of="2024-09", value=11, sources=[build.source]
    )
    again, outcome = services.figure_upsert(
        subject=body, measure="meetings_held", as_of="2024-09", value=12,
        sources=[build.source], note="Corrected.", editorial_note="Read again.",
    )  # fmt: skip
    assert created is Outcome.CREATED
    assert (again.pk, again.value, outcome) == (first.pk, 12, Outcome.UPDATED)
    assert (again.note, again.editorial_note) == ("Corrected.", "Read again.")
    services.figure_upsert(
        subject=body, measure="meetings_held", as_of="2024", value=10, sources=[build.source]
    )
    assert ReportedFigure.objects.count() == 2


@pytest.mark.django_db
def test_a_subject_counts_only_its_own_measures_and_dates_must_be_real(build):
    body = build.body("forum", kind="institution")
    with pytest.raises(ValidationError, match="Of this kind of record a figure counts only"):
        services.figure_upsert(
            subject=body, measure="members", as_of="2024", value=1, sources=[build.source]
        )
    with pytest.raises(ValidationError, match="not a real date"):
        services.figure_upsert(
            subject=body, measure="meetings_held", as_of="2024-02-30", value=1,
            sources=[build.source],
        )  # fmt: skip
    with pytest.raises(ValidationError, match="counts of the organization, a body"):
        services.figure_upsert(
            subject=build.actor(), measure="members", as_of="2024", value=1,
            sources=[build.source],
        )  # fmt: skip
    with pytest.raises(ValidationError, match="at least one source"):
        services.figure_upsert(subject=body, measure="meetings_held", as_of="2024", value=1,
                               sources=[])  # fmt: skip
    assert not ReportedFigure.objects.exists()
