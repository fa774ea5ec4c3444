"""The CICA calendar, read back with the icalendar library as a calendar application would."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from secretariat.bodies.selectors import meeting_when, meetings_list
from secretariat.exchange import ical

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cica")]


def read(response) -> Calendar:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def by_uid(calendar: Calendar) -> dict:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def placed_meetings(body=None) -> tuple[set[str], int]:
    """The meetings with a day to show (held, else last planned), and those without."""
    placed, undated = set(), 0
    for meeting in meetings_list(body=body):
        when = meeting_when(meeting)
        if when is not None and when.start.is_exact:
            placed.add(meeting.key)
        else:
            undated += 1
    return placed, undated


def test_every_meeting_with_a_day_is_an_event(client):
    """Each meeting dated to the day is one event; those dated only by month or year are
    left out, and the calendar's description says how many."""
    calendar = read(client.get("/calendar.ics"))
    placed, undated = placed_meetings()
    uids = set(by_uid(calendar))
    assert uids == {f"meeting-{key}@cica.secretariat" for key in placed}
    assert len(calendar.events) == len(placed) == 35
    assert undated == 12
    assert "12 meetings dated only by the month or the year" in str(calendar["X-WR-CALDESC"])
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["METHOD"]) == "PUBLISH"


def test_the_sixth_summit_on_its_held_days(client):
    """The Sixth Summit: an all-day event from 12 to 13 October 2022 (DTEND the day after),
    confirmed, in Astana, with its earlier plans in the description."""
    event = by_uid(read(client.get("/calendar.ics")))["meeting-summit-6@cica.secretariat"]
    assert event.decoded("dtstart") == dt.date(2022, 10, 12)
    assert event.decoded("dtend") == dt.date(2022, 10, 14)
    assert str(event["status"]) == "CONFIRMED"
    assert "Sixth" in str(event["summary"])
    assert "Astana" in str(event["location"])
    description = str(event["description"])
    assert "Planned: 2022" in description and "Held: 12 October 2022" in description
    assert str(event["url"]).endswith("/meetings/summit-6/")


def test_filter_by_body(client):
    """?body=summit keeps the Summit's meetings only; the API answers the same feed."""
    calendar = read(client.get("/calendar.ics?body=summit"))
    placed, _ = placed_meetings(body=_body("summit"))
    assert set(by_uid(calendar)) == {f"meeting-{key}@cica.secretariat" for key in placed}
    assert len(placed) == 6
    assert "Summit" in str(calendar["X-WR-CALNAME"])
    api = client.get("/api/v1/calendar.ics?body=summit")
    assert api.status_code == 200 and api.content == client.get("/calendar.ics?body=summit").content


def _body(slug):
    from secretariat.bodies.models import Body

    return Body.objects.get(slug=slug)


@pytest.mark.parametrize(
    "url", ["/calendar.ics?body=atlantis", "/api/v1/calendar.ics?body=atlantis"]
)
def test_unknown_body_is_a_clear_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "No body 'atlantis'."


def test_the_feed_is_stable_between_fetches(client):
    """Two fetches give the same bytes (UIDs and DTSTAMPs from the records), and a client
    holding them is told 304."""
    first = client.get("/calendar.ics")
    second = client.get("/calendar.ics")
    assert first.content == second.content
    again = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert ical.uid_domain() == "cica.secretariat"


def test_export_writes_the_public_calendar():
    """The CLI's ics format writes the feed the public subscribes to (without links)."""
    import io

    out = io.BytesIO()
    ical.export(out, at=dt.date(2024, 6, 1), user=None)
    calendar = Calendar.from_ical(out.getvalue())
    assert len(calendar.events) == 35
    assert all("url" not in e for e in calendar.walk("VEVENT"))
