"""Two kinds of note in a dataset: the public `note` and the `editorial_note` (officers and
the dataset only), loaded side by side, idempotently; and a source renamed (`formerly`)."""

import pytest

from secretariat.bodies.models import BodyEvent, MeetingSchedule
from secretariat.core.models import Citation, Source
from secretariat.datasets.loader import Loader
from secretariat.datasets.yamlfile import DatasetError
from secretariat.documents.models import DocumentRelation
from secretariat.records import services as core
from secretariat.registry.models import Actor, Chairmanship, Person, SecretariatHead, Status

from .conftest import edit

pytestmark = pytest.mark.django_db

# (file, text to find, the same with a public and an editorial note added, record's getter)
NOTED = [
    ("sources.yaml", '  publisher: Example Organization\n',
     '  publisher: Example Organization\n  note: The founding text.\n'
     '  editorial_note: Read in the 1990 printing.\n',
     lambda: Source.objects.get(key="charter")),
    ("actors.yaml", "  name: {en: Alpha, ru: Альфа}\n",
     "  name: {en: Alpha, ru: Альфа}\n  note: A founder.\n  editorial_note: Codes by the table.\n",
     lambda: Actor.objects.get(slug="alpha")),
    ("actors.yaml", '      end: "2002-06-10"\n      sources: [minutes]\n',
     '      end: "2002-06-10"\n      note: Observer until it joined.\n'
     '      editorial_note: The end is the day of admission.\n      sources: [minutes]\n',
     lambda: Status.objects.get(actor__slug="gamma", kind="observer")),
    ("bodies.yaml", '      date: "2001"\n',
     '      date: "2001"\n      note: Proposed by Beta.\n      editorial_note: Year only.\n',
     lambda: BodyEvent.objects.get(body__slug="fund", kind="initiated")),
    ("meetings.yaml", '      mode: online\n',
     '      mode: online\n      note: Held by video link.\n'
     '      editorial_note: The month is the minutes\'.\n',
     lambda: MeetingSchedule.objects.get(meeting__key="council-informal-2003")),
    ("chairmanships.yaml", '  kind: renewal\n',
     '  kind: renewal\n  note: Renewed once.\n  editorial_note: Taken as a renewal.\n',
     lambda: Chairmanship.objects.get(actor__slug="beta", kind="renewal")),
    ("heads.yaml", "    nationality: beta\n  title: executive_director\n",
     "    nationality: beta\n    note: A diplomat.\n    editorial_note: Name as signed.\n"
     "  title: executive_director\n",
     lambda: Person.objects.get(slug="ann-example")),
    ("heads.yaml", '  end: "2008-01"\n',
     '  end: "2008-01"\n  note: The first head.\n  editorial_note: The month is a guess.\n',
     lambda: SecretariatHead.objects.get(title="executive_director")),
    ("documents.yaml", "      target: charter\n",
     "      target: charter\n      note: Under its article 9.\n"
     "      editorial_note: The article is read from the statute.\n",
     lambda: DocumentRelation.objects.get(from_document__key="fund-statute")),
]  # fmt: skip


def _add_notes(folder):
    for file, old, new, _ in NOTED:
        edit(folder, file, old, new)
    # The person's notes stand in each of the person's terms (a person is one record).
    edit(folder, "heads.yaml", "    nationality: beta\n  title: secretary_general\n",
         "    nationality: beta\n    note: A diplomat.\n    editorial_note: Name as signed.\n"
         "  title: secretary_general\n")  # fmt: skip


def test_every_record_carries_both_notes_apart(folder):
    """Each kind of record (and a source, and a person) keeps its public note and its
    editorial note in their own fields."""
    _add_notes(folder)
    Loader(folder).load()
    for _, _, new, get in NOTED:
        record = get()
        public, editorial = (
            line.split(": ", 1)[1] for line in new.splitlines() if "note: " in line
        )
        assert (record.note, record.editorial_note) == (public, editorial), record


