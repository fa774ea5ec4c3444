"""`secretariat close-due-procedures`: closes final silence procedures once, and says so."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from secretariat.core.models import Source
from secretariat.decisions.models import ProcedureClosing
from secretariat.documents.models import DocumentEvent
from secretariat.documents.services import document_event_upsert

from .world import HOUR, T0, WEEK, at, document

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("close_due_procedures", *args, stdout=out)
    return out.getvalue()


def test_an_adopted_silence_is_closed_once_with_one_adopted_event(world):
    """Run twice, the command closes the procedure and writes the adopted event once."""
    procedure = world.silence()
    world.position(procedure, world.alpha, "reservation", at(hours=1), "On paragraph 5.")
    first = run()
    assert f"Closed #{procedure.pk} silence procedure on EXO/SOC/2024/1 v1: adopted at " in first
    assert "2024-03-08 12:00:00 UTC; adopted event recorded on 2024-03-08." in first
    assert "1 procedure(s) closed." in first
    assert run() == "No procedure is due to close.\n"
    closing = ProcedureClosing.objects.get(procedure=procedure)
    assert (closing.outcome, closing.closed_at) == ("adopted", T0 + WEEK)
    event = DocumentEvent.objects.get()
    assert (event.kind, str(event.date), event.version, event.body, event.meeting) == (
        "adopted",
        "2024-03-08",
        world.version,
        world.body,
        None,
    )
    assert closing.event == event
    assert event.citations.get().source.target == procedure


def test_a_broken_silence_is_closed_as_failed_without_an_event(world):
    """Broken silence closes as failed, at the objection's moment, writing no event."""
    procedure = world.silence(deadline=timezone.now() + WEEK)  # the deadline is still to come
    world.position(procedure, world.gamma, "objection", at(hours=5))
    assert "failed at 2024-03-01 17:00:00 UTC." in run()
    closing = ProcedureClosing.objects.get(procedure=procedure)
    assert (closing.outcome, closing.closed_at, closing.event) == ("failed", at(hours=5), None)
    assert not DocumentEvent.objects.exists()


def test_dry_run_says_what_would_close_and_writes_nothing(world):
    """--dry-run lists the procedures due and leaves the database as it was."""
    procedure = world.silence()
    out = run("--dry-run")
    assert f"Would close #{procedure.pk} " in out
    assert "1 procedure(s) would close." in out
    assert not ProcedureClosing.objects.exists()
    assert not DocumentEvent.objects.exists()


def test_open_and_meeting_procedures_are_left_alone(world):
    """A silence procedure before its deadline and a meeting without decision stay open."""
    now = timezone.now()
    world.silence(opened_at=now - HOUR, deadline=now + WEEK)
    world.meeting_procedure(version=document("EXO/SOC/2024/2")[1])
    assert run() == "No procedure is due to close.\n"
    assert not ProcedureClosing.objects.exists()


def test_a_refused_adoption_is_reported_and_the_close_still_recorded(world):
    """If the document was withdrawn meanwhile, the close is recorded and the reason printed;
    the other procedures are closed as usual."""
    procedure = world.silence()
    document_event_upsert(
        document=world.document,
        kind="withdrawn",
        date="2024-03-04",
        sources=[Source.objects.get(key="test-source")],
    )
    other = world.silence(version=document("EXO/SOC/2024/2")[1])
    out = run()
    assert (
        "the document's lifecycle refused the adoption: A document that is withdrawn cannot "
        "be adopted." in out
    )
    assert "2 procedure(s) closed." in out
    refused = ProcedureClosing.objects.get(procedure=procedure)
    assert (refused.outcome, refused.event) == ("adopted", None)
    assert "withdrawn cannot be adopted" in refused.adoption_refused
    assert ProcedureClosing.objects.get(procedure=other).event is not None
    assert run() == "No procedure is due to close.\n"
