"""The notices' background jobs: announcing acts, giving copies, mailing, reminders,
digests, and a sweep that picks up whatever a failed hand-over left behind.

Each job may run twice or be retried: the services it calls make, write and send each
thing once (see notices.services).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from secretariat.audit.models import Act
from secretariat.jobs.queue import after_commit, crontab, job, periodic

from . import services
from .models import Delivery, Notice

# Reminders are looked for this often; a reminder is due from its moment on.
REMINDER_MINUTES = "*/5"
# The sweep's window: older acts are not announced any more.
SWEEP_DAYS = 3


@job()
def announce_act(act_id: int) -> None:
    """Make the notice of an act and give the people concerned their copies."""
    act = Act.objects.filter(pk=act_id).first()
    if act is None:
        return
    notice = services.notice_for_act(act)
    if notice is not None:
        fan_out.call_local(notice.pk)


@job()
def fan_out(notice_id: int) -> None:
    """Give each person concerned their copy; mail those wanted at once."""
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None:
        return
    for delivery in services.notice_fan_out(notice):
        after_commit(mail_delivery, delivery.pk)


@job()
def mail_delivery(delivery_id: int) -> None:
    services.delivery_mail(delivery_id)


@job()
def mail_digest(user_id: int) -> None:
    services.digest_mail(user_id)


@periodic(crontab(minute=REMINDER_MINUTES))
def remind() -> None:
    """Reminders to the states that have not answered, before each deadline."""
    remind_as_of.call_local(timezone.now().isoformat())


@job()
def remind_as_of(moment: str) -> None:
    """The reminders due at a given moment (ISO 8601): the schedule's work, which an
    operator (or a test) may also hand over for a moment of its choosing."""
    for notice in services.reminders_due(now=dt.datetime.fromisoformat(moment)):
        if notice.fanned_out_at is None:
            fan_out.call_local(notice.pk)


@periodic(crontab(minute="0"))
def digests() -> None:
    """Every hour: the daily digests, at the digest hour (or late ones, at once)."""
    for user_id in services.digests_due():
        mail_digest(user_id)


@periodic(crontab(minute="*/10"))
def sweep() -> None:
    """What a hand-over that failed (the queue was down at a commit) left behind: acts
    not yet announced, notices not yet given out, copies not yet mailed."""
    now = timezone.now()
    since = now - dt.timedelta(days=SWEEP_DAYS)
    announced = Notice.objects.filter(act__isnull=False).values("act_id")
    for act_id in (
        Act.objects.filter(at__gte=since, verb__in=services.VERBS)
        .exclude(pk__in=announced)
        .values_list("pk", flat=True)
    ):
        announce_act(act_id)
    for notice_id in Notice.objects.filter(
        fanned_out_at__isnull=True, created_at__lt=now - dt.timedelta(minutes=5)
    ).values_list("pk", flat=True):
        fan_out(notice_id)
    for delivery_id in Delivery.objects.filter(
        mode=Delivery.Mode.IMMEDIATE,
        claimed_at__isnull=True,
        mailed_at__isnull=True,
        attempts=0,
        user__email__gt="",
        created_at__lt=now - dt.timedelta(minutes=10),
        created_at__gte=since,
    ).values_list("pk", flat=True):
        mail_delivery(delivery_id)
