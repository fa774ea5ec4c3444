"""Documents as Akoma Ntoso 3.0 XML (OASIS LegalDocML), one file per document and language.

The identification follows the Akoma Ntoso naming convention, with the organization in
place of a country, as the UN system's AKN4UN does with "un":

    work           /akn/<org>/<type>/<date>/<key>/!main
    expression     /akn/<org>/<type>/<date>/<key>/<lang>@<version date>/!main
    manifestation  /akn/<org>/<type>/<date>/<key>/<lang>@<version date>/main.xml

The lifecycle events become <lifecycle> eventRefs, each citing its source; the steps of
the workflow (drafted, circulated, agreed, adopted...) name who acted, the bodies and the
organization as TLCOrganization, the states acting as TLCOrganization with a TLCRole.
The text held for the language (extracted from its file) is the main body, a <p> a line.
Without one, an official text published elsewhere in the language is the body's
<componentRef>: the standard's reference to a manifestation held outside the document
(here the organization's or a government's page or file); without either, the body is an
empty paragraph, which the schema accepts.

What the standard has no place for (partial dates, the access level, where and when an
official text was found, or that none was) is kept in <proprietary>, in this project's
namespace.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from typing import BinaryIO

from django.db.models import Prefetch, QuerySet
from lxml import etree

from secretariat.accounts.policy import documents_q, effective_access
from secretariat.core.models import Organization
from secretariat.core.partial_dates import PartialDate
from secretariat.core.prefetch import citations_of, cited
from secretariat.documents import transitions
from secretariat.documents.models import (
    Document,
    DocumentEvent,
    DocumentRelation,
    DocumentText,
    DocumentVersion,
    TextSearch,
)

from .formats import Progress, no_progress

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
EXT = "urn:x-secretariat:akn:1"  # our own metadata, in <proprietary>
MEDIA_TYPE = "application/akn+xml"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# ISO 639-1 codes as we store them -> the ISO 639-2 codes Akoma Ntoso IRIs use.
LANGUAGES = {
    "en": "eng", "ru": "rus", "fr": "fra", "es": "spa", "zh": "zho", "ar": "ara",
    "de": "deu", "kk": "kaz", "tr": "tur", "fa": "fas", "ky": "kir", "uz": "uzb",
    "tg": "tgk", "mn": "mon", "ko": "kor", "ja": "jpn", "hi": "hin", "ur": "urd",
}  # fmt: skip
# Decisions and declarations are statements in AKN4UN; every other kind a generic doc.
STATEMENTS = {
    Document.Type.DECLARATION,
    Document.Type.STATEMENT,
    Document.Type.JOINT_STATEMENT,
    Document.Type.DECISION,
}
# The events that make a document what it is, in the order that dates its work.
MAKING = ("adopted", "signed", "endorsed", "agreed", "took_note")
# The role in which a state acts in a step.
ROLES = {
    "signed": "signatory",
    "ratified": "ratifying state",
    "feedback_received": "respondent",
}
K = DocumentEvent.Kind
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class WorkDate:
    """The date naming a work: its first making event, else its first event or version."""

    date: PartialDate
    name: str  # what happened that day ("adopted", "drafted", "version 1"...)


def lang3(language: str) -> str:
    return LANGUAGES.get(language, language)


def languages_held(document: Document) -> list[str]:
    """English (every document has an English title), the languages of its other titles,
    of its texts and of its official texts published elsewhere (reads prefetched
    `versions__texts` and `official_texts`)."""
    held = {"en"}
    if document.title_ru:
        held.add("ru")
    held |= {t.language for v in document.versions.all() for t in v.texts.all()}
    held |= {t.language for t in document.official_texts.all()}
    return sorted(held, key=lambda code: (code != "en", code))


def work_dates(ids) -> dict[int, WorkDate]:
    """The work date of each of these documents, in two queries."""
    events: dict[int, list[DocumentEvent]] = defaultdict(list)
    for event in DocumentEvent.objects.filter(document_id__in=ids).only(
        "id", "document_id", "kind", "date_date", "date_precision"
    ):
        events[event.document_id].append(event)
    first_version: dict[int, DocumentVersion] = {}
    for version in (
        DocumentVersion.objects.filter(document_id__in=ids, date_date__isnull=False)
        .only("id", "document_id", "number", "date_date", "date_precision")
        .order_by("number")
    ):
        first_version.setdefault(version.document_id, version)
    found = {}
    for pk in ids:
        ordered = transitions.ordered(events.get(pk, []))
        making = [e for kind in MAKING for e in ordered if e.kind == kind][:1]
        chosen = making[0] if making else (ordered[0] if ordered else None)
        if chosen is not None:
            found[pk] = WorkDate(chosen.date, chosen.kind)
        elif pk in first_version:
            version = first_version[pk]
            found[pk] = WorkDate(version.date, f"version {version.number}")
    return found


class Names:
    """The organization's IRIs and the eIds of the things a document refers to."""

    def __init__(self, org: Organization | None):
        self.org = org.slug if org else "secretariat"
        self.org_name = org.short_name_en if org else "Secretariat"

    def work(self, document: Document, dates: dict[int, WorkDate]) -> str:
        found = dates.get(document.pk)
        day = found.date.isoformat() if found else document.created_at.date().isoformat()
        return f"/akn/{self.org}/{document.type}/{day}/{document.key}"


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def paragraphs(text: str) -> list[str]:
    """Extracted text by paragraph: the extraction keeps one per line (documents.uploads)."""
    lines = _clean(text).splitlines()
    return [" ".join(line.split()) for line in lines if line.strip()]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


