"""The lifecycle: every transition in the table, refusals with reasons, status as of dates."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import deque

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from secretariat.core.partial_dates import PartialDate
from secretariat.documents import transitions
from secretariat.documents.models import Document, DocumentEvent

K = DocumentEvent.Kind
STATUSES = [None, *transitions.STATUSES]


def path_to(status: str | None) -> list[str]:
    """The shortest run of allowed events that brings a new document to `status`."""
    queue: deque = deque([(None, [])])
    seen = {None}
    while queue:
        current, kinds = queue.popleft()
        if current == status:
            return kinds
        for kind in K.values:
            after = transitions.STATUS_AFTER[kind]
            if after is None or after in seen or current not in transitions.ALLOWED_AFTER[kind]:
                continue
            seen.add(after)
            queue.append((after, [*kinds, kind]))
    raise AssertionError(f"{status} cannot be reached")


TABLE = list(itertools.product(K.values, STATUSES))


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "status"), TABLE, ids=[f"{k}-after-{s}" for k, s in TABLE])
def test_every_transition_is_allowed_or_refused_as_the_table_says(docs, kind, status):
    """An event is recorded exactly when the table lets it follow the status before it;
    otherwise it is refused with the reason and nothing is saved."""
    document = docs.document()
    for day, earlier in enumerate(path_to(status), start=1):
        docs.event(document, earlier, f"2020-01-{day:02d}")
    allowed = status in transitions.ALLOWED_AFTER[kind]
    if allowed:
        docs.event(document, kind, "2020-06-01")
        assert document.events.filter(kind=kind, date_date=dt.date(2020, 6, 1)).exists()
        return
    with pytest.raises(ValidationError) as refused:
        docs.event(document, kind, "2020-06-01")
    assert f"cannot be {K(kind).label}" in str(refused.value)
    assert not document.events.filter(date_date=dt.date(2020, 6, 1)).exists()


@pytest.mark.django_db
def test_adopting_a_withdrawn_draft_is_refused_with_the_reason(docs):
    """A withdrawn draft cannot be adopted; the message says why and when."""
    document = docs.document()
    docs.event(document, K.DRAFTED, "2021-01-10")
    docs.event(document, K.WITHDRAWN, "2021-02-01")
    with pytest.raises(ValidationError) as refused:
        docs.event(document, K.ADOPTED, "2021-03-01")
    assert refused.value.message_dict["kind"] == [
        "A document that is withdrawn cannot be adopted. (adopted on 2021-03-01)"
    ]
    assert document.events.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("type", sorted(transitions.AGREED_BEFORE_SIGNATURE))
def test_types_signed_only_once_agreed_refuse_an_early_signature(docs, type):
    """An agreement (charter, MoU...) is signed only after agreement or adoption."""
    document = docs.document(type=type)
    docs.event(document, K.DRAFTED, "2021-01-10")
    with pytest.raises(ValidationError) as refused:
        docs.event(document, K.SIGNED, "2021-02-01")
    assert "is signed only once agreed or adopted" in str(refused.value)
    docs.event(document, K.AGREED, "2021-03-01")
    docs.event(document, K.SIGNED, "2021-04-01")
    assert transitions.status_on(document.events.all()) == "signed"


@pytest.mark.django_db
@pytest.mark.parametrize("type", sorted(transitions.AGREED_BEFORE_SIGNATURE))
def test_a_signature_may_open_the_record_of_an_agreement(docs, type):
    """Where nothing is on record before it (the agreement of the text was never dated),
    an agreement's signature opens its history, as an adoption may; a draft recorded
    afterwards on an earlier date is then refused, not slipped in before the signature."""
    document = docs.document(type=type)
    docs.event(document, K.SIGNED, "2006-06-17")
    assert transitions.status_on(document.events.all()) == "signed"
    with pytest.raises(ValidationError, match="is signed only once agreed or adopted"):
        docs.event(document, K.DRAFTED, "2006-01")
    assert document.events.count() == 1


@pytest.mark.django_db
def test_a_declaration_may_be_signed_straight_from_draft(docs):
    """The signature rule binds treaty-like types only."""
    document = docs.document(type="declaration")
    docs.event(document, K.DRAFTED, "2021-01-10")
    docs.event(document, K.SIGNED, "2021-02-01")
    assert transitions.status_on(document.events.all()) == "signed"


@pytest.mark.django_db
def test_a_backdated_event_that_breaks_the_history_is_refused(docs):
    """Events are judged in date order, not entry order: a withdrawal entered late but
    dated before an adoption makes that adoption impossible, so it is refused."""
    document = docs.document()
    docs.event(document, K.DRAFTED, "2021-01-10")
    docs.event(document, K.ADOPTED, "2021-05-01")
    with pytest.raises(ValidationError, match="cannot be adopted"):
        docs.event(document, K.WITHDRAWN, "2021-03-01")
    assert [e.kind for e in document.events.all()] == ["drafted", "adopted"]


@pytest.mark.django_db
def test_status_as_of_dates_follows_partial_dates(docs):
    """The status on a day counts only the events certainly past by then: a circulation
    in "February 2021" counts from 28 February, not before."""
    document = docs.document()
    docs.event(document, K.DRAFTED, "2021-01-10")
    docs.event(document, K.CIRCULATED, "2021-02")
    docs.event(document, K.ADOPTED, "2021-06-15")
    events = list(document.events.all())
    assert transitions.status_on(events, dt.date(2021, 1, 9)) is None
    assert transitions.status_on(events, dt.date(2021, 1, 10)) == "draft"
    assert transitions.status_on(events, dt.date(2021, 2, 14)) == "draft"
    assert transitions.status_on(events, dt.date(2021, 2, 28)) == "circulated"
    assert transitions.status_on(events, dt.date(2021, 6, 14)) == "circulated"
    assert transitions.status_on(events, dt.date(2021, 6, 15)) == "adopted"
    assert transitions.status_on(events) == "adopted"


@pytest.mark.django_db
def test_feedback_received_leaves_the_status(docs):
    """Feedback does not change a circulated document's status."""
    document = docs.document()
    docs.event(document, K.CIRCULATED, "2021-02-01")
    docs.event(document, K.FEEDBACK_RECEIVED, "2021-02-10")
    assert transitions.status_on(document.events.all()) == "circulated"


