"""The read API for procedures: answers, access, errors and query counts."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from secretariat.accounts import services as accounts
from secretariat.decisions import services
from secretariat.decisions.models import Position
from tests.helpers import PASSWORD, get

from .world import HOUR, T0, WEEK, at, document

pytestmark = pytest.mark.django_db


def iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def test_a_broken_silence_procedure_in_full(client, world):
    """The detail shows who takes part, every position in order, where each state stands,
    and that silence stays broken after the objection is withdrawn (positions public)."""
    zeta = world.build.actor("zeta", name_en="Zeta")
    world.build.status(zeta, "member", "2024-03")
    procedure = world.silence(positions_visibility="public")
    world.position(procedure, world.alpha, "support", at(hours=1))
    world.position(procedure, world.observer, "comment", at(hours=2), "We welcome it.")
    world.position(procedure, world.beta, "objection", at(hours=3), "Paragraph 2.")
    world.position(procedure, world.beta, "withdrawal", at(hours=4), "Resolved.")
    data = get(client, f"/api/v1/procedures/{procedure.pk}")
    assert data["kind"] == "silence"
    assert data["document"]["symbol"] == "EXO/SOC/2024/1"
    assert data["version"]["number"] == 1
    assert data["body"]["slug"] == "soc"
    assert data["meeting"] is None
    assert (data["opened_at"], data["deadline"]) == (iso(T0), iso(T0 + WEEK))
    assert (data["positions_visibility"], data["positions_shown"]) == ("public", "all")
    assert (data["eligible_count"], data["pending_count"]) == (3, 1)
    assert data["eligibility_day"] == "2024-03-01"
    assert [a["slug"] for a in data["eligible"]] == ["alpha", "beta", "gamma"]
    assert [a["slug"] for a in data["eligibility_uncertain"]] == ["zeta"]
    assert [(p["actor"]["slug"], p["kind"], p["counts"]) for p in data["positions"]] == [
        ("alpha", "support", True),
        ("omega", "comment", False),
        ("beta", "objection", True),
        ("beta", "withdrawal", True),
    ]
    current = {
        c["actor"]["slug"]: c["position"] and c["position"]["kind"]
        for c in data["current_positions"]
    }
    assert current == {"alpha": "support", "beta": "withdrawal", "gamma": None}
    assert [a["slug"] for a in data["pending"]] == ["gamma"]
    outcome = data["outcome"]
    assert (outcome["state"], outcome["since"], outcome["final"], outcome["objections"]) == (
        "failed",
        iso(at(hours=3)),
        True,
        1,
    )
    broken = outcome["broken_by"]
    assert broken["position"]["actor"]["slug"] == "beta"
    assert broken["position"]["statement"] == "Paragraph 2."
    assert broken["withdrawn_at"] == iso(at(hours=4))
    assert "does not restore silence" in broken["detail"]
    assert data["closing"] is None
    assert data["sources"][0]["key"] == "test-source"


def test_a_decided_meeting_procedure_shows_its_closing(client, world):
    """After the decision the outcome is final since the decision and the closing is shown."""
    procedure = world.meeting_procedure()
    world.position(procedure, world.gamma, "objection", at(hours=1))
    world.position(procedure, world.gamma, "withdrawal", at(hours=2))
    before = get(client, f"/api/v1/procedures/{procedure.pk}")
    assert (before["outcome"]["state"], before["meeting"]["key"]) == ("open", "soc-1")
    services.procedure_decide(procedure=procedure, decided_at=at(days=4))
    data = get(client, f"/api/v1/procedures/{procedure.pk}")
    assert (data["outcome"]["state"], data["outcome"]["since"]) == ("adopted", iso(at(days=4)))
    assert data["outcome"]["blocked_by"] == []
    assert data["closing"]["outcome"] == "adopted"
    assert data["closing"]["adoption_event"] is True
    assert data["closing"]["adoption_refused"] is None


def test_a_blocked_meeting_names_the_objections_standing(client, world):
    """A failed decision lists the objections standing at the decision (positions public)."""
    procedure = world.meeting_procedure(positions_visibility="public")
    world.position(procedure, world.gamma, "objection", at(hours=1), "No.")
    services.procedure_decide(procedure=procedure, decided_at=at(days=4))
    outcome = get(client, f"/api/v1/procedures/{procedure.pk}")["outcome"]
    assert (outcome["state"], outcome["objections"]) == ("failed", 1)
    assert [p["actor"]["slug"] for p in outcome["blocked_by"]] == ["gamma"]


def test_procedures_list_filters_by_the_outcome_now(client, world):
    """The list gives each procedure's outcome now; `state` filters on it; paginated."""
    adopted = world.silence()
    failed = world.silence(version=document("EXO/SOC/2024/2")[1])
    world.position(failed, world.beta, "objection", at(hours=1))
    still_open = world.meeting_procedure(version=document("EXO/SOC/2024/3")[1])
    data = get(client, "/api/v1/procedures")
    assert data["count"] == 3
    assert {i["id"]: i["outcome"]["state"] for i in data["items"]} == {
        adopted.pk: "adopted",
        failed.pk: "failed",
        still_open.pk: "open",
    }
    for state, procedure in (("open", still_open), ("adopted", adopted), ("failed", failed)):
        items = get(client, f"/api/v1/procedures?state={state}")["items"]
        assert [i["id"] for i in items] == [procedure.pk]
    page = get(client, "/api/v1/procedures?limit=1&offset=1")
    assert (page["count"], len(page["items"])) == (3, 1)


