"""Who is told of a notice, why, and how: the one place that decides it.

Two reasons to be told:
- "own": the notice is about one's own state's business (a draft circulated to it, a
  procedure it takes part in, a deadline it has not yet answered, a procedure it took
  part in closed). Preferences decide how (at once, in the digest, or only the last
  word before a deadline), never whether: the unmissable notice always goes.
- "body:<id>": one follows the body concerned (its meetings, new documents, procedures),
  at once or in the digest, or not at all.

Nobody is told of a document they may not read (the access policy, as of today).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from secretariat.accounts import policy
from secretariat.accounts.models import Account, Role

from .models import Delivery, Follow, Notice, Preferences
from .subjects import Subject, subject_of

Mode = Delivery.Mode
OWN = "own"


@dataclass(frozen=True)
class Recipient:
    user: object
    scope: str  # "own" or "body:<id>"
    mode: str  # Delivery.Mode


def preferences_of(user) -> Preferences:
    """A person's preferences (the defaults, unsaved, for one who never set any)."""
    try:
        return user.notice_preferences
    except Preferences.DoesNotExist:
        return Preferences(user=user)


def own_mode(preferences: Preferences, notice: Notice) -> str | None:
    """How a notice about one's own state is mailed; None: kept from the mail."""
    choice = preferences.own_state
    if choice == Preferences.OwnState.IMMEDIATE or notice.unmissable:
        return Mode.IMMEDIATE
    if choice == Preferences.OwnState.DIGEST:
        return Mode.DIGEST
    return None


def delegates_of(actor_ids: Iterable[int]) -> list:
    """The active users speaking for these states or organizations."""
    accounts = Account.objects.filter(
        role=Role.DELEGATE, actor_id__in=set(actor_ids), user__is_active=True
    ).select_related("user__notice_preferences", "user__account__actor")
    return [a.user for a in accounts]


def _followers(body_id: int | None) -> list[Follow]:
    if body_id is None:
        return []
    return list(
        Follow.objects.filter(body_id=body_id, user__is_active=True)
        .exclude(mode=Follow.Mode.OFF)
        .select_related("user__notice_preferences", "user__account__actor")
    )


def recipients(notice: Notice, subject: Subject | None = None) -> list[Recipient]:
    """Everyone told of the notice, once each, by the more urgent of their reasons."""
    subject = subject or subject_of(notice)
    if subject is None:
        return []
    chosen: dict[int, Recipient] = {}
    for found in _candidates(notice, subject):
        if subject.document is not None and not policy.can_read_document(
            found.user, subject.document
        ):
            continue
        held = chosen.get(found.user.pk)
        if held is None or (held.mode == Mode.DIGEST and found.mode == Mode.IMMEDIATE):
            chosen[found.user.pk] = found
    return sorted(chosen.values(), key=lambda r: r.user.pk)


def _candidates(notice: Notice, subject: Subject) -> Iterator[Recipient]:
    for user in delegates_of(subject.states_concerned(notice)):
        mode = own_mode(preferences_of(user), notice)
        if mode is not None:
            yield Recipient(user, OWN, mode)
    if notice.kind == Notice.Kind.REMINDER:
        return  # a reminder is for the states that have not answered, not followers
    for follow in _followers(notice.body_id):
        yield Recipient(follow.user, f"body:{notice.body_id}", follow.mode)


def users_with_email(users: Iterable) -> list:
    return [u for u in users if u.email]


User = get_user_model()
