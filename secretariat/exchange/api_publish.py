"""Published formats under the API: a document as Akoma Ntoso XML, and the calendar.

The list and status tables as CSV and XLSX are served outside the API, at
/exports/<table>.csv and .xlsx (exchange/views.py), beside the calendar at /calendar.ics
that calendar applications subscribe to.
"""

from django.http import Http404, HttpResponse
from ninja import Field, Path, Query, Router, Schema

from secretariat.core.as_of import AsOf
from secretariat.core.schemas import Problem
from secretariat.documents.selectors import body_by_slug, document_get
from secretariat.registry.selectors import today

from . import akn, ical

router = Router(tags=["exports"])
# akn and ical are imported where used: their libraries (lxml, icalendar) load only then.
AKN = "application/akn+xml"


def _content(media_type: str, description: str) -> dict:
    """The OpenAPI answer of an operation that returns a file rather than JSON."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {media_type: {"schema": {"type": "string"}}},
            }
        }
    }


class AknQuery(Schema):
    at: AsOf = Field(
        None, description="The lifecycle and status as of this day, YYYY-MM-DD (default today)."
    )
    language: str = Field(
        "en",
        pattern=r"^[a-z]{2,3}$",
        description="The language of the expression (en, ru...): one the document is held in.",
    )


@router.get(
    "/documents/{key}/akn",
    response={200: None, 404: Problem, 422: Problem},
    url_name="document_akn",
    summary="A document as Akoma Ntoso 3.0 XML",
    description="One expression (language) of the document: FRBR work, expression and "
    "manifestation identifiers, its lifecycle and workflow as of `at`, the bodies and "
    "states that acted, and the text held in the language, by paragraph. `key` is the "
    "document's key or id; a document you may not read answers 404 as a missing one.",
    openapi_extra=_content(AKN, "The Akoma Ntoso XML."),
)
def document_akn(
    request,
    query: Query[AknQuery],
    key: str = Path(..., description="The document's key (or its id)."),
):

    # The access and lookup of the document's own endpoint, exactly.
    readable = document_get(key, user=request.user)
    if readable is None:
        raise Http404(f"No document '{key}'.")
    document = akn.documents_for(request.user).get(pk=readable.pk)
    held = akn.languages_held(document)
    if query.language not in held:
        raise Http404(
            f"Document '{key}' is not held in '{query.language}': it is held in {', '.join(held)}."
        )
    xml = akn.one_document_xml(document, language=query.language, at=query.at or today())
    response = HttpResponse(xml, content_type=f"{AKN}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{document.key}-{query.language}.xml"'
    return response


class CalendarQuery(Schema):
    body: str | None = Field(
        None, description="A body's slug: only its meetings and the deadlines before it."
    )


@router.get(
    "/calendar.ics",
    response={200: None, 404: Problem, 422: Problem},
    url_name="calendar",
    summary="The calendar of meetings and deadlines (iCalendar)",
    description="Meetings (all-day events on the days held, else last planned, with STATUS "
    "CONFIRMED, TENTATIVE or CANCELLED), the deadlines of consensus procedures and the "
    "feedback deadlines of circulations you may read. Meetings dated only to the month or "
    "year are left out (the calendar's description says how many). Calendar applications "
    "cannot send tokens: subscribe to /calendar.ics (the same feed outside the API).",
    openapi_extra=_content("text/calendar", "The calendar (RFC 5545)."),
)
def calendar(request, query: Query[CalendarQuery]):

    body = None
    if query.body:
        body = body_by_slug(query.body)
        if body is None:
            raise Http404(f"No body '{query.body}'.")
    data = ical.calendar_bytes(
        user=request.user, at=today(), body=body, base_url=request.build_absolute_uri("/")
    )
    return HttpResponse(data, content_type="text/calendar; charset=utf-8")
