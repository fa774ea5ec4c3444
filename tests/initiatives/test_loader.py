"""The InitiativeRecords loader mixin on a small initiatives.yaml beside the minimal dataset."""

import datetime as dt
import shutil

import pytest
from django.db import transaction

from secretariat.datasets.initiatives import InitiativeRecords
from secretariat.datasets.loader import Loader
from secretariat.datasets.yamlfile import DatasetError, Entry, read
from secretariat.figures.models import ReportedFigure
from secretariat.initiatives import selectors
from secretariat.initiatives.models import ExpectationResponse, FundContribution

from ..conftest import FIXTURES

pytestmark = pytest.mark.django_db

YAML = """\
priorities:
  - slug: p-2002
    title: {en: Priorities for 2002}
    chairmanship_start: "2002-06-10"
    start: "2002"
    sources: [minutes]
initiatives:
  - slug: network
    title: {en: University network, ru: Сеть университетов}
    proposer: {actor: alpha}
    launched_at: council-2
    priorities: [p-2002]
    meetings: [council-2]
    events:
      - {kind: adopted, date: "2003", sources: [minutes]}
      - {kind: proposed, date: "2002-06-10", meeting: council-2, sources: [minutes]}
    expectations:
      - text: {en: Nominate universities}
        from: [alpha, beta]
        due: "2003"
        sources: [minutes]
        responses:
          - {actor: alpha, date: "2002-09", text: {en: University A}, sources: [minutes]}
    steps:
      - {title: {en: First meeting}, status: pending, sources: [minutes]}
    sources: [minutes]
partnerships:
  - actor: union
    sources: [minutes]
    events:
      - {kind: partnership_approved, date: "2004", body: council, sources: [minutes]}
      - {kind: partner, date: "2005", sources: [minutes]}
fund_projects:
  - {fund: fund, title: {en: Project one}, proposer: beta, status: ongoing, start: "2003",
     sources: [minutes]}
fund_contributions:
  - {fund: fund, actor: beta, date: "2003", amount: 5000, currency: usd, sources: [minutes]}
reported_counts:
  - {body: fund, as_of: "2010", value: 4, sources: [minutes]}
"""


class _L(Loader, InitiativeRecords):
    """The Loader with the mixin, as the lead wires it."""


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "dataset"
    shutil.copytree(FIXTURES / "minimal", target)
    (target / "initiatives.yaml").write_text(YAML)
    return target


def load(folder):
    loader = _L(folder)
    loader.load()
    with transaction.atomic():
        loader._initiatives_file(read(folder / "initiatives.yaml", expect=Entry))
    return loader.counts


def test_everything_loads_and_reloads_unchanged(folder):
    """Events load in date order; a second load changes nothing."""
    counts = load(folder)
    assert counts["initiatives"]["created"] == 1
    assert counts["initiative events"]["created"] == 2
    assert counts["expectation responses"]["created"] == 1
    network = selectors.initiative_get("network")
    assert selectors.status_at(network, dt.date(2002, 7, 1)) == "proposed"
    assert selectors.status_at(network, dt.date(2004, 1, 1)) == "adopted"
    assert network.proposer_actor.slug == "alpha"
    assert [s.title_en for s in selectors.next_steps(network)] == ["First meeting"]
    assert [p.slug for p in network.priorities.all()] == ["p-2002"]
    relations = selectors.relations_at(dt.date(2006, 1, 1))
    assert [(p.stage, p.ordinal.label) for p in relations.partnerships] == [
        ("partner", "1st Partner Organization")
    ]
    assert FundContribution.objects.get().currency == "USD"
    assert (ReportedFigure.objects.get().measure, ReportedFigure.objects.get().value) == (
        "meetings_held",
        4,
    )
    assert ExpectationResponse.objects.get().text_en == "University A"
    again = load(folder)
    assert all(set(c) == {"unchanged"} for c in again.values()), again


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            '{kind: proposed, date: "2002-06-10"',
            '{kind: established, date: "2002-06-10"',
            "initiatives.yaml:15: In the history of 'network', 'adopted' cannot follow 'establ",
        ),
        (
            '- {actor: alpha, date: "2002-09"',
            '- {actor: gamma, date: "2002-09"',
            "initiatives.yaml:23: actor: Gamma was not asked",
        ),
        ("  - actor: union", "  - actor: alpha", "Alpha is a state: a partnership is with"),
        ("proposer: {actor: alpha}", "proposer: {state: alpha}", "'proposer' is one of"),
        ("value: 4", "value: four", "'value' must be a whole number"),
        ("fund_projects:", "fund_projets:", "unknown section 'fund_projets'"),
        (
            '    start: "2002"\n',
            '    start: "2002"\n    end: "2001"\n',
            "The end must not come before",
        ),
        ('start: "2003",', 'start: "2003", end: "2002-12",', "The end must not come before"),
    ],
)
def test_bad_records_are_refused_with_file_line_and_reason(folder, old, new, message):
    path = folder / "initiatives.yaml"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(DatasetError) as exc:
        load(folder)
    assert message in str(exc.value)
