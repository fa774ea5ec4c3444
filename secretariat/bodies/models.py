"""Organs and institutions, their dated events, and their meetings."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from secretariat.core.models import (
    DatedEvent,
    ReadModel,
    Sourced,
    Span,
    date_check,
    date_columns,
    slug_validator,
    span_constraints,
)
from secretariat.core.ordinals import ordinal_word_en
from secretariat.core.partial_dates import PartialDateProperty


class Body(Sourced):
    """An organ (Summit, Council, Committee, Secretariat) or an institution."""

    class Kind(models.TextChoices):
        SUMMIT = "summit", "Summit"
        MINISTERIAL_COUNCIL = "ministerial_council", "Ministerial Council"
        SENIOR_OFFICIALS_COMMITTEE = "senior_officials_committee", "Senior Officials Committee"
        PERMANENT_REPRESENTATIVES = (
            "permanent_representatives",
            "Committee of Permanent Representatives",
        )
        SPECIAL_WORKING_GROUP = "special_working_group", "Special Working Group"
        SECRETARIAT = "secretariat", "Secretariat"
        INSTITUTION = "institution", "Institution"
        OTHER = "other", "Other"

    slug = models.SlugField(
        max_length=80, unique=True, validators=[slug_validator], help_text="Stable key in URLs."
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, help_text="What kind of body.")
    name_en = models.CharField(max_length=200, help_text="Name in English.")
    name_ru = models.CharField(max_length=200, blank=True, help_text="Name in Russian.")
    short_name_en = models.CharField(max_length=40, blank=True, help_text="Abbreviation (SOC).")
    short_name_ru = models.CharField(max_length=40, blank=True, help_text="Abbreviation (КСД).")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # a body's subsidiaries must be re-homed first
        related_name="children",
        help_text="The body this one reports to.",
    )
    initiated_by = models.ManyToManyField(
        "registry.Actor",
        blank=True,
        related_name="initiated_bodies",
        help_text="States or organizations that proposed it.",
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "bodies"

    def __str__(self) -> str:
        return self.name_en


class BodyEvent(DatedEvent, Sourced):
    """A dated step in a body's life: proposed, established, transformed, dissolved."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", "proposed"
        INITIATED = "initiated", "initiated"
        ESTABLISHED = "established", "established"
        TRANSFORMED = "transformed", "transformed"
        MEMBERSHIP_PENDING = "membership_pending", "membership pending"
        OPERATIONAL = "operational", "operational"
        SUSPENDED = "suspended", "suspended"
        DISSOLVED = "dissolved", "dissolved"

    body = models.ForeignKey(
        Body,
        on_delete=models.CASCADE,  # the events are the body's own history
        related_name="events",
        help_text="The body concerned.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="What happened.")
    meeting = models.ForeignKey(
        "Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the meeting where it happened is part of the record
        related_name="body_events",
        help_text="The meeting where it happened.",
    )

    class Meta:
        ordering = ["date_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind", "date_date", "date_precision"], name="body_event_unique"
            ),
            date_check("date", "body_event", required=True),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.get_kind_display()} ({self.date})"


class Meeting(Sourced):
    """A meeting of a body; its dates and place are in its schedule entries."""

    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,  # meetings are the body's record; never drop them silently
        related_name="meetings",
        help_text="The body that met.",
    )
    key = models.SlugField(
        max_length=80, unique=True, validators=[slug_validator], help_text="Stable key (summit-6)."
    )
    ordinal = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Its number in the body's series (6 for the Sixth Summit)."
    )
    title_en = models.CharField(max_length=300, blank=True, help_text="Title in English.")
    title_ru = models.CharField(max_length=300, blank=True, help_text="Title in Russian.")
    formal = models.BooleanField(default=True, help_text="False for an informal meeting.")
    chair = models.ForeignKey(
        "registry.Actor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # keep the chairing state while its meeting is on record
        related_name="meetings_chaired",
        help_text="The state that chaired the meeting.",
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "ordinal", "formal"],
                condition=Q(ordinal__isnull=False),
                name="meeting_ordinal_unique",
                violation_error_message="Another meeting of this body already has this ordinal.",
            )
        ]

    def __str__(self) -> str:
        return self.title_en or self.key

    # --- derived from the schedule (bodies.selectors spells them meeting_when, ...) ---

    def standing_entry(self) -> MeetingSchedule | None:
        """Where and when the meeting took place: the held entry, else the latest plan.

        Reads `self.schedule.all()`, so prefetch `schedule` when listing meetings.
        """
        entries = list(self.schedule.all())
        held = [e for e in entries if e.kind == MeetingSchedule.Kind.HELD]
        if held:
            return held[0]
        return standing_plan([e for e in entries if e.kind != MeetingSchedule.Kind.HELD])

    def schedule_status(self) -> str:
        """held, cancelled, postponed (planned again after an earlier plan), or planned."""
        when = self.standing_entry()
        if when is None:
            return "unscheduled"
        if when.kind in (MeetingSchedule.Kind.HELD, MeetingSchedule.Kind.CANCELLED):
            return when.kind
        plans = [e for e in self.schedule.all() if e.kind == MeetingSchedule.Kind.PLANNED]
        return "postponed" if len(plans) > 1 else "planned"

    def display_title(self, lang: str = "en", *, when: MeetingSchedule | None = None) -> str:
        """The recorded title, or one composed from the ordinal and the body (and, without
        an ordinal, its date: that of `when`, else of standing_entry(), so that a meeting shown as
        planned on a past day is not named by the day it was held)."""
        recorded = self.title_ru if lang == "ru" else self.title_en
        if recorded:
            return recorded
        body = self.body.name_ru if lang == "ru" and self.body.name_ru else self.body.name_en
        informal = "" if self.formal else "Informal "
        if self.ordinal:
            return f"{informal}{ordinal_word_en(self.ordinal)} {body}".strip()
        when = when or self.standing_entry()
        suffix = f" ({when.start.display()})" if when else ""
        return f"{informal}{body} meeting{suffix}".strip()


