"""What a notice is about, read uniformly: its document (whose access decides who may be
told), its body, the states concerned, its page, and the facts its wording names.

A notice names its record generically (content type and id); this module knows, for
each kind of record, how to read it through its app's selectors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from secretariat.accounts.policy import SYSTEM
from secretariat.bodies.models import MeetingSchedule
from secretariat.decisions import selectors as decisions
from secretariat.decisions.models import Procedure
from secretariat.documents import selectors as documents
from secretariat.documents.models import Document, DocumentEvent

from .models import Notice

K = Notice.Kind


@dataclass
class Subject:
    """The record a notice is about, with what notices need of it."""

    record: object
    document: Document | None
    body: object | None
    path: str

    def states_concerned(self, notice: Notice) -> set[int]:
        """The states (actor ids) told for their own sake; none by default."""
        return set()


@dataclass
class CirculationSubject(Subject):
    @property
    def event(self) -> DocumentEvent:
        return self.record

    def standing(self, day: dt.date | None = None) -> documents.Circulation:
        return documents.circulation_at(self.event, day or timezone.localdate())

    def states_concerned(self, notice: Notice) -> set[int]:
        if notice.kind == K.REMINDER:  # those that have not answered yet
            return {a.pk for a in self.standing().pending}
        return {a.pk for a in documents.circulation_recipients(self.event)}


@dataclass
class ProcedureSubject(Subject):
    @property
    def procedure(self) -> Procedure:
        return self.record

    def state(self, now: dt.datetime | None = None) -> decisions.ProcedureState:
        return decisions.procedure_state(self.procedure, now=now)

    def states_concerned(self, notice: Notice) -> set[int]:
        if notice.kind == K.REMINDER:  # eligible states without a position yet
            return {a.pk for a in self.state().pending}
        elig = decisions.eligibility(self.procedure)
        return {a.pk for a in (*elig.eligible, *elig.uncertain, *elig.associates)}


def subject_of(notice: Notice) -> Subject | None:
    """The notice's record, read afresh (None if it is no longer there)."""
    model = notice.content_type.model_class()
    if model is Procedure:
        found = decisions.procedures_qs().filter(pk=notice.object_id).first()
        return procedure_subject(found) if found else None
    if model is DocumentEvent:
        event = (
            DocumentEvent.objects.filter(pk=notice.object_id, kind=DocumentEvent.Kind.CIRCULATED)
            .select_related("document__body", "version", "body", "meeting")
            .prefetch_related("recipients", "feedback", "document__events")
            .first()
        )
        return circulation_subject(event) if event else None
    if model is MeetingSchedule:
        entry = (
            MeetingSchedule.objects.filter(pk=notice.object_id)
            .select_related("meeting__body", "country")
            .first()
        )
        return meeting_subject(entry) if entry else None
    if model is Document:
        found = (
            documents.readable(SYSTEM)
            .filter(pk=notice.object_id)
            .select_related("body", "meeting__body")
            .first()
        )
        return document_subject(found) if found else None
    return None


def procedure_subject(procedure: Procedure) -> ProcedureSubject:
    path = reverse("decisions:procedure", kwargs={"procedure_id": procedure.pk})
    return ProcedureSubject(procedure, procedure.version.document, procedure.body, path)


def circulation_subject(event: DocumentEvent) -> CirculationSubject:
    document = event.document
    path = reverse("documents:detail", kwargs={"key": document.key})
    return CirculationSubject(event, document, event.body or document.body, path)


def meeting_subject(entry: MeetingSchedule) -> Subject:
    path = reverse("bodies:meeting", kwargs={"key": entry.meeting.key})
    return Subject(entry, None, entry.meeting.body, path)


def document_subject(document: Document) -> Subject:
    path = reverse("documents:detail", kwargs={"key": document.key})
    body = document.body or (document.meeting.body if document.meeting else None)
    return Subject(document, document, body, path)
