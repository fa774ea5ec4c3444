"""Writes about accounts: making users with a role, changing roles, API tokens."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from secretariat.core.services import validated_save

from . import tokens
from .models import Account, ApiToken, Role


def _sync_flags(user, role: str) -> None:
    # The admin lets in staff only: staff status follows the role, never set apart.
    user.is_staff = role in (Role.ADMINISTRATOR, Role.OFFICER)
    user.is_superuser = role == Role.ADMINISTRATOR


@transaction.atomic
def account_create(
    *, username: str, password: str, role: str, actor=None, email: str = ""
) -> Account:
    """A new user with a role (a delegate names the state or organization it represents)."""
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "This username is taken."})
    user = User(username=username, email=email)
    validate_password(password, user)
    user.set_password(password)
    _sync_flags(user, role)
    user.full_clean()
    user.save()
    account = Account(user=user, role=role, actor=actor)
    validated_save(account)
    return account


@transaction.atomic
def account_role_set(*, user, role: str, actor=None) -> Account:
    """Give the user a role; staff status follows."""
    account = Account.objects.filter(user=user).first() or Account(user=user)
    account.role, account.actor = role, actor
    validated_save(account)
    _sync_flags(user, role)
    user.save(update_fields=["is_staff", "is_superuser"])
    return account


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
