"""The records API: every record officers keep in the admin, read and written by programs.

For each kind (records_kinds: every model the admin saves through records.services):

    GET    /records/<app>/<kind>              the readable records by id, paginated
    GET    /records/<app>/<kind>/{<kind>_id}  one record, with its ETag
    POST   /records/<app>/<kind>              add one (201, Location, ETag)
    PATCH  /records/<app>/<kind>/{<kind>_id}  change it (If-Match required)
    DELETE /records/<app>/<kind>/{<kind>_id}  delete it (If-Match required; restorable)

Writes go through the admin's form and save (records_write), so the services check
the policy and audit each change (via "api"); reads go through records_access, so
a record the caller may not read answers 404 exactly like a missing one.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Header, Path, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from secretariat.accounts.auth import signed_in
from secretariat.core.api_pagination import Paged, Presented
from secretariat.core.schemas import Problem

from . import write as records_write
from .access import record_dict, record_get, shows_editorial, visible
from .kinds import RecordKind, kinds
from .schemas import create_schema, output_schema, patch_schema
from .write import etag

router = Router(tags=["records"])

WRITE_ERRORS = {401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}
GUARDED_ERRORS = {**WRITE_ERRORS, 412: Problem, 428: Problem}
IF_MATCH = (
    'The ETag of the record as you read it (GET gives it, e.g. "v3-1f0c..."; "v3" will do). '
    "Without it: 428; naming another version: 412."
)


def _found(kind: RecordKind, request: HttpRequest, pk: int):
    record = record_get(kind, pk, request.user)
    if record is None:
        raise Http404(f"No {kind.name} {pk}.")
    return record


def _shown(kind: RecordKind, request: HttpRequest, pk: int, response: HttpResponse) -> dict:
    """The record as stored now, with its ETag on the answer."""
    record = _found(kind, request, pk)
    response["ETag"] = etag(kind, record)
    return record_dict(kind, record, officer=shows_editorial(request.user))


def _answer(kind: RecordKind, written: records_write.Written, response: HttpResponse) -> dict:
    """The record as the write's own transaction left it, with that state's ETag (not a
    fresh read, which a later writer's change could already have overtaken)."""
    if written.record is None:
        raise Http404(f"No {kind.name} you may read.")
    response["ETag"] = written.etag
    return written.body


def _signed(func: Callable, params: list[inspect.Parameter]) -> Callable:
    """`func(request, **values)` with the signature ninja reads its parameters from (a path
    parameter named after the kind, which a plain `def` cannot vary)."""
    request = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    func.__signature__ = inspect.Signature([request, *params])
    return func


def _param(name: str, annotation, default) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


def _register(kind: RecordKind) -> None:
    create, change, shown = create_schema(kind), patch_schema(kind), output_schema(kind)
    name, plural, op = kind.name, kind.plural, f"records_{kind.app}_{kind.slug.replace('-', '_')}"
    one = f"{kind.path}/{{{kind.param}}}"
    pk = _param(kind.param, int, Path(..., ge=1, le=2**63 - 1, description=f"The {name}'s id."))
    answer = _param("response", HttpResponse, inspect.Parameter.empty)
    if_match = _param("if_match", str | None, Header(None, alias="If-Match", description=IF_MATCH))
    reason = _param(
        "reason", str | None, Query(None, max_length=2000, description="Why: kept in the history.")
    )

    @paginate(Paged)
    def listed(request):
        officer = shows_editorial(request.user)
        return Presented(
            visible(kind, request.user),
            lambda record: record_dict(kind, record, officer=officer),
        )

    router.get(
        kind.path,
        response={200: list[shown], 422: Problem},
        operation_id=f"{op}_list",
        url_name=f"{op}_list",
        summary=f"List {plural}",
        description=f"The {plural} the caller may read, by id, with their total count.",
    )(listed)

    def read(request, **values):
        return _shown(kind, request, values[kind.param], values["response"])

    router.get(
        one,
        response={200: shown, 404: Problem, 422: Problem},
        operation_id=f"{op}_get",
        url_name=f"{op}_get",
        summary=f"One {name}, with its ETag",
        description=f"The {name} as stored, with the ETag that If-Match names to change it. "
        "A record the caller may not read answers 404, like a missing one.",
    )(_signed(read, [pk, answer]))

    def add(request, **values):
        payload = values["payload"].model_dump(exclude_unset=True)
        sources, why = payload.pop("sources", None), payload.pop("reason", None) or ""
        written = records_write.record_create(
            kind=kind, values=payload, sources=sources, reason=why, request=request
        )
        response = values["response"]
        body = _answer(kind, written, response)
        response["Location"] = f"{request.path.rstrip('/')}/{written.record.pk}"
        return Status(201, body)

    router.post(
        kind.path,
        auth=signed_in,
        response={201: shown, **WRITE_ERRORS},
        operation_id=f"{op}_create",
        url_name=f"{op}_create",
        summary=f"Add a {name}",
        description=f"Adds a {name} as the admin's add page does, with the same rules and "
        "messages; the answer carries its Location and ETag."
        + (" It cites at least one source, by key." if kind.sourced else ""),
    )(_signed(add, [_param("payload", create, inspect.Parameter.empty), answer]))

    def patch(request, **values):
        record = _found(kind, request, values[kind.param])
        payload = values["payload"].model_dump(exclude_unset=True)
        sources, why = payload.pop("sources", None), payload.pop("reason", None) or ""
        written = records_write.record_update(
            kind=kind, record=record, values=payload, sources=sources, reason=why,
            request=request,
        )  # fmt: skip
        return _answer(kind, written, values["response"])

    router.patch(
        one,
        auth=signed_in,
        response={200: shown, **GUARDED_ERRORS},
        operation_id=f"{op}_update",
        url_name=f"{op}_update",
        summary=f"Change a {name}",
        description="Changes the fields sent (those left out stay) as the admin's change "
        "page does. Send If-Match with the ETag from GET: without it 428; if the record "
        "changed since, 412 with what changed; a change landing meanwhile, 409. The answer "
        "carries the new ETag."
        + (" `sources` replaces the sources cited." if kind.sourced else ""),
    )(_signed(patch, [pk, _param("payload", change, inspect.Parameter.empty), if_match, answer]))

    if not kind.deletable:
        return  # the admin never deletes these (a lifecycle is corrected, not erased)

    def remove(request, **values):
        record = _found(kind, request, values[kind.param])
        records_write.record_remove(
            kind=kind, record=record, reason=values.get("reason") or "", request=request
        )
        return Status(204, None)

    router.delete(
        one,
        auth=signed_in,
        response={204: None, **GUARDED_ERRORS},
        operation_id=f"{op}_delete",
        url_name=f"{op}_delete",
        summary=f"Delete a {name}",
        description="Deletes the record as the admin does: kept whole in the audit trail, "
        "from which it can be restored; refused (422) while other records need it. Send "
        "If-Match with the ETag from GET.",
    )(_signed(remove, [pk, if_match, reason]))


for _kind in kinds():
    _register(_kind)
