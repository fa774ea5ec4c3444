"""The answers about treaties, their status tables and actions, declared once
(core.answers): the API, the pages, the admin and the treaty-status command."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field

from secretariat.checklists.answers import ChecklistOut
from secretariat.checklists.selectors import checklist
from secretariat.core.answers import Answer, From
from secretariat.core.partial_dates import Certainty
from secretariat.core.schemas import PartialDateOut, SourceOut
from secretariat.documents.answers import DocumentRef
from secretariat.figures.answers import ReportedFigureOut
from secretariat.registry.answers import ActorRef, MeetingRef

from . import engine
from .selectors import TreatyStatus
from .status_table import consent_cell


class DayRangeOut(Answer):
    # Built from an engine.DayRange.
    earliest: dt.date
    latest: dt.date | None = Field(
        None, description="None: the record cannot say it happens (an uncertain date)."
    )
    certain: Annotated[bool, From("exact")]
    display: Annotated[str, From(lambda day_range: day_range.display())]


class FigureOut(Answer):
    # Built from an engine.Figure.
    value: int = Field(description="The figure from the instruments certainly deposited.")
    uncertain: int = Field(description="How many states with a partial date may change it.")
    low: int
    high: int


def _count(metric: str):
    return From(lambda status: status.counts[metric])


class Counts(Answer):
    # Built from an engine.Status.
    signatories: Annotated[FigureOut, _count("signatories")]
    parties: Annotated[FigureOut, _count("parties")]
    signed_and_ratified: Annotated[FigureOut, _count("signed_and_ratified")]
    signed_not_ratified: Annotated[FigureOut, _count("signed_not_ratified")]


def eif_text(status: engine.Status) -> str:
    """Entry into force in a sentence."""
    in_force = status.in_force
    if not status.rule.instruments:
        return "No entry-into-force rule on record."
    if status.entry_into_force is None:
        return "Not in force."
    if in_force is Certainty.YES:
        return f"In force since {status.entry_into_force.display()}."
    if in_force is Certainty.UNCERTAIN:
        return f"Possibly in force: enters into force {status.entry_into_force.display()}."
    return f"Not yet in force: enters into force on {status.entry_into_force.display()}."


class EntryIntoForceOut(Answer):
    # Built from an engine.Status.
    in_force: Annotated[str, From(lambda status: status.in_force.value)] = Field(
        description="yes, no or uncertain, as of `at`."
    )
    date: Annotated[DayRangeOut | None, From("entry_into_force")] = Field(
        None, description="The general date; None: not in force."
    )
    instrument_deposited: Annotated[DayRangeOut | None, From("trigger")] = Field(
        None, description="When the instrument that brought it into force was deposited."
    )
    display: Annotated[str, From(eif_text)]


class TreatyOut(Answer):
    # A treaty with its counts as of a day (built from a selectors.TreatyStatus).
    id: Annotated[int, From("treaty.pk")]
    document: Annotated[DocumentRef, From("treaty.document")]
    depositary: Annotated[str | None, From("treaty.depositary_en")] = None
    opened: Annotated[PartialDateOut | None, From("treaty.opened")] = None
    parties_may_be: Annotated[str, From("treaty.parties")] = Field(
        description="member_states or any_state."
    )
    at: Annotated[dt.date, From("status.at")]
    counts: Annotated[Counts, From("status")]
    instruments_required: Annotated[FigureOut | None, From("status.instruments_required")] = Field(
        None,
        description="Instruments still required before entry into force (None: no rule).",
    )
    entry_into_force: Annotated[EntryIntoForceOut, From("status")]
    reported_differs: Annotated[
        bool, From(lambda state: any(c.differs for c in state.comparisons))
    ] = Field(description="Whether a figure reported by a source differs from the computed one.")


class ActionOut(Answer):
    # Built from a TreatyAction.
    id: Annotated[int, From("pk")]
    kind: str
    label: Annotated[str, From(lambda action: action.get_kind_display())]
    date: PartialDateOut
    effective: PartialDateOut | None = None
    domestic_act: Annotated[str | None, From("domestic_act_en")] = None
    domestic_act_ru: str | None = None
    domestic_act_date: PartialDateOut | None = None
    statement: str | None = None


def _actor_of(row: engine.Row, *, actors: dict, **context) -> Any:
    return actors[row.actor]


class RowOut(Answer):
    # A participant's row (built from an engine.Row, with the treaty's `actors` by id in
    # the context: TreatyStatus.actors).
    participant: Annotated[ActorRef, From(_actor_of, context=True)]
    signature: Annotated[PartialDateOut | None, From("signature.date")] = None
    signature_withdrawn: Annotated[PartialDateOut | None, From("signature_withdrawal.date")] = None
    instrument: Annotated[ActionOut | None, From("consent.ref")] = None
    marker: str | None = Field(
        None, description="a accession, d succession, A acceptance, AA approval; none: ratified."
    )
    instrument_display: Annotated[str | None, From(consent_cell)] = None
    denunciation: Annotated[ActionOut | None, From("denunciation.ref")] = None
    signed: Annotated[str, From(lambda row: row.signed.value)] = Field(
        description="yes, no or uncertain on `at`."
    )
    party: Annotated[str, From(lambda row: row.party.value)] = Field(
        description="yes, no or uncertain on `at`."
    )
    entry_into_force: DayRangeOut | None = Field(
        None, description="The treaty's entry into force for this party."
    )
    statements: Annotated[list[ActionOut], From(lambda row: [a.ref for a in row.statements])]


class RuleOut(Answer):
    # Built from a Treaty.
    instruments: Annotated[int | None, From("eif_instruments")] = None
    kinds: Annotated[list[str], From(lambda treaty: treaty.eif_kinds or [])]
    delay_days: Annotated[int, From("eif_delay_days")]
    later_delay_days: Annotated[int | None, From("eif_later_delay_days")] = None
    text: Annotated[str | None, From("eif_text")] = None


class DenunciationOut(Answer):
    # Built from an engine.Row with a denunciation, with `actors` in the context.
    participant: Annotated[ActorRef, From(_actor_of, context=True)]
    date: Annotated[PartialDateOut, From("denunciation.date")]
    effective: Annotated[PartialDateOut, From("denunciation.takes_effect")]
    party: Annotated[str, From(lambda row: row.party.value)]


class TreatyReportedOut(ReportedFigureOut):
    metric: Annotated[str, From("measure")] = Field(
        description="The measure, as the treaty's counts name it."
    )


def _table(state: TreatyStatus) -> list[dict]:
    build = RowOut.builder(actors=state.actors)
    return [build(row) for row in state.status.rows]


def _denunciations(state: TreatyStatus) -> list[dict]:
    build = DenunciationOut.builder(actors=state.actors)
    return [build(row) for row in state.status.denunciations]


class TreatyStatusOut(TreatyOut):
    # A treaty's status table as of a day (built from a selectors.TreatyStatus).
    depositary_ru: Annotated[str | None, From("treaty.depositary_ru")] = None
    opened_place: Annotated[str | None, From("treaty.opened_place_en")] = None
    opened_place_ru: Annotated[str | None, From("treaty.opened_place_ru")] = None
    opened_at: Annotated[MeetingRef | None, From("treaty.opened_at")] = None
    rule: Annotated[RuleOut, From("treaty")]
    table: Annotated[list[RowOut], From(_table)]
    denunciations: Annotated[list[DenunciationOut], From(_denunciations)]
    reported: Annotated[list[TreatyReportedOut], From("comparisons")] = Field(
        description="Figures sources report without names, beside those computed as of the "
        "last day of their date."
    )
    next_steps: Annotated[ChecklistOut, From(lambda state: checklist(state.treaty.document))] = (
        Field(description="What the treaty's procedure waits on.")
    )
    note: Annotated[str | None, From("treaty.note")] = None
    sources: Annotated[list[SourceOut], From("treaty")]


class TreatyActionOut(ActionOut):
    # An action with its participant (built from a TreatyAction).
    participant: Annotated[ActorRef, From("actor")]
    sources: list[SourceOut]


class ActorTreatyActionOut(ActionOut):
    # An action with its treaty's document (built from a TreatyAction).
    treaty: Annotated[DocumentRef, From("treaty.document")]
    sources: list[SourceOut]
