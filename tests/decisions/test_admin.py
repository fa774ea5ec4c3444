"""The procedure admin: opens procedures, says who sees their positions and records
decisions through the services; it shows positions but records none (only a state's
delegates record its positions)."""

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


def change_form(
    procedure, *, on_record=0, decided_at=("", ""), visibility="members", **extra
) -> dict:
    """The change form as posted: positions on record untouched, who sees them, a decision."""
    data = {
        "positions-TOTAL_FORMS": str(on_record),
        "positions-INITIAL_FORMS": str(on_record),
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "1000",
        "positions_visibility": visibility,
        "decided_at_0": decided_at[0],
        "decided_at_1": decided_at[1],
        **extra,
    }
    for i, position in enumerate(procedure.positions.all()[:on_record]):
        data[f"positions-{i}-id"] = str(position.pk)
        data[f"positions-{i}-procedure"] = str(procedure.pk)
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
            "positions_visibility": "public",
            "note": "",
            "sources": [world.build.source.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    procedure = Procedure.objects.get()
    assert (procedure.kind, procedure.deadline.isoformat(), procedure.positions_visibility) == (
        "silence",
        "2024-03-08T12:00:00+00:00",
        "public",
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


def test_admin_records_no_position_but_shows_them(officer, world):
    """Only a state's delegates record its positions: the change page has no row for a new
    one, and a row posted anyway records nothing; the positions on record are shown."""
    procedure = world.silence()
    world.position(procedure, world.beta, "objection", at(hours=1), "Paragraph 2.")
    page = officer.get(change_url(procedure)).content.decode()
    assert "Paragraph 2." in page
    assert "record a position" not in page and "positions-2-0-actor" not in page
    row = {
        "positions-2-TOTAL_FORMS": "1",
        "positions-2-INITIAL_FORMS": "0",
        "positions-2-0-actor": str(world.gamma.pk),
        "positions-2-0-kind": "support",
        "positions-2-0-stated_at_0": "2024-03-02",
        "positions-2-0-stated_at_1": "09:30:00",
    }
    response = officer.post(change_url(procedure), change_form(procedure, on_record=1, **row))
    assert response.status_code == 302, response.content.decode()
    assert list(Position.objects.values_list("actor__slug", flat=True)) == ["beta"]


def test_admin_says_who_sees_the_positions(officer, world):
    """The terms are fixed once open, but who sees the positions may change."""
    procedure = world.silence()
    page = officer.get(change_url(procedure)).content.decode()
    assert 'name="positions_visibility"' in page
    response = officer.post(change_url(procedure), change_form(procedure, visibility="public"))
    assert response.status_code == 302, response.content.decode()
    procedure.refresh_from_db()
    assert procedure.positions_visibility == "public"
    response = officer.post(change_url(procedure), change_form(procedure, visibility="nobody"))
    assert response.status_code == 200
    procedure.refresh_from_db()
    assert procedure.positions_visibility == "public"


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
