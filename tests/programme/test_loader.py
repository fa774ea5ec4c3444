"""The programme.yaml handler, on the minimal dataset plus a small programme file."""

from __future__ import annotations

import shutil
import textwrap

import pytest
from django.db import transaction

from secretariat.datasets.loader import Loader
from secretariat.datasets.programme import ProgrammeRecords
from secretariat.datasets.yamlfile import DatasetError, Entry, read
from secretariat.programme.models import (
    CbmEvent,
    Cluster,
    CoordinatorRole,
    PriorityArea,
    Quotation,
    Review,
    Task,
)

from ..conftest import FIXTURES

pytestmark = pytest.mark.django_db

PROGRAMME = """\
catalogue_editions:
  - document: charter
    sources: [charter]
    dimensions:
      - slug: economic
        name: {en: Economic dimension, ru: Экономическое измерение}
        sources: [charter]
    related:
      - document: fund-statute
        sources: [minutes]
    areas:
      - number: 1
        number_ours: true
        title: {en: Trade}
        dimension: economic
        added_on: "2003-03"
        added_at: council-2
        sources: [minutes]
        roles:
          - actor: alpha
            role: coordinator
            start: "2003"
            start_attested: true
            end: "2005"
            decided_at: council-2
            sources: [minutes]
cbm_events:
  - edition: charter
    area: 1
    kind: seminar
    title: {en: Trade seminar}
    organizer: beta
    date: "2004-05"
    place: {en: Capital}
    sources: [minutes]
reviews:
  - date: "2004-06"
    meeting: council-2
    documents: [fund-statute]
    sources: [minutes]
roadmap:
  document: fund-statute
  clusters:
    - number: 1
      title: {en: Charter, ru: Устав}
      documents: [charter]
      sources: [minutes]
      tasks:
        - title: {en: Draft}
          status: done
          lead: [alpha]
          contributing: [beta, gamma]
          sources: [minutes]
        - title: {en: Adopt}
          sources: [minutes]
      focus:
        - year: 2024
          note: Focus in 2024
          sources: [minutes]
      steps:
        - title: {en: Circulate}
          status: pending
          responsible: alpha
          sources: [minutes]
quotations:
  - text: {en: We shall transform.}
    speaker: {en: The President}
    speaker_actor: alpha
    meeting: council-1
    date: "1990-03-01"
    topic: transformation
    sources: [charter]
"""


class _L(Loader, ProgrammeRecords):
    def load_programme(self):
        counts = self.load()
        data = read(self.folder / "programme.yaml", expect=Entry)
        with transaction.atomic():
            self._guarded(data, self._programme)
        return counts


def _folder(tmp_path, text: str):
    folder = tmp_path / "dataset"
    shutil.copytree(FIXTURES / "minimal", folder)
    (folder / "programme.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def test_the_programme_loads_and_reloads_unchanged(tmp_path):
    folder = _folder(tmp_path, PROGRAMME)
    loader = _L(folder)
    loader.load_programme()
    assert loader.counts["CBM priority areas"]["created"] == 1
    area = PriorityArea.objects.get()
    assert (str(area.added_on), area.added_at.key, area.number_ours) == (
        "2003-03",
        "council-2",
        True,
    )
    role = CoordinatorRole.objects.get()
    assert (role.actor.slug, str(role.end), role.start_attested) == ("alpha", "2005", True)
    assert CbmEvent.objects.get().organizer.slug == "beta"
    assert [d.key for d in Review.objects.get().documents.all()] == ["fund-statute"]
    cluster = Cluster.objects.get()
    assert [t.status for t in Task.objects.order_by("position")] == ["done", "pending"]
    assert cluster.focus.get().year == 2024
    assert Quotation.objects.get().speaker_actor.slug == "alpha"
    again = _L(folder)
    again.load_programme()
    for label in ("CBM priority areas", "road-map tasks", "quotations", "CBM reviews"):
        assert set(again.counts[label]) == {"unchanged"}, label


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ("status: done", "status: finished", "'status' is 'finished'; it must be one of"),
        ('end: "2005"', 'end: "2002"', "The end must not come before the start."),
        ("area: 1", "area: 7", "no area 7 in edition 'charter'"),
        ("number_ours: true", "number_ours: yes please", "'number_ours' must be true or false"),
        ("start_attested: true", "start_attested: 1", "'start_attested' must be true or false"),
        ("organizer: beta", "organizer: nobody", "unknown actor 'nobody'"),
        ("topic: transformation", "topic: transformation\n    extra: 1", "unknown field 'extra'"),
    ],
)
def test_bad_records_are_refused_with_file_and_line(tmp_path, replace, by, message):
    loader = _L(_folder(tmp_path, PROGRAMME.replace(replace, by)))
    with pytest.raises(DatasetError, match=r"programme\.yaml:") as exc:
        loader.load_programme()
    assert message in str(exc.value)


def test_an_unknown_section_is_refused(tmp_path):
    loader = _L(_folder(tmp_path, PROGRAMME + "plans: []\n"))
    with pytest.raises(DatasetError, match="unknown section 'plans'"):
        loader.load_programme()
