"""The procedure admin: opens, adds positions and records decisions through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secretariat.decisions import services
from secretariat.decisions.models import Position, Procedure, ProcedureClosing
from secretariat.documents.models import DocumentEvent

from .world import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "", "a-long-password-1")
    client.force_login(user)
    client.user = user
    return client


def change_url(procedure) -> str:
    return reverse("admin:decisions_procedure_change", args=[procedure.pk])


def change_form(procedure, *, on_record=0, new=None, decided_at=("", "")) -> dict:
    """The change form as posted: positions on record untouched, one new row, a decision."""
    data = {
        "positions-TOTAL_FORMS": str(on_record),
        "positions-INITIAL_FORMS": str(on_record),
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "1000",
        "positions-2-TOTAL_FORMS": "1",
        "positions-2-INITIAL_FORMS": "0",
        "positions-2-MIN_NUM_FORMS": "0",
        "positions-2-MAX_NUM_FORMS": "1000",
        "decided_at_0": decided_at[0],
        "decided_at_1": decided_at[1],
    }
    for i, position in enumerate(procedure.positions.all()[:on_record]):
        data[f"positions-{i}-id"] = str(position.pk)
        data[f"positions-{i}-procedure"] = str(procedure.pk)
    row = new or {}
    data |= {
        "positions-2-0-actor": str(row["actor"].pk) if row else "",
        "positions-2-0-kind": row.get("kind", ""),
        "positions-2-0-stated_at_0": row.get("date", ""),
        "positions-2-0-stated_at_1": row.get("time", ""),
        "positions-2-0-statement": row.get("statement", ""),
        "positions-2-0-procedure": str(procedure.pk),
    }
    return data


def test_pages_render_with_positions_outcome_and_closing(officer, world):
    """The list, the add form and a change page with positions and a closing all open."""
    procedure = world.meeting_procedure()
    world.position(procedure, world.gamma, "objection", at(hours=1), "Paragraph 4.")
    assert officer.get(reverse("admin:decisions_procedure_changelist")).status_code == 200
    assert officer.get(reverse("admin:decisions_procedure_add")).status_code == 200
    page = officer.get(change_url(procedure)).content.decode()
    assert "Paragraph 4." in page
    assert "Eligible (members on 2024-03-01): Alpha, Beta, Gamma." in page
    assert "Decision taken at" in page
    services.procedure_decide(procedure=procedure, decided_at=at(days=4))
    page = officer.get(change_url(procedure)).content.decode()
    assert "failed since 2024-03-05 12:00:00 UTC; blocked by Gamma" in page
    assert "Decision taken at" not in page


def test_admin_opens_a_procedure_through_the_service(officer, world):
    """The add form opens a silence procedure citing the sources chosen."""
    response = officer.post(
        reverse("admin:decisions_procedure_add"),
        {
            "version": world.version.pk,
            "body": world.body.pk,
            "kind": "silence",
            "meeting": "",
            "opened_at_0": "2024-03-01",
            "opened_at_1": "12:00:00",
            "deadline_0": "2024-03-08",
            "deadline_1": "12:00:00",
            "note": "",
            "sources": [world.build.source.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    procedure = Procedure.objects.get()
    assert (procedure.kind, procedure.deadline.isoformat()) == (
        "silence",
        "2024-03-08T12:00:00+00:00",
    )
    # The source chosen, and the act of opening it (audit.acts).
    keys = [c.source.key for c in procedure.citations.all()]
    assert keys[0] == "test-source" and keys[1].startswith("audit-act-"), keys


def test_admin_refuses_a_procedure_without_source_or_deadline(officer, world):
    """The add form shows the services' messages and saves nothing."""
    response = officer.post(
        reverse("admin:decisions_procedure_add"),
        {
            "version": world.version.pk,
            "body": world.body.pk,
            "kind": "silence",
            "opened_at_0": "2024-03-01",
            "opened_at_1": "12:00:00",
        },
    )
    page = response.content.decode()
    assert "A silence procedure needs a deadline." in page
    assert "Every record needs at least one source." in page
    assert not Procedure.objects.exists()


def test_admin_records_a_position_with_the_officer_who_entered_it(officer, world):
    """A new row becomes a position entered by the signed-in officer."""
    procedure = world.silence()
    new = {
        "actor": world.beta,
        "kind": "objection",
        "date": "2024-03-02",
        "time": "09:30:00",
        "statement": "Paragraph 2.",
    }
    response = officer.post(change_url(procedure), change_form(procedure, new=new))
    assert response.status_code == 302, response.content.decode()
    position = Position.objects.get()
    assert (position.actor, position.kind, position.entered_by) == (
        world.beta,
        "objection",
        officer.user,
    )


def test_admin_refuses_a_position_with_the_rule_message(officer, world):
    """An observer's objection is refused on the form with the rule's words."""
    procedure = world.silence()
    new = {"actor": world.observer, "kind": "objection", "date": "2024-03-02", "time": "09:00"}
    response = officer.post(change_url(procedure), change_form(procedure, new=new))
    assert response.status_code == 200
    assert "it may comment but not take a position on adoption" in response.content.decode()
    assert not Position.objects.exists()


def test_positions_on_record_cannot_be_changed_or_deleted(officer, world):
    """Posting the change form leaves the positions on record as they were; none is deletable."""
    procedure = world.silence()
    world.position(procedure, world.alpha, "support", at(hours=1))
    page = officer.get(change_url(procedure)).content.decode()
    assert "positions-0-DELETE" not in page
    data = change_form(procedure, on_record=1)
    data["positions-0-kind"] = "objection"  # not a field of the form: ignored
    response = officer.post(change_url(procedure), data)
    assert response.status_code == 302, response.content.decode()
    assert list(Position.objects.values_list("kind", flat=True)) == ["support"]


def test_admin_records_the_decision_of_a_meeting(officer, world):
    """The decision field closes a meeting procedure and writes the adopted event."""
    procedure = world.meeting_procedure()
    response = officer.post(
        change_url(procedure), change_form(procedure, decided_at=("2024-03-05", "12:00:00"))
    )
    assert response.status_code == 302, response.content.decode()
    assert ProcedureClosing.objects.get().outcome == "adopted"
    assert DocumentEvent.objects.get().kind == "adopted"


def test_admin_refuses_a_decision_before_the_opening(officer, world):
    """A decision dated before the opening is refused on the form with the rule's words."""
    procedure = world.meeting_procedure()
    response = officer.post(
        change_url(procedure), change_form(procedure, decided_at=("2024-02-01", "12:00:00"))
    )
    assert response.status_code == 200
    assert "must come after the opening" in response.content.decode()
    assert not ProcedureClosing.objects.exists()


def test_a_procedure_with_positions_cannot_be_deleted(officer, world):
    """Positions are part of the record: the procedure holding them cannot be deleted."""
    procedure = world.silence()
    world.position(procedure, world.alpha, "support", at(hours=1))
    delete = reverse("admin:decisions_procedure_delete", args=[procedure.pk])
    assert officer.get(delete).status_code == 403
    empty = world.silence(opened_at=at(days=1))
    assert (
        officer.post(
            reverse("admin:decisions_procedure_delete", args=[empty.pk]), {"post": "yes"}
        ).status_code
        == 302
    )
    assert list(Procedure.objects.all()) == [procedure]
