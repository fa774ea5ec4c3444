"""Writes about accounts: making users with a role, changing roles, the delegates a
delegation's focal point adds and removes, the second factor, API tokens."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from secretariat.core import acting
from secretariat.jobs.queue import after_commit
from secretariat.records.services import validated_save

from . import policy, second_factor, tasks, tokens
from .models import Account, ApiToken, Role


def _sync_flags(user, role: str) -> None:
    # The admin lets in staff only: staff status follows the role, never set apart.
    user.is_staff = role in (Role.ADMINISTRATOR, Role.OFFICER)
    user.is_superuser = role == Role.ADMINISTRATOR


@transaction.atomic
def account_create(
    *,
    username: str,
    password: str | None,
    role: str,
    actor=None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    focal_point: bool = False,
) -> Account:
    """A new user with a role (a delegate names the state or organization it represents).

    Without a password (None) the user cannot sign in until they set one through the
    link of a "set your password" mail.
    """
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    _sync_flags(user, role)
    user.full_clean()
    user.save()
    account = Account(user=user, role=role, actor=actor, focal_point=focal_point)
    validated_save(account)
    return account


@transaction.atomic
def account_role_set(*, user, role: str, actor=None, focal_point: bool = False) -> Account:
    """Give the user a role (a delegate may be its delegation's focal point); staff
    status follows."""
    account = Account.objects.filter(user=user).first() or Account(user=user)
    account.role, account.actor, account.focal_point = role, actor, focal_point
    validated_save(account)
    _sync_flags(user, role)
    user.save(update_fields=["is_staff", "is_superuser"])
    return account


@transaction.atomic
def delegate_add(
    *, actor, username: str, email: str, first_name: str = "", last_name: str = ""
) -> Account:
    """A new delegate of `actor`, added by its delegation's focal point (or an
    administrator; the policy refuses anyone else, and never makes an officer or another
    focal point here). It has no password yet: a mail asks them to set one."""
    policy.require_write(Account(role=Role.DELEGATE, actor=actor))  # before making a user
    if not email:
        raise ValidationError({"email": _("The new delegate sets a password by e-mail: give one.")})
    account = account_create(
        username=username, password=None, role=Role.DELEGATE, actor=actor, email=email,
        first_name=first_name, last_name=last_name,
    )  # fmt: skip
    after_commit(tasks.mail_set_password, account.user_id, translation.get_language())
    return account


@transaction.atomic
def delegate_remove(*, account: Account) -> Account:
    """The delegate may no longer sign in (sessions and API tokens stop working with it);
    the account and everything it entered stay on record, marked removed."""
    who = acting.current().user
    if account.user_id == getattr(who, "pk", None):
        raise ValidationError(_("You cannot remove your own account: ask the Secretariat."))
    if account.role != Role.DELEGATE:
        raise ValidationError(_("Only a delegate's account is removed here."))
    if account.removed_at is None:
        account.removed_at = timezone.now()
        validated_save(account)  # the policy: the focal point of its own delegation only
    user = account.user
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return account


@transaction.atomic
def delegate_restore(*, account: Account) -> Account:
    """A removed delegate may sign in again (a removal made by mistake)."""
    if account.removed_at is not None:
        account.removed_at = None
        validated_save(account)  # the policy, as for the removal
    user = account.user
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return account


@transaction.atomic
def second_factor_begin(*, user) -> TOTPDevice:
    """A new authenticator key for the user, not in use until a code from it confirms it
    (an earlier key not confirmed is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)


@transaction.atomic
def second_factor_confirm(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn the second factor on with a code from the app being set up: it replaces any
    app before it, and the recovery codes are new (returned to be shown once)."""
    device = second_factor.app_of(user, confirmed=False)
    if device is None:
        raise ValidationError({"code": _("Start again: no authenticator app is being set up.")})
    if not device.verify_token(second_factor.normalized(code)):
        wrong = _("This code does not match: check the phone's clock, and type the code now shown.")
        raise ValidationError({"code": wrong})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """New recovery codes, each good for one sign-in; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery codes"}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(second_factor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_remove(*, user) -> None:
    """Turn the second factor off: the app's key and the recovery codes are forgotten.

    A role that requires one cannot turn it off for itself; an administrator may reset
    it for a user who lost the phone (who then sets up a new one at the next sign-in).
    """
    if second_factor.required(user) and getattr(acting.current().user, "pk", None) == user.pk:
        raise ValidationError(_("Your role requires a second factor: it stays on."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for the user's programs; the secret is returned once and never stored."""
    secret = tokens.new_secret()
    token = ApiToken(user=user, name=name, prefix=secret[:10], digest=tokens.digest(secret))
    validated_save(token)
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    """Stop a token from working, at once; it stays listed as revoked."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        validated_save(token)
    return token
