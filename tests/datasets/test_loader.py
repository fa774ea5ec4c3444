"""Loading a dataset folder: idempotent, all or nothing, errors with file and line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from secretariat.bodies.models import Meeting, MeetingSchedule
from secretariat.core.models import Citation, Source, Variant
from secretariat.datasets.loader import Loader
from secretariat.datasets.yamlfile import DatasetError
from secretariat.registry.models import Actor, Chairmanship, Status

from .conftest import edit

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything the loader writes, as comparable values."""
    return (
        sorted(Actor.objects.values_list("slug", "name_en", "updated_at")),
        sorted(Status.objects.values_list("actor__slug", "kind", "start_date", "end_date")),
        sorted(Meeting.objects.values_list("key", "updated_at")),
        Citation.objects.count(),
        Variant.objects.count(),
    )


def test_loading_twice_changes_nothing(folder):
    """A second load reports every record unchanged and writes nothing."""
    first = Loader(folder).load()
    assert first["actors"]["created"] == 5
    assert first["statuses"]["created"] == 6
    assert first["meetings"]["created"] == 3
    before = snapshot()
    second = Loader(folder).load()
    assert all(c["created"] == 0 and c["updated"] == 0 for c in second.values()), second
    assert second["actors"]["unchanged"] == 5
    assert snapshot() == before


def test_an_edited_value_updates_only_that_record(folder):
    """Changing one name in the YAML updates that actor and leaves the rest unchanged."""
    Loader(folder).load()
    edit(folder, "actors.yaml", "name: {en: Delta}", "name: {en: Delta Republic}")
    counts = Loader(folder).load()
    assert counts["actors"]["updated"] == 1
    assert counts["actors"]["unchanged"] == 4
    assert Actor.objects.get(slug="delta").name_en == "Delta Republic"


def test_a_changed_schedule_replaces_the_old_entries(folder):
    """Moving a held date in the YAML leaves one held entry, at the new date."""
    Loader(folder).load()
    edit(folder, "meetings.yaml", 'start: "2003-09"', 'start: "2003-10"')
    counts = Loader(folder).load()
    assert counts["meetings"]["updated"] == 1
    entries = MeetingSchedule.objects.filter(meeting__key="council-informal-2003")
    assert [str(e.start) for e in entries] == ["2003-10"]


def test_sources_and_variants_are_kept(folder):
    """Every record cites its sources; a disagreeing source's value is kept as a variant."""
    Loader(folder).load()
    gamma_member = Status.objects.get(actor__slug="gamma", kind="member")
    assert [c.source.key for c in gamma_member.citations.all()] == ["minutes"]
    variant = gamma_member.variants.get()
    assert (variant.field, variant.value) == ("start", "2002-06-11")
    assert [s.key for s in variant.sources.all()] == ["charter"]
    uncited = [a.slug for a in Actor.objects.all() if not a.citations.exists()]
    assert uncited == []


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "reason"),
    [
        ("actors.yaml", 'start: "1995"', 'start: "1995-13"', "actors.yaml:30", "not a real date"),
        ("actors.yaml", "kind: observer", "kind: emperor", "actors.yaml:29", "must be one of"),
        ("actors.yaml", "sources: [minutes]\n  statuses:\n    - kind: applicant",
         "sources: [nowhere]\n  statuses:\n    - kind: applicant", "actors.yaml:47",
         "unknown source 'nowhere'"),
        ("actors.yaml", "  exists_from: \"1991\"", "  exists_from: \"1996\"", "actors.yaml:30",
         "Gamma did not exist on 1995 (it exists from 1996)"),
        ("actors.yaml", 'end: "2002-06-10"', 'end: "1994"', "actors.yaml:31",
         "The end (1994) must come after the start (1995)"),
        ("actors.yaml", "name: {en: Beta, ru: Бета}", "nmae: {en: Beta}", "actors.yaml:15",
         "unknown field 'nmae'"),
        ("meetings.yaml", "body: council\n  ordinal: 2", "body: senate\n  ordinal: 2",
         "meetings.yaml:17", "unknown body 'senate'"),
        ("chairmanships.yaml", 'end: "2002-06-10"', 'end: "2003"', "chairmanships.yaml:5",
         "overlaps the chairmanship of Alpha from 1990-03-01 to 2003"),
        ("meetings.yaml", "city: {en: Betatown}", "city: Betatown", "meetings.yaml:24",
         "'city' must be a mapping of en and ru"),
        ("sources.yaml", "- key: minutes", "- key: minutes\n  key2: x", "sources.yaml:7",
         "unknown field 'key2'"),
        ("bodies.yaml", "  sources: [charter]\n  events:", "  events:", "bodies.yaml:1",
         "every record needs 'sources'"),
        ("heads.yaml", "title: executive_director", "title: emperor", "heads.yaml:5",
         "must be one of"),
        ("actors.yaml", "- slug: beta", "- slug: alpha", "actors.yaml:11", "defined twice"),
        ("meetings.yaml", "  schedule:\n    - kind: held\n      start: \"1990-03-01\"",
         "  schedule: [", "meetings.yaml", "malformed YAML"),
    ],
)  # fmt: skip
def test_a_bad_record_is_refused_with_file_line_and_reason(folder, file, old, new, where, reason):
    """A malformed or inconsistent record stops the load, naming file, line and reason."""
    edit(folder, file, old, new)
    with pytest.raises(DatasetError) as caught:
        Loader(folder).load()
    message = str(caught.value)
    assert message.startswith(where), message
    assert reason in message, message


