"""Small composable builders: every test makes the records it needs through the services."""

from __future__ import annotations

from pathlib import Path

import pytest

from secretariat.bodies import services as bodies
from secretariat.core import services as core
from secretariat.registry import services as registry

FIXTURES = Path(__file__).parent / "fixtures"
CICA = Path(__file__).parent.parent / "data" / "cica"


class Build:
    """Makes records through the services, with sensible defaults."""

    def __init__(self):
        self._source = None
        self._n = 0

    @property
    def source(self):
        if self._source is None:
            self._source, _ = core.source_upsert(key="test-source", title="Test source")
        return self._source

    def actor(self, slug: str | None = None, *, kind: str = "state", **kw):
        self._n += 1
        slug = slug or f"actor-{self._n}"
        if kind == "state":
            letters = chr(65 + self._n // 26 % 26) + chr(65 + self._n % 26)
            kw.setdefault("iso2", letters)
            kw.setdefault("iso3", "X" + letters)
        actor, _ = registry.actor_upsert(
            slug=slug, kind=kind, name_en=kw.pop("name_en", slug.title()), sources=[self.source],
            **kw,
        )  # fmt: skip
        return actor

    def status(self, actor, kind: str, start, end=None, **kw):
        status, _ = registry.status_upsert(
            actor=actor, kind=kind, start=start, end=end, sources=[self.source], **kw
        )
        return status

    def chair(self, actor, start, end=None, **kw):
        term, _ = registry.chairmanship_upsert(
            actor=actor, start=start, end=end, sources=[self.source], **kw
        )
        return term

    def head(self, name: str, start, end=None, *, title="executive_director", **kw):
        person, _ = registry.person_upsert(
            slug=name.lower().replace(" ", "-"), name_en=name, sources=[self.source]
        )
        term, _ = registry.head_upsert(
            person=person, title=title, start=start, end=end, sources=[self.source], **kw
        )
        return term

    def body(self, slug: str = "council", kind: str = "ministerial_council", **kw):
        body, _ = bodies.body_upsert(
            slug=slug, kind=kind, name_en=kw.pop("name_en", slug.title()), sources=[self.source],
            **kw,
        )  # fmt: skip
        return body

    def meeting(self, key: str, body=None, *, schedule=None, **kw):
        body = body or self.body()
        meeting, _ = bodies.meeting_upsert(key=key, body=body, sources=[self.source], **kw)
        entries = schedule or [{"kind": "held", "start": "2020-01-01"}]
        bodies.meeting_schedule_set(
            meeting=meeting,
            entries=[{"sources": [self.source], **entry} for entry in entries],
        )
        return meeting


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def build(db) -> Build:
    return Build()


@pytest.fixture
def minimal(db):
    """The made-up organization in tests/fixtures/minimal, loaded."""
    from secretariat.datasets.loader import Loader

    return Loader(FIXTURES / "minimal").load()
