"""Refusals raised before, around or in a view, said in words (urls.handler400 and
RefusalMiddleware).

- A body larger than the server takes (RequestDataTooBig, raised wherever the body is
  read: the CSRF check, a form, the API's JSON) is 413 and names the limit, not a bare
  "Bad Request".
- `?at=` that is not a day (core.as_of.AsOfRefused) is 400 and says what to write; the
  page's own form is shown again with today, to correct it.

Under /api/ a 413 is an RFC 9457 problem; elsewhere both are a page in the site's layout.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults

from secretariat.core.api_http import API_PREFIX, PROBLEM, problem_body
from secretariat.core.as_of import PARAM, AsOfRefused, BadAsOf, parse_as_of


def too_large_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _(
        "What was sent is larger than this server accepts: at most %(limit)s (%(bytes)s "
        "bytes) of form fields or request body; files sent with a form are counted apart."
    ) % {"limit": filesizeformat(limit), "bytes": f"{limit:,}"}


def _problem(status: int, detail: str, **extra) -> HttpResponse:
    body = problem_body(status, detail, **extra)
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM)


def _page(request, status: int, title: str, message: str) -> HttpResponse:
    """The refusal in the site's layout. The layout reads `at` again: one it would refuse
    is left out, so the page shows the form with today, to be corrected."""
    try:
        parse_as_of(request.GET.get(PARAM))
    except BadAsOf:
        request.GET = request.GET.copy()
        request.GET.pop(PARAM, None)
    context = {"title": title, "message": message}
    return render(request, "portal/refused.html", context, status=status)


def bad_request(request, exception=None, template_name="400.html"):
    """Django's 400 handler, saying what was wrong where Django would say nothing."""
    api = request.path_info.startswith(API_PREFIX)
    if isinstance(exception, RequestDataTooBig):
        if api:
            return _problem(413, too_large_message(), title="Content Too Large")
        return _page(request, 413, _("Too much was sent"), too_large_message())
    if isinstance(exception, AsOfRefused):
        return as_of_refused(request, exception)
    return defaults.bad_request(request, exception, template_name=template_name)


def as_of_refused(request, exception: AsOfRefused) -> HttpResponse:
    """The page's layout again, with what was wrong with `?at=`."""
    return _page(request, 400, _("Not a date"), exception.message)


class RefusalMiddleware:
    """A view (or the layout it renders) refusing `?at=` is answered here, as a plain
    400: Django's own handling would log a traceback for a mistyped date."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AsOfRefused):
            return as_of_refused(request, exception)
        return None
