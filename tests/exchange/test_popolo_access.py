"""The Popolo export shows no one what they may not read, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secretariat.accounts import services as accounts
from secretariat.documents import services as documents
from secretariat.exchange import popolo
from secretariat.records import services as core
from secretariat.registry import services as registry
from tests.helpers import PASSWORD

from .test_popolo_export import FAR, export, schema_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization(build):
    org, _ = core.organization_upsert(
        slug="exo", name_en="Example Organization", short_name_en="EXO", sources=[build.source]
    )
    return org


def test_a_source_that_is_a_restricted_paper_is_left_out_for_the_public(build, organization):
    """A status citing a restricted paper shows that link to an officer, not to the public."""
    paper = documents.document_create(
        type="decision", title_en="Secret decision", key="secret-decision", symbol="EXO/D/1",
        access="restricted", sources=[build.source],
    )  # fmt: skip
    source, _ = core.source_upsert(
        key="secret-decision-text", title="Secret decision text", url="https://example.org/d/9"
    )
    core.source_target_set(source=source, target=paper)
    public, _ = core.source_upsert(key="open", title="Open page", url="https://example.org/open")
    state = build.actor("alpha")
    registry.status_upsert(actor=state, kind="member", start="2001", sources=[source, public])
    officer = accounts.account_create(username="officer", password=PASSWORD, role="officer").user

    def links(user):
        doc = export(user=user)
        return [s["url"] for m in doc["memberships"] for s in m.get("sources", [])]

    assert schema_errors(export()) == []
    assert links(AnonymousUser()) == ["https://example.org/open"]
    assert links(officer) == ["https://example.org/d/9", "https://example.org/open"]
    assert b"Secret decision" not in popolo.render(at=FAR, user=AnonymousUser())


def _grow(build, n: int, start: int) -> None:
    body = build.body("council")
    for i in range(start, start + n):
        actor = build.actor(f"state-{i}")
        build.status(actor, "member", f"{1990 + i}")
        build.meeting(f"council-{i}", body, schedule=[{"kind": "held", "start": f"{1990 + i}"}])


def test_the_number_of_queries_does_not_grow_with_the_record(build, organization):
    """No query per record: twice the states and meetings, the same number of queries."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            popolo.render(at=FAR, user=AnonymousUser())
        return len(ctx.captured_queries)

    _grow(build, 3, 0)
    few = queries()
    _grow(build, 6, 3)
    assert queries() == few
