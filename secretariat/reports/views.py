"""The report pages: the form (/reports/), and the report (/reports/report/?...) as a page or
as a download (?format=html|pdf|pptx|md). The internal report is for those the policy lets
read restricted papers; anyone else is told why not (403)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from secretariat.accounts.policy import may_read_restricted
from secretariat.jobs.queue import after_commit

from . import drawing, html, markdown
from .compose import AudienceRefused, report_build
from .files import DOWNLOADS, filename_for, renderer
from .forms import FORMATS, ReportForm
from .model import Audience, Report
from .models import ReportFile
from .tasks import draw_report


def _index(request, form: ReportForm, *, status: int = 200):
    return render(
        request,
        "reports/index.html",
        {"form": form, "may_internal": may_read_restricted(request.user)},
        status=status,
    )


@require_safe
def index(request):
    """The form: a chairmanship or two dates, the audience, the language."""
    return _index(request, ReportForm())


def _download(report: Report, fmt: str, request) -> HttpResponse:
    """The report as an HTML or Markdown file (a fraction of a second: drawn at once)."""
    kind, extension = DOWNLOADS[fmt]
    body = (markdown.render(report) if fmt == "md" else html.render(report)).encode("utf-8")
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{filename_for(report, extension)}"'
    return response


def _drawn(request, data: dict, fmt: str):
    """A PDF or deck: the file when drawn, else its page while a worker draws it."""
    if renderer(fmt) is None:
        raise Http404(_("This format is not available on this installation."))
    report_file, asked = drawing.report_file_ask(data=data, user=request.user)
    if asked:
        after_commit(draw_report, report_file.pk)
    if report_file.state == report_file.State.READY:
        return _file(report_file)
    return redirect("reports:file", file_id=report_file.pk)


def _file(report_file) -> FileResponse:
    response = FileResponse(
        report_file.file.open("rb"), content_type=report_file.content_type,
        as_attachment=True, filename=report_file.filename,
    )  # fmt: skip
    return response


def _readable_file(request, file_id: int):
    found = ReportFile.objects.filter(pk=file_id).first() if 0 < file_id < 2**63 else None
    if found is None or not drawing.report_file_readable(found, request.user):
        raise Http404(_("No such report file."))
    return found


@require_safe
def report_file(request, file_id: int):
    """A report being drawn: its progress (the page refreshes itself; htmx swaps only the
    progress), then its download."""
    found = _readable_file(request, file_id)
    template = (
        "reports/_progress.html" if request.headers.get("HX-Request") else "reports/file.html"
    )
    return render(request, template, {"file": found})


@require_safe
def report_file_download(request, file_id: int):
    found = _readable_file(request, file_id)
    if found.state != found.State.READY:
        return redirect("reports:file", file_id=found.pk)
    return _file(found)


@require_safe
def report(request):
    """The report the query asks for, as a page or a download."""
    form = ReportForm(request.GET)
    if not form.is_valid():
        return _index(request, form, status=400 if request.GET else 200)
    data = form.cleaned_data
    audience = Audience(data["audience"])
    try:
        built = report_build(
            period=form.period, audience=audience, language=data["language"], user=request.user
        )
    except AudienceRefused as refusal:
        return render(request, "reports/refused.html", {"reason": str(refusal)}, status=403)
    built.base_url = request.build_absolute_uri("/").rstrip("/")
    fmt = data["format"]
    if fmt in drawing.DRAWN:
        return _drawn(request, data, fmt)
    if fmt != "page":
        return _download(built, fmt, request)
    query = {k: v for k, v in request.GET.items() if k != "format" and v}
    downloads = [
        (f, "?" + urlencode({**query, "format": f}), f in ("html", "md") or bool(renderer(f)))
        for f in FORMATS
        if f != "page"
    ]
    # The report in its own language; the page around it in the reader's.
    with translation.override(built.language):
        body = render_to_string("reports/_report.html", html.context(built, base_url=""))
    context = {
        "report": built,
        "report_html": mark_safe(body),
        "form": form,
        "downloads": downloads,
        "may_internal": may_read_restricted(request.user),
    }
    return render(request, "reports/report.html", context)
