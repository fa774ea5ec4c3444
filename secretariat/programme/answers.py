"""The answers about the programme (the Catalogue of CBMs, its areas, roles and events, the
reviews, the road map, quotations), declared once (core.answers): the API and the pages.

Most are built with `visible` in the context: the ids of the documents the reader may
read (documents.selectors.readable_ids); a link to any other document is left out, as if
it were not there. What each is built from is said in a comment, not a docstring: a
docstring would be the schema's description in the OpenAPI document.
"""

from __future__ import annotations

import datetime as dt
from operator import attrgetter
from typing import Annotated

from ninja import Field

from secretariat.checklists.answers import ChecklistOut
from secretariat.core.answers import Answer, From
from secretariat.core.schemas import PartialDateOut, SourceOut
from secretariat.documents.answers import DocumentRef
from secretariat.figures.answers import ReportedFigureOut
from secretariat.registry.answers import ActorRef

from . import selectors
from .selectors import EditionSpan


def _readable(path: str) -> From:
    """From for the document at `path`, None unless the reader may read it (`visible`)."""
    read = attrgetter(path)

    def document(obj, *, visible, **_):
        found = read(obj)
        return found if found is not None and found.pk in visible else None

    return From(document, context=True)


def _all_readable(path: str) -> From:
    """From for the documents at `path` (a related manager) the reader may read."""
    read = attrgetter(path)
    return From(
        lambda obj, *, visible, **_: [d for d in read(obj).all() if d.pk in visible],
        context=True,
    )


def _unspanned(edition) -> EditionSpan:
    """An edition without the events of its time in force (None for both)."""
    return EditionSpan(edition=edition, start=None, end=None)


class MeetingKey(Answer):
    key: str
    id: Annotated[int, From("pk")]


# A coordinator role; built with `holds` given where it is read on a day.
class RoleOut(Answer):
    id: Annotated[int, From("pk")]
    actor: ActorRef
    role: str = Field(description="coordinator or co_coordinator.")
    start: PartialDateOut
    start_attested: bool = Field(
        description="True when the start is only the earliest date a source names the role "
        "(it may have begun earlier)."
    )
    end: PartialDateOut | None = None
    holds: Annotated[str | None, From(lambda role: None)] = Field(
        None, description="yes or uncertain on `at` (None: no `at`)."
    )
    decided_at: MeetingKey | None = None
    decided_by: Annotated[DocumentRef | None, _readable("decided_by")] = None
    note: str | None = None
    sources: list[SourceOut]


class AreaRef(Answer):
    id: Annotated[int, From("pk")]
    number: int
    number_ours: bool = Field(
        description="True when the number is the record's own: the sources give the area none."
    )
    title: Annotated[str, From("title_en")]


class AreaOut(AreaRef):
    title_ru: str | None = None
    dimension: Annotated[str, From("dimension.slug")]
    added_on: PartialDateOut | None = None
    added_at: MeetingKey | None = None
    added_by: Annotated[DocumentRef | None, _readable("added_by")] = None
    note: str | None = None
    sources: list[SourceOut]


# An area of the catalogue on its day; built with `coordinators` given (its roles possibly
# holding then, each with `holds`).
class CatalogueAreaOut(AreaOut):
    coordinators: list[RoleOut]


# A dimension of the catalogue; built with `areas` given (its areas on the day).
class DimensionOut(Answer):
    slug: str
    name: Annotated[str, From("name_en")]
    name_ru: str | None = None
    areas: list[CatalogueAreaOut]


class SpanEventOut(Answer):
    kind: str = Field(
        description="The lifecycle event: adopted, endorsed, entered_into_force, "
        "superseded or withdrawn."
    )
    date: PartialDateOut
    meeting: MeetingKey | None = None


# An edition of the catalogue, built from a selectors.EditionSpan: the edition with the events
# of its document that started and ended its time in force.
class EditionRef(Answer):
    id: Annotated[int, From("edition.pk")]
    document: Annotated[DocumentRef | None, _readable("edition.document")] = Field(
        None, description="None if you may not read it."
    )
    note: Annotated[str | None, From("edition.note")] = None
    in_force_from: Annotated[SpanEventOut | None, From("start")] = Field(
        None, description="The event of its document that brought it into force."
    )
    in_force_until: Annotated[SpanEventOut | None, From("end")] = Field(
        None, description="The event that ended it (None: not ended on record)."
    )


class EditionOut(EditionRef):
    first_day: dt.date | None = Field(
        None, description="The first day it was certainly in force (`at` for the catalogue)."
    )
    areas: int = Field(description="Priority areas of the edition on record.")


# A document that goes with an edition (built from its link, citations prefetched).
class RelatedOut(Answer):
    document: DocumentRef
    sources: list[SourceOut]


def _edition_span(view: selectors.Catalogue) -> EditionSpan:
    return selectors.edition_span(view.edition) or _unspanned(view.edition)


def _dimensions(view: selectors.Catalogue, **context) -> list[dict]:
    """Each dimension with its areas on the day, each with the roles possibly holding then."""

    def area(a) -> dict:
        roles = [RoleOut.build(r, holds=h.value, context=context) for r, h in view.current[a.pk]]
        return CatalogueAreaOut.build(a, coordinators=roles, context=context)

    return [
        DimensionOut.build(
            d, areas=[area(a) for a in view.areas if a.dimension_id == d.pk], context=context
        )
        for d in view.dimensions
    ]


def _related(view: selectors.Catalogue, visible: set[int]) -> list:
    return [link for link in view.related if link.document_id in visible]


