"""The shape of a reported figure in the API answers that carry them (no routes of its own:
each app's answer carries the figures about its records)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from secretariat.core.schemas import PartialDateOut, SourceOut


class ComputedOut(Schema):
    value: int = Field(description="Counted from the certain record.")
    low: int
    high: int = Field(description="With the records whose partial dates may place them in.")
    uncertain: int


class FigureSubjectOut(Schema):
    type: str = Field(description="organization, body, meeting, treaty or catalogueedition.")
    id: int


class ReportedFigureOut(Schema):
    measure: str = Field(
        description="What is counted: members, observers, observer_states, "
        "observer_organizations, partners, meetings_held, participants, signatories, parties, "
        "signed_and_ratified, signed_not_ratified, instruments_required, areas."
    )
    label: str
    subject: FigureSubjectOut = Field(description="What it is counted of.")
    as_of: PartialDateOut = Field(description="The date the source gives the figure as of.")
    compared_on: dt.date = Field(description="The last day of `as_of`: the day compared.")
    reported: int = Field(description="The figure as the source gives it.")
    computed: ComputedOut | None = Field(
        None, description="What the record holds that day (None: nothing to count)."
    )
    differs: bool
    detail: str = Field(description="The two counts side by side, in a sentence.")
    note: str | None = Field(None, description="Public note: why they differ, for readers.")
    sources: list[SourceOut]
