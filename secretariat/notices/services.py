"""Writes about notices: making them (from acts and from deadlines), giving each person
concerned a copy, mailing copies, and people's preferences.

Everything here may run twice (two workers, a retried job): a notice is one row per
`key`, a copy one row per (notice, person), and a copy is mailed by whoever claims it
first, so nothing is made, written or sent twice. A mail whose sending failed is
released for the retry; one whose worker died between sending and recording stays
claimed and is not sent again (at most once: a lost mail is visible, a double is not
undone).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from secretariat.accounts import policy
from secretariat.audit.models import Act
from secretariat.decisions import selectors as decisions
from secretariat.documents import selectors as documents

from . import audience, mail, wording
from .models import Delivery, Follow, Notice, Preferences
from .subjects import (
    CirculationSubject,
    ProcedureSubject,
    Subject,
    circulation_subject,
    procedure_subject,
    subject_of,
)

logger = logging.getLogger(__name__)
K = Notice.Kind
VERBS = {
    Act.Verb.CIRCULATED: K.CIRCULATED,
    Act.Verb.PROCEDURE_OPENED: K.PROCEDURE_OPENED,
    Act.Verb.PROCEDURE_CLOSED: K.PROCEDURE_CLOSED,
    Act.Verb.MEETING_SCHEDULED: K.MEETING_SCHEDULED,
    Act.Verb.MEETING_MOVED: K.MEETING_MOVED,
    Act.Verb.MEETING_CANCELLED: K.MEETING_CANCELLED,
    Act.Verb.DOCUMENT_ADDED: K.DOCUMENT_ADDED,
}


# --- Deadlines ---------------------------------------------------------------------------


def day_end(day: dt.date) -> dt.datetime:
    """A deadline given as a day ends when the next day begins (in the project's zone)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def reminder_steps(opened: dt.datetime, deadline: dt.datetime) -> list[tuple[int, dt.datetime]]:
    """(days before, moment) of each reminder that falls after the opening, latest last."""
    steps = [(d, deadline - dt.timedelta(days=d)) for d in settings.REMINDER_DAYS]
    return sorted([(d, m) for d, m in steps if m > opened], key=lambda s: s[1])


def _deadline_of(subject: Subject) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(opening, deadline) of a procedure or a circulation."""
    record = subject.record
    if isinstance(subject, ProcedureSubject):
        return record.opened_at, record.deadline
    if isinstance(subject, CirculationSubject) and record.deadline:
        return day_start(record.date.earliest), day_end(record.deadline)
    return None, None


# --- Making notices ----------------------------------------------------------------------


def _notice(*, key: str, kind: str, record, subject: Subject, act=None, **values) -> Notice:
    ct = ContentType.objects.get_for_model(record)
    notice, _ = Notice.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "act": act,
            "content_type": ct,
            "object_id": record.pk,
            "body": subject.body,
            **values,
        },
    )
    return notice


def notice_for_act(act: Act) -> Notice | None:
    """The notice telling of an act (made once; None for an act nobody is told of)."""
    kind = VERBS.get(act.verb)
    if kind is None:
        return None
    found = Notice.objects.filter(key=f"act:{act.pk}").first()
    if found is not None:
        return found
    probe = Notice(kind=kind, content_type_id=act.content_type_id, object_id=act.object_id)
    subject = subject_of(probe)
    if subject is None:
        return None  # the record is gone (deleted since): nothing to tell
    if _past(kind, subject, act.at):
        return None
    opened, deadline = _deadline_of(subject)
    unmissable = False
    if kind in (K.CIRCULATED, K.PROCEDURE_OPENED) and deadline is not None:
        # No reminder falls after the opening: the opening is the last word before it.
        unmissable = not reminder_steps(opened, deadline)
    return _notice(
        key=f"act:{act.pk}", kind=kind, record=subject.record, subject=subject, act=act,
        deadline=deadline, unmissable=unmissable,
    )  # fmt: skip


def _past(kind: str, subject: Subject, when: dt.datetime) -> bool:
    """Whether the act only records the past (a procedure or circulation whose deadline had
    passed, a meeting whose dates had passed, when it was entered): history, not news."""
    if kind in (K.CIRCULATED, K.PROCEDURE_OPENED):
        _opened, deadline = _deadline_of(subject)
        return deadline is not None and deadline <= when
    if kind in (K.MEETING_SCHEDULED, K.MEETING_MOVED, K.MEETING_CANCELLED):
        entry = subject.record
        last = (entry.end or entry.start).latest
        return last < timezone.localdate(when)
    return False


def reminders_due(*, now: dt.datetime | None = None) -> list[Notice]:
    """The reminders due at `now` for open procedures and circulations (each made once):
    for each, the latest step whose moment has come (a worker that was down does not
    send the steps it missed one after another)."""
    now = now or timezone.now()
    made = []
    for state in decisions.procedures_list(user=policy.SYSTEM, state="open", now=now):
        procedure = state.procedure
        if procedure.deadline is None or procedure.opened_at > now:
            continue
        made += _remind(procedure_subject(procedure), "procedure", now)
    for circulation in documents.circulations(
        user=policy.SYSTEM, at=timezone.localdate(now), overdue=False
    ):
        if circulation.takes_feedback and circulation.event.deadline:
            made += _remind(circulation_subject(circulation.event), "circulation", now)
    return made


def _remind(subject: Subject, name: str, now: dt.datetime) -> list[Notice]:
    opened, deadline = _deadline_of(subject)
    if deadline is None or now >= deadline:
        return []
    steps = reminder_steps(opened, deadline)
    due = [(d, m) for d, m in steps if m <= now]
    if not due:
        return []
    days, _moment = due[-1]
    last = steps[-1][0]
    key = f"reminder:{name}:{subject.record.pk}:{days}d"
    return [
        _notice(
            key=key,
            kind=K.REMINDER,
            record=subject.record,
            subject=subject,
            deadline=deadline,
            days_before=days,
            unmissable=days == last,
        )
    ]


# --- Copies for each person --------------------------------------------------------------


def _language(user) -> str:
    chosen = audience.preferences_of(user).language
    codes = {code for code, _ in settings.LANGUAGES}
    return chosen if chosen in codes else settings.LANGUAGE_CODE


def notice_fan_out(notice: Notice) -> list[Delivery]:
    """Give each person concerned their copy, written in their language (each once);
    returns the new copies to mail at once."""
    subject = subject_of(notice)
    if subject is None:
        Notice.objects.filter(pk=notice.pk).update(fanned_out_at=timezone.now())
        return []
    if not notice.title:
        with translation.override(settings.LANGUAGE_CODE):
            title = wording.word(notice, subject).title[:300]
        Notice.objects.filter(pk=notice.pk).update(title=title)
    immediate = []
    for recipient in audience.recipients(notice, subject):
        user = recipient.user
        language = _language(user)
        own = policy.actor_of(user) if recipient.scope == audience.OWN else None
        with translation.override(language):
            said = wording.word(notice, subject, own_state=own)
        delivery, created = Delivery.objects.get_or_create(
            notice=notice,
            user=user,
            defaults={"mode": recipient.mode, "language": language, "title": said.title[:300],
                      "text": said.text, "url": subject.path, "scope": recipient.scope},
        )  # fmt: skip
        if created and delivery.mode == Delivery.Mode.IMMEDIATE and user.email:
            immediate.append(delivery)
    Notice.objects.filter(pk=notice.pk).update(fanned_out_at=timezone.now())
    return immediate


# --- Mailing -----------------------------------------------------------------------------


def _claim(rows) -> uuid.UUID | None:
    """Take these copies for one mailing, unless taken: one plain UPDATE of the table (no
    join, which PostgreSQL would not check again against a concurrent claim)."""
    token = uuid.uuid4()
    taken = rows.filter(claimed_at__isnull=True, mailed_at__isnull=True).update(
        claimed_at=timezone.now(), claim=token
    )
    return token if taken else None


def _release(claim: uuid.UUID, error: Exception) -> None:
    Delivery.objects.filter(claim=claim, mailed_at__isnull=True).update(
        claimed_at=None, claim=None, attempts=F("attempts") + 1, last_error=repr(error)[:2000]
    )


def delivery_mail(delivery_id: int) -> bool:
    """Mail one copy, unless it was mailed or is being mailed; True if this call sent it.
    A failed sending is released for the retry and raised."""
    if not Delivery.objects.filter(pk=delivery_id, user__email__gt="").exists():
        return False  # inbox only: no address to mail
    claim = _claim(Delivery.objects.filter(pk=delivery_id))
    if claim is None:
        return False
    delivery = Delivery.objects.select_related("user").get(pk=delivery_id)
    try:
        mail.one(delivery).send()
    except Exception as exc:
        _release(claim, exc)
        raise
    Delivery.objects.filter(claim=claim).update(mailed_at=timezone.now())
    return True


def digest_mail(user_id: int) -> int:
    """Mail one person's pending digest copies in one mail; the number sent (0: none
    pending, or another worker took them)."""
    if not get_user_model().objects.filter(pk=user_id, email__gt="").exists():
        return 0
    claim = _claim(Delivery.objects.filter(user_id=user_id, mode=Delivery.Mode.DIGEST))
    if claim is None:
        return 0
    taken = list(
        Delivery.objects.filter(claim=claim).select_related("user").order_by("created_at", "id")
    )
    user = taken[0].user
    try:
        mail.digest(user, taken, _language(user)).send()
    except Exception as exc:
        _release(claim, exc)
        raise
    Delivery.objects.filter(claim=claim).update(mailed_at=timezone.now())
    return len(taken)


def digests_due(*, now: dt.datetime | None = None) -> list[int]:
    """Whose digest goes now: everyone with pending copies at the digest hour, and at any
    hour those whose oldest pending copy waited more than a day (the hour was missed)."""
    now = now or timezone.now()
    pending = Delivery.objects.filter(
        mode=Delivery.Mode.DIGEST,
        claimed_at__isnull=True,
        mailed_at__isnull=True,
        user__email__gt="",
    )
    if timezone.localtime(now).hour != settings.DIGEST_HOUR:
        pending = pending.filter(created_at__lt=now - dt.timedelta(hours=25))
    return sorted(set(pending.values_list("user_id", flat=True)))


# --- People's choices --------------------------------------------------------------------


@transaction.atomic
def preferences_set(
    *, user, language: str | None = None, own_state: str | None = None
) -> Preferences:
    """Set how one hears of one's own state's business, and in which language."""
    preferences, _ = Preferences.objects.get_or_create(user=user)
    if language is not None:
        preferences.language = language
    if own_state is not None:
        preferences.own_state = own_state
    preferences.full_clean()
    preferences.save()
    return preferences


@transaction.atomic
def follow_set(*, user, body, mode: str) -> Follow:
    """Follow a body at once or in the digest, or stop following it."""
    follow, _ = Follow.objects.get_or_create(user=user, body=body, defaults={"mode": mode})
    if follow.mode != mode:
        follow.mode = mode
        follow.full_clean()
        follow.save()
    return follow


@transaction.atomic
def unsubscribe(*, user, scope: str) -> str:
    """Receive fewer notices, as a mail's one-click link asks: a body's notices stop, one's
    own state's are cut to the last reminder before each deadline (never less), and a
    digest's link does both for everything. Returns what was done ("body", "own", "all")."""
    if scope.startswith("body:"):
        body_id = scope.split(":", 1)[1]
        Follow.objects.filter(user=user, body_id=body_id).update(mode=Follow.Mode.OFF)
        return "body"
    preferences_set(user=user, own_state=Preferences.OwnState.LAST_REMINDER)
    if scope == mail.ALL:
        Follow.objects.filter(user=user).update(mode=Follow.Mode.OFF)
        return "all"
    return "own"


def delivery_read(*, delivery: Delivery) -> None:
    if delivery.read_at is None:
        Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=timezone.now())


def deliveries_read_all(*, user) -> int:
    return Delivery.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
