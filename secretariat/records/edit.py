"""The site's own "Edit" page for any record the admin keeps (records.kinds): the
admin's form and checks, the site's layout, and the same saving path (the kind's admin
`save_model`/`save_related`, hence the services and the audit trail).

A stale edit (someone changed the record since the form was shown) is refused with 409
and says who changed what; a refusal leaves the typed values on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from secretariat.core.acting import because
from secretariat.core.models import Sourced
from secretariat.core.prefetch import citations_of
from secretariat.records.kinds import kinds
from secretariat.records.services import citations_set

from .pages import next_url, officer_required, write_or_refuse
from .site_forms import site_form


def edit_kind(app_label: str, slug: str):
    """The kind of record at /edit/<app>/<kind>/, or None."""
    return next((k for k in kinds() if k.app == app_label and k.slug == slug), None)


def edit_url(record) -> str | None:
    """The site's edit page of a record, when its kind has one."""
    for kind in kinds():
        if kind.model is type(record):
            return reverse(
                "portal:edit", kwargs={"app_label": kind.app, "slug": kind.slug, "pk": record.pk}
            )
    return None


def _back(record) -> str:
    url = getattr(record, "get_absolute_url", None)
    return url() if url else "/"


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def record_edit(request, app_label: str, slug: str, pk: int):
    kind = edit_kind(app_label, slug)
    if kind is None:
        raise Http404(_("No such kind of record."))
    record = kind.model._default_manager.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if record is None:
        raise Http404(_("No such record."))
    form_class = site_form(kind, with_sources=issubclass(kind.model, Sourced))
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, instance=record)
        if form.is_valid():
            reason = request.POST.get("reason", "").strip()[:500]

            def write():
                with because(reason):
                    kind.admin.save_model(request, form.instance, form, True)
                    kind.admin.save_related(request, form, [], True)
                    added = form.sources() if hasattr(form, "sources") else []
                    if added:
                        cited = [c.source for c in citations_of(form.instance)]
                        citations_set(record=form.instance, sources=[*cited, *added])
                return form.instance

            saved, status = write_or_refuse(form, write)
            if saved is not None:
                messages.success(request, _("The changes are saved."))
                return redirect(next_url(request, _back(saved)))
        elif form.edit_conflict is not None:
            status = 409
        else:
            status = 422
    else:
        form = form_class(instance=record)
    return render(
        request,
        "portal/edit.html",
        {
            "form": form,
            "record": record,
            "kind": kind,
            "cited": citations_of(record) if issubclass(kind.model, Sourced) else [],
            "next": next_url(request, _back(record)),
        },
        status=status,
    )
