"""Writes about procedures: open one, record a position, record a decision, close.

The outcome is always derived (decisions.outcome); a ProcedureClosing records
that it became final and, for an adoption, the document's "adopted" lifecycle
event written in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from secretariat.audit.acts import act_record, act_source
from secretariat.audit.models import Act
from secretariat.core.models import Source
from secretariat.documents.models import DocumentEvent
from secretariat.documents.services import document_event_upsert
from secretariat.records.services import (
    EditConflict,
    citations_set,
    source_for_record,
    validated_save,
)

from . import engine, rules, selectors
from .models import Position, Procedure, ProcedureClosing


class ConfirmationNeeded(ValidationError):
    """A position that would decide the outcome, posted without confirmation: nothing
    was recorded. `consequence` says what it would decide (selectors.BREAKS_SILENCE or
    selectors.BLOCKS_CONSENSUS)."""

    MESSAGES = {
        selectors.BREAKS_SILENCE: "This objection would end the silence procedure: the draft "
        "would not be adopted by silence, and that cannot be undone (a withdrawal does not "
        "restore silence). Send it again with confirmation to record it.",
        selectors.BLOCKS_CONSENSUS: "This objection would block consensus: the draft would not "
        "be adopted at the meeting while it stands. Send it again with confirmation to "
        "record it.",
    }

    def __init__(self, consequence: str):
        super().__init__({"confirm": self.MESSAGES[consequence]}, code="confirm")
        self.consequence = consequence


@dataclass(frozen=True)
class Closed:
    """What closing a procedure did (or, in a dry run, would do)."""

    procedure: Procedure
    outcome: str
    closed_at: dt.datetime
    closing: ProcedureClosing | None = None  # None in a dry run
    event: DocumentEvent | None = None  # the "adopted" event written
    refusal: str = ""  # why the document's lifecycle refused the adoption


def _locked(procedure: Procedure) -> Procedure:
    """The procedure as stored, locked: positions and closes are judged one at a time."""
    return Procedure.objects.select_for_update().get(pk=procedure.pk)


@transaction.atomic
def procedure_open(
    *,
    version,
    body,
    kind: str,
    opened_at: dt.datetime,
    sources: Iterable[Source] = (),
    deadline: dt.datetime | None = None,
    meeting=None,
    note: str = "",
    **values,
) -> Procedure:
    """Put a document version before a body: for decision at a meeting, or by silence.

    Opened in the system, the procedure is an act of the Secretariat and is sourced by
    it (audit.acts); `sources` may add others, and must be given when the record's
    history is loaded (no act then).
    """
    sources = list(sources)
    procedure = Procedure(
        version=version,
        body=body,
        kind=kind,
        opened_at=opened_at,
        deadline=deadline,
        meeting=meeting,
        note=note,
        **values,
    )
    validated_save(procedure)
    act = act_record(verb=Act.Verb.PROCEDURE_OPENED, record=procedure)
    if act is not None:
        sources.append(act_source(act))
    if not sources:
        raise ValidationError("Every record needs at least one source.", code="no_source")
    citations_set(record=procedure, sources=sources)
    return procedure


@transaction.atomic
def procedure_update(
    *, procedure: Procedure, changed_at: dt.datetime, note: str, positions_visibility: str
) -> Procedure:
    """Change a procedure's note and who sees its positions (its version, body, kind,
    dates and positions are its record and stay), unless it changed since `changed_at`,
    the moment of the change the edit started from (a procedure's `version` names the
    document version it decides on, so it has no edit version to compare)."""
    procedure = _locked(procedure)
    if procedure.updated_at != changed_at:
        raise EditConflict(
            gettext("This procedure was changed by someone else since you opened it. Reload "
                    "it and make your change again."),
            expected_version=None, current_version=None,
        )  # fmt: skip
    procedure.note, procedure.positions_visibility = note, positions_visibility
    validated_save(procedure)
    return procedure


@transaction.atomic
def procedure_visibility_set(*, procedure: Procedure, visibility: str) -> Procedure:
    """Say who sees the states' positions and statements in a procedure (public, members
    or officers: Procedure.Visibility); the outcome and the counts stay everyone's."""
    procedure = _locked(procedure)
    procedure.positions_visibility = visibility
    validated_save(procedure)
    return procedure


@transaction.atomic
def position_add(
    *,
    procedure: Procedure,
    actor,
    kind: str,
    stated_at: dt.datetime,
    statement: str = "",
    entered_by=None,
    confirmed: bool = True,
) -> Position:
    """Record a state's position as stated at `stated_at`; positions are never changed.

    A delegate's position that would decide the outcome (selectors.position_decides) is
    recorded only `confirmed`: unconfirmed, it is checked like any other (the policy, the
    rules) and then refused with ConfirmationNeeded, nothing kept. The system, loading
    history, records as told (confirmed by default).
    """
    procedure = _locked(procedure)
    consequence = None
    if not confirmed:
        consequence = selectors.position_decides(procedure, actor.pk, kind, now=stated_at)
    position = Position(
        procedure=procedure,
        actor=actor,
        kind=kind,
        stated_at=stated_at,
        statement=statement,
        entered_by=entered_by,
    )
    validated_save(position)
    if consequence is not None:
        raise ConfirmationNeeded(consequence)  # rolls the position back: nothing kept
    _closing_sync(procedure)
    return position


