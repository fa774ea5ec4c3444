"""The OpenAPI document, completed with what every operation may answer.

The views declare their own answers; what the API's machinery adds to every
operation is written here once, so the document cannot forget it: the errors any
request may meet (a bad token, bad input, an unknown path parameter, a malformed
body), all as RFC 9457 problems; conditional GET (ETag, If-None-Match, 304);
If-Match on the edits that need it; the bearer token.
"""

from __future__ import annotations

from typing import Any

from ninja.openapi.schema import REF_TEMPLATE, NinjaGenerateJsonSchema

from .api_http import PROBLEM, VARY
from .schemas import Problem

BEARER = "bearerAuth"
PROBLEM_REF = {"$ref": REF_TEMPLATE.format(model="Problem")}

ERRORS = {
    400: "The request body is not JSON.",
    401: "Not signed in, or the API token is unknown or revoked.",
    403: "Your role may not do this (or a browser session sent no CSRF token).",
    404: "No such record, or none you may read (the two answer alike).",
    405: "The path does not take this method.",
    409: "The record changed since the version your edit started from: nothing was saved.",
    412: "If-Match names a version that is not one of the record's ETags.",
    413: "The body is larger than the server accepts: `detail` names the limit.",
    422: "A parameter or a field of the body is invalid: `errors` says which and why.",
    428: "If-Match is missing: send the ETag of the record as you read it.",
    429: "Too many requests: wait as Retry-After says.",
}
BUSY = {
    "description": "The record is busy (another change is being saved): nothing was saved; "
    "send the request again after Retry-After seconds.",
    "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
}
ETAG_HEADER = {
    "description": "A tag of this very answer: send it back in If-None-Match to be told "
    "304 while the answer stays the same.",
    "schema": {"type": "string"},
}
VARY_HEADER = {
    "description": "The answer depends on who asks and in which language.",
    "schema": {"type": "string", "example": ", ".join(VARY)},
}
IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "description": "The ETag of an answer you hold: 304 (no body) if the answer is still it.",
    "schema": {"type": "string"},
}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": 'The ETag of the record as you read it ("v3"...): an edit from an older '
    "version is refused with 409; without it, 428.",
    "schema": {"type": "string"},
}


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    """Adds the shared answers, parameters and security to every operation, in place."""
    components = schema.setdefault("components", {})
    _add_problem(components.setdefault("schemas", {}))
    components.setdefault("securitySchemes", {})[BEARER] = {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token made on your account page. Without one you are the "
        "public; a signed-in browser session also works (writes then need a CSRF token).",
    }
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            _complete(path, method.upper(), operation)
    return schema


def _add_problem(schemas: dict) -> None:
    # As ninja publishes the answers' schemas, so that its own copy is the same.
    definition = Problem.model_json_schema(
        ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode="serialization"
    )
    schemas.update(definition.pop("$defs", {}))
    schemas["Problem"] = definition


def _complete(path: str, method: str, operation: dict) -> None:
    responses = operation.setdefault("responses", {})
    parameters = operation.setdefault("parameters", [])
    reads = method == "GET"
    # Any request may carry a bad token (401) or text the API refuses (422, e.g. NUL).
    codes = {401, 422}
    if "requestBody" in operation:
        codes.update({400, 413})  # not JSON; larger than DATA_UPLOAD_MAX_MEMORY_SIZE
    if "{" in path:
        codes.add(404)
    if not reads:
        codes.add(403)
    for code in codes:
        responses.setdefault(code, {})
    if not reads:  # a write waits for the database's lock, and may not get it (core.busy)
        responses.setdefault(503, dict(BUSY))
    for code, answer in responses.items():
        status = int(code)
        if 400 <= status < 500 or status == 503:
            answer["description"] = ERRORS.get(status) or answer.get("description") or "A problem."
            answer["content"] = {PROBLEM: {"schema": PROBLEM_REF}}
        elif status in (200, 201):
            answer.setdefault("headers", {}).update({"ETag": ETAG_HEADER, "Vary": VARY_HEADER})
    if reads:
        responses.setdefault(
            304,
            {
                "description": "Not modified: the answer is still the one If-None-Match named.",
                "headers": {"ETag": ETAG_HEADER},
            },
        )
        _add_parameter(parameters, IF_NONE_MATCH)
        operation["security"] = [{}, {BEARER: []}]
    else:
        operation["security"] = [{BEARER: []}]
    if 428 in responses:
        _add_parameter(parameters, IF_MATCH)
    operation["responses"] = dict(sorted(responses.items(), key=lambda kv: int(kv[0])))


def _add_parameter(parameters: list, parameter: dict) -> None:
    if not any(p.get("name") == parameter["name"] for p in parameters):
        parameters.append(dict(parameter))
