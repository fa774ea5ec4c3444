"""schemathesis over every operation of the OpenAPI document, anonymously and as an officer.

The document is taken from the app itself (no server, no network) and every request
goes to the WSGI application in-process, over the CICA dataset. Every answer must be no
server error, carry a status the operation documents, with the documented content type
and a body that fits the documented schema. The run is deterministic and small enough
for CI: a few examples per operation, the same ones every run.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from secretariat.accounts import services as accounts
from secretariat.api import api
from secretariat.wsgi import application
from tests.helpers import PASSWORD

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 3  # per operation and role: enough to meet each operation's errors, small for CI
# Records of the CICA dataset, by the collection a path names: the examples phase asks for
# them, so that detail answers are checked with real content, not only their 404s.
ON_RECORD = {
    "actors": "kazakhstan",
    "people": "jandos-asanov",
    "bodies": "summit",
    "meetings": "summit-6",
    "documents": "astana-statement-2022",
    "treaties": "convention-privileges-immunities-2010",
    "sources": "cica-achievements-2020-2024",
    "initiatives": "pnlu",
    "priorities": "priorities-2022-2024",
}
BY_NAME = {"number": 1, "language": "en", "at": "2024-06-01"}


def _with_examples(raw: dict) -> dict:
    for path, item in raw["paths"].items():
        record = ON_RECORD.get(path.removeprefix("/api/v1/").split("/")[0])
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                if name in BY_NAME:
                    parameter["example"] = BY_NAME[name]
                elif record and parameter["in"] == "path" and name in ("slug", "key"):
                    parameter["example"] = record
    return raw


def _schema():
    raw = _with_examples(json.loads(json.dumps(api.get_openapi_schema())))
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = application
    loaded.config.generation.update(deterministic=True, database="none")
    # The coverage phase sends every boundary of every parameter: a hundred requests and more
    # per operation, beyond CI's time. Fuzzing sends EXAMPLES of them, valid and invalid.
    loaded.config.phases.update(phases=["examples", "fuzzing"])
    return loaded


schema = _schema()


@pytest.fixture(scope="module")
def officer_token(cica, django_db_blocker):
    """An officer's API token, made once for the module (the flush after it removes it)."""
    with django_db_blocker.unblock():
        officer = accounts.account_create(
            username="schemathesis-officer", password=PASSWORD, role="officer"
        ).user
        _, secret = accounts.token_create(user=officer, name="schemathesis")
    return secret


@pytest.fixture
def wsgi_requests(db):
    """Requests made over WSGI within the test's transaction: Django's test client does the
    same, since closing "old" connections at each request would end the transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["public", "officer"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, role, officer_token, wsgi_requests):
    """No 5xx; every answer's status, content type and body as the document says."""
    headers = {"Authorization": f"Bearer {officer_token}"} if role == "officer" else {}
    case.call_and_validate(headers=headers, checks=CHECKS)
