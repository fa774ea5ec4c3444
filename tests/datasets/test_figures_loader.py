"""figures.yaml: counts that sources state, loaded last, refused with file:line when wrong."""

import pytest

from secretariat.datasets.loader import Loader
from secretariat.datasets.yamlfile import DatasetError
from secretariat.figures.models import ReportedFigure

pytestmark = pytest.mark.django_db

FIGURES = """\
- measure: members
  as_of: "1990-03-01"
  value: 3
  note: The charter names three founders; the record counts two members that day.
  editorial_note: Read from the charter's preamble.
  sources: [charter]
- body: council
  measure: meetings_held
  as_of: "2002"
  value: 2
  sources: [minutes]
- meeting: council-1
  measure: participants
  as_of: "1990-03-01"
  value: 2
  sources: [minutes]
  variants:
    - {field: value, value: "3", sources: [charter], note: The charter counts a guest.}
"""


def write(folder, text):
    (folder / "figures.yaml").write_text(text)


def refused(folder, text):
    write(folder, text)
    with pytest.raises(DatasetError) as caught:
        Loader(folder).load()
    return str(caught.value)


def test_figures_load_after_everything_and_reload_unchanged(folder):
    """A figure counts of the organization (no subject named), a body or a meeting; both
    notes and variants are kept; loading again changes nothing."""
    write(folder, FIGURES)
    counts = Loader(folder).load()
    assert counts["reported figures"]["created"] == 3
    members = ReportedFigure.objects.get(measure="members")
    assert (members.subject_type.model, members.subject.slug, members.value) == (
        "organization",
        "exo",
        3,
    )
    assert members.note.startswith("The charter names three founders")
    assert members.editorial_note == "Read from the charter's preamble."
    assert members.as_of.isoformat() == "1990-03-01"
    held = ReportedFigure.objects.get(measure="meetings_held")
    assert (held.subject.slug, held.as_of.isoformat()) == ("council", "2002")
    participants = ReportedFigure.objects.get(measure="participants")
    assert participants.subject.key == "council-1"
    assert [v.value for v in participants.variants.all()] == ["3"]
    again = Loader(folder).load()
    assert again["reported figures"] == {"unchanged": 3}


def test_a_figure_that_changes_in_the_file_updates_its_record(folder):
    write(folder, FIGURES)
    Loader(folder).load()
    write(folder, FIGURES.replace("value: 3\n", "value: 4\n", 1))
    assert Loader(folder).load()["reported figures"]["updated"] == 1
    assert ReportedFigure.objects.get(measure="members").value == 4


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            '- {measure: meetings_held, as_of: "2002", value: 1, sources: [charter]}\n',
            "figures.yaml:1: 'meetings_held' is not counted of the organization; it takes: "
            "members, observers",
        ),
        (
            '- {body: council, measure: members, as_of: "2002", value: 1, sources: [charter]}\n',
            "'members' is not counted of a body; it takes: meetings_held",
        ),
        (
            '- {body: council, meeting: council-1, measure: participants, as_of: "2002",\n'
            "   value: 1, sources: [charter]}\n",
            "a figure counts of one record: 'body' or 'meeting', not both",
        ),
        (
            '- {body: nowhere, measure: meetings_held, as_of: "2002", value: 1, '
            "sources: [charter]}\n",
            "unknown body 'nowhere'",
        ),
        (
            '- {treaty: charter, measure: parties, as_of: "2002", value: 1, sources: [charter]}\n',
            "'charter' is not a treaty on record",
        ),
        (
            '- {edition: charter, measure: areas, as_of: "2002", value: 1, sources: [charter]}\n',
            "'charter' is not an edition of the catalogue on record",
        ),
        (
            '- {measure: members, as_of: "2002", value: -1, sources: [charter]}\n',
            "'value' must be a whole number",
        ),
        (
            '- {measure: members, as_of: "2002", value: "12", sources: [charter]}\n',
            "'value' must be a whole number",
        ),
        (
            '- {measure: members, as_of: "2002-13", value: 1, sources: [charter]}\n',
            "as_of: '2002-13' is not a real date",
        ),
        ('- {measure: members, as_of: "2002", value: 1}\n', "every record needs 'sources'"),
        (
            '- {measure: heads, as_of: "2002", value: 1, sources: [charter]}\n',
            "'measure' is 'heads'; it must be one of: members",
        ),
    ],
)
def test_a_wrong_figure_is_refused_with_its_line_and_nothing_is_saved(folder, text, reason):
    message = refused(folder, text)
    assert reason in message
    assert message.startswith("figures.yaml:")
    assert not ReportedFigure.objects.exists()
