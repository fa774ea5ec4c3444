"""Opening a procedure: at a meeting or by silence, its sources, and every refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from secretariat.accounts import services as accounts
from secretariat.core.acting import acting_as
from secretariat.decisions import services
from secretariat.decisions.models import Procedure

from .world import T0, WEEK, at, outcome_at, refused

pytestmark = pytest.mark.django_db


# --- Opening ---------------------------------------------------------------------------


def test_a_silence_procedure_opens_with_its_deadline_and_sources(world):
    """A silence procedure is recorded with its deadline and cites its source."""
    procedure = world.silence()
    assert (procedure.kind, procedure.deadline, procedure.meeting) == ("silence", T0 + WEEK, None)
    keys = [c.source.key for c in procedure.citations.all()]
    assert keys[0] == "test-source" and keys[1].startswith("audit-act-"), keys  # and its act
    assert outcome_at(procedure, at(hours=1)).state == "open"


def test_a_meeting_procedure_opens_at_its_meeting(world):
    """A decision at a meeting names the meeting; a planned decision time is optional."""
    procedure = world.meeting_procedure(deadline=at(days=4))
    assert procedure.meeting == world.meeting
    assert outcome_at(procedure, at(days=30)).state == "open"


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        ("silence", {"deadline": None}, "A silence procedure needs a deadline."),
        ("silence", {"meeting": "meeting"}, "A silence procedure is not held at a meeting"),
        ("meeting", {}, "A decision at a meeting needs its meeting."),
        ("silence", {"deadline": T0}, "must come after the opening (2024-03-01 12:00:00 UTC)"),
        ("silence", {"opened_at": T0.replace(tzinfo=None)}, "Give the time with its time zone"),
        ("silence", {"opened_at": dt.datetime(1990, 1, 1, tzinfo=dt.UTC)}, "No state was"),
        ("vote", {}, "Value 'vote' is not a valid choice."),
        ("silence", {"opened_at": "soon"}, "value has an invalid format"),
    ],
)
def test_opening_refusals(world, kind, extra, message):
    """Each ill-formed procedure is refused with what is wrong, and nothing is saved."""
    values = {"opened_at": T0, "deadline": T0 + WEEK, "meeting": None, **extra}
    if values["meeting"] == "meeting":
        values["meeting"] = world.meeting
    with refused(message):
        services.procedure_open(
            version=world.version,
            body=world.body,
            kind=kind,
            sources=[world.build.source],
            **values,
        )
    assert not Procedure.objects.exists()


def test_a_meeting_of_another_body_is_refused(world):
    """The meeting must be one of the deciding body."""
    other = world.build.meeting("council-9", world.build.body("council", name_en="Council"))
    with refused("Council meeting (1 January 2020) is a meeting of Council, not of SOC."):
        services.procedure_open(
            version=world.version,
            body=world.body,
            kind="meeting",
            opened_at=T0,
            meeting=other,
            sources=[world.build.source],
        )


def test_a_procedure_loaded_from_history_needs_a_source(world):
    """Like every record, a procedure loaded into the record cites at least one source."""
    with acting_as(via="loader"), refused("Every record needs at least one source."):
        services.procedure_open(
            version=world.version,
            body=world.body,
            kind="silence",
            opened_at=T0,
            deadline=T0 + WEEK,
            sources=[],
        )
    assert not Procedure.objects.exists()


def test_a_procedure_opened_in_the_system_is_sourced_by_its_act(world, django_user_model):
    """Opening a procedure is an act of the Secretariat: the act (who, when, on which
    record) is its source, and no external source is needed."""
    officer = accounts.account_create(username="ofc", password="x-Secret-42!", role="officer")
    with acting_as(officer.user, via="web"):
        procedure = services.procedure_open(
            version=world.version, body=world.body, kind="silence", opened_at=T0,
            deadline=T0 + WEEK,
        )  # fmt: skip
    (citation,) = procedure.citations.select_related("source")
    act = citation.source.target
    assert (act.verb, act.who, act.via, act.object_id) == (
        "procedure_opened", "ofc", "web", procedure.pk,
    )  # fmt: skip
    assert citation.source.title.startswith("Secretariat record: Procedure opened in the system")
