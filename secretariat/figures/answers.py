"""The answers that carry reported figures (no routes of their own: each app's answer
carries the figures about its records), declared once (core.answers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.contrib.contenttypes.models import ContentType
from ninja import Field

from secretariat.core.answers import Answer, From
from secretariat.core.schemas import PartialDateOut, SourceOut

from .models import Measure


def label_of(measure: str) -> str:
    return Measure(measure).label if measure in Measure.values else measure


def _subject_type(figure) -> str:
    return ContentType.objects.get_for_id(figure.subject_type_id).model  # cached: no query


class ComputedOut(Answer):
    value: int = Field(description="Counted from the certain record.")
    low: int
    high: int = Field(description="With the records whose partial dates may place them in.")
    uncertain: int


class FigureSubjectOut(Answer):
    type: Annotated[str, From(_subject_type)] = Field(
        description="organization, body, meeting, treaty or catalogueedition."
    )
    id: Annotated[int, From("subject_id")]


class ReportedFigureOut(Answer):
    # A figure beside the record's count (built from a figures.compare.Comparison): what, of
    # what, as of when, both values, whether they differ, the sentence that sets them side
    # by side, the public note that says why.
    measure: str = Field(
        description="What is counted: members, observers, observer_states, "
        "observer_organizations, partners, meetings_held, participants, signatories, parties, "
        "signed_and_ratified, signed_not_ratified, instruments_required, areas."
    )
    label: Annotated[str, From(lambda c: label_of(c.measure))]
    subject: Annotated[FigureSubjectOut, From("figure")] = Field(
        description="What it is counted of."
    )
    as_of: PartialDateOut = Field(description="The date the source gives the figure as of.")
    compared_on: dt.date = Field(description="The last day of `as_of`: the day compared.")
    reported: int = Field(description="The figure as the source gives it.")
    computed: ComputedOut | None = Field(
        None, description="What the record holds that day (None: nothing to count)."
    )
    differs: bool
    detail: str = Field(description="The two counts side by side, in a sentence.")
    note: Annotated[str | None, From("figure.note")] = Field(
        None, description="Public note: why they differ, for readers."
    )
    sources: Annotated[list[SourceOut], From("figure")]
