"""The inbox, one's preferences, following a body, the mails' one-click unsubscribe, and the
officers' archive of announcements by body. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from secretariat.bodies.models import Body
from secretariat.records.pages import Action, actions_for, next_url, officer_required

from . import mail, selectors, services
from .audience import preferences_of
from .forms import FollowForm, PreferencesForm


@actions_for("bodies.body")
def _body_actions(body) -> list[Action]:
    """On a body's page, officers find the announcements made about it."""
    return [Action(_("Announcements"), reverse("notices:archive") + f"?body={body.slug}")]


@login_required
@require_safe
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox(request.user, unread_only=unread_only), selectors.INBOX_PAGE)
    number = request.GET.get("page", "1")
    deliveries = page.get_page(number)
    return render(
        request,
        "notices/inbox.html",
        {"deliveries": deliveries, "unread_only": unread_only,
         "unread": selectors.unread_count(request.user)},
    )  # fmt: skip


@login_required
@require_safe
def delivery(request, delivery_id: int):
    found = selectors.delivery_get(request.user, delivery_id)
    if found is None:
        raise Http404(_("No such notice."))
    services.delivery_read(delivery=found)
    return render(request, "notices/delivery.html", {"delivery": found})


@login_required
@require_POST
def read_all(request):
    services.deliveries_read_all(user=request.user)
    return redirect("notices:inbox")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    user = request.user
    bodies = selectors.followable_bodies()
    follows = selectors.follows_of(user)
    current = preferences_of(user)
    initial = {
        "language": current.language or request.LANGUAGE_CODE,
        "own_state": current.own_state,
    }
    form = PreferencesForm(request.POST or None, initial=initial, bodies=bodies, follows=follows)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "notices/preferences.html", {"form": form}, status=422)
        data = form.cleaned_data
        services.preferences_set(user=user, language=data["language"], own_state=data["own_state"])
        for body in bodies:
            mode = data[f"body_{body.pk}"]
            if mode != follows.get(body.pk, "off"):
                services.follow_set(user=user, body=body, mode=mode)
        messages.success(request, _("Your choices are saved."))
        return redirect("notices:preferences")
    return render(request, "notices/preferences.html", {"form": form})


@login_required
@require_POST
def follow(request, body_slug: str):
    body = Body.objects.filter(slug=body_slug).first()
    if body is None:
        raise Http404(_("No such body."))
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose at once, in the daily digest, or not at all."))
    else:
        services.follow_set(user=request.user, body=body, mode=form.cleaned_data["mode"])
        messages.success(request, _("Your choice for this body is saved."))
    return redirect(next_url(request, f"/bodies/{body.slug}/"))


@csrf_exempt  # a mail client's one-click POST (RFC 8058) carries the signed link, no cookie
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """GET asks (a link scanner must not unsubscribe anyone); POST does it."""
    read = mail.read_token(token)
    user = get_user_model().objects.filter(pk=read[0], is_active=True).first() if read else None
    if user is None:
        return render(request, "notices/unsubscribe.html", {"invalid": True}, status=404)
    scope = read[1]
    if request.method == "POST":
        done = services.unsubscribe(user=user, scope=scope)
        return render(request, "notices/unsubscribe.html", {"done": done, "scope": scope})
    return render(request, "notices/unsubscribe.html", {"scope": scope, "token": token})


@officer_required
@require_safe
def archive(request):
    """Every announcement of a body (or of all), as given out, for officers."""
    slug = request.GET.get("body", "")
    body = Body.objects.filter(slug=slug).first() if slug else None
    page = Paginator(selectors.archive(body=body), selectors.INBOX_PAGE)
    return render(
        request,
        "notices/archive.html",
        {"notices": page.get_page(request.GET.get("page", "1")), "body": body,
         "bodies": selectors.followable_bodies()},
    )  # fmt: skip
