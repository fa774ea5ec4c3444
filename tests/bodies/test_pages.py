"""The pages of bodies and meetings: what they show, in both languages, to whom, at what cost."""

from __future__ import annotations

import datetime as dt

import pytest

from secretariat.accounts import services as accounts
from secretariat.bodies import services as bodies
from secretariat.documents import services as documents
from tests.helpers import PASSWORD, page, text

pytestmark = pytest.mark.django_db


def restricted_outcome(build, meeting, *, key="hidden-paper", title="Hidden paper zebra"):
    """A restricted document adopted at the meeting: its outcome is not the public's."""
    doc = documents.document_create(
        type="decision", symbol=f"EXO/{key.upper()}", key=key, title_en=title,
        access="restricted", sources=[build.source], meeting=meeting,
    )  # fmt: skip
    documents.document_event_upsert(
        document=doc, kind="adopted", date="2002-06-10", meeting=meeting, sources=[build.source]
    )
    return doc


# --- Meetings --------------------------------------------------------------------------


def test_meetings_list_shows_every_meeting_with_planned_and_actual_dates(client, minimal):
    """The list names each meeting, its body and status; a moved meeting shows its plan too."""
    html = page(client, "/meetings/")
    assert "First Council" in html  # composed from the ordinal and the body
    assert "Second Council meeting" in html
    assert "Betatown" in html and "Alphaville" in html  # planned there, held here
    assert "held" in html and "informal" in html


def test_meetings_filters_by_body_year_and_status(client, minimal, build):
    """Filters narrow the list; a year shows its calendar by month."""
    other = build.body("summit", "summit", name_en="Summit")
    build.meeting(
        "summit-1", other, ordinal=1, schedule=[{"kind": "planned", "start": "2030-05-04"}]
    )
    html = page(client, "/meetings/?body=summit")
    assert "First Summit" in html and "Second Council meeting" not in html
    html = page(client, "/meetings/?year=2002")
    assert "Second Council meeting" in html and "First Council" not in html
    assert "Calendar" in html and "June" in html
    html = page(client, "/meetings/?status=planned")
    assert "First Summit" in html and "Second Council meeting" not in html


@pytest.mark.parametrize(
    "query",
    ["?year=abc", "?year=99999", "?body=nope", "?status=maybe", "?year=%00"],
)
def test_meetings_bad_filters_give_a_notice_not_an_error(client, minimal, query):
    """A filter that cannot be read is named in a notice; the page still answers."""
    html = page(client, f"/meetings/{query}")
    assert 'class="notice"' in html


def test_meetings_as_of_a_day_that_is_not_is_refused_saying_so(client, minimal):
    html = page(client, "/meetings/?at=2021-02-30", 400)
    assert "is not a day of the calendar" in html


def test_meeting_page_shows_dates_places_participants_and_outcomes(client, minimal):
    """The page of a meeting: planned and held dates, where, who came, what it adopted."""
    html = page(client, "/meetings/council-2/")
    assert "<h1>Second Council meeting</h1>" in html
    assert "Planned and actual dates" in html
    assert "March 2002, Betatown" in text(html) and "10–11 June 2002, Alphaville" in text(html)
    assert "Betatown" in html and "Alphaville" in html
    assert "Outcomes" in html
    assert "/documents/" in html


def test_meeting_page_by_id_and_unknown_keys(client, minimal):
    """A meeting answers by key or id; an unknown one is a 404."""
    from secretariat.bodies.models import Meeting

    meeting = Meeting.objects.get(key="council-1")
    assert "First Council" in page(client, f"/meetings/{meeting.pk}/")
    page(client, "/meetings/no-such-meeting/", 404)
    page(client, "/meetings/987654321/", 404)


def test_restricted_outcomes_are_absent_for_the_public(client, minimal, build):
    """A restricted paper adopted at a meeting shows to a member's delegate, not the public."""
    from secretariat.bodies.models import Meeting
    from secretariat.registry.models import Actor

    meeting = Meeting.objects.get(key="council-2")
    restricted_outcome(build, meeting)
    html = page(client, "/meetings/council-2/")
    assert "Hidden paper zebra" not in html and "hidden-paper" not in html
    user = accounts.account_create(
        username="alpha", password=PASSWORD, role="delegate", actor=Actor.objects.get(slug="alpha")
    ).user
    client.force_login(user)
    assert "Hidden paper zebra" in page(client, "/meetings/council-2/")


def test_officers_see_history_and_edit_links(client, minimal):
    """Officers get the record's history and edit form; the public does not."""
    html = page(client, "/meetings/council-2/")
    assert "/history/bodies.meeting/" not in html
    officer = accounts.account_create(username="o", password=PASSWORD, role="officer").user
    client.force_login(officer)
    html = page(client, "/meetings/council-2/")
    assert "/history/bodies.meeting/" in html and "/admin/bodies/meeting/" in html
    assert "/history/bodies.body/" in page(client, "/bodies/council/")