def _closing_sync(procedure: Procedure) -> None:
    """Keep a recorded close's moment right when an earlier objection is entered late.

    (rules refuse a late entry that would change a final outcome, so only the
    moment silence was broken can move.)
    """
    closing = selectors.closing_of(procedure)
    if closing is None or procedure.kind != Procedure.Kind.SILENCE:
        return
    verdict = selectors.procedure_state(procedure).verdict
    if verdict.final and verdict.since != closing.closed_at:
        closing.closed_at = verdict.since
        validated_save(closing)


@transaction.atomic
def procedure_decide(*, procedure: Procedure, decided_at: dt.datetime) -> Closed:
    """Record the decision of a meeting procedure, taken at `decided_at`.

    Adopted when no eligible state had a standing objection at that moment, else
    failed; an adoption writes the document's "adopted" event.
    """
    procedure = _locked(procedure)
    rules.check_decision(procedure, decided_at, now=timezone.now())
    elig = selectors.eligibility(procedure)
    verdict = engine.verdict(
        kind=procedure.kind,
        opened_at=procedure.opened_at,
        closes_at=decided_at,
        eligible=elig.eligible_ids,
        positions=selectors.stances(procedure.positions.all()),
        now=decided_at,
    )
    return _close(procedure, verdict)


@transaction.atomic
def procedure_close(*, procedure: Procedure, now: dt.datetime | None = None) -> Closed | None:
    """Record the close of a silence procedure whose outcome is final at `now`.

    None when it is not final yet or is closed already: safe to call again.
    """
    now = _not_ahead(now)
    procedure = _locked(procedure)
    if procedure.kind != Procedure.Kind.SILENCE:
        raise ValidationError("A decision at a meeting closes when its decision is recorded.")
    if selectors.closing_of(procedure) is not None:
        return None
    verdict = selectors.procedure_state(procedure, now=now).verdict
    if not verdict.final:
        return None
    return _close(procedure, verdict)


def procedures_close_due(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[Closed]:
    """Close every silence procedure whose outcome has become final and is not closed yet.

    Idempotent and safe to run every minute, even twice at once: each close is
    its own transaction on the locked procedure, so one document that cannot be
    written does not hold back the others.
    """
    now = _not_ahead(now)
    due = selectors.procedures_due(now=now)
    if dry_run:
        return [Closed(s.procedure, s.verdict.state, s.verdict.since) for s in due]
    closed = [procedure_close(procedure=s.procedure, now=now) for s in due]
    return [c for c in closed if c is not None]


def _not_ahead(now: dt.datetime | None) -> dt.datetime:
    """`now`, or this moment; never a moment still to come (that would close early)."""
    real = timezone.now()
    if now is None:
        return real
    rules.require_aware(now, "now")
    if now > real:
        raise ValidationError(f"Cannot close procedures as of {rules.when(now)}, still to come.")
    return now


def _close(procedure: Procedure, verdict: engine.Verdict) -> Closed:
    event, refusal = None, ""
    if verdict.state is engine.State.ADOPTED:
        event, refusal = _adopt(procedure, verdict.since)
    closing = ProcedureClosing(
        procedure=procedure,
        outcome=verdict.state.value,
        closed_at=verdict.since,
        event=event,
        adoption_refused=refusal,
    )
    validated_save(closing)
    act_record(verb=Act.Verb.PROCEDURE_CLOSED, record=procedure)
    return Closed(procedure, closing.outcome, closing.closed_at, closing, event, refusal)


def _adopt(procedure: Procedure, closed_at: dt.datetime) -> tuple[DocumentEvent | None, str]:
    """Write the document's "adopted" event; a refusal by its lifecycle is reported, not raised."""
    version = procedure.version
    title = f"{procedure.get_kind_display().capitalize()} on {version} before {procedure.body}"
    day = timezone.localdate(closed_at)
    # An adoption already on record that day (entered by hand, or loaded) keeps its
    # sources: the procedure is cited beside them, not instead of them.
    earlier = DocumentEvent.objects.filter(
        document=version.document, kind=DocumentEvent.Kind.ADOPTED, date_date=day,
        date_precision="day", actor=None,
    ).first()  # fmt: skip
    cited = [c.source for c in earlier.citations.select_related("source")] if earlier else []
    try:
        with transaction.atomic():
            event, _ = document_event_upsert(
                document=version.document,
                kind=DocumentEvent.Kind.ADOPTED,
                date=day,
                version=version,
                body=procedure.body,
                meeting=procedure.meeting,
                sources=[*cited, source_for_record(record=procedure, title=title)],
            )
    except ValidationError as exc:
        return None, " ".join(exc.messages)
    return event, ""
