"""Deadlines in the calendar only for those who may read their documents; meetings as the
record says: held, planned, cancelled, or left out when dated only to the month."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from secretariat.accounts import services as accounts
from secretariat.documents import services as documents
from tests.decisions.world import T0, WEEK, World, document
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def world(build):
    world = World(build)
    world.restricted, world.restricted_version = document("EXO/SECRET/1", access="restricted")
    world.hidden = world.silence(version=world.restricted_version)  # deadline T0 + WEEK
    world.open = world.silence()  # on the public document
    world.circulation, _ = documents.document_circulate(
        version=world.restricted_version, date="2024-02-02", deadline=dt.date(2024, 2, 20),
        sources=[build.source], body=world.body,
    )  # fmt: skip
    return world


def events(response) -> dict:
    assert response.status_code == 200, response.content
    return {str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def as_role(client, role: str, actor=None):
    user = accounts.account_create(
        username=f"{role}-user", password=PASSWORD, role=role, actor=actor
    ).user
    client.force_login(user)
    return client


def test_restricted_procedure_deadline_only_for_those_who_may_read_it(client, world):
    """The public sees the public procedure's deadline, not the restricted one's; a signed-in
    officer sees both, at the deadline's moment in UTC."""
    hidden = f"procedure-{world.hidden.pk}-deadline@secretariat"
    shown = f"procedure-{world.open.pk}-deadline@secretariat"
    public = events(client.get("/calendar.ics"))
    assert shown in public and hidden not in public
    assert "EXO/SECRET/1" not in client.get("/calendar.ics").content.decode()
    officer = events(as_role(client, "officer").get("/calendar.ics"))
    assert hidden in officer
    assert officer[hidden].decoded("dtstart") == T0 + WEEK
    assert str(officer[hidden]["summary"]).startswith("Silence procedure ends: EXO/SECRET/1")
    assert str(officer[hidden]["status"]) == "CONFIRMED"


def test_feedback_deadline_for_member_delegates_not_the_public(client, world):
    """A circulation's feedback deadline is an all-day event for those who may read the
    paper: a member state's delegate, not the public nor the API's anonymous reader."""
    uid = f"circulation-{world.circulation.pk}-feedback@secretariat"
    assert uid not in events(client.get("/calendar.ics"))
    assert uid not in events(client.get("/api/v1/calendar.ics"))
    member = events(as_role(client, "delegate", world.alpha).get("/calendar.ics"))
    assert member[uid].decoded("dtstart") == dt.date(2024, 2, 20)
    assert member[uid].decoded("dtend") == dt.date(2024, 2, 21)


def test_body_filter_applies_to_deadlines(client, world, build):
    """Deadlines before another body are not in this body's calendar."""
    other = build.body("council", "ministerial_council")
    officer = as_role(client, "officer")
    soc = events(officer.get(f"/calendar.ics?body={world.body.slug}"))
    council = events(officer.get(f"/calendar.ics?body={other.slug}"))
    deadline = f"procedure-{world.hidden.pk}-deadline@secretariat"
    feedback = f"circulation-{world.circulation.pk}-feedback@secretariat"
    assert {deadline, feedback} <= set(soc)
    assert not {deadline, feedback} & set(council)


def test_meetings_as_the_record_says(client, build):
    """Held: confirmed on the held days; planned: tentative; cancelled: cancelled; a meeting
    planned only for a month is left out, and the calendar says so."""
    body = build.body("forum", "other", short_name_en="TF")
    build.meeting("held-1", body, schedule=[
        {"kind": "planned", "start": "2024-04-01"},
        {"kind": "held", "start": "2024-05-02", "end": "2024-05-03", "city_en": "Baku"},
    ])  # fmt: skip
    build.meeting("planned-1", body, schedule=[{"kind": "planned", "start": "2030-06-10"}])
    build.meeting("cancelled-1", body, schedule=[
        {"kind": "planned", "start": "2025-03-04"},
        {"kind": "cancelled", "start": "2025-03-04"},
    ])  # fmt: skip
    build.meeting("vague-1", body, schedule=[{"kind": "planned", "start": "2031-09"}])
    response = client.get("/calendar.ics?body=forum")
    found = events(response)
    held = found["meeting-held-1@secretariat"]
    assert (held.decoded("dtstart"), held.decoded("dtend")) == (
        dt.date(2024, 5, 2),
        dt.date(2024, 5, 4),
    )
    assert str(held["status"]) == "CONFIRMED" and str(held["location"]) == "Baku"
    assert str(found["meeting-planned-1@secretariat"]["status"]) == "TENTATIVE"
    assert str(found["meeting-cancelled-1@secretariat"]["status"]) == "CANCELLED"
    assert "meeting-vague-1@secretariat" not in found
    calendar = Calendar.from_ical(response.content)
    assert "1 meeting dated only by the month or the year" in str(calendar["X-WR-CALDESC"])
    assert str(calendar["X-WR-CALNAME"]).endswith("Forum: meetings and deadlines")


def test_dtstamp_is_the_records_last_change(client, world):
    """DTSTAMP follows the record, not the clock: it moves only when the record changes."""
    uid = f"procedure-{world.open.pk}-deadline@secretariat"
    stamp = events(client.get("/calendar.ics"))[uid].decoded("dtstamp")
    assert stamp == world.open.updated_at.astimezone(UTC).replace(microsecond=0)
