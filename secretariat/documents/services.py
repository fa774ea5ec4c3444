"""Writes about documents: one function per verb.

`document_event_upsert` is the one way a lifecycle event is written (by officers,
the dataset loader, and the decisions app when a procedure adopts a text). The
rules they share with the admin are in `rules`; the transitions in `lifecycle`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.audit.acts import HISTORY_CHANNELS, act_record, act_retarget, act_source
from secretariat.audit.models import Act
from secretariat.core import acting
from secretariat.core.models import AccessLevel, Organization, Source
from secretariat.core.partial_dates import PartialDate
from secretariat.records.services import (
    Outcome,
    assign,
    citations_set,
    links_set,
    record_delete,
    require_version,
    sourced_upsert,
    validated_save,
    variants_set,
)

from . import rules, transitions, uploads
from .models import (
    Document,
    DocumentEvent,
    DocumentRelation,
    DocumentText,
    DocumentVersion,
    Feedback,
    OfficialText,
    TextSearch,
)

Variants = Iterable[Mapping[str, Any]]
_KEEP: Any = object()  # "leave this field as it is"
EDITABLE = ("type", "title_en", "title_ru", "access", "public_from", "body", "meeting", "note")


# --- Documents -------------------------------------------------------------------------


@transaction.atomic
def document_create(
    *,
    type: str,
    title_en: str,
    sources: Iterable[Source],
    symbol: str = "",
    key: str = "",
    title_ru: str = "",
    access: str = AccessLevel.PUBLIC,
    public_from: dt.date | None = None,
    body=None,
    meeting=None,
    year: int | None = None,
    note: str = "",
    variants: Variants = (),
) -> Document:
    """Register a document; without a symbol, the next one from the organization's pattern.

    `year` goes into a made symbol (default: this year); the key is made from the
    symbol when not given. `public_from` is the day an embargo ends.
    """
    sources = list(sources)
    if not sources:
        raise ValidationError("Every record needs at least one source.", code="no_source")
    document = Document(
        symbol=symbol.strip(), key=key, type=type, title_en=title_en, title_ru=title_ru,
        access=access, public_from=public_from, body=body, meeting=meeting, note=note,
    )  # fmt: skip
    document_identify(document, year=year)
    validated_save(document)
    citations_set(record=document, sources=sources)
    variants_set(record=document, variants=variants, created=True)
    act_record(verb=Act.Verb.DOCUMENT_ADDED, record=document)
    return document


def document_identify(document: Document, *, year: int | None = None) -> None:
    """Give a new document its symbol (from the pattern) and key (from the symbol) if missing.

    Call inside the transaction that saves it: the organization row is locked so
    that two documents made at once cannot draw the same number.
    """
    if not document.symbol:
        Organization.objects.select_for_update().order_by("pk").first()
        body = document.body or (document.meeting.body if document.meeting else None)
        year = year or timezone.localdate().year
        document.symbol = rules.symbol_next(document_type=document.type, body=body, year=year)
    if not document.key:
        document.key = rules.key_for(document.symbol)


@transaction.atomic
def document_upsert(
    *,
    key: str,
    symbol: str,
    type: str,
    title_en: str,
    sources: Iterable[Source],
    title_ru: str = "",
    access: str = AccessLevel.PUBLIC,
    body=None,
    meeting=None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[Document, Outcome]:
    """Create or update the document with this key (for loaders: run twice, change nothing)."""
    existing = Document.objects.filter(key=key).first()
    if existing is not None:
        rules.check_type_change(existing, type)
    return sourced_upsert(
        Document,
        lookup={"key": key},
        values={"symbol": symbol, "type": type, "title_en": title_en, "title_ru": title_ru,
                "access": access, "body": body, "meeting": meeting, "note": note,
                "editorial_note": editorial_note},
        sources=sources,
        variants=variants,
    )  # fmt: skip


@transaction.atomic
def document_update(
    *,
    document: Document,
    sources: Iterable[Source] | None = None,
    variants: Variants | None = None,
    expected_version: int | None = None,
    **changes: Any,
) -> Document:
    """Change a document's type, titles, access level, embargo, body, meeting or note.

    The symbol and key identify the document and never change. A new type must fit
    the lifecycle on record. `expected_version` is the version the edit started from
    (the API's If-Match): if the document changed since, the edit is refused with
    EditConflict, even one that would change nothing.
    """
    wrong = sorted(set(changes) - set(EDITABLE))
    if wrong:
        raise ValidationError(
            f"Cannot change {', '.join(wrong)}: a document's symbol and key never change; "
            f"editable are {', '.join(EDITABLE)}."
        )
    if expected_version is not None:
        require_version(document, expected_version, lock=True)
    if "type" in changes:
        rules.check_type_change(document, changes["type"])
    if assign(document, changes):
        validated_save(document, expected_version=expected_version)
    if sources is not None:
        citations_set(record=document, sources=sources)
    if variants is not None:
        variants_set(record=document, variants=variants)
    return document


@transaction.atomic
def document_share_set(*, document: Document, actors: Iterable) -> bool:
    """Share a restricted document with exactly these observers or partners, whose
    delegates may then read it (member states' delegates read it anyway)."""
    return links_set(record=document, field="shared_with", targets=actors)


@transaction.atomic
def relation_add(
    *,
    from_document: Document,
    kind: str,
    to_document: Document,
    sources: Iterable[Source],
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[DocumentRelation, Outcome]:
    """Record that one document amends, supersedes, implements... another."""
    if from_document.pk == to_document.pk:
        raise ValidationError({"to_document": "A document cannot relate to itself."})
    return sourced_upsert(
        DocumentRelation,
        lookup={"from_document": from_document, "kind": kind, "to_document": to_document},
        values={"note": note, "editorial_note": editorial_note},
        sources=sources,
        variants=variants,
    )


# --- Official texts published elsewhere -----------------------------------------------


@transaction.atomic
def official_text_add(
    *,
    document: Document,
    language: str,
    url: str,
    sources: Iterable[Source],
    found_at: str = "",
    found_on: dt.date | None = None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[OfficialText, Outcome]:
    """Record where the document's official text in a language is published (matched on
    document, language and address); a finding that no text was published goes.

    The text itself is not fetched or kept: a text the organization may hold is uploaded
    as a version's text (`text_upload`).
    """
    Document.objects.select_for_update().filter(pk=document.pk).first()
    official, outcome = sourced_upsert(
        OfficialText,
        lookup={"document": document, "language": language.strip(), "url": url.strip()},
        values={"found_at": found_at.strip(), "found_on": found_on, "note": note,
                "editorial_note": editorial_note},
        sources=sources,
        variants=variants,
    )  # fmt: skip
    text_search_end(document=document)  # a text is found now: "none found" no longer holds
    return official, outcome


@transaction.atomic
def text_search_end(*, document: Document) -> bool:
    """Remove the finding that no official text of the document was published (an official
    text was found since); True if there was one."""
    search = TextSearch.objects.filter(document=document).first()
    if search is None:
        return False
    record_delete(search)
    return True


@transaction.atomic
def text_search_upsert(
    *,
    document: Document,
    searched_on: dt.date,
    places: Iterable[str],
    sources: Iterable[Source],
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[TextSearch, Outcome]:
    """Record that no published official text of the document was found: the day and the
    places searched. Refused while an official text is on record."""
    Document.objects.select_for_update().filter(pk=document.pk).first()
    rules.check_no_official_text(document)
    return sourced_upsert(
        TextSearch,
        lookup={"document": document},
        values={"searched_on": searched_on, "places": [str(p).strip() for p in places],
                "note": note, "editorial_note": editorial_note},
        sources=sources,
        variants=variants,
    )  # fmt: skip


# --- Versions and texts ----------------------------------------------------------------


@transaction.atomic
def version_create(
    *, document: Document, date: PartialDate | str | None = None, note: str = ""
) -> DocumentVersion:
    """Add the document's next version (numbered after the last); nothing is copied."""
    Document.objects.select_for_update().filter(pk=document.pk).first()
    last = document.versions.aggregate(last=models.Max("number"))["last"] or 0
    version = DocumentVersion(document=document, number=last + 1, note=note)
    version.date = date
    validated_save(version)
    return version


@transaction.atomic
def version_update(
    *, version: DocumentVersion, date: PartialDate | str | None = _KEEP, note: str = _KEEP
) -> DocumentVersion:
    """Change a version's date or note; refused once it was circulated or adopted."""
    rules.check_version_open(version)
    values = {name: value for name, value in (("date", date), ("note", note)) if value is not _KEEP}
    if assign(version, values):
        validated_save(version)
    return version


def text_upload(*, version: DocumentVersion, language: str, uploaded_file) -> DocumentText:
    """Keep a version's text in one language: the file as received and its plain text.

    The type is recognised from the content (see `uploads`), never from the name.
    All or nothing: if the row cannot be written, the stored file is deleted.
    """
    data = uploads.read_upload(uploaded_file)
    inspected = uploads.inspect(data, name=getattr(uploaded_file, "name", "") or "")
    rules.check_new_text(version, language)  # refuse before anything is stored
    text = DocumentText(
        version=version, language=language, media_type=inspected.media_type,
        size=inspected.size, sha256=inspected.sha256, text=inspected.text,
    )  # fmt: skip
    name = f"{version.document.key}-v{version.number}-{language}.{inspected.extension}"
    with _stored(text, "file", name, data):
        # Judged again under the version's lock: a circulation may have come in meanwhile.
        DocumentVersion.objects.select_for_update().filter(pk=version.pk).first()
        rules.check_new_text(version, language)
        validated_save(text)
    return text


def texts_upload(*, version: DocumentVersion, texts: Mapping[str, Any]) -> list[DocumentText]:
    """Keep a version's texts in several languages ({language: file}) at once: all or none,
    and no file left on disk when one is refused.

    A refusal names the text it is about as `text_<language>` (the officers' forms name
    their file boxes so).
    """
    kept, refused = [], {}
    with files_kept_only_if_saved():
        for language, uploaded_file in texts.items():
            # Each text is tried even after a refusal, so that every bad file is named at
            # once; a refused text wrote nothing (its own savepoint), the others go below.
            try:
                kept.append(
                    text_upload(version=version, language=language, uploaded_file=uploaded_file)
                )
            except ValidationError as exc:
                refused[f"text_{language}"] = exc.messages
        if refused:
            raise ValidationError(refused)
    return kept


def version_create_with_texts(
    *,
    document: Document,
    date: PartialDate | str | None = None,
    note: str = "",
    texts: Mapping[str, Any] | None = None,
) -> DocumentVersion:
    """Add the document's next version with its texts ({language: file}), all or nothing."""
    with files_kept_only_if_saved():
        version = version_create(document=document, date=date, note=note)
        texts_upload(version=version, texts=texts or {})
    return version


def document_create_with_texts(
    *,
    version_date: PartialDate | str | None = None,
    version_note: str = "",
    texts: Mapping[str, Any] | None = None,
    year: int | None = None,
    **document: Any,
) -> Document:
    """Register a document (the arguments of `document_create`) with its first version and
    that version's texts ({language: file}): all saved, or nothing and no file.

    A symbol made from the pattern takes the year of the first version when it is dated.
    """
    if year is None and version_date:
        year = PartialDate.parse(version_date).earliest.year
    with files_kept_only_if_saved():
        made = document_create(year=year, **document)
        version_create_with_texts(document=made, date=version_date, note=version_note, texts=texts)
    return made


# The files stored inside the innermost `files_kept_only_if_saved` block (None outside one).
_stored_in_block: ContextVar[list | None] = ContextVar("documents_stored_files", default=None)


@contextmanager
def files_kept_only_if_saved() -> Iterator[None]:
    """Run the block in a transaction; the files stored in it (texts, feedback) are deleted
    again if the block fails.

    `_stored` deletes a file whose own row cannot be written, but when several files are
    saved in one transaction and a later step fails, the earlier ones are on disk already:
    the rollback forgets their rows, this forgets the files. Nested blocks hand their files
    to the enclosing one, so a failure anywhere in the outer block removes them all.
    """
    enclosing = _stored_in_block.get()
    stored: list = []
    token = _stored_in_block.set(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    finally:
        _stored_in_block.reset(token)
    if enclosing is not None:
        enclosing.extend(stored)


@contextmanager
def _stored(instance: models.Model, field_name: str, name: str, data: bytes) -> Iterator[None]:
    """Store the file, then run the block in a transaction; delete the file if it fails.

    Not @transaction.atomic on the service itself: the file must go when the
    transaction does, and that is known only outside it.
    """
    field = instance._meta.get_field(field_name)
    stored = field.storage.save(field.generate_filename(instance, name), ContentFile(data))
    setattr(instance, field_name, stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        field.storage.delete(stored)
        raise
    block = _stored_in_block.get()
    if block is not None:  # a later step of the enclosing write may still fail
        block.append((field.storage, stored))


# --- Circulation for feedback ----------------------------------------------------------


@transaction.atomic
def document_circulate(
    *,
    version: DocumentVersion,
    date: PartialDate | str,
    deadline: dt.date,
    sources: Iterable[Source] = (),
    recipients: Iterable | None = None,
    body=None,
    meeting=None,
    note: str = "",
) -> tuple[DocumentEvent, Outcome]:
    """Circulate a version for feedback by `deadline`, to these states or (none given)
    to every member state on the day. The version is then fixed.

    Circulated in the system, the circulation is an act of the Secretariat, sourced by
    it (audit.acts); `sources` may add others, and must be given when the record's
    history is loaded.
    """
    parsed = PartialDate.parse(date)
    rules.check_circulation(version=version, date=parsed, deadline=deadline)
    same_day = DocumentEvent.objects.filter(
        document_id=version.document_id,
        kind=DocumentEvent.Kind.CIRCULATED,
        date_date=parsed.earliest,
        date_precision=parsed.precision.value,
        actor=None,
    ).exclude(version=version)
    if same_day.exists():
        raise ValidationError(
            _("Another version of the document was circulated on %(date)s.") % {"date": parsed}
        )
    sources = list(sources)
    act = None
    if acting.current().via not in HISTORY_CHANNELS:
        # The act is the event's source, so it is recorded first, on the version.
        act = act_record(verb=Act.Verb.CIRCULATED, record=version)
        sources.append(act_source(act))
    event, outcome = document_event_upsert(
        document=version.document,
        kind=DocumentEvent.Kind.CIRCULATED,
        date=parsed,
        sources=sources,
        version=version,
        body=body,
        meeting=meeting,
        deadline=deadline,
        recipients=list(recipients or []),
        note=note,
    )
    if act is not None:  # what was done is this circulation: the act now names it
        act_retarget(act, event)
    return event, outcome


def feedback_add(
    *,
    circulation: DocumentEvent,
    actor,
    received_on: dt.date,
    text: str = "",
    file=None,
    entered_by=None,
) -> Feedback:
    """Record a state's feedback on a circulation: its text, or its file, or both.

    Feedback is never replaced: a second response is a second record.
    """
    rules.check_feedback(
        circulation=circulation, actor=actor, received_on=received_on, text=text, file=file
    )
    feedback = Feedback(
        circulation=circulation, actor=actor, received_on=received_on, text=text.strip(),
        entered_by=entered_by,
    )  # fmt: skip
    if file is None:
        with transaction.atomic():
            validated_save(feedback)
        return feedback
    data = uploads.read_upload(file)
    inspected = uploads.inspect(data, name=getattr(file, "name", "") or "")
    name = f"{circulation.document.key}-{actor.slug}-{received_on}.{inspected.extension}"
    with _stored(feedback, "file", name, data):
        validated_save(feedback)
    return feedback


# --- Lifecycle -------------------------------------------------------------------------


@transaction.atomic
def document_event_upsert(
    *,
    document: Document,
    kind: str,
    date: PartialDate | str,
    sources: Iterable[Source],
    version=None,
    body=None,
    meeting=None,
    actor=None,
    deadline=None,
    recipients: Iterable | None = None,
    note: str = "",
    editorial_note: str = "",
    variants: Variants = (),
) -> tuple[DocumentEvent, Outcome]:
    """Record a lifecycle event (matched on document, kind, date and acting state).

    The whole lifecycle, with this event in its place by date, must follow the
    transitions in `lifecycle`; otherwise nothing is saved and the reason is given.
    """
    parsed = PartialDate.parse(date)
    if version is not None and version.document_id != document.pk:
        raise ValidationError({"version": "That version belongs to another document."})
    # Lock the document: two events written at once must be judged one after the other.
    Document.objects.select_for_update().filter(pk=document.pk).first()
    event, outcome = sourced_upsert(
        DocumentEvent,
        lookup={
            "document": document,
            "kind": kind,
            "date_date": parsed.earliest,
            "date_precision": parsed.precision.value,
            "actor": actor,
        },
        values={
            "version": version,
            "body": body,
            "meeting": meeting,
            "deadline": deadline,
            "note": note,
            "editorial_note": editorial_note,
        },
        sources=sources,
        variants=variants,
    )
    transitions.check_sequence(document.type, list(document.events.all()))
    if recipients is not None:
        wanted = {a.pk for a in recipients}
        if {a.pk for a in event.recipients.all()} != wanted:
            if kind != DocumentEvent.Kind.CIRCULATED:
                raise ValidationError({"recipients": "Only a circulation has recipients."})
            links_set(record=event, field="recipients", targets=wanted)
            outcome = Outcome.UPDATED if outcome is Outcome.UNCHANGED else outcome
    return event, outcome
