"""Documents pages: the registry (filters and text search) and a page per document.

Thin: every read goes through `documents.selectors` (which apply the access policy)
and the answers; the one write, a state's feedback on a circulation, goes through
`documents.services.feedback_add`, which the policy checks.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from secretariat.accounts import policy
from secretariat.checklists.answers import ChecklistOut
from secretariat.checklists.selectors import checklist
from secretariat.core.as_of import as_of
from secretariat.core.models import AccessLevel
from secretariat.core.presenters import sources
from secretariat.decisions.answers import ProcedureOut
from secretariat.decisions.selectors import positions_seen, procedures_list
from secretariat.records.forms import REFUSALS, refusal_on_form
from secretariat.registry.selectors import speaking_for
from secretariat.search import selectors as search_selectors
from secretariat.treaties.selectors import has_treaty

from . import selectors, services, transitions
from .answers import CirculationOut, DocumentEventOut, DocumentOut, VersionOut
from .display import STEP_LABELS, meeting_names
from .models import Document, DocumentEvent, DocumentRelation

PAGE = 25
MAX_ID = 2**63 - 1

TYPE_LABELS = {
    "declaration": gettext_lazy("declaration"),
    "act": gettext_lazy("act"),
    "statement": gettext_lazy("statement"),
    "joint_statement": gettext_lazy("joint statement"),
    "plan_of_action": gettext_lazy("plan of action"),
    "decision": gettext_lazy("decision"),
    "catalogue": gettext_lazy("catalogue"),
    "guidelines": gettext_lazy("guidelines"),
    "modalities": gettext_lazy("modalities"),
    "memorandum": gettext_lazy("memorandum"),
    "concept_paper": gettext_lazy("concept paper"),
    "regulations": gettext_lazy("regulations"),
    "charter": gettext_lazy("charter"),
    "rules_of_procedure": gettext_lazy("rules of procedure"),
    "agreement": gettext_lazy("agreement"),
    "convention": gettext_lazy("convention"),
    "mou": gettext_lazy("memorandum of understanding"),
    "protocol": gettext_lazy("protocol"),
    "road_map": gettext_lazy("road map"),
    "report": gettext_lazy("report"),
    "note": gettext_lazy("note"),
    "letter": gettext_lazy("letter"),
    "other": gettext_lazy("other"),
}
STATUS_LABELS = {
    "draft": gettext_lazy("draft"),
    "circulated": gettext_lazy("circulated"),
    "agreed": gettext_lazy("agreed"),
    "adopted": gettext_lazy("adopted"),
    "endorsed": gettext_lazy("endorsed"),
    "noted": gettext_lazy("taken note of"),
    "signed": gettext_lazy("signed"),
    "ratified": gettext_lazy("ratified"),
    "in_force": gettext_lazy("in force"),
    "superseded": gettext_lazy("superseded"),
    "withdrawn": gettext_lazy("withdrawn"),
}
EVENT_LABELS = {
    "drafted": gettext_lazy("drafted"),
    "circulated": gettext_lazy("circulated"),
    "feedback_received": gettext_lazy("feedback received"),
    "agreed": gettext_lazy("agreed"),
    "adopted": gettext_lazy("adopted"),
    "endorsed": gettext_lazy("endorsed"),
    "took_note": gettext_lazy("taken note of"),
    "signed": gettext_lazy("signed"),
    "ratified": gettext_lazy("ratified"),
    "entered_into_force": gettext_lazy("entered into force"),
    "superseded": gettext_lazy("superseded"),
    "withdrawn": gettext_lazy("withdrawn"),
}
ACCESS_LABELS = {
    "public": gettext_lazy("public"),
    "restricted": gettext_lazy("restricted to member-state delegations"),
    "confidential": gettext_lazy("confidential to the Secretariat"),
}
RELATION_LABELS = {
    "amends": gettext_lazy("amends"),
    "supersedes": gettext_lazy("supersedes"),
    "implements": gettext_lazy("implements"),
    "annex_to": gettext_lazy("is an annex to"),
    "anniversary_of": gettext_lazy("marks the anniversary of"),
    "responds_to": gettext_lazy("responds to"),
}
INVERSE_LABELS = {
    "amends": gettext_lazy("is amended by"),
    "supersedes": gettext_lazy("is superseded by"),
    "implements": gettext_lazy("is implemented by"),
    "annex_to": gettext_lazy("has as an annex"),
    "anniversary_of": gettext_lazy("has its anniversary marked by"),
    "responds_to": gettext_lazy("is responded to by"),
}
PROCEDURE_LABELS = {
    "meeting": gettext_lazy("decision at a meeting"),
    "silence": gettext_lazy("silence procedure"),
}
OUTCOME_LABELS = {
    "open": gettext_lazy("open"),
    "adopted": gettext_lazy("adopted"),
    "failed": gettext_lazy("failed"),
}
STATUS_BADGE = {"adopted": "ok", "in_force": "ok", "ratified": "ok", "signed": "ok",
                "endorsed": "ok", "superseded": "warn", "withdrawn": "error"}  # fmt: skip

# The kinds in the order the model lists them, and all of them must have a label.
assert set(TYPE_LABELS) == set(Document.Type.values)
assert set(STATUS_LABELS) == set(transitions.STATUSES)
assert set(EVENT_LABELS) == set(DocumentEvent.Kind.values)
assert set(RELATION_LABELS) == set(INVERSE_LABELS) == set(DocumentRelation.Kind.values)
assert set(ACCESS_LABELS) == set(AccessLevel.values)


def _htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- The registry ----------------------------------------------------------------------


def _choice(value: str, allowed, notices: list, message) -> str | None:
    if not value:
        return None
    if value in allowed:
        return value
    notices.append(message)
    return None


def _filters(request) -> tuple[dict, list]:
    """The filters asked for; a value not understood is dropped with a notice, never a 500."""
    params, notices = request.GET, []
    found = {
        "type": _choice(
            params.get("type", ""),
            TYPE_LABELS,
            notices,
            _("The type asked for is not one of the document types: showing every type."),
        ),
        "status": _choice(
            params.get("status", ""),
            STATUS_LABELS,
            notices,
            _("The status asked for is not one a document can have: showing every status."),
        ),
        "body": None,
        "meeting": None,
        "year": None,
    }
    if slug := params.get("body", "").strip():
        found["body"] = selectors.body_by_slug(slug)
        if found["body"] is None:
            notices.append(_("No body has the key asked for: showing every body."))
    if key := params.get("meeting", "").strip():
        found["meeting"] = selectors.meeting_by_key(key)
        if found["meeting"] is None:
            notices.append(_("No meeting has the key asked for: showing every meeting."))
    if raw := params.get("year", "").strip():
        try:
            year = int(raw)
        except ValueError:
            year = None
        if year is None or not 1 <= year <= 9999:
            notices.append(_("The year must be a number such as 2024: showing every year."))
        else:
            found["year"] = year
    return found, notices


def _page_number(request) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return min(max(number, 1), 100_000)


def _row(document: Document, at: dt.date, snippet: str | None = None) -> dict:
    data = DocumentOut.build(document, context={"at": at})
    return {
        **data,
        "doc": document,
        "type_label": TYPE_LABELS[document.type],
        "status_label": STATUS_LABELS.get(data["status"]) if data["status"] else None,
        "status_badge": STATUS_BADGE.get(data["status"], ""),
        "meeting": meeting_names(document.meeting),
        "access_label": ACCESS_LABELS[data["access"]],
        "snippet": snippet,
    }


@require_safe
def documents_page(request):
    at = as_of(request)
    filters, notices = _filters(request)
    q = request.GET.get("q", "").replace("\x00", "").strip()[:500]
    note = capped = None
    if q:
        found = search_selectors.documents_search(q, user=request.user, at=at, **filters)
        items, snippets = found.documents, found.snippets
        note, capped = found.note, found.capped
    else:
        items = selectors.documents_list(user=request.user, at=at, **filters)
        snippets = {}
    page = Paginator(items, PAGE).get_page(_page_number(request))
    rows = [_row(d, at, snippets.get(d.pk)) for d in page.object_list]
    bodies, meetings = selectors.registry_filters(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/list.html",
        {
            "rows": rows,
            "page": page,
            "total": page.paginator.count,
            "q": q,
            "note": note,
            "capped": capped,
            "notices": notices,
            "filters": filters,
            "types": sorted(TYPE_LABELS.items(), key=lambda item: str(item[1])),
            "statuses": list(STATUS_LABELS.items()),
            "bodies": bodies,
            "meetings": [meeting_names(m) | {"body": m.body} for m in meetings],
            "year": request.GET.get("year", "").strip()[:4] if filters["year"] else "",
            "base": query.urlencode(),
            "officer": policy.is_secretariat(request.user),
        },
    )


# --- A document ------------------------------------------------------------------------


class FeedbackForm(forms.Form):
    """A state's feedback on a circulation; officers also say whose, and when received."""

    circulation = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    text = forms.CharField(
        label=gettext_lazy("Feedback"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    actor = forms.SlugField(label=gettext_lazy("State"), required=False, max_length=100)
    received_on = forms.DateField(label=gettext_lazy("Received on"), required=False)


def _record_feedback(request, document: Document) -> tuple[FeedbackForm, int]:
    """Record the feedback posted; (the form, the status: 201 when recorded)."""
    form = FeedbackForm(request.POST)
    if not request.user.is_authenticated:
        form.is_valid()
        form.add_error(None, _("Sign in as a delegate of a state to send its feedback."))
        return form, 403
    if not form.is_valid():
        return form, 422
    data = form.cleaned_data
    circulation = selectors.circulation_get(data["circulation"], user=request.user)
    if circulation is None or circulation.document_id != document.pk:
        form.add_error(None, _("This document has no such circulation."))
        return form, 422
    try:
        missing = _("Name the state whose feedback this is.")
        actor = speaking_for(request.user, data["actor"], missing=missing)
    except ValidationError as exc:
        return form, refusal_on_form(form, exc)
    received_on = timezone.localdate()
    if data["received_on"] and policy.is_secretariat(request.user):
        received_on = data["received_on"]
    try:
        services.feedback_add(
            circulation=circulation,
            actor=actor,
            received_on=received_on,
            text=data["text"],
            entered_by=request.user,
        )
    except REFUSALS as exc:
        return form, refusal_on_form(form, exc)
    return form, 201


def _circulations(request, items: list[dict], at: dt.date) -> list[dict]:
    """The circulations as of `at`, each saying whether this reader may answer it here."""
    today = timezone.localdate()
    own = policy.actor_of(request.user)
    officer = policy.is_secretariat(request.user)
    result = []
    for item in items:
        recipients = {a["slug"] for a in item["pending"]} | {a["slug"] for a in item["responded"]}
        answerable = item["open"] and at == today
        result.append(
            {
                **item,
                "own_pending": bool(own and own.slug in {a["slug"] for a in item["pending"]}),
                "form": answerable and (officer or bool(own and own.slug in recipients)),
            }
        )
    return result


def _events(document: Document, presented: list[dict]) -> list[dict]:
    """The lifecycle as presented, with the meetings' and bodies' names in both languages."""
    models = {e.pk: e for e in document.events.all()}
    result = []
    for event in presented:
        model = models[event["id"]]
        result.append(
            {
                **event,
                "label": EVENT_LABELS[event["kind"]],
                "body": model.body,
                "meeting": meeting_names(model.meeting),
            }
        )
    return result


def _relations(document: Document) -> list[dict]:
    """Relations both ways (the selector kept only readable documents at the other end)."""
    outgoing = [
        {"label": RELATION_LABELS[r.kind], "doc": r.to_document, "note": r.note,
         "sources": sources(r)}
        for r in document.relations.all()
    ]  # fmt: skip
    incoming = [
        {"label": INVERSE_LABELS[r.kind], "doc": r.from_document, "note": r.note,
         "sources": sources(r)}
        for r in document.related_from.all()
    ]  # fmt: skip
    return outgoing + incoming


def _procedure(state, user) -> dict:
    seen = positions_seen(state.procedure, user)
    data = ProcedureOut.build(state, context={"seen": seen})
    return {
        **data,
        "label": PROCEDURE_LABELS[data["kind"]],
        "state_label": OUTCOME_LABELS[data["outcome"]["state"]],
        "body": state.procedure.body,
        "pending": len(state.pending),
        "eligible": len(state.eligibility.eligible),
    }


def _steps(document: Document) -> dict:
    steps = ChecklistOut.build(checklist(document))
    for step in steps["steps"]:
        step["status_label"] = STEP_LABELS.get(step["status"], step["status"])
    return steps


def _detail_context(request, document: Document, at: dt.date, **extra) -> dict:
    # DocumentDetail, less its circulations: those come from the selector,
    # which reads the member states once for all of them (not once per circulation).
    events = [e for e in document.events.all() if e.date.earliest <= at]
    circulations = selectors.circulations(user=request.user, at=at, document=document)
    detail = {
        **DocumentOut.build(document, context={"at": at}),
        "note": document.note or None,
        "events": [DocumentEventOut.build(e) for e in events],
        "versions": [
            VersionOut.build(v, context={"document": document}) for v in document.versions.all()
        ],
        "circulations": [CirculationOut.build(c) for c in circulations],
    }
    status = detail["status"]
    return {
        "document": document,
        "detail": detail,
        "type_label": TYPE_LABELS[document.type],
        "status_label": STATUS_LABELS.get(status) if status else None,
        "status_badge": STATUS_BADGE.get(status, ""),
        "access_label": ACCESS_LABELS[detail["access"]],
        "recorded_access_label": ACCESS_LABELS[document.access],
        "embargo_passed": document.public_from is not None
        and document.public_from <= timezone.localdate(),
        "meeting": meeting_names(document.meeting),
        "events": _events(document, detail["events"]),
        "versions": detail["versions"],
        "official_texts": list(document.official_texts.all()),
        "text_search": selectors.text_search_of(document),
        "relations": _relations(document),
        "circulations": _circulations(request, detail["circulations"], at),
        "procedures": [
            _procedure(s, request.user)
            for s in procedures_list(user=request.user, document=document)
        ],
        "steps": _steps(document),
        "treaty": has_treaty(document),
        "officer": policy.is_secretariat(request.user),
        "own": policy.actor_of(request.user),
        "form": None,
        "form_for": None,
        "recorded": False,
        **extra,
    }


def _posted_id(request) -> int | None:
    """The circulation the posted form was for, to show its errors beside it."""
    raw = request.POST.get("circulation", "")
    return int(raw) if raw.isdigit() and int(raw) <= MAX_ID else None


def _readable(key: str, user) -> Document:
    if len(key) > 200 or "\x00" in key or (key.isdigit() and int(key) > MAX_ID):
        raise Http404("No such document.")
    document = selectors.document_get(key, user=user)
    if document is None:
        raise Http404("No such document.")
    return document


@require_http_methods(["GET", "HEAD", "POST"])
def document_page(request, key: str):
    document = _readable(key, request.user)
    at = as_of(request)
    if request.method != "POST":
        return render(request, "documents/detail.html", _detail_context(request, document, at))
    form, status = _record_feedback(request, document)
    if status == 201:
        if not _htmx(request):
            messages.success(request, _("The feedback is recorded."))
            url = reverse("documents:detail", kwargs={"key": document.key})
            return redirect(f"{url}#circulations")
        document = _readable(document.key, request.user)  # with the feedback just recorded
        context = _detail_context(request, document, at, recorded=True)
        return render(request, "documents/_circulations.html", context)
    context = _detail_context(request, document, at, form=form, form_for=_posted_id(request))
    template = "documents/_circulations.html" if _htmx(request) else "documents/detail.html"
    return render(request, template, context, status=status)
