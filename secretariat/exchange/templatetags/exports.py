"""Links to the downloads of a page's table (CSV, XLSX) and to the calendar feed."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def export_url(context, table: str, extension: str, **filters) -> str:
    """/exports/<table>.<extension> with the page's filters (empty ones left out) and date."""
    query = {name: value for name, value in filters.items() if value not in (None, "")}
    if context.get("at"):
        query["at"] = context["at"].isoformat()
    name = "exchange:table-csv" if extension == "csv" else "exchange:table-xlsx"
    url = reverse(name, kwargs={"table": table})
    return f"{url}?{urlencode(query)}" if query else url


@register.inclusion_tag("exchange/_downloads.html", takes_context=True)
def download_links(context, table: str, **filters) -> dict:
    """ "Download this table: CSV · XLSX", for the table the page shows, as filtered."""
    return {
        "csv": export_url(context, table, "csv", **filters),
        "xlsx": export_url(context, table, "xlsx", **filters),
    }


@register.inclusion_tag("exchange/_calendar.html")
def calendar_link(body: str | None = None) -> dict:
    """A link to subscribe to the calendar (of one body, when given)."""
    url = reverse("exchange:calendar")
    return {"url": f"{url}?{urlencode({'body': body})}" if body else url}
