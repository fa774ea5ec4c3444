"""The officer's side of the pages: who may use the forms that keep the record, the
actions a record's page offers, and a form's write as one step that is refused whole.

Record pages include portal/record_links.html, which lists for the Secretariat the
record's "Edit" (the site's own form), the actions its app registered here with
`actions_for`, its history and its admin page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from secretariat.accounts.policy import is_secretariat
from secretariat.records.forms import REFUSALS, refusal_on_form

T = TypeVar("T")
# The methods an officer's form page answers.
officer_page = require_http_methods(["GET", "HEAD", "POST"])


@dataclass(frozen=True)
class Action:
    """A link on a record's page to a form that acts on the record."""

    label: str
    url: str


_ACTIONS: dict[str, list[Callable[[Any], list[Action]]]] = {}


def actions_for(label: str):
    """Register a function giving the actions for records of this model ("app.model")."""

    def register(fn):
        _ACTIONS.setdefault(label, []).append(fn)
        return fn

    return register


_EDITS: dict[str, Callable[[Any], str]] = {}


def edit_for(label: str):
    """Register the site's edit page of records of this model ("app.model") where it is
    not the generic one (records.edit, for the records the admin keeps)."""

    def register(fn):
        _EDITS[label] = fn
        return fn

    return register


def record_edit_url(record) -> str | None:
    """The site's edit page of a record: its app's own, else the generic one, if any."""
    custom = _EDITS.get(record._meta.label_lower)
    if custom is not None:
        return custom(record)
    from .edit import edit_url  # cycle: edit builds its pages with these helpers

    return edit_url(record)


def record_actions(record) -> list[Action]:
    """The actions registered for this record's model, in the order registered."""
    found = []
    for fn in _ACTIONS.get(record._meta.label_lower, []):
        found += fn(record)
    return found


def officer_required(view):
    """The view is the Secretariat's: others are asked to sign in, or told it is not theirs
    (the same answer whatever record the address names, so nothing is learnt from it)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_secretariat(request.user):
            return render(
                request,
                "portal/not_yours.html",
                {"reason": _("Only Secretariat officers keep the record.")},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


def next_url(request, default: str) -> str:
    """Where to go after a form: the page it was opened from (this site only), else
    `default`."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def write_or_refuse(form, write: Callable[[], T]) -> tuple[T | None, int]:
    """Run `write` in one transaction; a refusal of the services or the database puts its
    reason on the form and leaves nothing saved. (result, 0) or (None, status)."""
    try:
        with transaction.atomic():
            return write(), 0
    except REFUSALS as exc:
        return None, refusal_on_form(form, exc)
    except (ProtectedError, RestrictedError):
        error = ValidationError(_("Other records still refer to this one: it cannot go."))
        return None, refusal_on_form(form, error)
    except IntegrityError:
        error = ValidationError(_("The values break a rule of the record; nothing was saved."))
        return None, refusal_on_form(form, error)
    except DataError:
        error = ValidationError(_("A value does not fit the record's field for it."))
        return None, refusal_on_form(form, error)


FORM_PAGE = "portal/form_page.html"


def form_page(
    request,
    form,
    *,
    write: Callable[[Any], Any],
    done: Callable[[Any], str],
    title: str,
    back: str,
    message: str,
    intro: str = "",
    submit: str = "",
    template: str = FORM_PAGE,
    **context,
):
    """An officer's form page. GET: the form. POST: `write(form)` as one step; saved, to
    `done(result)` with `message`; refused, the form again with why and what was typed
    (422 the values, 403 not allowed, 409 changed meanwhile), nothing saved."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result, status = write_or_refuse(form, lambda: write(form))
            if not status:
                messages.success(request, message)
                return redirect(done(result))
        else:
            status = 422
    page = {"form": form, "title": title, "intro": intro, "back": back, "submit": submit,
            "next": next_url(request, ""), **context}  # fmt: skip
    return render(request, template, page, status=status)