def test_loading_twice_changes_nothing_and_an_edit_updates_that_record(folder):
    """A second load writes nothing; changing or removing one editorial note updates that
    record alone, and a removed one is emptied."""
    _add_notes(folder)
    Loader(folder).load()
    again = Loader(folder).load()
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again.values()), again
    edit(folder, "actors.yaml", "editorial_note: Codes by the table.", "editorial_note: Other.")
    edit(folder, "bodies.yaml", "      editorial_note: Year only.\n", "")
    counts = Loader(folder).load()
    changed = {k: c["updated"] for k, c in counts.items() if c["updated"]}
    assert changed == {"actors": 1, "body events": 1}
    assert Actor.objects.get(slug="alpha").editorial_note == "Other."
    event = BodyEvent.objects.get(body__slug="fund", kind="initiated")
    assert (event.note, event.editorial_note) == ("Proposed by Beta.", "")


def test_a_variant_note_is_editorial_already(folder):
    """A variant says why its value was not preferred in `note`, editorial by nature:
    `editorial_note` there is refused with the reason."""
    edit(folder, "actors.yaml", "note: A later summary gives the next day.",
         "editorial_note: A later summary gives the next day.")  # fmt: skip
    with pytest.raises(DatasetError, match="a variant's 'note' is editorial already"):
        Loader(folder).load()


def _renamed(folder, *, cite_old_somewhere=False):
    """The `minutes` source renamed `council-minutes` (the old key kept under `formerly`)."""
    text = (folder / "sources.yaml").read_text()
    text = text.replace("- key: minutes\n", "- key: council-minutes\n  formerly: [minutes]\n")
    (folder / "sources.yaml").write_text(text)
    for path in folder.glob("*.yaml"):
        if path.name == "sources.yaml":
            continue
        body = path.read_text().replace("[minutes]", "[council-minutes]")
        body = body.replace("minutes, council-2-record", "council-minutes, council-2-record")
        path.write_text(body)
    if cite_old_somewhere:
        edit(folder, "actors.yaml", "name: {en: Delta}\n  sources: [council-minutes]",
             "name: {en: Delta}\n  sources: [minutes]")  # fmt: skip


def test_a_renamed_source_keeps_its_row_and_what_cites_it(folder):
    """A database loaded before the rename keeps the source's row under its new key, with
    every record citing it; the old key is gone, and loading again changes nothing."""
    Loader(folder).load()
    minutes = Source.objects.get(key="minutes")
    citing = Citation.objects.filter(source=minutes).count()
    _renamed(folder)
    counts = Loader(folder).load()
    assert counts["sources"]["updated"] == 1
    renamed = Source.objects.get(key="council-minutes")
    assert renamed.pk == minutes.pk
    assert not Source.objects.filter(key="minutes").exists()
    assert Citation.objects.filter(source=renamed).count() == citing
    again = Loader(folder).load()
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again.values()), again


def test_a_fresh_database_loads_the_renamed_source(folder):
    """Loaded fresh, the renamed source is simply made under its new key."""
    _renamed(folder)
    Loader(folder).load()
    assert set(Source.objects.values_list("key", flat=True)) == {
        "charter", "council-minutes", "council-2-record"
    }  # fmt: skip


def test_citing_a_former_key_is_refused_naming_the_new_one(folder):
    """A record still citing the old key is refused, with the key to cite instead."""
    _renamed(folder, cite_old_somewhere=True)
    with pytest.raises(DatasetError, match="'minutes' is now 'council-minutes'"):
        Loader(folder).load()


def test_a_rename_onto_a_source_on_record_moves_the_citations(folder):
    """Where both keys are on record, what cited the old source cites the new one, and the
    old one goes."""
    Loader(folder).load()
    core.source_upsert(key="council-minutes", title="Minutes of the Council")
    citing = Citation.objects.filter(source__key="minutes").count()
    _renamed(folder)
    Loader(folder).load()
    assert not Source.objects.filter(key="minutes").exists()
    assert Citation.objects.filter(source__key="council-minutes").count() == citing
