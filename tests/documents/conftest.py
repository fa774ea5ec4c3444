"""Builders for documents, made through the documents services."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.documents import services
from secretariat.records import services as core

FILES = Path(__file__).parent.parent / "fixtures" / "files"
SENTENCE = "Declaration on confidence-building measures"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a fresh folder, never to the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    """A file as a browser would send it; the sample file of that name by default."""
    return SimpleUploadedFile(name, (FILES / name).read_bytes() if data is None else data)


class Docs:
    """Makes documents, versions, events and circulations with sensible defaults."""

    def __init__(self, build):
        self.build = build
        self._n = 0

    @property
    def sources(self):
        return [self.build.source]

    def organization(self, **kw):
        org, _ = core.organization_upsert(
            slug="exo", name_en="Example Organization", short_name_en="EXO",
            sources=self.sources, **kw,
        )  # fmt: skip
        return org

    def document(self, symbol: str | None = None, *, type: str = "declaration", **kw):
        self._n += 1
        symbol = symbol or f"EXO/DOC/{self._n}"
        kw.setdefault("title_en", f"Document {self._n}")
        return services.document_create(symbol=symbol, type=type, sources=self.sources, **kw)

    def version(self, document, **kw):
        return services.version_create(document=document, **kw)

    def event(self, document, kind: str, date, **kw):
        event, _ = services.document_event_upsert(
            document=document, kind=kind, date=date, sources=self.sources, **kw
        )
        return event

    def text(self, version, language: str = "en", name: str = "sample.txt", data=None):
        return services.text_upload(
            version=version, language=language, uploaded_file=upload(name, data)
        )

    def members(self, *slugs: str, since: str = "2000-01-01", until: str | None = None):
        actors = [self.build.actor(slug) for slug in slugs]
        for actor in actors:
            self.build.status(actor, "member", since, until)
        return actors

    def circulate(self, document, date="2021-03-01", deadline=dt.date(2021, 3, 31), **kw):
        version = kw.pop("version", None) or self.version(document)
        event, _ = services.document_circulate(
            version=version, date=date, deadline=deadline, sources=self.sources, **kw
        )
        return event

    def feedback(self, circulation, actor, received_on=dt.date(2021, 3, 10), **kw):
        kw.setdefault("text", "No objection.")
        return services.feedback_add(
            circulation=circulation, actor=actor, received_on=received_on, **kw
        )


@pytest.fixture
def docs(build) -> Docs:
    return Docs(build)
