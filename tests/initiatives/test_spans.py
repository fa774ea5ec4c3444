"""A set of priorities and a fund's project run from a start to an end: never backwards."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from secretariat.initiatives import services
from secretariat.initiatives.models import FundProject, Priorities

pytestmark = pytest.mark.django_db

BACKWARDS = r"The end must not come before the start\."


def priorities(world, start, end):
    return services.priorities_upsert(
        slug="p", title_en="Priorities", start=start, end=end, sources=world.src
    )[0]


def project(world, start, end):
    return services.fund_project_upsert(
        fund=world.fund, title_en="Project", start=start, end=end, sources=world.src
    )[0]


@pytest.mark.parametrize("record", [priorities, project])
def test_an_end_before_the_start_is_refused_saying_so(world, record):
    with pytest.raises(ValidationError, match=BACKWARDS) as exc:
        record(world, "2022-06-15", "2021")
    assert "end" in exc.value.message_dict
    with pytest.raises(ValidationError, match=BACKWARDS):
        record(world, "2022", "2021-12-31")


@pytest.mark.parametrize("record", [priorities, project])
def test_an_end_that_may_come_after_the_start_is_kept(world, record):
    """Partial dates compare by their windows: "2022" may end a period begun in June 2022;
    without a start there is nothing to come before."""
    assert str(record(world, "2022-06", "2022").end) == "2022"
    assert str(record(world, None, "2020").end) == "2020"
    assert str(record(world, "2022-06-15", "2022-06-15").end) == "2022-06-15"


def test_the_database_refuses_an_exact_end_before_the_start(world):
    """A write around the services (a raw update, a bulk create) meets the constraint."""
    rows = [priorities(world, "2022-06-15", None), project(world, "2022-06-15", None)]
    for row in rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            type(row).objects.filter(pk=row.pk).update(
                end_date=dt.date(2022, 6, 14), end_precision="day"
            )
        row.refresh_from_db()
        assert row.end is None
    new = [
        Priorities(slug="q", title_en="Q", start="2022", end="2021-12-31"),
        FundProject(fund=world.fund, title_en="Q", start="2022", end="2021-12-31"),
    ]
    for row in new:
        with pytest.raises(IntegrityError), transaction.atomic():
            type(row).objects.bulk_create([row])
        assert not type(row).objects.filter(title_en="Q").exists()
