"""Loading documents.yaml: documents, their versions and texts, relations, lifecycles.

A part of the dataset Loader (see loader.py), kept apart as its own concern.
"""

from __future__ import annotations

import hashlib

from django.core.files import File

from secretariat.core.models import AccessLevel
from secretariat.documents import services as documents
from secretariat.documents.models import Document, DocumentEvent, DocumentRelation
from secretariat.records.services import Outcome

from .yamlfile import DatasetError, Entry


class DocumentRecords:
    """The Loader's handlers for documents.yaml (it provides the field readers)."""

    def _document(self, rec: Entry) -> None:
        self._fields(
            rec,
            {"key", "type", "title"},
            {"symbol", "access", "body", "meeting", "versions", "relations", "events",
             "official_texts", "no_published_text"},
        )  # fmt: skip
        key = self._text(rec, "key")
        if key in self.documents:
            raise DatasetError(rec.file, rec.line_of("key"), f"document '{key}' is defined twice")
        title_en, title_ru = self._names(rec, "title", required=True)
        doc_type = self._choice(rec, "type", Document.Type.values)
        body = self._ref(rec, "body", self.bodies, "body")
        meeting = self._ref(rec, "meeting", self.meetings, "meeting")
        symbol = self._text(rec, "symbol") or self._symbol_for(key, doc_type, body, meeting, rec)
        document, outcome = documents.document_upsert(
            key=key,
            symbol=symbol,
            type=doc_type,
            title_en=title_en,
            title_ru=title_ru,
            access=self._choice(rec, "access", AccessLevel.values, AccessLevel.PUBLIC),
            body=body,
            meeting=meeting,
            **self._common(rec),
        )
        self.documents[key] = document
        self._count("documents", outcome)
        for item in self._list(rec, "versions"):
            self._guarded(item, self._version, document)
        if rec.get("official_texts") and rec.get("no_published_text"):
            raise DatasetError(
                rec.file, rec.line_of("no_published_text"),
                "a document has 'official_texts' or 'no_published_text', not both",
            )  # fmt: skip
        for item in self._list(rec, "official_texts"):
            self._guarded(item, self._official_text, document)
        if rec.get("no_published_text") is not None:
            search = rec.get("no_published_text")
            if not isinstance(search, Entry):
                raise DatasetError(
                    rec.file, rec.line_of("no_published_text"), "'no_published_text' is a mapping"
                )
            self._guarded(search, self._text_search, document)

    def _symbol_for(self, key, doc_type, body, meeting, rec: Entry) -> str:
        """The symbol a document already has, else the next from the pattern (stable on reload)."""
        existing = Document.objects.filter(key=key).values_list("symbol", flat=True).first()
        if existing:
            return existing
        dates = [self._date(e, "date") for e in self._list(rec, "events") if e.get("date")]
        year = min(dates).year if dates else None
        draft = Document(key=key, type=doc_type, body=body, meeting=meeting)
        documents.document_identify(draft, year=year)
        return draft.symbol

    def _list(self, rec: Entry, key: str) -> list[Entry]:
        items = rec.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, Entry) for i in items):
            raise DatasetError(rec.file, rec.line_of(key), f"'{key}' must be a list of mappings")
        return items

    def _version(self, rec: Entry, document: Document) -> None:
        unknown = set(rec) - {"number", "date", "note", "texts"}
        if unknown:
            key = sorted(unknown, key=rec.line_of)[0]
            raise DatasetError(rec.file, rec.line_of(key), f"unknown field '{key}'")
        number = rec.get("number")
        if not isinstance(number, int) or number < 1:
            raise DatasetError(rec.file, rec.line_of("number"), "'number' must be 1, 2, 3...")
        date, note = self._date(rec, "date"), self._text(rec, "note")
        version = document.versions.filter(number=number).first()
        if version is None:
            last = document.versions.count()
            if number != last + 1:
                raise DatasetError(
                    rec.file,
                    rec.line_of("number"),
                    f"versions are numbered in order: expected {last + 1}",
                )
            version = documents.version_create(document=document, date=date, note=note)
            self._count("versions", Outcome.CREATED)
        elif (version.date, version.note) != (date, note):
            documents.version_update(version=version, date=date, note=note)
            self._count("versions", Outcome.UPDATED)
        else:
            self._count("versions", Outcome.UNCHANGED)
        for item in self._list(rec, "texts"):
            self._guarded(item, self._text_file, version)

    def _text_file(self, rec: Entry, version) -> None:
        unknown = set(rec) - {"language", "file"}
        if unknown:
            raise DatasetError(rec.file, rec.line, f"unknown field '{sorted(unknown)[0]}'")
        language, name = self._text(rec, "language"), self._text(rec, "file")
        path = (self.folder / name).resolve()
        if not name or self.folder.resolve() not in path.parents or not path.is_file():
            raise DatasetError(rec.file, rec.line_of("file"), f"no file '{name}' in the dataset")
        existing = version.texts.filter(language=language).first()
        if existing is not None:
            if existing.sha256 != hashlib.sha256(path.read_bytes()).hexdigest():
                raise DatasetError(
                    rec.file, rec.line_of("file"),
                    f"the '{language}' text of version {version.number} differs from the one "
                    "on record; a text is never replaced: add a new version",
                )  # fmt: skip
            self._count("texts", Outcome.UNCHANGED)
            return
        with path.open("rb") as handle:
            documents.text_upload(version=version, language=language, uploaded_file=File(handle))
        self._count("texts", Outcome.CREATED)

    def _full_date(self, rec: Entry, key: str):
        value = self._date(rec, key)
        if value is not None and not value.is_exact:
            raise DatasetError(rec.file, rec.line_of(key), f"'{key}' must be a full date")
        return value.earliest if value is not None else None

    def _official_text(self, rec: Entry, document: Document) -> None:
        self._fields(rec, {"language", "url"}, {"found_at", "found_on"})
        _, outcome = documents.official_text_add(
            document=document,
            language=self._text(rec, "language"),
            url=self._text(rec, "url"),
            found_at=self._text(rec, "found_at"),
            found_on=self._full_date(rec, "found_on"),
            **self._common(rec),
        )
        self._count("official texts", outcome)

    def _text_search(self, rec: Entry, document: Document) -> None:
        self._fields(rec, {"searched_on", "places"}, set())
        places = rec.get("places")
        if not isinstance(places, list) or not all(isinstance(p, str) for p in places):
            raise DatasetError(rec.file, rec.line_of("places"), "'places' is a list of texts")
        _, outcome = documents.text_search_upsert(
            document=document,
            searched_on=self._full_date(rec, "searched_on"),
            places=places,
            **self._common(rec),
        )
        self._count("text searches", outcome)

    def _document_links(self, rec: Entry) -> None:
        document = self.documents[self._text(rec, "key")]
        for item in self._list(rec, "relations"):
            self._guarded(item, self._relation, document)
        for item in self._list(rec, "events"):
            self._guarded(item, self._document_event, document)

    def _relation(self, rec: Entry, document: Document) -> None:
        self._fields(rec, {"kind", "target"}, set())
        _, outcome = documents.relation_add(
            from_document=document,
            kind=self._choice(rec, "kind", DocumentRelation.Kind.values),
            to_document=self._ref(rec, "target", self.documents, "document"),
            **self._common(rec),
        )
        self._count("relations", outcome)

    def _document_event(self, rec: Entry, document: Document) -> None:
        self._fields(
            rec, {"kind", "date"}, {"meeting", "body", "actor", "version", "deadline", "recipients"}
        )
        version = None
        if rec.get("version") is not None:
            version = document.versions.filter(number=rec.get("version")).first()
            if version is None:
                raise DatasetError(rec.file, rec.line_of("version"), "no such version above")
        deadline = self._date(rec, "deadline")
        if deadline is not None and not deadline.is_exact:
            raise DatasetError(rec.file, rec.line_of("deadline"), "'deadline' must be a full date")
        recipients = rec.get("recipients")
        if recipients is not None:
            if not isinstance(recipients, list):
                raise DatasetError(rec.file, rec.line_of("recipients"), "'recipients' is a list")
            missing = [a for a in recipients if a not in self.actors]
            if missing:
                raise DatasetError(
                    rec.file, rec.line_of("recipients"), f"unknown actor '{missing[0]}'"
                )
            recipients = [self.actors[a] for a in recipients]
        kind = self._choice(rec, "kind", DocumentEvent.Kind.values)
        _, outcome = documents.document_event_upsert(
            document=document,
            kind=kind,
            date=self._date(rec, "date"),
            version=version,
            body=self._ref(rec, "body", self.bodies, "body"),
            meeting=self._ref(rec, "meeting", self.meetings, "meeting"),
            actor=self._ref(rec, "actor", self.actors, "actor"),
            deadline=deadline.earliest if deadline else None,
            recipients=recipients if kind == DocumentEvent.Kind.CIRCULATED else None,
            **self._common(rec),
        )
        self._count("document events", outcome)
