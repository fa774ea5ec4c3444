"""A small organization on 1 March 2024, and builders for procedures and positions.

Imported by the tests for its moments (T0, WEEK, ...) and the shared checks (refused,
outcome_at); conftest.py makes the fixture.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from secretariat.decisions import selectors, services
from secretariat.decisions.models import Procedure
from secretariat.documents import services as documents
from secretariat.records.services import source_upsert

UTC = dt.UTC
# The opening of most procedures: noon UTC on 1 March 2024.
T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
WEEK = dt.timedelta(days=7)
SECOND = dt.timedelta(seconds=1)
HOUR = dt.timedelta(hours=1)


def at(**delta) -> dt.datetime:
    """A moment after T0: at(hours=2), at(days=7)."""
    return T0 + dt.timedelta(**delta)


class World:
    """Members, an observer, a partner, a document and a body; procedures on demand."""

    def __init__(self, build):
        self.build = build
        b = build
        self.alpha = b.actor("alpha", name_en="Alpha")
        self.beta = b.actor("beta", name_en="Beta")
        self.gamma = b.actor("gamma", name_en="Gamma")
        for state in (self.alpha, self.beta, self.gamma):
            b.status(state, "member", "2000-01-01")
        self.observer = b.actor("omega", name_en="Omega")
        b.status(self.observer, "observer", "2010-01-01")
        self.partner = b.actor("union", kind="organization", name_en="Union")
        b.status(self.partner, "partner", "2015-06")
        self.body = b.body("soc", "senior_officials_committee", name_en="SOC")
        self.meeting = b.meeting(
            "soc-1", self.body, schedule=[{"kind": "held", "start": "2024-03-05"}]
        )
        self.document, self.version = document("EXO/SOC/2024/1")
        self.eligible = [self.alpha, self.beta, self.gamma]

    def silence(self, *, opened_at=T0, deadline=None, version=None, **kw):
        return services.procedure_open(
            version=version or self.version,
            body=self.body,
            kind="silence",
            opened_at=opened_at,
            deadline=deadline or opened_at + WEEK,
            sources=[self.build.source],
            **kw,
        )

    def meeting_procedure(self, *, opened_at=T0, version=None, **kw):
        return services.procedure_open(
            version=version or self.version,
            body=self.body,
            kind="meeting",
            opened_at=opened_at,
            meeting=self.meeting,
            sources=[self.build.source],
            **kw,
        )

    def position(self, procedure, actor, kind, stated_at, statement="", **kw):
        return services.position_add(
            procedure=procedure,
            actor=actor,
            kind=kind,
            stated_at=stated_at,
            statement=statement,
            **kw,
        )


def document(symbol: str, *, access: str = "public", key: str | None = None):
    """A document with one version, made through the documents services."""
    source, _ = source_upsert(key="test-source", title="Test source")
    doc = documents.document_create(
        key=key or symbol.lower().replace("/", "-"), symbol=symbol, type="decision",
        title_en=f"Decision {symbol}", access=access, sources=[source],
    )  # fmt: skip
    return doc, documents.version_create(document=doc)


def refused(message: str):
    """pytest.raises for a ValidationError whose text contains `message` verbatim."""
    return pytest.raises(ValidationError, match=re.escape(message))


def outcome_at(procedure, now):
    procedure = Procedure.objects.get(pk=procedure.pk)
    return selectors.procedure_state(procedure, now=now).verdict
