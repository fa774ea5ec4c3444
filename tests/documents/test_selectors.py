"""Reads: documents filtered by derived status and year, readable levels, meeting
outcomes, and circulations (who has answered, who has not, overdue, awaiting a state)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from secretariat.documents import selectors
from secretariat.documents.models import DocumentEvent
from secretariat.registry.models import Actor

pytestmark = pytest.mark.django_db
K = DocumentEvent.Kind
D = dt.date


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("officer", is_staff=True)


def symbols(qs):
    return [d.symbol for d in qs]


def test_status_filter_is_derived_as_of_the_date(docs):
    """A document adopted in June is "circulated" in May and "adopted" in July."""
    adopted = docs.document("A/1")
    docs.event(adopted, K.CIRCULATED, "2021-03-01")
    docs.event(adopted, K.ADOPTED, "2021-06-15")
    drafted = docs.document("A/2")
    docs.event(drafted, K.DRAFTED, "2021-01-01")
    anon = AnonymousUser()
    may = selectors.documents_list(user=anon, at=D(2021, 5, 1), status="circulated")
    july = selectors.documents_list(user=anon, at=D(2021, 7, 1), status="adopted")
    assert symbols(may) == ["A/1"]
    assert symbols(july) == ["A/1"]
    assert symbols(selectors.documents_list(user=anon, at=D(2021, 7, 1), status="draft")) == ["A/2"]


def test_year_is_that_of_the_first_event_or_version(docs):
    """The year filter takes the earlier of the first event and the first version."""
    by_event = docs.document("Y/1")
    docs.event(by_event, K.DRAFTED, "2019-11")
    docs.version(by_event, date="2020-02-01")
    by_version = docs.document("Y/2")
    docs.version(by_version, date="2020")
    docs.document("Y/3")  # no date at all
    anon = AnonymousUser()
    assert symbols(selectors.documents_list(user=anon, at=D(2022, 1, 1), year=2019)) == ["Y/1"]
    assert symbols(selectors.documents_list(user=anon, at=D(2022, 1, 1), year=2020)) == ["Y/2"]


def test_restricted_documents_are_read_by_staff_only(docs, staff):
    """Anonymous readers see public documents only; staff see every level."""
    docs.document("P/1")
    docs.document("R/1", access="restricted")
    docs.document("C/1", access="confidential")
    at = D(2022, 1, 1)
    assert symbols(selectors.documents_list(user=AnonymousUser(), at=at)) == ["P/1"]
    assert symbols(selectors.documents_list(user=staff, at=at)) == ["C/1", "P/1", "R/1"]
    assert selectors.document_get("r-1", user=AnonymousUser()) is None
    assert selectors.document_get("r-1", user=staff).symbol == "R/1"


def test_meeting_outcomes_are_the_lifecycle_events_at_the_meeting(docs, build, staff):
    """What a meeting adopted and took note of are the documents' own events, and a
    restricted document's outcome is hidden from the public."""
    meeting = build.meeting("council-5")
    declaration, report, secret = (
        docs.document("D/1"),
        docs.document("R/1"),
        docs.document("S/1", access="restricted"),
    )
    docs.event(declaration, K.ADOPTED, "2021-10-12", meeting=meeting)
    docs.event(report, K.TOOK_NOTE, "2021-10-12", meeting=meeting)
    docs.event(secret, K.ADOPTED, "2021-10-12", meeting=meeting)
    docs.event(docs.document("X/1"), K.ADOPTED, "2021-10-12")  # elsewhere
    public = selectors.meeting_outcomes(meeting, user=None)
    assert [(e.kind, e.document.symbol) for e in public] == [
        ("adopted", "D/1"),
        ("took_note", "R/1"),
    ]
    assert len(selectors.meeting_outcomes(meeting, user=staff)) == 3
    assert set(meeting.outcomes.all()) == set(declaration.events.all()) | set(
        report.events.all()
    ) | set(secret.events.all())


