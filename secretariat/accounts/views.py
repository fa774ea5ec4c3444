"""Sign-in (a password, then a code when a second factor is on), sign-out, password and
its reset by e-mail, the second factor, the user's own page with its API tokens, "My
delegation": what awaits the state a delegate represents, and its people, whom the
delegation's focal point adds and removes."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from secretariat.core.acting import because
from secretariat.core.as_of import as_of
from secretariat.decisions import selectors as decision_selectors
from secretariat.jobs.models import JobRun

from . import policy, second_factor, selectors, services, throttle
from .forms import (
    AdminSignInForm,
    CodeForm,
    DelegateForm,
    PasswordResetRequestForm,
    SetupForm,
    SignInForm,
    TokenForm,
)
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


# A right password waits this long for its code; the session is not signed in meanwhile.
PENDING = "accounts.sign_in_pending"
PENDING_SECONDS = 300


def _next(request) -> str:
    """The safe address to go on to after this step ("" if none was given)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


def _with_next(url: str, target: str) -> str:
    return f"{url}?{urlencode({'next': target})}" if target else url


class SignInView(auth_views.LoginView):
    """The password; when the user has a second factor, a code follows on its own page."""

    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True
    # What the 503 page says when the database is too busy to sign in (core.busy).
    busy_refusal = gettext_lazy(
        "You are not signed in: the record is busy, another change is being saved at this "
        "moment, so your sign-in could not be checked and noted."
    )

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled_for:  # the page again, saying when to retry
            return throttle.refused(response, form.throttled_for)
        return response

    def form_valid(self, form):
        user = form.get_user()
        if not second_factor.is_on(user):
            return super().form_valid(form)
        if self.request.user.is_authenticated:  # another account, at the admin's door
            auth_logout(self.request)
        session = self.request.session
        session.cycle_key()
        session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            # A password changed meanwhile voids the step, as it ends sessions.
            "hash": user.get_session_auth_hash(),
            "at": time.time(),
        }
        return redirect(_with_next(reverse("accounts:sign-in-code"), self.get_success_url()))


def admin_sign_in(request, *, index: str, permitted: bool):
    """The admin's door is the site's sign-in, second factor included: a visitor is sent
    there; a sign-in posted to the admin's own address is answered the same way."""
    target = _next(request) or index
    if request.method != "POST" and not request.user.is_authenticated:
        return redirect(_with_next(reverse("accounts:sign-in"), target))
    if request.method != "POST" and permitted:
        return redirect(target)
    # Signed in, but not into the admin: another account may be.
    view = SignInView.as_view(
        form_class=AdminSignInForm,
        next_page=index,
        redirect_authenticated_user=False,
        extra_context={"admin_refused": request.user.is_authenticated},
    )
    return view(request)


def _pending_user(request):
    """The user whose password was right moments ago in this session, if still waiting."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or not constant_time_compare(user.get_session_auth_hash(), pending["hash"]):
        return None, None
    return user, pending


def sign_in_code(request):
    """The second step: a code of the app, or a recovery code. It completes a sign-in whose
    password was right, or verifies a session signed in before a code was required."""
    target = _next(request)
    if request.user.is_authenticated:
        user, pending = request.user, None
        if second_factor.verified(user) or not second_factor.is_on(user):
            return redirect(target or resolve_url(settings.LOGIN_REDIRECT_URL))
    else:
        user, pending = _pending_user(request)
        if user is None:  # never began, or waited too long: the password again
            return redirect(_with_next(reverse("accounts:sign-in"), target))
    form = CodeForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        if pending is not None:
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
        django_otp.login(request, form.device)
        return redirect(target or resolve_url(settings.LOGIN_REDIRECT_URL))
    response = render(
        request,
        "accounts/sign_in_code.html",
        {"form": form, "next": target},
        status=422 if form.errors else 200,
    )
    return throttle.refused(response, form.throttled_for) if form.throttled_for else response


sign_in_code.busy_refusal = SignInView.busy_refusal


class SignOutView(auth_views.LogoutView):
    next_page = "/"


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled_for:
            return throttle.refused(response, form.throttled_for)
        return response


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a password from a mailed link (reset, or a new delegate's first). It does
    not sign in: the sign-in, second factor included, follows."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _home(request, *, token_form=None, new_secret=None, status=200):
    user = request.user
    actor = policy.actor_of(user)
    return render(
        request,
        "accounts/home.html",
        {
            "role_label": ROLE_LABELS.get(policy.role_of(user).value),
            "actor": actor,
            "focal_point": policy.is_focal_point(user),
            "second_factor_on": second_factor.is_on(user),
            "member": policy.is_member_delegate(user),
            "awaiting": decision_selectors.awaiting(user),
            "tokens": selectors.tokens_of(user),
            "token_form": token_form or TokenForm(),
            "new_secret": new_secret,
            "failed_jobs": _failed_jobs() if policy.is_secretariat(user) else None,
        },
        status=status,
    )


def _failed_jobs() -> int:
    """Background jobs that failed for good: the Secretariat is told on its account page."""

    return JobRun.objects.filter(state=JobRun.State.FAILED).count()


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
    user = request.user
    actor = policy.actor_of(user)
    context = {"actor": actor, "role_label": ROLE_LABELS.get(policy.role_of(user).value)}
    if actor is not None:
        at = as_of(request)
        awaiting = decision_selectors.awaiting(user, at=at)
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
                for p in decision_selectors.actor_positions(actor, user=user)[:RECENT_POSITIONS]
            ],
        )
    return render(request, "accounts/delegation.html", context)


# --- The second factor -------------------------------------------------------------------


def _refusal_on(form, exc: ValidationError) -> None:
    """A service's refusal on the form: by field where the form has it, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def _second_factor(request, *, codes=None, forms=None, status=200):
    user = request.user
    on = second_factor.is_on(user)
    setting_up = None if on else second_factor.app_of(user, confirmed=False)
    context = {
        "on": on,
        "required": second_factor.required(user),
        "setting_up": setting_up,
        "codes": codes,
        "codes_left": second_factor.recovery_codes_left(user) if on else 0,
        "next": _next(request),
        "setup_form": SetupForm(),
        "renew_form": CodeForm(user=user, request=request, auto_id="renew_%s"),
        "off_form": CodeForm(user=user, request=request, auto_id="off_%s"),
        **(forms or {}),
    }
    if setting_up is not None:
        context["qr"] = second_factor.qr_svg(setting_up, title=_("QR code to scan with the app"))
        context["key"] = second_factor.key_text(setting_up)
    return render(request, "accounts/second_factor.html", context, status=status)


