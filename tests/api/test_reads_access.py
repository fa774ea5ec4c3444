"""The read endpoints that complete the API keep from a caller what it may not read."""

from __future__ import annotations

import pytest
from django.test import Client

from secretariat.decisions import services as decisions
from secretariat.documents import services as documents
from secretariat.records import services as core
from secretariat.treaties import services as treaties
from tests.decisions.world import T0, WEEK, World
from tests.helpers import get

pytestmark = pytest.mark.django_db


@pytest.fixture
def secrets(build):
    """A confidential treaty and a restricted draft under a silence procedure, each also a
    source, a CBM review's paper and a position's subject."""
    world = World(build)
    src = [build.source]
    treaty_doc = documents.document_create(
        key="secret-treaty", symbol="S/1", type="agreement", title_en="Secret treaty",
        access="confidential", sources=src,
    )  # fmt: skip
    treaty, _ = treaties.treaty_upsert(document=treaty_doc, sources=src)
    treaties.treaty_action_upsert(
        treaty=treaty, actor=world.alpha, kind="signature", date="2020-01-01", sources=src
    )
    draft = documents.document_create(
        key="secret-draft", symbol="S/2", type="declaration", title_en="Secret draft",
        access="restricted", sources=src,
    )  # fmt: skip
    version = documents.version_create(document=draft, date="2024-01-01")
    procedure = decisions.procedure_open(
        version=version, body=world.body, kind="silence", opened_at=T0, deadline=T0 + WEEK,
        sources=src,
    )  # fmt: skip
    decisions.position_add(procedure=procedure, actor=world.alpha, kind="support", stated_at=T0)
    source, _ = core.source_upsert(key="the-draft", title="Secret draft")
    core.source_target_set(source=source, target=draft)
    return world


def test_what_a_caller_may_not_read_is_not_there(client, secrets, officer):
    """The public does not see the confidential treaty's actions, the restricted draft as a
    source, or the position on it; an officer sees all three."""
    alpha = secrets.alpha.slug
    assert get(client, "/api/v1/treaties/secret-treaty/actions", 404)
    assert get(client, f"/api/v1/actors/{alpha}/treaty-actions")["count"] == 0
    assert get(client, f"/api/v1/actors/{alpha}/positions")["count"] == 0
    assert "the-draft" not in [s["key"] for s in get(client, "/api/v1/sources")["items"]]
    assert get(client, "/api/v1/sources/the-draft", 404)
    staff = Client()
    staff.force_login(officer)
    assert get(staff, "/api/v1/treaties/secret-treaty/actions")["count"] == 1
    assert get(staff, f"/api/v1/actors/{alpha}/treaty-actions")["count"] == 1
    [position] = get(staff, f"/api/v1/actors/{alpha}/positions")["items"]
    assert position["document"]["key"] == "secret-draft" and position["kind"] == "support"
    assert get(staff, "/api/v1/sources/the-draft")["record"]["type"] == "document"


def test_a_procedures_outcome_as_of_a_moment(client, build):
    """A silence procedure is open until its deadline passes unbroken, then adopted: `at`
    asks either moment, on the list and on the procedure."""
    world = World(build)
    procedure = world.silence()  # opened at T0, deadline a week later
    during = (T0 + WEEK / 2).isoformat().replace("+00:00", "Z")
    after = (T0 + 2 * WEEK).isoformat().replace("+00:00", "Z")
    url = f"/api/v1/procedures/{procedure.pk}"
    assert get(client, f"{url}?at={during}")["outcome"]["state"] == "open"
    assert get(client, f"{url}?at={after}")["outcome"]["state"] == "adopted"
    assert get(client, f"/api/v1/procedures?state=open&at={during}")["count"] == 1
    assert get(client, f"/api/v1/procedures?state=open&at={after}")["count"] == 0
    # A day alone is its first moment, UTC: the day after the deadline, adopted.
    day = (T0 + 2 * WEEK).date().isoformat()
    assert get(client, f"{url}?at={day}")["outcome"]["as_of"].startswith(day)
    assert client.get(f"{url}?at=0001-01-01T00:00:00%2B14:00").status_code == 422
