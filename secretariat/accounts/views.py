"""Sign-in, sign-out, password and the user's own page with its API tokens."""

from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import policy, selectors, services
from .forms import SignInForm, TokenForm
from .models import ApiToken


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
            "role_label": policy.role_of(user).label,
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