# The catalogue as of a day, built from a selectors.Catalogue (`edition` may be given: its
# EditionSpan, when already read).
class CatalogueOut(Answer):
    at: dt.date
    edition: Annotated[EditionRef, From(_edition_span)]
    dimensions: Annotated[list[DimensionOut], From(_dimensions, context=True)]
    related_documents: Annotated[
        list[RelatedOut],
        From(lambda view, *, visible, **_: _related(view, visible), context=True),
    ]
    reported: Annotated[
        list[ReportedFigureOut],
        From(lambda view: selectors.edition_figures(view.edition, view.at)),
    ] = Field(
        description="How many priority areas sources give the edition, known by `at`, each "
        "beside the areas on record on its own date, with why they differ where they do."
    )


class CbmEventOut(Answer):
    id: Annotated[int, From("pk")]
    kind: str
    title: Annotated[str, From("title_en")]
    title_ru: str | None = None
    organizer: ActorRef | None = None
    date: PartialDateOut
    place: Annotated[str | None, From("place_en")] = None
    sources: list[SourceOut]


# Built from a (year, count) pair.
class YearCount(Answer):
    year: Annotated[int, From(lambda pair: pair[0])]
    count: Annotated[int, From(lambda pair: pair[1])]


# Built from an (organizing state or None, count) pair.
class StateCount(Answer):
    state: Annotated[ActorRef | None, From(lambda pair: pair[0])] = None
    count: Annotated[int, From(lambda pair: pair[1])]


class ReviewOut(Answer):
    id: Annotated[int, From("pk")]
    date: PartialDateOut
    meeting: MeetingKey | None = None
    documents: Annotated[list[DocumentRef], _all_readable("documents")]
    note: str | None = None
    sources: list[SourceOut]


# A priority area with its history, built from a selectors.AreaDetail.
class AreaDetailOut(AreaOut):
    inherited_from = "area"
    edition: Annotated[EditionRef, From(lambda d: d.span or _unspanned(d.area.edition))]
    coordinators: Annotated[list[RoleOut], From("roles")]
    events: list[CbmEventOut]
    events_by_year: Annotated[list[YearCount], From(lambda d: d.by_year.items())]
    events_by_state: Annotated[list[StateCount], From("by_state")]
    reviews: list[ReviewOut]


class StateRoleOut(RoleOut):
    area: AreaRef
    edition: Annotated[DocumentRef | None, _readable("area.edition.document")] = Field(
        None, description="None if you may not read it."
    )


class TaskOut(Answer):
    position: int
    title: Annotated[str, From("title_en")]
    title_ru: str | None = None
    status: str
    lead_states: list[ActorRef]
    contributing_states: list[ActorRef]
    note: str | None = None
    sources: list[SourceOut]


class FocusOut(Answer):
    year: int
    note: str | None = None


def _progress(cluster) -> selectors.Progress:
    return selectors.progress(list(cluster.tasks.all()))


# A cluster of the road map; built with the road map's `steps` in the context
# (selectors.RoadMap.steps: each cluster's next steps).
class ClusterOut(Answer):
    id: Annotated[int, From("pk")]
    number: int
    title: Annotated[str, From("title_en")]
    title_ru: str | None = None
    tasks: list[TaskOut]
    done: Annotated[int, From(lambda c: _progress(c).done)]
    total: Annotated[int, From(lambda c: _progress(c).total)]
    progress: Annotated[str, From(lambda c: _progress(c).label)]
    focus: list[FocusOut]
    documents: Annotated[list[DocumentRef], _all_readable("documents")]
    next_steps: Annotated[ChecklistOut, From(lambda c, *, steps, **_: steps[c.pk], context=True)]
    sources: list[SourceOut]


# A cluster's focus in a year (built from its ClusterFocus).
class FocusClusterOut(Answer):
    number: Annotated[int, From("cluster.number")]
    title: Annotated[str, From("cluster.title_en")]
    note: str | None = None
    sources: list[SourceOut]


# Built from a (year, focus of the clusters) pair.
class YearFocusOut(Answer):
    year: Annotated[int, From(lambda pair: pair[0])]
    clusters: Annotated[list[FocusClusterOut], From(lambda pair: pair[1])]


def _clusters(view: selectors.RoadMap, **context) -> list[dict]:
    # Each cluster's next steps are read from the road map's.
    return [ClusterOut.build(c, context={**context, "steps": view.steps}) for c in view.clusters]


# A road map, built from a selectors.RoadMap.
class RoadMapOut(Answer):
    document: DocumentRef
    clusters: Annotated[list[ClusterOut], From(_clusters, context=True)]
    done: Annotated[int, From("progress.done")] = Field(
        description="Tasks done, over all clusters."
    )
    total: Annotated[int, From("progress.total")] = Field(
        description="Tasks planned (dropped ones do not count)."
    )
    progress: Annotated[str, From("progress.label")]
    focus_by_year: Annotated[list[YearFocusOut], From(lambda view: view.focus_by_year.items())]


class QuotationOut(Answer):
    id: Annotated[int, From("pk")]
    topic: str
    text: Annotated[str, From("text_en")]
    text_ru: str | None = None
    speaker: Annotated[str, From("speaker_en")]
    speaker_ru: str | None = None
    speaker_actor: ActorRef | None = None
    meeting: MeetingKey | None = None
    date: PartialDateOut | None = None
    sources: list[SourceOut]


class AreaListItem(AreaOut):
    edition: Annotated[EditionRef, From(lambda area: _unspanned(area.edition))]


class CbmEventItem(CbmEventOut):
    area: AreaRef
