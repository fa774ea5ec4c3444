"""The OpenAPI 3.1 document at /api/v1/openapi.json: valid, and complete for every operation."""

from __future__ import annotations

import pytest
from ninja.openapi.schema import REF_TEMPLATE, NinjaGenerateJsonSchema
from openapi_spec_validator import validate

from secretariat.api import api

pytestmark = pytest.mark.django_db

PROBLEM = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def document():
    from django.test import Client

    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", path, method, operation


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_operation_is_named_and_described(document):
    """A unique operationId, a summary, and a description or a summary that says enough."""
    ids = [operation.get("operationId") for *_, operation in operations(document)]
    assert all(ids) and len(ids) == len(set(ids))
    for name, _, _, operation in operations(document):
        assert operation.get("summary"), name
        assert operation.get("tags"), name


def test_every_parameter_is_documented(document):
    """Each parameter says what it is; each path parameter is in the path and required."""
    missing = []
    for name, path, _, operation in operations(document):
        for parameter in operation.get("parameters", []):
            where = f"{name}: {parameter['in']} {parameter['name']}"
            if not parameter.get("description") and not parameter["schema"].get("description"):
                missing.append(where)
            if parameter["in"] == "path":
                assert parameter["required"] and f"{{{parameter['name']}}}" in path, where
    assert not missing, "\n".join(missing)


def test_every_operation_documents_its_errors_as_problems(document):
    """401 and 422 everywhere, 404 wherever a path names a record, 403 on writes, 304 on
    reads, each error as application/problem+json with the Problem schema."""
    for name, path, method, operation in operations(document):
        responses = {int(code): answer for code, answer in operation["responses"].items()}
        expected = {401, 422} | ({404} if "{" in path else set())
        expected |= {304} if method == "get" else {403}
        assert expected <= set(responses), (name, sorted(responses))
        for code, answer in responses.items():
            if 400 <= code < 500:
                assert answer["content"] == {"application/problem+json": {"schema": PROBLEM}}, (
                    name,
                    code,
                )
            if code in (200, 201):
                assert "ETag" in answer.get("headers", {}), name
        if 428 in responses:
            assert {409, 412} <= set(responses), name
            assert any(p["name"] == "If-Match" for p in operation["parameters"]), name
        if method == "get":
            assert any(p["name"] == "If-None-Match" for p in operation["parameters"]), name
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["properties"])


def test_every_list_is_paged_with_a_total(document):
    """Each list answers {count, items} and takes limit and offset; an `ordering`, where a
    list offers one, names its choices."""
    schemas = document["components"]["schemas"]
    lists = 0
    for name, _, method, operation in operations(document):
        answer = operation["responses"].get("200", operation["responses"].get(200, {}))
        schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        if method != "get" or schema.get("type") == "array":
            assert schema.get("type") != "array", f"{name} answers a bare array"
            continue
        if {"count", "items"} <= set(schema.get("properties", {})):
            lists += 1
            parameters = {p["name"]: p for p in operation["parameters"]}
            assert {"limit", "offset"} <= set(parameters), name
            if "ordering" in parameters:
                choices = parameters["ordering"]["schema"]
                ref = next(s for s in choices.get("anyOf", [choices]) if "$ref" in s)["$ref"]
                assert schemas[ref.rsplit("/", 1)[-1]]["enum"], name
    assert lists >= 25, lists


def test_no_two_schemas_share_a_name(document):
    """Each schema the operations answer is the one published under its name: two models
    with one name would silently publish one of them for both."""
    published = document["components"]["schemas"]
    clashes = []
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    if model in (None, Ellipsis) or not hasattr(model, "model_json_schema"):
                        continue
                    own = model.model_json_schema(
                        ref_template=REF_TEMPLATE,
                        schema_generator=NinjaGenerateJsonSchema,
                        mode="serialization",
                    )
                    for name, definition in own.get("$defs", {}).items():
                        if name in published and published[name] != definition:
                            clashes.append(f"{operation.view_func.__module__}: {name}")
    assert not clashes, sorted(set(clashes))


def test_the_interactive_documentation_is_served(client):
    assert client.get("/api/v1/docs").status_code == 200


def test_openapi_document_lists_every_endpoint(client):
    """The OpenAPI 3.1 document describes every read endpoint."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200, response.content
    doc = response.json()
    assert doc["openapi"].startswith("3.1")
    for path in (
        "/api/v1/overview",
        "/api/v1/actors",
        "/api/v1/actors/{slug}",
        "/api/v1/chairmanships",
        "/api/v1/heads",
        "/api/v1/bodies",
        "/api/v1/meetings",
        "/api/v1/meetings/{key}",
    ):
        assert path in doc["paths"], path
    assert client.get("/api/v1/docs").status_code == 200
