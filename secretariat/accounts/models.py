"""Accounts: each user's role, the state or organization a delegate represents,
API tokens, failed sign-ins (to slow down password guessing) and password reset requests
(to slow down mail sent in bulk)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from secretariat.core.models import TimeStamped


class Role(models.TextChoices):
    """What a signed-in user is to the organization; anonymous visitors are the public."""

    ADMINISTRATOR = "administrator", "administrator"
    OFFICER = "officer", "Secretariat officer"
    DELEGATE = "delegate", "delegate"  # of a member state, or of an observer or partner
    PUBLIC = "public", "registered reader"


class Account(TimeStamped):
    """A user's role; a delegate's account names the state or organization represented.

    Whether a delegate reads restricted papers follows from that actor's status on
    the day (member state: yes; observer or partner: only what is shared with it).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account",
        help_text="The user.",
    )
    role = models.CharField(max_length=15, choices=Role.choices, help_text="The user's role.")
    actor = models.ForeignKey(
        "registry.Actor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # a delegation must not silently lose its state
        related_name="delegates",
        help_text="The state or organization a delegate represents.",
    )
    focal_point = models.BooleanField(
        default=False,
        help_text="A delegate who manages the delegation's own accounts: adds and removes "
        "the delegates of the same state or organization.",
    )
    removed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the account was removed (its user may no longer sign in); the "
        "account and what it entered stay on record.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_point=False) | Q(role=Role.DELEGATE),
                name="account_focal_point_is_delegate",
                violation_error_message="Only a delegate is a delegation's focal point.",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.DELEGATE, actor__isnull=False)
                | (~Q(role=Role.DELEGATE) & Q(actor__isnull=True)),
                name="account_delegate_has_actor",
                violation_error_message="A delegate represents exactly one state or "
                "organization; other roles represent none.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def clean(self):
        if self.role == Role.DELEGATE and self.actor_id is None:
            raise ValidationError(
                {"actor": "A delegate represents exactly one state or organization: name it."}
            )
        if self.role != Role.DELEGATE and self.actor_id is not None:
            raise ValidationError({"actor": "Only a delegate represents a state or organization."})
        if self.focal_point and self.role != Role.DELEGATE:
            raise ValidationError({"focal_point": "Only a delegate is a delegation's focal point."})


class ApiToken(TimeStamped):
    """A secret a program presents as `Authorization: Bearer <token>`.

    Only a digest is stored: the token itself is shown once, when made. The digest and
    the prefix never leave this app: the trail records that a token was made or revoked,
    for whom, not them.
    """

    # Kept out of the audit trail (audit.trail.withheld).
    TRAIL_WITHHELD = ("prefix", "digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="Whose rights the token carries.",
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell it.")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token.")
    last_used_at = models.DateTimeField(null=True, blank=True, help_text="Last use.")
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="When it was revoked.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # The trail describes a token by this: its name and owner, not its prefix.
        return f"{self.name} (API token of {self.user.get_username()})"

    def trail_restored(self) -> None:
        """A token brought back from the trail, which never held its digest: it comes back
        revoked, with a digest no token has (the secret is gone): its owner makes a new one."""
        self.digest = secrets.token_hex(32)
        self.prefix = "restored"  # no token begins so (they begin "sec_")
        self.revoked_at = self.revoked_at or timezone.now()


class SignInFailure(models.Model):
    """One failed sign-in; recent ones for a username or address slow the next tries."""

    username = models.CharField(max_length=150, db_index=True, help_text="Name tried.")
    address = models.GenericIPAddressField(null=True, blank=True, help_text="From where.")
    at = models.DateTimeField(auto_now_add=True, db_index=True, help_text="When.")

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.at:%Y-%m-%d %H:%M}"


class PasswordResetRequest(models.Model):
    """One request for a password reset link; recent ones for an e-mail address or from
    a client address slow the next (mails are not sent on anyone's behalf in bulk)."""

    email = models.CharField(max_length=254, db_index=True, help_text="Address asked for.")
    address = models.GenericIPAddressField(null=True, blank=True, help_text="From where.")
    at = models.DateTimeField(auto_now_add=True, db_index=True, help_text="When.")

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.email} from {self.address} at {self.at:%Y-%m-%d %H:%M}"
