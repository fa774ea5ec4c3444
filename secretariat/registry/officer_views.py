"""The officers' pages of the registry: record a new actor, a status decision (admission,
observer status, partnership, application), and the end of a status.

Thin: the form parses, a service judges and saves (registry.services),
`records.pages.form_page` answers.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from secretariat.records.pages import (
    Action,
    actions_for,
    form_page,
    next_url,
    officer_page,
    officer_required,
)

from . import selectors, services
from .display import STATUS_LABELS
from .models import Actor
from .officer_forms import ActorForm, StatusEndForm, StatusForm


def _actor(slug: str) -> Actor:
    found = selectors.actor_record(slug)
    if found is None:
        raise Http404(_("No such actor."))
    return found


def name_of(record) -> str:
    """The record's name in the page's language (English where it has none)."""
    lang = (get_language() or "en")[:2]
    return getattr(record, f"name_{lang}", "") or record.name_en


def _actor_url(actor: Actor) -> str:
    return reverse("registry:actor", kwargs={"slug": actor.slug})


@actions_for("registry.actor")
def _actor_actions(actor: Actor) -> list[Action]:
    actions = [
        Action(
            _("Record a status decision"),
            reverse("registry:status_new", kwargs={"slug": actor.slug}),
        )
    ]
    for status in selectors.open_statuses(actor):
        label = STATUS_LABELS.get(status.kind, status.kind)
        url = reverse("registry:status_end", kwargs={"slug": actor.slug, "status_id": status.pk})
        actions.append(Action(_("End: %(status)s") % {"status": label}, url))
    return actions


@officer_required
@officer_page
def actor_new(request):
    """A new state or organization, from the members page."""
    form = ActorForm(request.POST or None)

    def write(form):
        data = form.cleaned_data
        return services.actor_create(
            kind=data["kind"], name_en=data["name_en"], name_ru=data["name_ru"],
            short_name_en=data["short_name_en"], short_name_ru=data["short_name_ru"],
            iso2=data["iso2"], iso3=data["iso3"], slug=data["slug"], sources=form.sources(),
        )  # fmt: skip

    return form_page(
        request, form, write=write, done=_actor_url,
        title=_("Record a new state or organization"),
        intro=_("Its statuses are recorded on its page once it is on record."),
        back=next_url(request, reverse("registry:members")),
        message=_("The actor is on record."), submit=_("Record the actor"),
    )  # fmt: skip


@officer_required
@officer_page
def status_new(request, slug: str):
    """A status decision about an actor: admission, observer status, partnership..."""
    actor = _actor(slug)
    form = StatusForm(request.POST or None)

    def write(form):
        data = form.cleaned_data
        return services.status_begin(
            actor=actor, kind=data["kind"], start=data["start"], end=data["end"],
            decided_at=data["decided_at"], applied_for=data["applied_for"],
            outcome=data["outcome"], note=data["note"], sources=form.sources(),
        )  # fmt: skip

    return form_page(
        request, form, write=write, done=lambda _status: next_url(request, _actor_url(actor)),
        title=_("Record a status decision: %(actor)s") % {"actor": name_of(actor)},
        back=next_url(request, _actor_url(actor)),
        message=_("The status is on record."), submit=_("Record the decision"),
    )  # fmt: skip


@officer_required
@officer_page
def status_end(request, slug: str, status_id: int):
    """End a status the actor holds (the first day it no longer holds)."""
    actor = _actor(slug)
    status = next((s for s in actor.statuses.all() if s.pk == status_id), None)
    if status is None:
        raise Http404(_("No such status."))
    form = StatusEndForm(request.POST or None)
    label = STATUS_LABELS.get(status.kind, status.kind)

    def write(form):
        return services.status_end(status=status, end=form.cleaned_data["end"],
                                   sources=form.sources())  # fmt: skip

    held = _("%(status)s since %(start)s.") % {"status": label, "start": status.start.isoformat()}
    if status.end is not None:
        held = _("%(status)s from %(start)s to %(end)s: already ended.") % {
            "status": label, "start": status.start.isoformat(), "end": status.end.isoformat()
        }  # fmt: skip
    return form_page(
        request, form, write=write, done=lambda _row: next_url(request, _actor_url(actor)),
        title=_("End a status: %(actor)s") % {"actor": name_of(actor)}, intro=held,
        back=next_url(request, _actor_url(actor)),
        message=_("The status is ended."), submit=_("End the status"),
    )  # fmt: skip