def test_meeting_in_russian_with_a_visible_fallback(client, minimal):
    """In Russian the interface and names are Russian; a missing title shows in English, marked."""
    html = page(client, "/meetings/council-2/", HTTP_ACCEPT_LANGUAGE="ru")
    assert 'lang="ru"' in html
    assert "Запланированные и фактические даты" in html
    assert '<span class="fallback" lang="en">Alphaville</span>' in html  # no Russian name
    assert '<span class="fallback" lang="en">Second Council meeting</span>' in html
    html = page(client, "/meetings/council-1/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Совет: заседание № 1" in html  # composed from the Russian body name
    assert "Альфавиль" in html  # where it was held, in Russian


def test_meeting_calendar_in_russian(client, minimal):
    """Month names follow the page's language."""
    html = page(client, "/meetings/?year=2002", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Июнь" in html and "Заседания в 2002 году" in html


# --- Bodies ------------------------------------------------------------------------------


def test_bodies_list_with_status_on_the_date(client, minimal):
    """Each body with its founding and its status on the date asked for."""
    html = page(client, "/bodies/")
    assert "Council" in html and "Fund" in html
    assert "established" in html
    html = page(client, "/bodies/?at=2002-01-01")
    assert "initiated" in html  # the Fund was only initiated then


def test_body_page_shows_its_life_and_meetings(client, minimal):
    """A body's page: names, status, events with their meetings and sources, its meetings."""
    html = page(client, "/bodies/fund/")
    assert "<h1>Fund" in html
    assert "Life of the body" in html and "Second Council meeting" in html
    assert "Beta" in html  # proposed by
    html = page(client, "/bodies/council/")
    assert "First Council" in html and "Fund" in html  # its meetings and sub-body
    page(client, "/bodies/no-such-body/", 404)


def test_body_page_in_russian(client, minimal):
    html = page(client, "/bodies/fund/", HTTP_ACCEPT_LANGUAGE="ru")
    assert "<h1>Фонд" in html and "Жизнь органа" in html


# --- Query counts -------------------------------------------------------------------------


def grow(build, n: int, start: int = 0):
    """n more bodies, each with an event, a meeting (planned elsewhere first), participants
    and an adopted public document; the meeting "grown-0" of the body "body-0" collects all."""
    hub_body = build.body("body-0", "institution", name_en="Body 0")
    hub, _ = bodies.meeting_upsert(key="grown-0", body=hub_body, sources=[build.source])
    participants, entries = [], []
    for i in range(start, start + n):
        body = build.body(f"body-{i + 1}", "institution", name_en=f"Body {i + 1}")
        meeting = build.meeting(
            f"grown-{i + 1}",
            body,
            schedule=[
                {"kind": "planned", "start": f"{2000 + i % 3}-03", "city_en": "Plan"},
                {"kind": "held", "start": f"{2000 + i % 3}-06-0{1 + i % 9}", "city_en": "Held"},
            ],
        )
        bodies.body_event_upsert(
            body=hub_body, kind="proposed", date=f"{1950 + i}", meeting=meeting,
            sources=[build.source],
        )  # fmt: skip
        actor = build.actor(f"state-{i}", name_en=f"State {i}")
        participants.append((actor, "member"))
        entries.append({"kind": "planned", "start": f"{1950 + i}-01-01", "sources": [build.source]})
        doc = documents.document_create(
            type="decision", symbol=f"EXO/D/{i}", key=f"doc-{i}", title_en=f"Decision {i}",
            sources=[build.source], meeting=hub,
        )  # fmt: skip
        documents.document_event_upsert(
            document=doc, kind="adopted", date=f"{1950 + i}", meeting=hub, sources=[build.source]
        )
    bodies.meeting_participants_set(meeting=hub, participants=participants)
    bodies.meeting_schedule_set(meeting=hub, entries=entries)


@pytest.mark.parametrize(
    "url",
    ["/bodies/", "/bodies/body-0/", "/meetings/", "/meetings/?year=2001", "/meetings/grown-0/"],
)
def test_query_count_stays_constant_as_data_grows(
    client, build, url, django_assert_max_num_queries
):
    """N records, then 3N: the same number of queries."""
    grow(build, 3)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    grow(build, 6, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_upcoming_status_of_meetings_is_derived(client, build):
    """A meeting planned after today shows as planned; one moved twice as postponed."""
    body = build.body("summit", "summit", name_en="Summit")
    later = dt.date.today().year + 2
    build.meeting(
        "summit-9", body, ordinal=9,
        schedule=[{"kind": "planned", "start": f"{later}-05", "announced": f"{later - 3}"},
                  {"kind": "planned", "start": f"{later}-09", "announced": f"{later - 2}"}],
    )  # fmt: skip
    html = page(client, "/meetings/summit-9/")
    assert "Ninth Summit" in html and "postponed" in html and "latest plan" in html
