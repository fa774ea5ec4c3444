"""The reports' background jobs: drawing a PDF or a slide deck, and pruning old files."""

from __future__ import annotations

from secretariat.jobs.queue import crontab, job, periodic

from . import drawing


@job(retries=2, context=True)
def draw_report(report_file_id: int, task=None) -> None:
    try:
        drawing.report_file_draw(report_file_id)
    except Exception:
        if task is None or not task.retries:  # the last attempt: the page says it failed
            drawing.report_file_failed(report_file_id)
        raise


@periodic(crontab(minute="17", hour="*/6"))
def prune_reports() -> None:
    drawing.report_files_prune()
