"""The officers' pages on documents: add a document with its first version and texts, add a
version, add texts to an open version, circulate a version for feedback.

Thin: each page parses its form, calls one service inside `write_or_refuse` (all or
nothing: a refusal is shown on the form, nothing saved, no file left on disk) and
redirects to the document's page with a message. The document pages offer these forms to
officers through `actions_for`.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from secretariat.records.pages import (
    Action,
    actions_for,
    next_url,
    officer_required,
    write_or_refuse,
)

from . import selectors, services
from .officer_forms import (
    FILES_AGAIN,
    CirculateForm,
    DocumentCreateForm,
    TextAddForm,
    VersionCreateForm,
    version_label,
)

TEMPLATE = "portal/form_page.html"


# --- The buttons on record pages -------------------------------------------------------


@actions_for("documents.document")
def _document_actions(document) -> list[Action]:
    key = document.key
    versions = list(document.versions.all())  # prefetched on the document's page
    actions = [Action(_("Add a version"), reverse("documents:version-new", args=[key]))]
    if any(not getattr(v, "locked", True) for v in versions):
        actions.append(
            Action(_("Circulate for feedback"), reverse("documents:circulate", args=[key]))
        )
    return actions


@actions_for("bodies.body")
def _body_actions(body) -> list[Action]:
    url = reverse("documents:new") + "?" + urlencode({"body": body.slug})
    return [Action(_("Add a document"), url)]


@actions_for("bodies.meeting")
def _meeting_actions(meeting) -> list[Action]:
    url = reverse("documents:new") + "?" + urlencode({"meeting": meeting.key})
    return [Action(_("Add a document"), url)]


# --- Pages -----------------------------------------------------------------------------


def _document(request, key: str):
    document = selectors.document_with_versions(key, user=request.user)
    if document is None:
        raise Http404(_("No such document."))
    return document


def _page(request, form, status: int = 200, **context):
    context.setdefault("next", next_url(request, context.get("back") or "/documents/"))
    if status and form.is_bound and getattr(form, "has_files", False):
        context["files_again"] = FILES_AGAIN
    return render(request, TEMPLATE, {"form": form, **context}, status=status or 200)


def _done(request, message: str, url: str):
    messages.success(request, message)
    return redirect(url)


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def document_new(request):
    """A document with its first version and texts, from the registry or (preset) from a
    body's or a meeting's page."""
    back = next_url(request, reverse("documents:list"))
    context = {
        "title": _("Add a document"),
        "intro": _(
            "The document, its first version and that version's texts are saved together, "
            "or nothing is."
        ),
        "submit": _("Add the document"),
        "back": back,
    }
    if request.method != "POST":
        return _page(request, DocumentCreateForm(initial=_preset(request)), **context)
    form = DocumentCreateForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, 422, **context)

    def write():
        return services.document_create_with_texts(**form.document_values(), sources=form.sources())

    document, status = write_or_refuse(form, write)
    if document is None:
        return _page(request, form, status, **context)
    url = reverse("documents:detail", args=[document.key])
    return _done(request, _("The document %(symbol)s is added.") % {"symbol": document.symbol}, url)


def _preset(request) -> dict:
    """The body and meeting named in the address (from their pages)."""
    initial = {}
    if slug := request.GET.get("body", "").strip():
        body = selectors.body_by_slug(slug)
        if body is not None:
            initial["body"] = body.slug
    if key := request.GET.get("meeting", "").strip():
        meeting = selectors.meeting_by_key(key)
        if meeting is not None:
            initial["meeting"] = meeting.key
            initial.setdefault("body", meeting.body.slug)
    return initial


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def version_new(request, key: str):
    """The document's next version, with its texts."""
    document = _document(request, key)
    back = reverse("documents:detail", args=[document.key])
    number = max((v.number for v in document.versions.all()), default=0) + 1
    context = {
        "title": _("Add version %(number)s of %(symbol)s")
        % {"number": number, "symbol": document.symbol},
        "intro": _("The version and its texts are saved together, or nothing is."),
        "submit": _("Add the version"),
        "back": back,
        "document": document,
    }
    if request.method != "POST":
        return _page(request, VersionCreateForm(), **context)
    form = VersionCreateForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, 422, **context)

    def write():
        data = form.cleaned_data
        return services.version_create_with_texts(
            document=document, date=data["date"], note=data["note"], texts=form.texts()
        )

    version, status = write_or_refuse(form, write)
    if version is None:
        return _page(request, form, status, **context)
    message = _("Version %(number)s is added.") % {"number": version.number}
    return _done(request, message, f"{back}#h-versions")


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def text_new(request, key: str, number: int):
    """Texts of an open version, in the languages it lacks."""
    document = _document(request, key)
    version = next((v for v in document.versions.all() if v.number == number), None)
    if version is None:
        raise Http404(_("No such version."))
    back = reverse("documents:detail", args=[document.key])
    context = {
        "title": _("Add texts to %(version)s of %(symbol)s")
        % {"version": version_label(version), "symbol": document.symbol},
        "submit": _("Add the texts"),
        "back": back,
        "document": document,
    }
    posted = request.method == "POST"
    form = TextAddForm(
        request.POST if posted else None, request.FILES if posted else None, version=version
    )
    if version.locked:
        context["closed"] = _(
            "Version %(number)s was circulated or decided on: its texts are fixed. Add a new "
            "version to change them."
        ) % {"number": version.number}
    elif not form.fields:
        context["closed"] = _("Version %(number)s has its text in every language.") % {
            "number": version.number
        }
    if request.method != "POST":
        return _page(request, form, **context)
    if not form.is_valid():
        return _page(request, form, 422, **context)

    def write():
        return services.texts_upload(version=version, texts=form.texts())

    texts, status = write_or_refuse(form, write)
    if texts is None:
        return _page(request, form, status, **context)
    message = _("The texts of version %(number)s are added.") % {"number": version.number}
    return _done(request, message, f"{back}#h-versions")


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def circulate(request, key: str):
    """Circulate a version for feedback by a deadline."""
    document = _document(request, key)
    back = reverse("documents:detail", args=[document.key])
    context = {
        "title": _("Circulate %(symbol)s for feedback") % {"symbol": document.symbol},
        "intro": _(
            "Circulating here is an act of the Secretariat: it is recorded as the "
            "circulation's source, and the states it goes to are told."
        ),
        "submit": _("Circulate"),
        "back": back,
        "document": document,
    }
    form = CirculateForm(request.POST if request.method == "POST" else None, document=document)
    if not form.open_versions:
        context["closed"] = _(
            "Every version of this document was circulated or decided on already: add a new "
            "version to circulate it."
        )
    if request.method != "POST":
        return _page(request, form, **context)
    if not form.is_valid():
        return _page(request, form, 422, **context)

    def write():
        data = form.cleaned_data
        event, _outcome = services.document_circulate(
            version=form.version(),
            date=data["date"],
            deadline=data["deadline"],
            sources=form.sources(),
            recipients=list(data["recipients"]),
            body=data["body"],
            note=data["note"],
        )
        return event

    event, status = write_or_refuse(form, write)
    if event is None:
        return _page(request, form, status, **context)
    message = _("Version %(number)s is circulated, with feedback due by %(deadline)s.") % {
        "number": event.version.number,
        "deadline": date_format(event.deadline, "j E Y"),
    }
    return _done(request, message, f"{back}#circulations")