def _el(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    """A child element; `class_` and `as_` stand for the attributes Python keeps for itself."""
    node = etree.SubElement(parent, f"{{{NS}}}{tag}")
    for name, value in attrs.items():
        if value is not None:
            node.set(name.rstrip("_"), _clean(str(value)))
    if text is not None:
        node.text = _clean(text)
    return node


def _version_for(document: Document, language: str) -> DocumentVersion | None:
    """The latest version with a text in the language, else the latest version."""
    versions = sorted(document.versions.all(), key=lambda v: v.number)
    with_text = [v for v in versions if any(t.language == language for t in v.texts.all())]
    return (with_text or versions or [None])[-1]


def _text_for(version: DocumentVersion | None, language: str) -> DocumentText | None:
    if version is None:
        return None
    return next((t for t in version.texts.all() if t.language == language), None)


class _Expression:
    """Writes one expression of a document; collects the references its parts point at."""

    def __init__(self, document, *, language: str, at: dt.date, names: Names, dates):
        self.document, self.language, self.at = document, language, at
        self.names, self.dates = names, dates
        self.references: dict[str, etree._Element] = {}
        self.partial: list[tuple[str, PartialDate]] = []  # (eventRef eId, its date)
        self.org = self.ref("TLCOrganization", f"org_{names.org}",
                            f"/ontology/organization/{names.org}", names.org_name)  # fmt: skip
        self.work = names.work(document, dates)
        self.found = dates.get(document.pk)
        self.version = _version_for(document, language)
        self.events = [
            e for e in transitions.ordered(document.events.all()) if e.date.earliest <= at
        ]
        self.status = transitions.status_on(self.events, at)
        self.relations = [(r, r.to_document, "activeRef") for r in document.relations.all()] + [
            (r, r.from_document, "passiveRef") for r in document.related_from.all()
        ]

    # --- references -----------------------------------------------------------------------

    def ref(self, kind: str, eid: str, href: str, show: str, **attrs) -> str:
        """A reference in <references>, made once per eId; "#eId" points at it."""
        if eid not in self.references:
            node = etree.Element(f"{{{NS}}}{kind}", eId=eid, href=href, showAs=_clean(show))
            for name, value in attrs.items():
                node.set(name, value)
            self.references[eid] = node
        return f"#{eid}"

    def body(self, body) -> str:
        href = f"/ontology/organization/{self.names.org}/{body.slug}"
        return self.ref("TLCOrganization", f"body_{body.slug}", href, body.name_en)

    def actor(self, actor) -> str:
        href = f"/ontology/organization/{actor.slug}"
        return self.ref("TLCOrganization", f"actor_{actor.slug}", href, actor.name_en)

    def concept(self, status: str) -> str:
        href = f"/ontology/concept/{status}"
        return self.ref("TLCConcept", f"status_{status}", href, status.replace("_", " "))

    def event_kind(self, event) -> str:
        href = f"/ontology/event/{event.kind}"
        return self.ref("TLCEvent", f"event_{event.kind}", href, event.get_kind_display())

    def source(self, event) -> str:
        """The first source the event cites, else the document itself."""
        cited = [c.source for c in citations_of(event)]
        if not cited:
            return "#original"
        src = cited[0]
        href = src.url or f"/ontology/source/{self.names.org}/{src.key}"
        return self.ref("TLCReference", f"src_{_slug(src.key)}", href, src.title, name="source")

    def expression(self, language: str) -> str:
        """The expression's IRI: the work's, the language, "@" and its version's date."""
        version = _version_for(self.document, language)
        day = version.date if version is not None and version.date else None
        return f"{self.work}/{lang3(language)}@{day.isoformat() if day else ''}"

    # --- the parts ------------------------------------------------------------------------

    def identification(self, meta) -> None:
        document, found = self.document, self.found
        work_day = found.date if found else PartialDate.parse(document.created_at.date())
        work_name = found.name if found else "recorded"
        author = self.body(document.body) if document.body else self.org
        version_day = self.version.date if self.version is not None else None
        expression = self.expression(self.language)
        ident = _el(meta, "identification", source=self.org)

        work = _el(ident, "FRBRWork")
        _el(work, "FRBRthis", value=f"{self.work}/!main")
        _el(work, "FRBRuri", value=self.work)
        _el(work, "FRBRalias", value=document.symbol, name="symbol")
        _el(work, "FRBRdate", date=work_day.earliest.isoformat(), name=work_name)
        _el(work, "FRBRauthor", href=author)
        _el(work, "FRBRcountry", value=self.names.org)
        _el(work, "FRBRsubtype", value=document.type)
        _el(work, "FRBRnumber", value=document.key)

        expr = _el(ident, "FRBRExpression")
        _el(expr, "FRBRthis", value=f"{expression}/!main")
        _el(expr, "FRBRuri", value=expression)
        day, name = (version_day, "version") if version_day else (work_day, work_name)
        _el(expr, "FRBRdate", date=day.earliest.isoformat(), name=name)
        _el(expr, "FRBRauthor", href=author)
        if self.version is not None:
            _el(expr, "FRBRversionNumber", value=str(self.version.number))
        first = languages_held(document)[0]
        if self.language != first:
            # Another language's expression names the first one: its master expression.
            master = self.expression(first)
            _el(expr, "FRBRmasterExpression", href=master, showAs=f"{document.symbol} ({first})")
        _el(expr, "FRBRlanguage", language=lang3(self.language))

        manif = _el(ident, "FRBRManifestation")
        _el(manif, "FRBRthis", value=f"{expression}/main.xml")
        _el(manif, "FRBRuri", value=f"{expression}/main.xml")
        _el(manif, "FRBRdate", date=document.updated_at.date().isoformat(), name="recorded")
        _el(manif, "FRBRauthor", href=self.org)
        _el(manif, "FRBRformat", value=MEDIA_TYPE)

    def lifecycle(self, meta) -> None:
        """Each event with its date, the source that says so, and what happened."""
        cycle = _el(meta, "lifecycle", source=self.org)
        for n, event in enumerate(self.events, start=1):
            eid = f"lc_{n}"
            _el(cycle, "eventRef", eId=eid, date=event.date.earliest.isoformat(),
                source=self.source(event), refersTo=self.event_kind(event))  # fmt: skip
            if not event.date.is_exact:
                self.partial.append((eid, event.date))

    def workflow(self, meta) -> None:
        """Each step by whoever took it: the state acting (in its role), else the body (of
        the meeting), else the organization."""
        flow = _el(meta, "workflow", source=self.org)
        for event in self.events:
            role = None
            if event.actor_id:
                by = self.actor(event.actor)
                if event.kind in ROLES:
                    name = _slug(ROLES[event.kind])
                    role = self.ref("TLCRole", f"role_{name}", f"/ontology/role/{name}",
                                    ROLES[event.kind])  # fmt: skip
            elif event.body_id:
                by = self.body(event.body)
            elif event.meeting_id:
                by = self.body(event.meeting.body)
            else:
                by = self.org
            outcome = transitions.STATUS_AFTER[event.kind]
            _el(flow, "step", date=event.date.earliest.isoformat(), by=by, as_=role,
                refersTo=self.event_kind(event),
                outcome=self.concept(outcome) if outcome else None)  # fmt: skip

    def references_block(self, meta) -> None:
        self.ref("original", "original", f"{self.work}/!main", self.document.symbol)
        if self.status:
            self.concept(self.status)
        for n, (_relation, other, tag) in enumerate(self.relations, start=1):
            self.ref(tag, f"rel_{n}", f"{self.names.work(other, self.dates)}/!main", other.symbol)
        refs = _el(meta, "references", source=self.org)
        # The documents first, then the TLCs, as readers expect them.
        order = {"original": 0, "activeRef": 1, "passiveRef": 1}
        nodes = sorted(self.references.values(), key=lambda n: order.get(n.tag.split("}")[1], 2))
        for node in nodes:
            refs.append(node)

    def proprietary(self, meta) -> None:
        """What the standard has no place for: the access level, partial dates, the kinds
        of the relations."""
        own = _el(meta, "proprietary", source=self.org)
        record = etree.SubElement(own, f"{{{EXT}}}record")
        record.set("access", str(effective_access(self.document)))
        record.set("asOf", self.at.isoformat())
        record.set("symbol", self.document.symbol)

        def dated(tag: str, value: PartialDate, **attrs) -> None:
            node = etree.SubElement(record, f"{{{EXT}}}{tag}", **attrs)
            node.set("value", value.isoformat())
            node.set("precision", value.precision.value)

        if self.found and not self.found.date.is_exact:
            dated("workDate", self.found.date)
        for eid, value in self.partial:
            dated("eventDate", value, eventRef=eid)
        for n, (relation, _other, _tag) in enumerate(self.relations, start=1):
            etree.SubElement(record, f"{{{EXT}}}relation", ref=f"rel_{n}", kind=relation.kind)
        for text in self.document.official_texts.all():
            node = etree.SubElement(record, f"{{{EXT}}}officialText")
            node.set("language", text.language)
            node.set("href", _clean(text.url))
            if text.found_at:
                node.set("foundAt", _clean(text.found_at))
            if text.found_on:
                node.set("foundOn", text.found_on.isoformat())
        search = _text_search(self.document)
        if search is not None:
            node = etree.SubElement(record, f"{{{EXT}}}textSearch", found="false")
            node.set("searchedOn", search.searched_on.isoformat())

    def content(self, top) -> None:
        """The preface (symbol, title, date, status) and the text held, a paragraph a line."""
        document, found = self.document, self.found
        title = (document.title_ru if self.language == "ru" else None) or document.title_en
        preface = _el(top, "preface")
        _el(_el(preface, "p", class_="symbol"), "docNumber", document.symbol)
        _el(_el(preface, "p", class_="title"), "docTitle", title)
        if found:
            _el(_el(preface, "p", class_="date"), "docDate", found.date.display(),
                date=found.date.earliest.isoformat())  # fmt: skip
        if self.status:
            _el(_el(preface, "p", class_="status"), "docStatus", self.status.replace("_", " "),
                refersTo=f"#status_{self.status}")  # fmt: skip
        main = _el(top, "mainBody")
        text = _text_for(self.version, self.language)
        lines = paragraphs(text.text) if text is not None else []
        for n, line in enumerate(lines, start=1):
            _el(main, "p", line, eId=f"para_{n}")
        official = [t for t in document.official_texts.all() if t.language == self.language]
        if not lines and official:
            # The text is not held here but published elsewhere: a reference to that
            # manifestation, where the standard puts content kept outside the document.
            for n, published in enumerate(official, start=1):
                _el(main, "componentRef", eId=f"cmpnts__official_{n}", src=published.url,
                    showAs="official text", alt=f"{document.symbol} ({self.language})")  # fmt: skip
        elif not lines:
            _el(main, "p")  # no text held in this language: the body is empty

    def xml(self) -> bytes:
        root = etree.Element(f"{{{NS}}}akomaNtoso", nsmap={None: NS, "sec": EXT})
        kind = "statement" if self.document.type in STATEMENTS else "doc"
        top = _el(root, kind, name=self.document.type)
        meta = _el(top, "meta")
        self.identification(meta)
        if self.events:
            self.lifecycle(meta)
            self.workflow(meta)
        self.references_block(meta)
        self.proprietary(meta)
        self.content(top)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _text_search(document: Document):
    """The finding that no official text was published (selected by `documents_for`)."""
    try:
        return document.text_search
    except TextSearch.DoesNotExist:
        return None


def document_xml(
    document: Document,
    *,
    language: str,
    at: dt.date,
    names: Names,
    dates: dict[int, WorkDate],
) -> bytes:
    """One expression of a document as Akoma Ntoso XML, its lifecycle as of `at`.

    Reads the document's prefetched events (with body, meeting__body, actor, version and
    core.prefetch.cited), versions with texts, and relations both ways, already filtered
    to the documents the reader may read (see `documents_for`).
    """
    return _Expression(document, language=language, at=at, names=names, dates=dates).xml()


def documents_for(user) -> QuerySet[Document]:
    """The documents `user` may read, with everything `document_xml` reads, in a fixed
    number of queries; relations only to documents the user may read too."""
    events = DocumentEvent.objects.select_related(
        "body", "meeting__body", "actor", "version"
    ).prefetch_related(cited())
    return (
        Document.objects.filter(documents_q(user))
        .select_related("body", "text_search")
        .prefetch_related(
            "official_texts",
            Prefetch("events", queryset=events),
            Prefetch("versions", queryset=DocumentVersion.objects.prefetch_related("texts")),
            Prefetch(
                "relations",
                queryset=DocumentRelation.objects.filter(
                    documents_q(user, "to_document__")
                ).select_related("to_document"),
            ),
            Prefetch(
                "related_from",
                queryset=DocumentRelation.objects.filter(
                    documents_q(user, "from_document__")
                ).select_related("from_document"),
            ),
        )
        .order_by("symbol")
    )


def _dates_for(documents: list[Document]) -> dict[int, WorkDate]:
    ids = {d.pk for d in documents}
    for d in documents:
        ids |= {r.to_document_id for r in d.relations.all()}
        ids |= {r.from_document_id for r in d.related_from.all()}
    return work_dates(sorted(ids))


def one_document_xml(document: Document, *, language: str, at: dt.date) -> bytes:
    """One document (from `documents_for`) in one language it is held in."""
    names = Names(Organization.objects.order_by("pk").first())
    return document_xml(
        document, language=language, at=at, names=names, dates=_dates_for([document])
    )


def export(stream: BinaryIO, *, at: dt.date, user, progress: Progress = no_progress) -> None:
    """A ZIP of every document `user` may read (None: the public), one XML per language
    held: `<key>/<language>.xml`."""
    documents = list(documents_for(user))
    names = Names(Organization.objects.order_by("pk").first())
    dates = _dates_for(documents)
    total = len(documents)
    with zipfile.ZipFile(stream, "w") as archive:
        for done, document in enumerate(documents):
            progress(done, total)
            for language in languages_held(document):
                info = zipfile.ZipInfo(f"{document.key}/{language}.xml", date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(
                    info,
                    document_xml(document, language=language, at=at, names=names, dates=dates),
                )
        progress(total, total)
