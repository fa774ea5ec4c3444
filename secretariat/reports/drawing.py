"""Drawing a report file in the background: asked for once per request and record state,
drawn by one worker, kept until the record changes.

`report_file_ask` finds the file a request names (the same period, audience, language,
format and reader's rights, on the record as it now stands) or asks a worker to draw it;
`report_file_draw` is the job's work, safe to run twice (the first to claim the file
draws it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from secretariat.accounts.policy import may_read_restricted
from secretariat.audit.models import TrailLength

from .compose import report_build
from .files import filename_for, renderer
from .model import Audience, Period
from .models import ReportFile

# Formats drawn by a job: seconds of work (the page, HTML and Markdown take a fraction).
DRAWN = {
    "pdf": ("application/pdf", "pdf"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
# Files of an older state of the record are removed after this long.
KEPT_STALE = dt.timedelta(days=1)


def record_stamp() -> int:
    """How far the record has moved: the audit trail's length (raised at every commit)."""
    return TrailLength.objects.values_list("entries", flat=True).first() or 0


def _query(data: dict) -> dict:
    period: Period = data["period"]
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "label": period.label,
        "chairmanship": period.chairmanship,
        "audience": data["audience"],
        "language": data["language"],
        "format": data["format"],
    }


def report_file_ask(*, data: dict, user) -> tuple[ReportFile, bool]:
    """The file for the report form's `data`, and whether it was asked for just now (the
    caller then hands the job over)."""
    query = _query(data)
    internal = query["audience"] == Audience.INTERNAL
    owner = user if internal and getattr(user, "is_authenticated", False) else None
    stamp = record_stamp()
    digest = hashlib.sha256(
        json.dumps([query, owner.pk if owner else None, stamp], sort_keys=True).encode()
    ).hexdigest()
    return ReportFile.objects.get_or_create(
        key=digest, defaults={"query": query, "user": owner, "record_stamp": stamp}
    )


def report_file_readable(report_file: ReportFile, user) -> bool:
    """A public file is anyone's; an internal one is the reader's it was drawn for, while
    they may still read restricted papers."""
    if report_file.user_id is None:
        return report_file.query.get("audience") != Audience.INTERNAL
    return report_file.user_id == getattr(user, "pk", None) and may_read_restricted(user)


def _step(report_file: ReportFile, percent: int, message: str) -> None:
    ReportFile.objects.filter(pk=report_file.pk).update(progress=percent, message=message)


def report_file_draw(report_file_id: int) -> bool:
    """Draw the file (True), unless another worker has it or it is drawn (False)."""
    claimed = ReportFile.objects.filter(pk=report_file_id, state=ReportFile.State.WAITING).update(
        state=ReportFile.State.WORKING, progress=5, message="Reading the record"
    )
    if not claimed:
        return False
    report_file = ReportFile.objects.select_related("user").get(pk=report_file_id)
    query = report_file.query
    try:
        period = Period(
            start=dt.date.fromisoformat(query["start"]), end=dt.date.fromisoformat(query["end"]),
            label=query["label"], chairmanship=query["chairmanship"],
        )  # fmt: skip
        built = report_build(
            period=period, audience=Audience(query["audience"]), language=query["language"],
            user=report_file.user,
        )  # fmt: skip

        built.base_url = settings.SITE_URL
        fmt = query["format"]
        _step(report_file, 40, "Drawing the PDF" if fmt == "pdf" else "Drawing the slides")
        body = renderer(fmt).render(built, base_url=settings.SITE_URL) if fmt == "pdf" else (
            renderer(fmt).render(built)
        )  # fmt: skip
        _step(report_file, 90, "Keeping the file")
        kind, extension = DRAWN[fmt]
        report_file.filename = filename_for(built, extension)
        report_file.content_type = kind
        report_file.file.save(f"{report_file.key}.{extension}", ContentFile(body), save=False)
        report_file.state, report_file.progress, report_file.message = "ready", 100, ""
        report_file.finished_at = timezone.now()
        report_file.save(update_fields=["filename", "content_type", "file", "state", "progress",
                                        "message", "finished_at"])  # fmt: skip
    except Exception as exc:
        # Back to waiting: the job's retry claims it again; its last failure is on the row.
        ReportFile.objects.filter(pk=report_file_id).update(
            state=ReportFile.State.WAITING, error=repr(exc)[:2000], progress=0, message=""
        )
        raise
    return True


def report_file_failed(report_file_id: int) -> None:
    """The job gave up: say so on the page."""
    ReportFile.objects.filter(pk=report_file_id).exclude(state="ready").update(
        state=ReportFile.State.FAILED, progress=F("progress")
    )


def report_files_prune(*, now: dt.datetime | None = None) -> int:
    """Remove the files of an older state of the record (after a day, so that a reader
    downloading one still gets it), and failed attempts after a week."""
    now = now or timezone.now()
    stale = ReportFile.objects.filter(
        record_stamp__lt=record_stamp(), created_at__lt=now - KEPT_STALE
    ) | ReportFile.objects.filter(state="failed", created_at__lt=now - dt.timedelta(days=7))
    removed = 0
    for report_file in stale:
        if report_file.file:
            report_file.file.delete(save=False)
        report_file.delete()
        removed += 1
    return removed
