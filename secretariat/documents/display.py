"""How the app's records are shown on pages: labels and presenting helpers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from secretariat.bodies.selectors import meeting_title

STEP_LABELS = {
    "pending": gettext_lazy("pending"),
    "in_progress": gettext_lazy("in progress"),
    "done": gettext_lazy("done"),
    "dropped": gettext_lazy("dropped"),
}


def meeting_names(meeting) -> dict | None:
    """A meeting's key and titles for `{% tr m "title" %}` (the composed English title
    stands in, marked, where no Russian title is recorded)."""
    if meeting is None:
        return None
    return {"key": meeting.key, "title": meeting_title(meeting), "title_ru": meeting.title_ru}
