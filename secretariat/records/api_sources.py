"""Read API for the sources the record cites.

A source that is a document held here is listed only to those who may read that
document, like the document itself.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from secretariat.accounts.policy import documents_q
from secretariat.core.api_pagination import Paged, Presented, order_by, ordering
from secretariat.core.models import Source
from secretariat.core.presenters import partial, source_record
from secretariat.core.schemas import Key, PartialDateOut, Problem, RecordRef
from secretariat.documents.models import Document

router = Router(tags=["sources"])

SourceOrdering = ordering("SourceOrdering", "key", "title", "published")


class SourceDetail(Schema):
    key: str
    title: str
    url: str | None = None
    publisher: str | None = None
    published: PartialDateOut | None = None
    accessed: dt.date | None = Field(None, description="When an online source was read.")
    note: str | None = None
    record: RecordRef | None = Field(
        None, description="When the source is a record held here (a meeting): which one."
    )


class SourcesQuery(Schema):
    q: Key | None = Field(None, description="Only sources whose key or title contains this.")
    ordering: SourceOrdering | None = Field(
        None, description="By key (default), title or publication date; '-' reverses."
    )


def readable_sources(user):
    """Sources, less those that are documents the user may not read."""

    documents = ContentType.objects.get_for_model(Document)
    visible = Document.objects.filter(documents_q(user)).values("pk")
    return Source.objects.filter(~Q(target_type=documents) | Q(target_id__in=visible))


def _source(source: Source) -> dict:
    return {
        "key": source.key,
        "title": source.title,
        "url": source.url or None,
        "publisher": source.publisher or None,
        "published": partial(source.published),
        "accessed": source.accessed,
        "note": source.note or None,
        "record": source_record(source),
    }


@router.get(
    "/sources",
    response={200: list[SourceDetail], 422: Problem},
    summary="The sources the record cites",
    description="Reports, pages and records each fact comes from; every record's `sources` "
    "name them by key.",
)
@paginate(Paged)
def sources(request, query: Query[SourcesQuery]):
    qs = readable_sources(request.user)
    if query.q:
        qs = qs.filter(Q(key__icontains=query.q) | Q(title__icontains=query.q))
    qs = order_by(
        qs,
        query.ordering,
        {"key": ["key"], "title": ["title"], "published": ["published_date", "key"]},
    )
    return Presented(qs, _source)


@router.get(
    "/sources/{key}",
    response={200: SourceDetail, 404: Problem},
    summary="One source",
)
def source_detail(request, key: str = Path(..., description="The source's key.")):
    source = readable_sources(request.user).filter(key=key).first()
    if source is None:
        raise Http404(f"No source '{key}'.")
    return _source(source)