class MeetingSchedule(Span, Sourced):
    """When and where a meeting was planned, held or cancelled; all are kept."""

    class Kind(models.TextChoices):
        PLANNED = "planned", "planned"
        HELD = "held", "held"
        CANCELLED = "cancelled", "cancelled"

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "in person"
        ONLINE = "online", "online"
        HYBRID = "hybrid", "hybrid"

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,  # a schedule entry is part of its meeting
        related_name="schedule",
        help_text="The meeting.",
    )
    kind = models.CharField(
        max_length=10, choices=Kind.choices, help_text="Planned, held, cancelled."
    )
    start_date, start_precision = date_columns("first day", required=True)
    end_date, end_precision = date_columns("last day (inclusive)", required=False)
    city_en = models.CharField(max_length=100, blank=True, help_text="City in English.")
    city_ru = models.CharField(max_length=100, blank=True, help_text="City in Russian.")
    country = models.ForeignKey(
        "registry.Actor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # keep the host state while its meeting is on record
        related_name="meetings_hosted",
        help_text="The host state.",
    )
    # Blank when no source says: a meeting is not assumed to have met in person.
    mode = models.CharField(
        max_length=10,
        choices=Mode.choices,
        blank=True,
        default="",
        help_text="How it met: in person, online or hybrid (blank: not on record).",
    )
    announced_date, announced_precision = date_columns("announcement", required=False)
    announced = PartialDateProperty("announced")

    end_before_start = "The last day ({end}) is before the first."  # the end is inclusive

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name_plural = "meeting schedule entries"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "start_date", "start_precision"],
                name="meeting_schedule_unique",
                violation_error_message="This meeting already has such an entry on this date.",
            ),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(kind="held"), name="meeting_held_once"
            ),
            *span_constraints("meeting_schedule"),
            date_check("announced", "meeting_schedule"),
        ]
        indexes = [models.Index(fields=["kind", "start_date"])]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.kind} {self.start}"

    def clean(self) -> None:
        super().clean()
        if self.announced and self.kind != self.Kind.PLANNED:
            raise ValidationError({"announced": "Only a planned entry has an announcement date."})


class MeetingParticipant(models.Model):
    """An actor taking part in a meeting, in a role."""

    class Role(models.TextChoices):
        MEMBER = "member", "member"
        OBSERVER = "observer", "observer"
        PARTNER = "partner", "partner"
        GUEST = "guest", "guest"
        CHAIR = "chair", "chair"

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,  # attendance is part of the meeting
        related_name="participants",
        help_text="The meeting.",
    )
    actor = models.ForeignKey(
        "registry.Actor",
        on_delete=models.PROTECT,  # keep the participant while its attendance is on record
        related_name="participations",
        help_text="Who took part.",
    )
    role = models.CharField(
        max_length=10, choices=Role.choices, default=Role.MEMBER, help_text="In which capacity."
    )

    class Meta:
        ordering = ["actor__name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "actor"],
                name="participant_unique",
                violation_error_message="This actor is already a participant.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor} at {self.meeting}"


class MeetingDates(ReadModel):
    """Read model: the first day a meeting was held, else was last planned for, to list
    meetings by date without reading their schedules."""

    meeting = models.OneToOneField(
        Meeting,
        primary_key=True,
        # Removed with its meeting by the ORM; no database constraint, since a refresh
        # may run while the meeting is being deleted (bodies.readmodels).
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="dates",
        help_text="The meeting.",
    )
    start = models.DateField(
        null=True, db_index=True, help_text="First day held, else last planned for."
    )

    class Meta:
        verbose_name_plural = "meeting dates"

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.start}"

    @classmethod
    def refresh(cls, ids=None) -> int:
        from .readmodels import refresh_dates  # cycle: readmodels import these models

        return refresh_dates(ids)


def standing_plan(plans: list[MeetingSchedule]) -> MeetingSchedule | None:
    """Of planned and cancelled entries, the one that stands (None for none)."""
    if not plans:
        return None
    # A cancellation stands over the plans entered before it (it carries no announcement
    # date to compare); a plan entered after it revives the meeting.
    cancelled = [e for e in plans if e.kind == MeetingSchedule.Kind.CANCELLED]
    if cancelled:
        last = max(cancelled, key=lambda e: e.pk)
        later = [e for e in plans if e.kind == MeetingSchedule.Kind.PLANNED and e.pk > last.pk]
        if not later:
            return last
        plans = later
    # The latest announcement stands; entries without one count in the order entered.
    return max(plans, key=lambda e: (e.announced.earliest if e.announced else dt.date.min, e.pk))