# --- Property: the status is the one after the last event by the date ----------------


@st.composite
def histories(draw):
    """An allowed run of events, one per year with a random precision, and a day to ask."""
    status, kinds = None, []
    for _ in range(draw(st.integers(1, 8))):
        options = [
            k for k in K.values if transitions.refusal(Document.Type.DECLARATION, status, k) is None
        ]
        if not options:
            break
        kind = draw(st.sampled_from(options))
        kinds.append(kind)
        status = transitions.STATUS_AFTER[kind] or status
    events = []
    for i, kind in enumerate(kinds):
        year = 2000 + i
        precision = draw(st.sampled_from(["year", "month", "day"]))
        month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
        date = {
            "year": PartialDate(year),
            "month": PartialDate(year, month),
            "day": PartialDate(year, month, day),
        }[precision]
        events.append(DocumentEvent(kind=kind, date=date))
    at = draw(st.dates(dt.date(1999, 1, 1), dt.date(2010, 12, 31)))
    seed = draw(st.integers(0, 2**32))
    return events, at, seed


@settings(max_examples=300, deadline=None)
@given(histories())
def test_status_is_the_one_after_the_last_event_by_the_date_whatever_the_entry_order(history):
    """For any allowed history, entered in any order, the status on a day is the status
    after the last event certainly dated on or before that day."""
    events, at, seed = history
    past = [e for e in events if e.date.latest <= at]
    expected = None
    for event in past:  # `events` is in date order: one year each
        expected = transitions.STATUS_AFTER[event.kind] or expected
    shuffled = list(events)
    random.Random(seed).shuffle(shuffled)
    for entered, event in enumerate(shuffled, start=1):
        event.pk = entered  # the id says the order of entry
    assert transitions.status_on(shuffled, at) == expected
    transitions.check_sequence(Document.Type.DECLARATION, shuffled)  # any entry order is allowed


def test_refusal_names_the_type_with_its_article():
    """The refusal reads as English: "An agreement is signed only once agreed or adopted."."""
    reason = transitions.refusal("agreement", "draft", K.SIGNED)
    assert reason == "An agreement is signed only once agreed or adopted."
    assert transitions.refusal("convention", "draft", K.SIGNED).startswith("A convention ")
