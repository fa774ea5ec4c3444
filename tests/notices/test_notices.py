"""Delegates are told what awaits their state, followers what happens in a body, each in
their language, by mail and in their inbox; nobody is told twice, nor of what they may
not read, nor who objected."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from secretariat.decisions import services as decisions
from secretariat.documents import services as documents
from secretariat.notices import services as notices
from secretariat.notices import tasks
from secretariat.notices.models import Delivery, Notice, Preferences

from .conftest import follow, sent_to

pytestmark = pytest.mark.django_db


def test_opening_a_silence_procedure_tells_the_delegates_of_the_states_taking_part(
    office, committing
):
    """Every delegate of a member state (and of the observer, who may comment) gets one
    mail naming the document, the deadline and what silence means, linking to the
    procedure; officers and readers, whose state takes no part, get none."""
    with committing():
        procedure = office.silence()
    got = sent_to()
    assert set(got) == {"alpha@example.org", "alpha2@example.org", "beta@example.org",
                        "gamma@example.org", "omega@example.org"}  # fmt: skip
    assert all(len(m) == 1 for m in got.values())
    message = got["beta@example.org"][0]
    assert "EXO/SOC/2024/1" in message.subject and "objections by" in message.subject
    assert "silence means consent" in message.body
    assert "Beta may state its position" in message.body
    assert f"/procedures/{procedure.pk}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    html = message.alternatives[0][0]
    assert f"/procedures/{procedure.pk}/" in html
    assert Delivery.objects.filter(user=office.beta, notice__kind="procedure_opened").count() == 1


def test_a_notice_is_in_the_readers_language(office, committing):
    notices.preferences_set(user=office.beta, language="ru")
    with committing():
        office.silence()
    (message,) = sent_to()["beta@example.org"]
    assert "Процедура умолчания" in message.subject
    (english,) = sent_to()["alpha@example.org"]
    assert "Silence procedure" in english.subject


def test_a_circulation_tells_only_the_states_it_was_sent_to(office, committing):
    w = office.world
    with committing():
        documents.document_circulate(
            version=w.version, date=timezone.localdate(), recipients=[w.beta],
            deadline=timezone.localdate() + dt.timedelta(days=10),
        )  # fmt: skip
    got = sent_to()
    assert set(got) == {"beta@example.org"}
    assert "For feedback by" in got["beta@example.org"][0].subject


def test_nobody_is_told_of_a_document_they_may_not_read(office, committing):
    """A restricted draft: the observer's delegate (not shared with it) hears nothing."""
    from tests.decisions.world import document

    _, version = document("EXO/R/1", access="restricted")
    with committing():
        office.silence(version=version)
    assert "omega@example.org" not in sent_to()
    assert "beta@example.org" in sent_to()


def test_reminders_go_before_the_deadline_to_the_states_that_have_not_answered(office, committing):
    """3 days and 1 day before: only states without a position; each reminder once,
    however often the job runs."""
    opened = timezone.now() - dt.timedelta(minutes=1)
    with committing():
        procedure = office.silence(opened=opened, days=5)
        decisions.position_add(
            procedure=procedure, actor=office.world.gamma, kind="support",
            stated_at=opened + dt.timedelta(seconds=30),
        )  # fmt: skip
    mail.outbox.clear()
    deadline = procedure.deadline
    with committing():
        assert notices.reminders_due(now=deadline - dt.timedelta(days=4)) == []
        made = notices.reminders_due(now=deadline - dt.timedelta(days=3, minutes=-1))
        again = notices.reminders_due(now=deadline - dt.timedelta(days=3, minutes=-2))
        for notice in {*made, *again}:
            tasks.fan_out.call_local(notice.pk)
    assert made == again and len(made) == 1 and not made[0].unmissable
    first = sent_to()
    assert set(first) == {"alpha@example.org", "alpha2@example.org", "beta@example.org"}
    assert "3 days left" in first["beta@example.org"][0].subject
    mail.outbox.clear()
    with committing():
        (last,) = notices.reminders_due(now=deadline - dt.timedelta(hours=20))
        tasks.fan_out.call_local(last.pk)
        tasks.fan_out.call_local(last.pk)
    assert last.unmissable
    assert {a: len(m) for a, m in sent_to().items()} == {
        "alpha@example.org": 1, "alpha2@example.org": 1, "beta@example.org": 1,
    }  # fmt: skip
    assert "Last reminder" in sent_to()["beta@example.org"][0].subject


def test_the_last_reminder_goes_out_whatever_the_preferences(office, committing):
    """A delegate who asked for the least still gets the last reminder, and one who asked
    for the digest gets the earlier ones there."""
    notices.preferences_set(user=office.alpha, own_state=Preferences.OwnState.LAST_REMINDER)
    notices.preferences_set(user=office.beta, own_state=Preferences.OwnState.DIGEST)
    with committing():
        procedure = office.silence(days=5)
    assert "alpha@example.org" not in sent_to() and "beta@example.org" not in sent_to()
    assert Delivery.objects.get(user=office.beta).mode == "digest"
    assert not Delivery.objects.filter(user=office.alpha).exists()
    mail.outbox.clear()
    with committing():
        for step in (dt.timedelta(days=3, minutes=-1), dt.timedelta(hours=20)):
            for notice in notices.reminders_due(now=procedure.deadline - step):
                tasks.fan_out.call_local(notice.pk)
    got = sent_to()
    assert [m.subject for m in got["alpha@example.org"]] == [
        m.subject for m in got["beta@example.org"]
    ]
    assert (
        len(got["alpha@example.org"]) == 1
        and "Last reminder" in got["alpha@example.org"][0].subject
    )


