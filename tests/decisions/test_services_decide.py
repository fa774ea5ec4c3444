"""Deciding at a meeting and closing: the outcome recorded once, and every refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from secretariat.core.models import Source
from secretariat.decisions import services
from secretariat.decisions.models import ProcedureClosing
from secretariat.documents.models import DocumentEvent
from secretariat.documents.services import document_event_upsert

from .world import HOUR, SECOND, T0, at, document, outcome_at, refused

pytestmark = pytest.mark.django_db


# --- Decisions at meetings ---------------------------------------------------------------


def test_a_meeting_adopts_when_an_objection_was_withdrawn_before_the_decision(world):
    """Objection withdrawn before the decision: adopted, and the document's adopted event is
    written with the version, body, meeting and the procedure as its source."""
    procedure = world.meeting_procedure()
    world.position(procedure, world.alpha, "support", at(hours=1))
    world.position(procedure, world.gamma, "objection", at(hours=2), "Paragraph 4.")
    world.position(procedure, world.gamma, "withdrawal", at(hours=3), "Resolved.")
    closed = services.procedure_decide(procedure=procedure, decided_at=at(days=4))
    assert (closed.outcome, closed.closed_at, closed.refusal) == ("adopted", at(days=4), "")
    event = DocumentEvent.objects.get(document=world.document)
    assert (event.kind, str(event.date), event.version, event.body, event.meeting) == (
        "adopted",
        "2024-03-05",
        world.version,
        world.body,
        world.meeting,
    )
    source = event.citations.get().source
    assert source.target == procedure
    assert closed.closing.event == event
    assert outcome_at(procedure, at(days=4)).state == "adopted"
    assert outcome_at(procedure, at(days=4) - SECOND).state == "open"


def test_a_meeting_fails_on_a_standing_objection_and_writes_no_event(world):
    """A standing objection at the decision fails it; no lifecycle event is written."""
    procedure = world.meeting_procedure()
    objection = world.position(procedure, world.gamma, "objection", at(hours=2))
    closed = services.procedure_decide(procedure=procedure, decided_at=at(days=4))
    assert (closed.outcome, closed.event) == ("failed", None)
    assert not DocumentEvent.objects.exists()
    assert outcome_at(procedure, at(days=5)).blocked_by[0].ref == objection


def test_positions_after_the_decision_are_refused(world):
    """Once the decision is taken, later positions come too late, and a late entry cannot
    change its outcome."""
    procedure = world.meeting_procedure()
    services.procedure_decide(procedure=procedure, decided_at=at(days=4))
    with refused(
        "The decision was taken at 2024-03-05 12:00:00 UTC: a position stated at "
        "2024-03-05 12:00:00 UTC comes too late."
    ):
        world.position(procedure, world.alpha, "objection", at(days=4))
    with refused(
        "The decision taken at 2024-03-05 12:00:00 UTC was adopted: a position entered after "
        "it cannot change its outcome."
    ):
        world.position(procedure, world.alpha, "objection", at(days=3))
    world.position(procedure, world.alpha, "support", at(days=3))  # changes nothing: recorded


@pytest.mark.parametrize(
    ("decided_at", "message"),
    [
        (T0, "The decision (2024-03-01 12:00:00 UTC) must come after the opening"),
        (dt.datetime(2999, 1, 1, tzinfo=dt.UTC), "A decision cannot be recorded before it is"),
        (
            at(hours=1),
            "Alpha's position is stated at 2024-03-01 14:00:00 UTC, not before the "
            "decision (2024-03-01 13:00:00 UTC): record the decision at its time.",
        ),
        (at(days=1).replace(tzinfo=None), "Give the time with its time zone"),
    ],
)
def test_decision_refusals(world, decided_at, message):
    """A decision must come after the opening and every position, and not in the future."""
    procedure = world.meeting_procedure()
    world.position(procedure, world.alpha, "support", at(hours=2))
    with refused(message):
        services.procedure_decide(procedure=procedure, decided_at=decided_at)
    assert not ProcedureClosing.objects.exists()


def test_a_decision_is_recorded_once_and_only_for_meetings(world):
    """The second decision and a decision on a silence procedure are refused."""
    procedure = world.meeting_procedure()
    services.procedure_decide(procedure=procedure, decided_at=at(days=4))
    with refused("The decision was already recorded: adopted at 2024-03-05 12:00:00 UTC."):
        services.procedure_decide(procedure=procedure, decided_at=at(days=5))
    silence = world.silence(version=document("EXO/SOC/2024/9")[1])
    with refused("Only a decision at a meeting is recorded"):
        services.procedure_decide(procedure=silence, decided_at=at(days=5))
    with refused("A decision at a meeting closes when its decision is recorded."):
        services.procedure_close(procedure=procedure)
    assert DocumentEvent.objects.count() == 1


def test_a_refused_adoption_is_recorded_and_reported_not_raised(world):
    """When the document was withdrawn meanwhile, the close is recorded with the outcome and
    the lifecycle's reason; no adopted event is written."""
    source = Source.objects.get(key="test-source")
    document_event_upsert(
        document=world.document, kind="withdrawn", date="2024-03-02", sources=[source]
    )
    procedure = world.meeting_procedure()
    closed = services.procedure_decide(procedure=procedure, decided_at=at(days=4))
    assert closed.outcome == "adopted"
    assert "A document that is withdrawn cannot be adopted." in closed.refusal
    closing = ProcedureClosing.objects.get(procedure=procedure)
    assert (closing.event, closing.adoption_refused) == (None, closed.refusal)
    assert list(DocumentEvent.objects.values_list("kind", flat=True)) == ["withdrawn"]
    assert not Source.objects.filter(key__startswith="decisions-procedure").exists()


def test_closing_is_refused_as_of_a_moment_to_come(world):
    """Closing as of a future moment would adopt before the deadline: refused."""
    with refused("Cannot close procedures as of"):
        services.procedures_close_due(now=timezone.now() + HOUR)
