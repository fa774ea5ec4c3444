"""The API under /api/v1/: one NinjaAPI, a router per app, one error format."""

import json
import pickle

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as RuleError
from django.db import OperationalError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from secretariat.accounts.api import router as accounts_router
from secretariat.audit.api import router as history_router
from secretariat.bodies.api import router as bodies_router
from secretariat.checklists.api import router as checklists_router
from secretariat.core import busy
from secretariat.core.api_http import PROBLEM, entity_tag, problem_body, title_of
from secretariat.core.api_openapi import complete
from secretariat.decisions.api import router as decisions_router
from secretariat.documents.api import router as documents_router
from secretariat.exchange.api_popolo import router as popolo_router
from secretariat.exchange.api_publish import router as publish_router
from secretariat.initiatives.api import router as initiatives_router
from secretariat.programme.api import router as programme_router
from secretariat.records.api import router as records_router
from secretariat.records.api_sources import router as sources_router
from secretariat.records.services import EditConflict
from secretariat.records.write import Precondition
from secretariat.registry.api import router as registry_router
from secretariat.search.api import router as search_router
from secretariat.treaties.api import router as treaties_router


class SecretariatAPI(NinjaAPI):
    """The API, whose OpenAPI document also lists what every operation may answer.

    The document depends on the code alone, and building it takes seconds (hundreds of
    operations), so it is built once per process and prefix; each caller gets its own copy.
    """

    _documents: dict[str, bytes] = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        key = json.dumps([path_prefix, path_params], sort_keys=True, default=str)
        if key not in self._documents:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            self._documents[key] = pickle.dumps(dict(complete(schema)))
        return pickle.loads(self._documents[key])  # a copy the caller may change


api = SecretariatAPI(
    title="Secretariat API",
    version="1.0.0",
    description=(
        "The record of a consensus-based intergovernmental organization: actors and their "
        "statuses over time, chairmanships, heads of the Secretariat, bodies and meetings. "
        "Endpoints whose answer changes over time take `at` (YYYY-MM-DD, default today). "
        "Lists answer `{count, items}`, a page at a time (`limit`, `offset`), in a stable "
        "order. Every read carries an ETag: send it back in If-None-Match and the answer is "
        "304 while nothing you may see has changed. Edits send If-Match with the ETag they "
        "started from. Every error is an RFC 9457 problem (application/problem+json). "
        "Send `Authorization: Bearer <token>` to act with your account's rights."
    ),
    urls_namespace="api-1.0.0",
)


def problem(request, *, status: int, title: str, detail: str, errors=(), **extra):
    body = problem_body(status, detail, title=title, errors=list(errors), **extra)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    return response


def _where(loc) -> str:
    parts = [str(p) for p in loc if p not in ("query", "path", "body")]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = [
        {"loc": [str(p) for p in e.get("loc", [])], "msg": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    detail = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in errors) or "Invalid input."
    return problem(request, status=422, title="Invalid input", detail=detail, errors=errors)


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return problem(request, status=404, title="Not found", detail=str(exc) or "Not found.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc: AuthenticationError):
    response = problem(
        request,
        status=401,
        title="Unauthorized",
        detail="Sign in, or send 'Authorization: Bearer <token>' (made on your account page).",
    )
    response["WWW-Authenticate"] = 'Bearer realm="secretariat"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """428, 412, a body that is not JSON (400)...: the status's own words, and the reason."""
    status = exc.status_code
    return problem(request, status=status, title=title_of(status), detail=str(exc))


@api.exception_handler(Throttled)
def on_throttled(request, exc: Throttled):
    response = problem(request, status=429, title=title_of(429), detail=str(exc))
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(EditConflict)
def on_edit_conflict(request, exc: EditConflict):
    """A stale edit: someone changed the record since the version the client started from."""
    response = problem(
        request,
        status=409,
        title="Edit conflict",
        detail=" ".join(exc.messages),
        current_version=exc.current_version,
    )
    if exc.current_version is not None:
        response["ETag"] = entity_tag(version=exc.current_version)
    return response


@api.exception_handler(Precondition)
def on_precondition(request, exc: Precondition):
    """If-Match names another version than the one stored: 412, with the current ETag to
    read again from (a change landing after this check is the 409 above)."""
    response = problem(request, status=412, title=title_of(412), detail=exc.detail)
    response["ETag"] = exc.etag
    return response


@api.exception_handler(RuleError)
def on_rule_error(request, exc: RuleError):
    """A record's rule refused the values: 422, naming the fields."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": [] if field == "__all__" else [field], "msg": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"loc": [], "msg": message} for message in exc.messages]
    detail = "; ".join(f"{_where(e['loc'])}: {e['msg']}" if e["loc"] else e["msg"] for e in errors)
    return problem(request, status=422, title="Invalid input", detail=detail, errors=errors)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc: PermissionDenied):
    """The write policy refused: 403, with its reason."""
    detail = str(exc) or "Your role may not do this."
    return problem(request, status=403, title="Forbidden", detail=detail)


@api.exception_handler(OperationalError)
def on_database_busy(request, exc: OperationalError):
    """A write that could not get the database's lock in time: 503 and Retry-After, nothing
    saved (core.busy). Any other database failure stays the server's error."""
    if not busy.is_busy(exc):
        raise exc
    return busy.answer(request)


api.add_router("", accounts_router)
api.add_router("", registry_router)
api.add_router("", bodies_router)
api.add_router("", decisions_router)
api.add_router("", documents_router)
api.add_router("", checklists_router)
api.add_router("", treaties_router)
api.add_router("", programme_router)
api.add_router("", initiatives_router)
api.add_router("", search_router)
api.add_router("", history_router)
api.add_router("", sources_router)
api.add_router("", records_router)
api.add_router("", popolo_router)
api.add_router("", publish_router)