# --- Circulations ----------------------------------------------------------------------


@pytest.fixture
def circulation(docs):
    """A draft circulated on 1 March 2021 to all members, answers due by 31 March."""
    docs.members("alpha", "beta", "gamma")
    docs.members("left", since="2000-01-01", until="2020-01-01")
    docs.members("later", since="2022-01-01")
    return docs.circulate(docs.document("DRAFT/1"))


def slugs(actors):
    return [a.slug for a in actors]


def test_without_a_list_a_circulation_goes_to_the_members_of_the_day(circulation):
    """Members on the day of circulation: not those who had left, nor those who joined later."""
    assert slugs(selectors.circulation_recipients(circulation)) == ["alpha", "beta", "gamma"]


def test_who_has_responded_and_who_has_not_as_of_a_date(docs, circulation):
    """Feedback counts from the day it is received."""
    alpha, beta = Actor.objects.get(slug="alpha"), Actor.objects.get(slug="beta")
    docs.feedback(circulation, alpha, received_on=D(2021, 3, 10))
    docs.feedback(circulation, beta, received_on=D(2021, 4, 5))  # late
    on_15th = selectors.circulation_at(circulation, D(2021, 3, 15))
    assert slugs(a for a, _ in on_15th.responded) == ["alpha"]
    assert slugs(on_15th.pending) == ["beta", "gamma"]
    assert on_15th.open and on_15th.overdue == []
    later = selectors.circulation_at(circulation, D(2021, 4, 10))
    assert slugs(a for a, _ in later.responded) == ["alpha", "beta"]
    assert slugs(later.pending) == ["gamma"]


def test_overdue_as_of_a_date(docs, circulation):
    """After the deadline, the states that have not answered are overdue; before, none."""
    assert selectors.circulations_overdue(at=D(2021, 3, 31)) == []
    overdue = selectors.circulations_overdue(at=D(2021, 4, 1))
    assert [c.event for c in overdue] == [circulation]
    assert slugs(overdue[0].overdue) == ["alpha", "beta", "gamma"]


def test_a_decided_document_is_no_longer_awaiting_or_overdue(docs, circulation):
    """Once adopted, missing answers no longer count as overdue."""
    docs.event(circulation.document, K.ADOPTED, "2021-04-20")
    assert len(selectors.circulations_overdue(at=D(2021, 4, 10))) == 1
    assert selectors.circulations_overdue(at=D(2021, 5, 1)) == []


def test_what_awaits_a_state(docs, circulation):
    """A state is awaited on open circulations sent to it until it answers."""
    alpha, later = Actor.objects.get(slug="alpha"), Actor.objects.get(slug="later")
    other = docs.circulate(
        docs.document("DRAFT/2"), date="2021-03-05", deadline=D(2021, 4, 30),
        recipients=[Actor.objects.get(slug="beta")],
    )  # fmt: skip
    awaiting = selectors.circulations_awaiting(alpha, at=D(2021, 3, 6))
    assert [c.event for c in awaiting] == [circulation]
    docs.feedback(circulation, alpha, received_on=D(2021, 3, 8))
    assert selectors.circulations_awaiting(alpha, at=D(2021, 3, 9)) == []
    assert selectors.circulations_awaiting(alpha, at=D(2021, 3, 7)) != []  # as of before
    assert selectors.circulations_awaiting(later, at=D(2021, 3, 6)) == []
    beta = Actor.objects.get(slug="beta")
    assert [c.event for c in selectors.circulations_awaiting(beta, at=D(2021, 4, 10))] == [other]


def test_circulations_of_restricted_documents_are_hidden_from_the_public(docs, staff):
    """A restricted draft's circulation is not listed to anonymous readers."""
    docs.members("alpha")
    docs.circulate(docs.document("R/1", access="restricted"))
    assert selectors.circulations(user=None, at=D(2021, 3, 2)) == []
    assert len(selectors.circulations(user=staff, at=D(2021, 3, 2))) == 1
