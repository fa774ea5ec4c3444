"""The counts CICA's sources state: on the day of each summit on record, the record's count
of members, observers and partners equals the sourced figure, or the figure stands beside it
on the overview with why they differ; the other counts sources give are shown likewise."""

import datetime as dt
import re

import pytest

from secretariat.core.models import Organization
from secretariat.registry.selectors import organization_figures
from tests.helpers import get, page, text

pytestmark = pytest.mark.django_db


def summit_days(client) -> dict[str, list[dt.date]]:
    """Each summit held on record, with the days it met."""
    days = {}
    for meeting in get(client, "/api/v1/meetings?body=summit")["items"]:
        if meeting["status"] != "held" or meeting["start"]["precision"] != "day":
            continue
        first = dt.date.fromisoformat(meeting["start"]["value"])
        last = dt.date.fromisoformat((meeting["end"] or meeting["start"])["value"])
        days[meeting["key"]] = [
            first + dt.timedelta(days=n) for n in range((last - first).days + 1)
        ]
    return days


def test_every_summit_on_record_has_what_sources_count_that_day(client, cica):
    """Every summit held on record has a membership figure a source gives for one of its
    days; on each such day, each figure agrees with the record's count, or the overview of
    that day shows it beside the count with the public note that says why."""
    figures = organization_figures(Organization.objects.get(), dt.date.max, every=True)
    days = summit_days(client)
    assert len(days) >= 6
    for key, summit in days.items():
        on_days = [c for c in figures if c.as_of.is_exact and c.as_of.earliest in summit]
        assert any(c.measure == "members" for c in on_days), f"no membership figure for {key}"
        for comparison in on_days:
            if not comparison.differs:
                continue
            day = comparison.as_of.earliest.isoformat()
            note = comparison.figure.note
            assert note, f"{key}: {comparison.detail} (without a public note saying why)"
            shown = text(page(client, f"/?at={day}"))
            assert f"The source counts {comparison.reported} " in shown, (key, day)
            assert " ".join(note.split()) in shown, (key, day)


@pytest.mark.parametrize(
    ("day", "members"),
    [("2002-06-04", 16), ("2006-06-17", 18), ("2010-06-08", 22), ("2014-05-21", 26),
     ("2019-06-15", 27), ("2022-10-12", 27), ("2022-10-13", 28)],
)  # fmt: skip
def test_member_states_on_summit_days_as_the_sources_count_them(client, cica, day, members):
    """The overview's answer on a summit's day carries the source's count beside its own."""
    data = get(client, f"/api/v1/overview?at={day}")
    reported = {r["measure"]: r for r in data["reported"]}
    assert reported["members"]["reported"] == members
    assert reported["members"]["as_of"]["value"] == day


def test_each_figure_a_source_gives_is_shown_where_its_record_is(client, cica):
    """The Think Tank Forum's meetings on its page, the Convention's ratifications on its
    status page, the catalogue's priority areas on the CBM page: each with its count."""
    forum = get(client, "/api/v1/bodies/think-tank-forum?at=2024-12-31")
    held = {r["as_of"]["value"]: r for r in forum["reported"]}
    assert held["2024-09"]["reported"] == 11
    assert held["2020"]["reported"] == 8
    assert all(r["note"] for r in held.values() if r["differs"])
    assert "The source counts 11 meetings held as of September 2024" in text(
        page(client, "/bodies/think-tank-forum/?at=2024-12-31")
    )
    status = get(client, "/api/v1/treaties/convention-privileges-immunities-2010/status")
    reported = {r["measure"]: r["reported"] for r in status["reported"]}
    assert reported == {"signed_and_ratified": 10, "signed_not_ratified": 8,
                        "instruments_required": 4}  # fmt: skip
    assert all(r["note"] for r in status["reported"] if r["differs"])
    catalogue = get(client, "/api/v1/cbm/catalogue?at=2022-01-01")
    [areas] = catalogue["reported"]
    assert (areas["measure"], areas["reported"], areas["as_of"]["value"]) == (
        "areas",
        18,
        "2021-10",
    )
    assert "The source counts 18 priority areas as of October 2021" in text(
        page(client, "/cbm/?at=2022-01-01")
    )


def test_no_public_note_of_a_figure_speaks_of_sources_by_key_or_of_fields(cica):
    """Public notes are for readers: no source keys, no field names."""
    from secretariat.core.models import Source
    from secretariat.figures.models import ReportedFigure

    keys = set(Source.objects.values_list("key", flat=True))
    for figure in ReportedFigure.objects.exclude(note=""):
        words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", figure.note))
        assert not words & keys, figure.note
        assert not re.search(r"\b(as_of|measure|seed|editorial_note)\b", figure.note)
