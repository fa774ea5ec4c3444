"""The report states the counts sources give beside the record's counts: the membership
on a day of the period under the expansion, the catalogue's areas under the CBMs, and why
they differ where they do."""

from __future__ import annotations

import pytest

from secretariat.core.models import Organization
from secretariat.figures import services
from secretariat.reports.compose import report_build
from secretariat.reports.model import Audience
from secretariat.reports.period import period_for

pytestmark = pytest.mark.django_db

WHY = "The source counts the delegations present, a guest among them."


def walk(items):
    for item in items:
        yield item
        yield from walk(item.children)


def items(report, key: str):
    section = next(s for s in report.sections if s.key == key)
    return list(walk(section.items))


def record(small, measure, as_of, value, note=""):
    services.figure_upsert(
        subject=Organization.objects.get(), measure=measure, as_of=as_of, value=value,
        note=note, sources=[small.build.source],
    )  # fmt: skip


def report(language="en"):
    period = period_for(chairmanship="beta-2021-2023", language=language)
    return report_build(period=period, audience=Audience.PUBLIC, language=language, user=None)


def test_figures_of_the_period_stand_beside_the_records_counts(small):
    record(small, "members", "2022-05-10", 4, note=WHY)
    record(small, "observers", "2022-05-10", 1)
    record(small, "members", "2019", 2)  # before the period: not said
    said = {i.text: i for i in items(report(), "expansion")}
    differs = said["A source counts 4 Member States as of 10 May 2022; the record holds 3 on "
                   "10 May 2022."]  # fmt: skip
    assert differs.note == WHY
    assert "A source counts 1 observers as of 10 May 2022, as the record does." in said
    assert not any("as of 2019" in text for text in said)
    assert any("?at=2022-05-10" in link.url for link in differs.links)


def test_the_report_in_russian_says_both_counts(small):
    record(small, "members", "2022-05-10", 4, note=WHY)
    texts = [i.text for i in items(report("ru"), "expansion")]
    assert (
        "По данным источника на 10 мая 2022: государства-члены — 4; по записи на 10 мая 2022 — 3."
        in texts
    )