def _back_to_page(request):
    return redirect(_with_next(reverse("accounts:second-factor"), _next(request)))


@login_required
@require_safe
def second_factor_page(request):
    """Whether a second factor is on; turning it on (a QR code, then a first code), new
    recovery codes, turning it off."""
    return _second_factor(request)


@login_required
@require_POST
def second_factor_begin(request):
    services.second_factor_begin(user=request.user)
    return _back_to_page(request)


@login_required
@require_POST
def second_factor_confirm(request):
    form = SetupForm(request.POST)
    if form.is_valid():
        try:
            device, codes = services.second_factor_confirm(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            _refusal_on(form, exc)
        else:
            django_otp.login(request, device)  # this session has just shown a code
            return _second_factor(request, codes=codes)
    return _second_factor(request, forms={"setup_form": form}, status=422)


@login_required
@require_POST
def recovery_codes_renew(request):
    if not second_factor.is_on(request.user):
        return _back_to_page(request)
    form = CodeForm(request.POST, user=request.user, request=request, auto_id="renew_%s")
    if not form.is_valid():
        return _second_factor(request, forms={"renew_form": form}, status=422)
    return _second_factor(request, codes=services.recovery_codes_renew(user=request.user))


@login_required
@require_POST
def second_factor_off(request):
    if not second_factor.is_on(request.user):
        return _back_to_page(request)
    form = CodeForm(request.POST, user=request.user, request=request, auto_id="off_%s")
    if form.is_valid():
        try:
            services.second_factor_remove(user=request.user)
        except ValidationError as exc:
            _refusal_on(form, exc)
        else:
            return _back_to_page(request)
    return _second_factor(request, forms={"off_form": form}, status=422)


# --- A delegation's people, managed by its focal point -------------------------------------


def _people(request, *, form=None, added=None, refusal=None, status=200):
    actor = policy.actor_of(request.user)
    return render(
        request,
        "accounts/delegation_people.html",
        {
            "actor": actor,
            "people": selectors.delegation_people(actor),
            "form": form or DelegateForm(),
            "added": added,
            "refusal": refusal,
        },
        status=status,
    )


def _focal_point_only(request):
    if not policy.is_focal_point(request.user):
        return render(
            request,
            "accounts/delegation_people_refused.html",
            {"actor": policy.actor_of(request.user)},
            status=403,
        )
    return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delegation_people(request):
    """The focal point's page: its state's delegates, present and removed; adding one."""
    if (refused := _focal_point_only(request)) is not None:
        return refused
    if request.method != "POST":
        return _people(request)
    form = DelegateForm(request.POST)
    if form.is_valid():
        try:
            with because("added by the delegation's focal point"):
                account = services.delegate_add(
                    actor=policy.actor_of(request.user), **form.cleaned_data
                )
        except ValidationError as exc:
            _refusal_on(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return _people(request, added=account, status=201)
    return _people(request, form=form, status=422)


def _change_delegate(request, account_id: int, write, reason: str):
    if (refused := _focal_point_only(request)) is not None:
        return refused
    account = selectors.delegate_of(policy.actor_of(request.user), account_id)
    if account is None:  # another state's delegate is not there, as far as this user knows
        raise Http404("No such delegate.")
    try:
        with because(reason):
            write(account=account)
    except ValidationError as exc:
        return _people(request, refusal=" ".join(exc.messages), status=422)
    except PermissionDenied as exc:
        return _people(request, refusal=str(exc), status=403)
    return redirect("accounts:delegation-people")


@login_required
@require_POST
def delegate_remove(request, account_id: int):
    return _change_delegate(
        request, account_id, services.delegate_remove, "removed by the delegation's focal point"
    )


@login_required
@require_POST
def delegate_restore(request, account_id: int):
    return _change_delegate(
        request, account_id, services.delegate_restore, "restored by the delegation's focal point"
    )