def test_a_refused_load_saves_nothing(folder):
    """An error in the last file leaves the database exactly as it was."""
    edit(folder, "heads.yaml", "title: secretary_general", "title: emperor")
    with pytest.raises(DatasetError):
        Loader(folder).load()
    assert Source.objects.count() == 0
    assert Actor.objects.count() == 0
    assert Chairmanship.objects.count() == 0


def test_a_refused_reload_keeps_the_earlier_load(folder):
    """Loading a broken edit over a good load changes none of the good records."""
    Loader(folder).load()
    before = snapshot()
    edit(folder, "actors.yaml", "name: {en: Delta}", "name: {en: Delta Republic}")
    edit(folder, "heads.yaml", "title: secretary_general", "title: emperor")
    with pytest.raises(DatasetError):
        Loader(folder).load()
    assert snapshot() == before


def test_missing_folder_or_file_is_refused(folder, tmp_path):
    """A missing folder or a missing file is named."""
    with pytest.raises(DatasetError, match="no such dataset folder"):
        Loader(tmp_path / "nothing").load()
    (folder / "heads.yaml").unlink()
    with pytest.raises(DatasetError, match=r"heads.yaml:0: missing"):
        Loader(folder).load()


def test_command_prints_counts_and_refuses_with_location(folder):
    """`secretariat load-dataset` prints created/updated/unchanged, and file:line on error."""
    out = StringIO()
    call_command("load_dataset", str(folder), stdout=out, stderr=StringIO())
    assert "actors           5 created, 0 updated, 0 unchanged" in out.getvalue()
    assert "Loaded: " in out.getvalue()
    out = StringIO()
    call_command("load_dataset", str(folder), stdout=out, stderr=StringIO())
    assert "0 created, 0 updated" in out.getvalue().splitlines()[-1]
    edit(folder, "actors.yaml", 'start: "1995"', 'start: "1995-13"')
    with pytest.raises(CommandError, match=r"nothing was loaded: actors.yaml:30: start:"):
        call_command("load_dataset", str(folder), stdout=StringIO(), stderr=StringIO())


def test_dry_run_counts_but_saves_nothing(folder):
    """--dry-run reports what would be created and leaves the database empty."""
    out = StringIO()
    call_command("load_dataset", str(folder), "--dry-run", stdout=out, stderr=StringIO())
    assert "Dry run (nothing saved)" in out.getvalue()
    assert Actor.objects.count() == 0
