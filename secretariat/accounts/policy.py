"""The one policy: who may read which documents, and who may write which records.

Selectors filter every read with `documents_q` (or `can_read_document`), and
`records.services.validated_save` / `record_delete` call `require_write` on every
write, with the user taken from `core.acting`. No view, endpoint or template
decides access on its own.

Reading documents:
- public documents, and any document whose embargo (`public_from`) has passed:
  everyone;
- restricted: the Secretariat (administrators, officers), delegates of a state
  that is a member on the day, and delegates of an observer or partner the
  document is shared with;
- confidential: the Secretariat only.

Which state took which position in a procedure one may read is the decisions app's one
rule (`decisions.selectors.positions_seen`), built on the roles below.

Writing: administrators and officers keep the whole record, except that a state's
position is recorded only by that state's delegates; a delegate records only its
own state's positions and feedback; a delegation's focal point adds and removes the
delegates of its own state; the system (dataset loader, commands, jobs) is
trusted; everyone else writes nothing.

The rule reads two records of apps that stand above this one (a member's status, a
document's sharing): it names their models by label, as a foreign key would, rather
than importing them (tests/test_layers.py).
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q
from django.utils import timezone

from secretariat.core import acting
from secretariat.core.models import AccessLevel
from secretariat.core.partial_dates import q_holds_on

from .models import Role

# Records a delegate may write, with the field naming the state it speaks for.
DELEGATE_WRITES = {
    "decisions.position": "actor",
    "documents.feedback": "actor",
}
# Records only the delegates of the state they speak for write: not even officers, who
# may not put words in a government's mouth (the loader, recording history, may).
DELEGATES_ONLY = {"decisions.position"}
# Records only administrators write (roles decide every other permission), but for the
# delegate accounts of a delegation, which its focal point manages.
ADMINISTRATOR_WRITES = {"accounts.account"}
# Records a signed-in user writes for themselves, with the field naming the owner.
OWN_WRITES = {"accounts.apitoken": "user"}


def _today() -> dt.date:
    return timezone.localdate()


def _account(user):
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.account
    except Exception:  # no account row: a plain user, read as the public
        return None


class _System:
    """The system reading for itself (commands run by the Secretariat on its server)."""

    is_authenticated = True
    is_active = True
    is_staff = True
    is_superuser = True
    pk = None

    def __str__(self) -> str:
        return "system"


SYSTEM = _System()


def role_of(user) -> Role:
    """The user's role; superusers are administrators whatever their account says."""
    if user is not None and getattr(user, "is_authenticated", False) and user.is_active:
        if user.is_superuser:
            return Role.ADMINISTRATOR
        account = _account(user)
        if account is not None:
            return Role(account.role)
        if user.is_staff:  # staff without an account row: the admin's own notion of officer
            return Role.OFFICER
    return Role.PUBLIC


def actor_of(user):
    """The state or organization a delegate represents (None for other roles)."""
    account = _account(user)
    if account is None or account.role != Role.DELEGATE:
        return None
    return account.actor


def is_secretariat(user) -> bool:
    return role_of(user) in (Role.ADMINISTRATOR, Role.OFFICER)


def is_member_delegate(user, day: dt.date | None = None) -> bool:
    """A delegate of a state that is certainly a member on `day`."""
    actor = actor_of(user)
    if actor is None:
        return False
    day = day or _today()
    cache = user.__dict__.setdefault("_member_on", {})
    if day not in cache:
        cache[day] = (
            apps.get_model("registry", "Status")
            .objects.filter(actor=actor, kind="member")
            .filter(q_holds_on("start", "end", day, certain=True))
            .exists()
        )
    return cache[day]


def may_read_restricted(user, *, day: dt.date | None = None) -> bool:
    """Whether `user` reads restricted papers as such (not only those shared with it): the
    Secretariat and the delegates of a member state. An internal report is theirs."""
    return is_secretariat(user) or is_member_delegate(user, day)


