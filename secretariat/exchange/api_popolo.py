"""The Popolo export over the API: the same bytes as `secretariat export --format popolo`."""

from typing import Any

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from secretariat.core.schemas import AtQuery, Problem
from secretariat.registry.selectors import today

from . import popolo

router = Router(tags=["exports"])


class PopoloDocument(Schema):
    """A Popolo JSON document (https://www.popoloproject.com/specs/)."""

    organizations: list[dict[str, Any]] = Field(
        description="The organization, its bodies, and the states and organizations on record."
    )
    memberships: list[dict[str, Any]] = Field(
        description="Statuses (member, observer, partner, applicant, dialogue partner), "
        "chairmanships and heads of the Secretariat."
    )
    posts: list[dict[str, Any]] = Field(description="The chair and the head of the Secretariat.")
    persons: list[dict[str, Any]] = Field(description="The heads of the Secretariat.")
    events: list[dict[str, Any]] = Field(description="Meetings of the bodies.")


@router.get(
    "/exports/popolo.json",
    response={200: PopoloDocument, 422: Problem},
    url_name="export_popolo",
    summary="The record as Popolo JSON",
    description="Organizations (the organization, its bodies, member states and partner "
    "organizations, with names in every language and ISO 3166 codes), memberships with start "
    "and end dates and roles (member, observer, partner, applicant, dialogue partner, chair), "
    "posts, persons (heads of the Secretariat) and events (meetings), with their sources as "
    "links. The whole history up to `at` (default today): what begins after it is left out. "
    "Partial dates are ISO partial strings (`2021`, `2021-06`). Deterministic: the same record "
    "gives the same bytes.",
)
def popolo_export(request, query: Query[AtQuery]):
    at = query.at or today()
    body = popolo.render(at=at, user=request.user)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="popolo-{at.isoformat()}.json"'
    return response
