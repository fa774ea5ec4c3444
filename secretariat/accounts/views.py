"""Sign-in, sign-out, password, the user's own page with its API tokens, and "My delegation":
what awaits the state a delegate represents."""

from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from secretariat.portal.dates import as_of

from . import policy, selectors, services
from .forms import SignInForm, TokenForm
from .models import ApiToken

ROLE_LABELS = {
    "administrator": gettext_lazy("administrator"),
    "officer": gettext_lazy("Secretariat officer"),
    "delegate": gettext_lazy("delegate"),
    "public": gettext_lazy("registered reader"),
}
POSITION_LABELS = {
    "support": gettext_lazy("support / no objection"),
    "objection": gettext_lazy("objection"),
    "withdrawal": gettext_lazy("withdrawal of an objection"),
    "reservation": gettext_lazy("joins consensus with a reservation"),
    "interpretative": gettext_lazy("joins consensus with an interpretative statement"),
    "comment": gettext_lazy("comment"),
}
PROCEDURE_KINDS = {
    "meeting": gettext_lazy("decision at a meeting"),
    "silence": gettext_lazy("silence procedure"),
}
RECENT_POSITIONS = 10


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    next_page = "/"


def _home(request, *, token_form=None, new_secret=None, status=200):
    user = request.user
    actor = policy.actor_of(user)
    return render(
        request,
        "accounts/home.html",
        {
            "role_label": ROLE_LABELS.get(policy.role_of(user).value),
            "actor": actor,
            "member": policy.is_member_delegate(user),
            "awaiting": selectors.awaiting(user),
            "tokens": selectors.tokens_of(user),
            "token_form": token_form or TokenForm(),
            "new_secret": new_secret,
        },
        status=status,
    )


@login_required
def home(request):
    return _home(request)


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _home(request, token_form=form, status=422)
    _, secret = services.token_create(user=request.user, name=form.cleaned_data["name"])
    # Shown in this answer only: the database keeps a digest.
    return _home(request, new_secret=secret, status=201)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:  # someone else's token is not there, as far as this user knows
        raise Http404("No such token.")
    services.token_revoke(token=token)
    return redirect("accounts:home")


@login_required
def password(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        return render(
            request,
            "accounts/password.html",
            {"form": PasswordChangeForm(request.user), "done": True},
        )
    return render(
        request, "accounts/password.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
@require_safe
def delegation(request):
    """What awaits the delegate's state on `at`: feedback on open circulations, positions in
    open procedures; and the state's recent positions. Other users get an explanation."""
    from secretariat.registry.selectors import actor_positions

    user = request.user
    actor = policy.actor_of(user)
    context = {"actor": actor, "role_label": ROLE_LABELS.get(policy.role_of(user).value)}
    if actor is not None:
        at, _error = as_of(request)
        awaiting = selectors.awaiting(user, at=at)
        context.update(
            member=policy.is_member_delegate(user, at),
            circulations=[
                {
                    "item": c,
                    "days_left": (c.event.deadline - at).days if c.event.deadline else None,
                }
                for c in awaiting.circulations
            ],
            procedures=[
                {"state": s, "kind": PROCEDURE_KINDS.get(s.procedure.kind, s.procedure.kind)}
                for s in awaiting.procedures
            ],
            positions=[
                {"position": p, "kind": POSITION_LABELS.get(p.kind, p.kind)}
                for p in actor_positions(actor, user=user)[:RECENT_POSITIONS]
            ],
        )
    return render(request, "accounts/delegation.html", context)