def documents_q(user, prefix: str = "", *, day: dt.date | None = None) -> Q:
    """Condition on documents (reached through `prefix`, e.g. "document__") that the
    user may read; combine it with any queryset's filter."""
    day = day or _today()

    def q(**lookups) -> Q:
        return Q(**{prefix + name: value for name, value in lookups.items()})

    if is_secretariat(user):
        return Q()
    visible = q(access=AccessLevel.PUBLIC) | q(public_from__lte=day)
    if is_member_delegate(user, day):
        visible |= q(access=AccessLevel.RESTRICTED)
    elif (actor := actor_of(user)) is not None:
        document = apps.get_model("documents", "Document")
        shared = document.shared_with.through.objects.filter(actor=actor).values("document_id")
        visible |= q(access=AccessLevel.RESTRICTED, pk__in=shared)
    return visible


def can_read_document(user, document, *, day: dt.date | None = None) -> bool:
    """The same rule as documents_q, for one document in hand."""
    day = day or _today()
    if document.access == AccessLevel.PUBLIC:
        return True
    if document.public_from is not None and document.public_from <= day:
        return True
    if is_secretariat(user):
        return True
    if document.access != AccessLevel.RESTRICTED:
        return False
    if is_member_delegate(user, day):
        return True
    actor = actor_of(user)
    return actor is not None and document.shared_with.filter(pk=actor.pk).exists()


def effective_access(document, *, day: dt.date | None = None) -> str:
    """The level a document is read at on `day`: public once its embargo has passed."""
    day = day or _today()
    if document.public_from is not None and document.public_from <= day:
        return AccessLevel.PUBLIC
    return document.access


def may_write(user, instance: Model) -> bool:
    """Whether `user` may create, change or delete this record."""
    label = instance._meta.label_lower
    role = role_of(user)
    if label in OWN_WRITES:  # one's own API tokens
        owner = getattr(instance, f"{OWN_WRITES[label]}_id")
        signed_in = user is not None and getattr(user, "is_authenticated", False)
        return role == Role.ADMINISTRATOR or (signed_in and owner == user.pk)
    if label in ADMINISTRATOR_WRITES:
        return role == Role.ADMINISTRATOR or _focal_point_of(user, instance)
    if role in (Role.ADMINISTRATOR, Role.OFFICER) and label not in DELEGATES_ONLY:
        return True
    if role != Role.DELEGATE:
        return False
    field = DELEGATE_WRITES.get(instance._meta.label_lower)
    if field is None:
        return False
    actor = actor_of(user)
    return actor is not None and getattr(instance, f"{field}_id") == actor.pk


def is_focal_point(user) -> bool:
    """A delegate who manages its delegation's accounts."""
    account = _account(user)
    return account is not None and account.role == Role.DELEGATE and account.focal_point


def _focal_point_of(user, account) -> bool:
    """Whether `user` is the focal point of the delegation `account` (a delegate's account,
    never made a focal point or given another role by them) belongs to."""
    own = actor_of(user)
    return (
        is_focal_point(user)
        and account.role == Role.DELEGATE
        and account.actor_id == own.pk
        and not (account.focal_point and account.user_id != user.pk)
    )


def require_write(instance: Model) -> None:
    """Refuse the write unless whoever is acting may make it (the system always may;
    nobody, where nothing said who is acting, never may: core.acting.NoActor)."""
    who = acting.require_actor()
    if who.is_system or may_write(who.user, instance):
        return
    if not getattr(who.user, "is_authenticated", False):
        raise PermissionDenied("Sign in with an account that may change the record.")
    if role_of(who.user) == Role.DELEGATE and instance._meta.label_lower in DELEGATE_WRITES:
        raise PermissionDenied(
            "A delegate records only the positions and feedback of its own state."
        )
    if instance._meta.label_lower in DELEGATES_ONLY:
        raise PermissionDenied("A state's position is recorded only by that state's delegates.")
    raise PermissionDenied(f"Your role may not change {instance._meta.verbose_name} records.")


def may_manage_accounts(user) -> bool:
    return role_of(user) == Role.ADMINISTRATOR


# Apps whose records are accounts, not the organization's record: administrators only.
ACCOUNT_APPS = {"accounts", "auth"}


def admin_permits(user, perm: str) -> bool:
    """Django's permission ("app.codename") by role, so the admin asks the policy too:
    officers keep the record; accounts and roles are the administrators'."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role != Role.OFFICER:
        return False
    app_label, _, codename = perm.partition(".")
    return app_label not in ACCOUNT_APPS or codename.startswith("view_")
