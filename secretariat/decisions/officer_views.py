"""The officers' pages on procedures: open a silence procedure or a decision at a meeting on
a version of a document (from the document's page, or from the procedures list by naming
the document), and record a meeting's decision.

Thin: each page parses its form and calls one service (procedure_open, procedure_decide)
inside `write_or_refuse`, which shows a refusal on the form with nothing saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from secretariat.documents import selectors as documents
from secretariat.documents.officer_forms import version_label
from secretariat.records.pages import (
    Action,
    actions_for,
    edit_for,
    form_page,
    next_url,
    officer_page,
    officer_required,
    write_or_refuse,
)

from . import selectors, services
from .officer_forms import (
    DecideForm,
    DocumentPickForm,
    ProcedureEditForm,
    ProcedureOpenForm,
    when,
)
from .views import STATE_LABELS

FORM = "portal/form_page.html"
DECIDE = "decisions/officer/decide.html"


@actions_for("documents.document")
def _document_actions(document) -> list[Action]:
    if not document.versions.all():  # prefetched on the document's page
        return []
    url = reverse("decisions:procedure-open", args=[document.key])
    return [Action(_("Open a consensus procedure"), url)]


@actions_for("decisions.procedure")
def _procedure_actions(procedure) -> list[Action]:
    if procedure.kind != "meeting" or selectors.closing_of(procedure) is not None:
        return []
    url = reverse("decisions:procedure-decide", args=[procedure.pk])
    return [Action(_("Record the decision"), url)]


@edit_for("decisions.procedure")
def _procedure_edit_url(procedure) -> str:
    return reverse("decisions:procedure-edit", args=[procedure.pk])


@officer_required
@officer_page
def procedure_edit(request, procedure_id: int):
    """Change a procedure's note and who sees its positions; a stale page is refused."""
    procedure = selectors.procedure_get(procedure_id, user=request.user)
    if procedure is None:
        raise Http404(_("No such procedure."))
    page = reverse("decisions:procedure", args=[procedure.pk])
    initial = {"note": procedure.note, "changed_at": procedure.updated_at.isoformat(),
               "positions_visibility": procedure.positions_visibility}  # fmt: skip
    form = ProcedureEditForm(request.POST or None, initial=initial)

    def write(form):
        data = form.cleaned_data
        return services.procedure_update(
            procedure=procedure, changed_at=data["changed_at"], note=data["note"],
            positions_visibility=data["positions_visibility"],
        )  # fmt: skip

    return form_page(
        request, form, write=write, done=lambda _saved: next_url(request, page),
        title=_("Edit the procedure on %(symbol)s") % {"symbol": procedure.version.document.symbol},
        back=next_url(request, page), message=_("The changes are saved."),
        submit=_("Save changes"),
    )  # fmt: skip


def _render(request, template: str, form, status: int = 200, **context):
    context.setdefault("next", next_url(request, context.get("back") or "/procedures/"))
    return render(request, template, {"form": form, **context}, status=status or 200)


@officer_required
@require_http_methods(["GET", "HEAD"])
def procedure_pick(request):
    """From the procedures list: name the document, then open the procedure on its page."""
    context = {
        "title": _("Open a consensus procedure"),
        "intro": _("Name the document whose version is to be decided on."),
        "submit": _("Continue"),
        "back": reverse("decisions:procedures"),
        "method": "get",
    }
    if "document" not in request.GET:
        return _render(request, FORM, DocumentPickForm(), **context)
    form = DocumentPickForm(request.GET)
    if not form.is_valid():
        return _render(request, FORM, form, 422, **context)
    document = documents.document_named(form.cleaned_data["document"], user=request.user)
    if document is None:
        form.add_error("document", _("No document has this symbol or key."))
        return _render(request, FORM, form, 422, **context)
    return redirect("decisions:procedure-open", key=document.key)


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def procedure_open(request, key: str):
    """Open a silence procedure or a decision at a meeting on a version of the document."""
    document = documents.document_with_versions(key, user=request.user)
    if document is None:
        raise Http404(_("No such document."))
    back = reverse("documents:detail", args=[document.key])
    context = {
        "title": _("Open a consensus procedure on %(symbol)s") % {"symbol": document.symbol},
        "intro": _(
            "Opening it here is an act of the Secretariat: it is recorded as the procedure's "
            "source, and the delegates of the member states are told."
        ),
        "submit": _("Open the procedure"),
        "back": back,
    }
    posted = request.method == "POST"
    form = ProcedureOpenForm(request.POST if posted else None, document=document)
    if not form.versions:
        context["closed"] = _("The document has no version to decide on: add one first.")
    if not posted:
        return _render(request, FORM, form, **context)
    if not form.is_valid():
        return _render(request, FORM, form, 422, **context)

    def write():
        return services.procedure_open(
            **form.values(), opened_at=timezone.now(), sources=form.sources()
        )

    procedure, status = write_or_refuse(form, write)
    if procedure is None:
        return _render(request, FORM, form, status, **context)
    if procedure.kind == "silence":
        message = _("The silence procedure on %(version)s is open until %(deadline)s.") % {
            "version": version_label(procedure.version),
            "deadline": when(procedure.deadline),
        }
    else:
        message = _("The procedure on %(version)s is open for decision at the meeting.") % {
            "version": version_label(procedure.version)
        }
    messages.success(request, message)
    return redirect("decisions:procedure", procedure_id=procedure.pk)


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def procedure_decide(request, procedure_id: int):
    """Record when a meeting took its decision; the outcome follows from the positions."""
    procedure = selectors.procedure_get(procedure_id, user=request.user)
    if procedure is None:
        raise Http404(_("No such procedure."))
    back = reverse("decisions:procedure", args=[procedure.pk])
    context = {
        "title": _("Record the decision"),
        "intro": _(
            "The draft is adopted unless an eligible state's objection stands at the moment "
            "of the decision."
        ),
        "submit": _("Record the decision"),
        "back": back,
        "procedure": procedure,
        "version": version_label(procedure.version),
    }
    closing = selectors.closing_of(procedure)
    if procedure.kind != "meeting":
        context["closed"] = _(
            "A silence procedure is not decided here: it closes by itself at its deadline."
        )
    elif closing is not None:
        context["closed"] = _("The decision is on record: %(outcome)s, %(moment)s.") % {
            "outcome": STATE_LABELS[closing.outcome],
            "moment": when(closing.closed_at),
        }
    posted = request.method == "POST"
    form = DecideForm(request.POST if posted else None, procedure=procedure)
    if not posted:
        return _render(request, DECIDE, form, **context)
    if not form.is_valid():
        return _render(request, DECIDE, form, 422, **context)

    def write():
        return services.procedure_decide(
            procedure=procedure, decided_at=form.cleaned_data["decided_at"]
        )

    closed, status = write_or_refuse(form, write)
    if closed is None:
        return _render(request, DECIDE, form, status, **context)
    message = _("The decision is recorded: %(outcome)s.") % {
        "outcome": STATE_LABELS[closed.outcome]
    }
    if closed.refusal:
        message += " " + _("The document's lifecycle refused the adoption: %(reason)s") % {
            "reason": closed.refusal
        }
    messages.success(request, message)
    return redirect(back)