def test_procedures_on_documents_one_may_not_read_answer_like_missing_ones(
    client, world, django_user_model
):
    """A restricted document's procedure is a 404 to the public and shown to the Secretariat."""
    _, version = document("EXO/SOC/2024/7", access="restricted")
    hidden = world.silence(version=version)
    response = client.get(f"/api/v1/procedures/{hidden.pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == f"No procedure {hidden.pk}."
    assert get(client, "/api/v1/procedures")["count"] == 0
    client.force_login(django_user_model.objects.create_user("officer", is_staff=True))
    assert get(client, f"/api/v1/procedures/{hidden.pk}")["id"] == hidden.pk
    assert get(client, "/api/v1/procedures")["count"] == 1


@pytest.mark.parametrize(
    ("url", "status", "fragment"),
    [
        ("/api/v1/procedures?state=pending", 422, "state"),
        ("/api/v1/procedures?limit=-1", 422, "limit"),
        ("/api/v1/procedures/abc", 422, "procedure_id"),
        ("/api/v1/procedures/0", 404, "No procedure 0."),
        ("/api/v1/procedures/-5", 404, "No procedure -5."),
        ("/api/v1/procedures/999999", 404, "No procedure 999999."),
        (f"/api/v1/procedures/{2**70}", 404, "No procedure"),
    ],
)
def test_bad_input_gets_a_problem(client, world, url, status, fragment):
    """Unknown states, bad ids and huge numbers answer 4xx problem details, never 500."""
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    assert fragment in response.json()["detail"]


def test_procedures_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    """Listing costs the same queries for 2 or 20 procedures with positions and meetings."""

    def add(i):
        version = document(f"EXO/SOC/2024/{100 + i}")[1]
        if i % 2:
            procedure = world.meeting_procedure(version=version, opened_at=at(days=i))
        else:
            procedure = world.silence(version=version, opened_at=at(days=i))
        world.position(procedure, world.alpha, "support", at(days=i, hours=1))
        world.position(procedure, world.observer, "comment", at(days=i, hours=2))

    for i in range(2):
        add(i)
    with django_assert_max_num_queries(10) as small:
        get(client, "/api/v1/procedures")
    for i in range(2, 20):
        add(i)
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = get(client, "/api/v1/procedures?limit=100")
    assert data["count"] == 20


def test_openapi_lists_the_procedure_endpoints(client):
    """The OpenAPI document describes both endpoints."""
    paths = get(client, "/api/v1/openapi.json")["paths"]
    assert "/api/v1/procedures" in paths
    assert "/api/v1/procedures/{procedure_id}" in paths


# --- Recording positions -----------------------------------------------------------------


def _post(client, procedure, body: dict):
    return client.post(
        f"/api/v1/procedures/{procedure.pk}/positions",
        json.dumps(body),
        content_type="application/json",
    )


def _live(world):
    now = timezone.now()
    return world.silence(opened_at=now - 24 * HOUR, deadline=now + 72 * HOUR)


def _account(role, actor=None):
    name = f"{role}-{actor.slug if actor else 'x'}"
    return accounts.account_create(username=name, password=PASSWORD, role=role, actor=actor).user


def test_only_a_states_delegates_record_its_positions(client, world):
    """An officer, even naming the state, is refused with 403 and the reason."""
    procedure = _live(world)
    client.force_login(_account("officer"))
    response = _post(client, procedure, {"kind": "support", "actor": "alpha"})
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "A state's position is recorded only by that state's delegates."
    )
    assert not Position.objects.exists()


def test_an_objection_that_decides_needs_confirm(client, world):
    """An objection that would break silence is refused with 422 naming `confirm`, nothing
    recorded; with `"confirm": true` it is recorded. Other positions need no confirmation."""
    procedure = _live(world)
    client.force_login(_account("delegate", world.alpha))
    response = _post(client, procedure, {"kind": "objection", "statement": "No."})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["errors"][0]["loc"] == ["confirm"]
    assert "would end the silence procedure" in problem["detail"]
    assert "cannot be undone" in problem["detail"]
    assert not Position.objects.exists()
    made = _post(client, procedure, {"kind": "objection", "statement": "No.", "confirm": True})
    assert made.status_code == 201, made.content
    assert made.json()["kind"] == "objection"
    client.force_login(_account("delegate", world.beta))
    # Silence is broken already: Beta's objection decides nothing, and needs no confirm.
    assert _post(client, procedure, {"kind": "objection"}).status_code == 201
    assert Position.objects.count() == 2


def test_an_objection_at_a_meeting_needs_confirm(client, world):
    procedure = world.meeting_procedure(opened_at=timezone.now() - HOUR)
    client.force_login(_account("delegate", world.gamma))
    response = _post(client, procedure, {"kind": "objection"})
    assert response.status_code == 422
    assert "would block consensus" in response.json()["detail"]
    assert _post(client, procedure, {"kind": "support", "confirm": False}).status_code == 201


def test_openapi_declares_confirm_and_what_may_be_hidden(client):
    """The position's `confirm`, and the detail's `pending` that is null when hidden."""
    schemas = get(client, "/api/v1/openapi.json")["components"]["schemas"]
    assert "confirm" in schemas["PositionIn"]["properties"]
    assert "stated_at" not in schemas["PositionIn"]["properties"]
    pending = schemas["ProcedureDetail"]["properties"]["pending"]
    assert {"type": "null"} in pending["anyOf"]
    outcome = schemas["ProcedureOutcomeOut"]["properties"]
    assert outcome["objections"]["type"] == "integer"
    for name in ("positions_visibility", "positions_shown", "eligible_count", "pending_count"):
        assert name in schemas["ProcedureOut"]["properties"], name
