"""A PDF or slide deck (seconds of work) is drawn by a background job while the page shows
its progress, then kept, for everyone who may read it, until the record changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secretariat.jobs.models import JobRun
from secretariat.reports import drawing
from secretariat.reports.models import ReportFile

pytestmark = pytest.mark.django_db
REPORT = "/reports/report/"
BETA_PDF = {"chairmanship": "beta-2021-2023", "format": "pdf"}
BETA_DECK = {"chairmanship": "beta-2021-2023", "format": "pptx"}  # quicker to draw


def test_a_pdf_is_drawn_by_a_job_and_then_downloaded(client, small, committing):
    with committing():
        asked = client.get(REPORT, BETA_PDF)
    assert asked.status_code == 302
    report_file = ReportFile.objects.get()
    assert asked["Location"] == reverse("reports:file", args=[report_file.pk])
    page = client.get(asked["Location"]).content.decode()
    assert "The report is ready." in page
    download = client.get(reverse("reports:file-download", args=[report_file.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF")
    assert 'filename="exo-report-beta-2021-2023-public-en.pdf"' in download["Content-Disposition"]
    assert JobRun.objects.get(name__endswith="draw_report").state == JobRun.State.DONE


def test_the_same_report_is_drawn_once(client, small, committing):
    """Asked again while the record is unchanged: the kept file, at once, no new job."""
    with committing():
        client.get(REPORT, BETA_DECK)
    with committing():
        again = client.get(REPORT, BETA_DECK)
    assert again.status_code == 200 and again["Content-Type"] == drawing.DRAWN["pptx"][0]
    assert ReportFile.objects.count() == 1
    assert JobRun.objects.filter(name__endswith="draw_report").count() == 1


def test_while_it_is_drawn_the_page_shows_its_progress(client, small):
    """(No commit: the job has not run.) The page says how far it is and refreshes itself;
    the download waits for it."""
    asked = client.get(REPORT, {**BETA_PDF, "format": "pptx"})
    report_file = ReportFile.objects.get()
    page = client.get(asked["Location"]).content.decode()
    assert "Waiting for the worker" in page and 'http-equiv="refresh"' in page
    assert 'hx-trigger="every 1s"' in page
    partial = client.get(asked["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="report-progress"') and "<html" not in partial
    download = client.get(reverse("reports:file-download", args=[report_file.pk]))
    assert download.status_code == 302


def test_a_changed_record_draws_a_new_file(client, small, committing, monkeypatch):
    with committing():
        client.get(REPORT, BETA_DECK)
    # The record moved on (the audit trail's length, which a trigger raises at commit).
    monkeypatch.setattr(drawing, "record_stamp", lambda: 10**9)
    with committing():
        client.get(REPORT, BETA_DECK)
    assert ReportFile.objects.count() == 2


def test_an_internal_report_file_is_only_for_the_reader_it_was_drawn_for(client, small, committing):
    client.force_login(small.member)
    with committing():
        asked = client.get(REPORT, {**BETA_DECK, "audience": "internal"})
    url = asked["Location"]
    assert client.get(url).status_code == 200
    client.force_login(small.observer)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(reverse("reports:file", args=[987654])).status_code == 404


@pytest.mark.job_failures
def test_a_failed_drawing_is_retried_then_said_on_the_page(client, small, monkeypatch):
    from secretariat.reports import pdf, tasks

    def broken(*args, **kwargs):
        raise RuntimeError("the fonts are missing")

    monkeypatch.setattr(pdf, "render", broken)
    client.get(REPORT, BETA_PDF)
    report_file = ReportFile.objects.get()
    with pytest.raises(RuntimeError):
        tasks.draw_report.call_local(report_file.pk)  # the last attempt
    report_file.refresh_from_db()
    assert report_file.state == "failed" and "fonts are missing" in report_file.error
    page = client.get(reverse("reports:file", args=[report_file.pk])).content.decode()
    assert "Drawing this report failed" in page
