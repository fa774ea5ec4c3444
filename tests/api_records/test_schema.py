"""Every record the admin keeps has typed, documented operations, found from the admin
itself; list pages cost the same few queries however many records there are."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from secretariat.initiatives import services as initiatives
from secretariat.records.admin import ServiceAdmin

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _records(spec) -> dict[str, dict]:
    return {p: ops for p, ops in spec["paths"].items() if p.startswith("/api/v1/records/")}


def test_every_model_the_admin_saves_through_the_services_has_its_operations(spec):
    """One list path and one item path per ServiceAdmin model, each operation with its
    own operationId and a summary; DELETE only where the admin deletes."""
    paths = _records(spec)
    expected = {m._meta.label_lower for m, a in admin.site._registry.items()
                if isinstance(a, ServiceAdmin)}  # fmt: skip
    assert len(paths) == 2 * len(expected) and len(expected) > 30
    ops = [op for ops in paths.values() for op in ops.values()]
    ids = [op["operationId"] for op in ops]
    assert len(ids) == len(set(ids)) and all(op.get("summary") for op in ops)
    status = paths["/api/v1/records/registry/status/{status_id}"]
    assert set(status) == {"get", "patch", "delete"}
    assert status["patch"]["operationId"] == "records_registry_status_update"
    assert set(paths["/api/v1/records/registry/status"]) == {"get", "post"}
    events = paths["/api/v1/records/documents/document-event/{document_event_id}"]
    assert set(events) == {"get", "patch"}  # the admin never deletes a lifecycle event
    patch = status["patch"]
    assert {"412", "428", "409", "422", "403", "401", "404"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])


def test_bodies_are_typed_from_the_model_fields(spec):
    """Partial dates as written, links as ids, choices as enums, many-to-many as id lists,
    and what the admin's add form requires as required."""
    schemas = spec["components"]["schemas"]
    create = schemas["RegistryStatusCreate"]
    fields = create["properties"]
    assert set(create["required"]) == {"actor", "kind", "start", "sources"}
    assert fields["start"]["pattern"] == r"^\d{4}(-\d{2}(-\d{2})?)?$"
    assert fields["actor"]["type"] == "integer" and fields["actor"]["minimum"] == 1
    assert schemas["RegistryStatusKind"]["enum"] == [
        "member", "observer", "partner", "applicant", "dialogue_partner"
    ]  # fmt: skip
    assert create["additionalProperties"] is False
    meetings = schemas["InitiativesInitiativeCreate"]["properties"]["meetings"]
    assert meetings["type"] == "array" and meetings["items"]["type"] == "integer"
    document = schemas["DocumentsDocumentCreate"]
    assert "symbol" not in document["required"]  # made from the pattern when left out
    assert "symbol" not in schemas["DocumentsDocumentPatch"]["properties"]  # never changes
    assert "symbol" in schemas["DocumentsDocumentRecord"]["properties"]
    assert "required" not in schemas["RegistryStatusPatch"]
    record = schemas["RegistryStatusRecord"]["properties"]
    assert {"id", "version", "sources", "created_at"} <= set(record)


def test_the_openapi_document_with_the_records_is_valid(spec):
    validate(spec)


def _queries(api, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path)
    assert response.status_code == 200 and response.json()["items"]
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", [None, "delegate", "officer"])
def test_list_pages_cost_the_same_queries_for_few_or_many_records(world, build, role):
    """Links, sources and masking are fetched per page, not per record."""
    from secretariat.documents import services as documents

    api = world.api(getattr(world, role) if role else None)
    restricted = documents.document_create(
        type="declaration", symbol="EXO/R/1", key="r", title_en="R", access="restricted",
        sources=[world.source],
    )  # fmt: skip

    def add(n: int) -> None:
        for i in range(n):
            initiative, _ = initiatives.initiative_upsert(
                slug=f"i-{n}-{i}", title_en="I", sources=[world.source],
                meetings=[world.meeting], documents=[world.agreement, restricted],
            )  # fmt: skip
            initiatives.initiative_event_upsert(
                initiative=initiative, kind="proposed", date="2024", sources=[world.source],
                document=restricted,
            )  # fmt: skip
            build.actor(f"state-{n}-{i}")

    paths = ["/initiatives/initiative", "/initiatives/initiative-event",
             "/registry/actor", "/documents/document", "/checklists/next-step"]  # fmt: skip
    add(1)
    from secretariat.checklists.services import checklist_set

    checklist_set(subject=restricted, steps=[{"title_en": "s", "sources": [world.source]}])
    checklist_set(subject=world.agreement, steps=[{"title_en": "t", "sources": [world.source]}])
    for path in paths:  # once-per-process lookups (content types, a token's last use)
        api.get(path)
    few = {p: _queries(api, p) for p in paths}
    add(8)
    many = {p: _queries(api, p) for p in paths}
    assert many == few
    assert max(few.values()) <= 10