def test_a_procedure_opened_close_to_its_deadline_is_itself_the_last_word(office, committing):
    """No reminder falls after the opening: the opening notice is unmissable."""
    notices.preferences_set(user=office.alpha, own_state=Preferences.OwnState.LAST_REMINDER)
    with committing():
        office.silence(days=0.5)
    assert Notice.objects.get(kind="procedure_opened").unmissable
    assert "alpha@example.org" in sent_to()


def test_everyone_taking_part_is_told_the_outcome_but_not_who_objected(office, committing):
    w = office.world
    with committing():
        procedure = w.silence()  # 1 March 2024, a week long: long over
        decisions.position_add(
            procedure=procedure, actor=w.beta, kind="objection",
            stated_at=procedure.opened_at + dt.timedelta(days=1), statement="Not acceptable.",
        )  # fmt: skip
    assert mail.outbox == []  # entered after its deadline: history, nobody is told it opened
    with committing():
        closed = decisions.procedures_close_due()
        assert decisions.procedures_close_due() == []  # a second run closes nothing
    assert [c.outcome for c in closed] == ["failed"]
    got = sent_to()
    assert set(got) >= {"alpha@example.org", "beta@example.org", "gamma@example.org"}
    message = got["alpha@example.org"][0]
    assert message.subject.endswith("Not adopted: EXO/SOC/2024/1 «Decision EXO/SOC/2024/1»")
    assert "1 objection was raised" in message.body
    assert "Beta" not in message.body and "Not acceptable" not in message.body
    assert Notice.objects.filter(kind="procedure_closed").count() == 1


def test_followers_hear_of_a_body_s_meetings_and_documents(office, committing):
    """A meeting scheduled, moved, cancelled; a new document: told to those who follow the
    body, at once or in the digest; nobody else."""
    from secretariat.bodies import services as bodies

    w = office.world
    follow(office.officer, w.body)
    follow(office.reader, w.body, "digest")
    src = [w.build.source]
    with committing():
        meeting, _ = bodies.meeting_upsert(key="soc-9", body=w.body, sources=src, title_en="SOC 9")
        bodies.meeting_schedule_add(
            meeting=meeting, kind="planned", start="2027-05-10", city_en="Astana", sources=src
        )
        bodies.meeting_schedule_add(
            meeting=meeting, kind="planned", start="2027-06-01", city_en="Astana", sources=src
        )
        bodies.meeting_schedule_add(meeting=meeting, kind="cancelled", start="2027-06-01",
                                    sources=src)  # fmt: skip
        documents.document_create(
            type="report", title_en="Annual report", symbol="EXO/SOC/R", body=w.body, sources=src
        )
    subjects = [m.subject for m in sent_to()["officer@example.org"]]
    assert len(subjects) == 4
    assert "Scheduled: SOC 9" in subjects[0] and "Moved: SOC 9" in subjects[1]
    assert "Cancelled: SOC 9" in subjects[2] and "New document of SOC" in subjects[3]
    assert "reader@example.org" not in sent_to()
    assert Delivery.objects.filter(user=office.reader, mode="digest").count() == 4
    assert not Delivery.objects.filter(user=office.beta).exists()


def test_the_daily_digest_gathers_a_persons_notices_in_one_mail(office, committing):
    from secretariat.bodies import services as bodies

    w = office.world
    follow(office.reader, w.body, "digest")
    src = [w.build.source]
    with committing():
        for n in (1, 2):
            meeting, _ = bodies.meeting_upsert(key=f"m{n}", body=w.body, sources=src)
            bodies.meeting_schedule_add(meeting=meeting, kind="planned", start=f"2027-0{n}-10",
                                        sources=src)  # fmt: skip
    at_hour = timezone.now().replace(hour=7, minute=0)
    assert notices.digests_due(now=at_hour.replace(hour=9)) == []
    assert notices.digests_due(now=at_hour) == [office.reader.pk]
    assert notices.digest_mail(office.reader.pk) == 2
    assert notices.digest_mail(office.reader.pk) == 0  # sent once
    (digest,) = sent_to()["reader@example.org"]
    assert "daily digest: 2 notices" in digest.subject
    assert digest.body.count("Scheduled:") == 2
    assert notices.digests_due(now=at_hour) == []


def test_a_failed_sending_is_retried_and_then_seen_by_officers(office, committing, settings):
    """The mail server refuses: the copy stays unsent, its job is retried with backoff
    and, in the end, listed as failed for officers; nothing was sent twice."""
    from secretariat.jobs.models import JobRun

    settings.EMAIL_BACKEND = "tests.notices.failing.RefusingBackend"
    with committing():
        office.silence()
    delivery = Delivery.objects.filter(user=office.beta).get()
    assert delivery.mailed_at is None and delivery.attempts == 1
    assert "refused" in delivery.last_error
    run = JobRun.objects.filter(name__endswith="mail_delivery", args=[delivery.pk]).get()
    assert run.state == JobRun.State.RETRYING and "refused" in run.error


test_a_failed_sending_is_retried_and_then_seen_by_officers = pytest.mark.job_failures(
    test_a_failed_sending_is_retried_and_then_seen_by_officers
)
