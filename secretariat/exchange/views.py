"""Downloads outside the API: the calendar to subscribe to, and the tables as CSV and XLSX.

Each answer is what the asking user may read (a session, or an API token; calendar
applications send neither, so their feed is the public's). A bad filter answers 400 and
an unknown table, body or treaty 404, each as RFC 9457 problem details like the API's.
"""

from __future__ import annotations

import io
import json

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.views.decorators.http import require_safe

from secretariat.core.api_http import entity_tag
from secretariat.documents.selectors import body_by_slug

from . import ical, tables, workbook

# ical and workbook are imported where used: their libraries load only when asked for.

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _problem(status: int, detail: str, *, param: str | None = None) -> HttpResponse:
    title = {400: "Invalid input", 404: "Not found"}.get(status, "Error")
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if param:
        body["errors"] = [{"loc": [param], "msg": detail}]
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")


def _answer(request, data: bytes, content_type: str, filename: str | None = None):
    """The file, with an ETag of its bytes (304 when the client has them), varying with
    whoever asks: two users may be given different files at the same address."""
    etag = entity_tag(content=data)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(data, content_type=content_type)
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    patch_vary_headers(response, ["Cookie", "Authorization"])
    return response


@require_safe
def calendar(request):
    """/calendar.ics[?body=<slug>]: meetings and deadlines, to subscribe to."""
    body = None
    slug = (request.GET.get("body") or "").strip()
    if slug:
        body = body_by_slug(slug)
        if body is None:
            return _problem(404, f"No body '{slug[:100]}'.", param="body")

    data = ical.calendar_bytes(
        user=request.user,
        at=timezone.localdate(),
        body=body,
        base_url=request.build_absolute_uri("/"),
    )
    return _answer(request, data, "text/calendar; charset=utf-8")


def _table(request, name: str):
    table = tables.table_get(name)
    filters = tables.filters_for(
        table, request.GET.dict(), user=request.user, today=timezone.localdate()
    )
    return table, filters


@require_safe
def table_csv(request, table: str):
    """/exports/<table>.csv with the filters of its page (?at=, ?body=...)."""
    try:
        found, filters = _table(request, table)
    except tables.BadFilter as exc:
        return _problem(exc.status, exc.message, param=exc.param)
    data = tables.csv_bytes(found, filters)
    name = tables.file_name(found, filters, "csv")
    return _answer(request, data, "text/csv; charset=utf-8", name)


@require_safe
def table_xlsx(request, table: str):
    """/exports/<table>.xlsx: the same table as a workbook of one sheet."""
    try:
        found, filters = _table(request, table)
    except tables.BadFilter as exc:
        return _problem(exc.status, exc.message, param=exc.param)

    data = workbook.xlsx_bytes(found, filters)
    return _answer(request, data, XLSX, tables.file_name(found, filters, "xlsx"))


def _all(request, module, content_type: str, extension: str):
    raw = (request.GET.get("at") or "").strip()
    try:
        at = tables.parse_day(raw) if raw else timezone.localdate()
    except tables.BadFilter as exc:
        return _problem(exc.status, exc.message, param=exc.param)
    out = io.BytesIO()
    module.export(out, at=at, user=request.user)
    return _answer(request, out.getvalue(), content_type, f"tables-{at.isoformat()}.{extension}")


@require_safe
def tables_zip(request):
    """/exports/tables.zip[?at=]: every table as CSV, in a ZIP."""
    return _all(request, tables, "application/zip", "zip")


@require_safe
def tables_xlsx(request):
    """/exports/tables.xlsx[?at=]: every table, a sheet each."""
    return _all(request, workbook, XLSX, "xlsx")


@require_safe
def index(request):
    """/exports/: the tables there are, what each holds, the filters it takes, its files."""
    items = [
        {
            "name": t.name,
            "title": t.title,
            "description": t.description,
            "filters": ["at", *t.params],
            "csv": reverse("exchange:table-csv", kwargs={"table": t.name}),
            "xlsx": reverse("exchange:table-xlsx", kwargs={"table": t.name}),
        }
        for t in tables.TABLES.values()
    ]
    return JsonResponse(
        {
            "tables": items,
            "all_csv": reverse("exchange:tables-zip"),
            "all_xlsx": reverse("exchange:tables-xlsx"),
            "calendar": reverse("exchange:calendar"),
        }
    )
