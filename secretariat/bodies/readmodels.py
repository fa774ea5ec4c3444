"""The meetings' read model (MeetingDates): the day each meeting starts."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from secretariat.core.readmodels import follow, upsert

from .models import Meeting, MeetingDates, MeetingSchedule


def effective_start() -> Coalesce:
    """SQL for the first day a meeting took place, else was last planned for."""
    held = MeetingSchedule.objects.filter(meeting=OuterRef("pk"), kind="held")
    planned = (
        MeetingSchedule.objects.filter(meeting=OuterRef("pk"))
        .exclude(kind="held")
        .order_by("-announced_date", "-id")
    )
    return Coalesce(
        Subquery(held.values("start_date")[:1]), Subquery(planned.values("start_date")[:1])
    )


def refresh_dates(ids=None) -> int:
    return upsert(MeetingDates, Meeting._base_manager.all(), {"start": effective_start()}, ids)


def connect() -> None:
    """Called once, by the app's ready(): follow the schedule entries."""
    follow(MeetingDates, MeetingSchedule, Meeting, "meeting")
