"""Imports under pressure: a large file is read as a stream and refused at its first bad
item without being held whole; new records are written in a few statements, not a
dozen per record; a refused, failed or killed import leaves no file behind."""

from __future__ import annotations

import json
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secretariat.exchange import importers, staging
from secretariat.exchange.dump_import import import_dump
from secretariat.exchange.popolo_import import import_data
from secretariat.exchange.safe import ImportRefused

from .test_dump import RAW, minimal_dump_bytes, row_counts, rows_of
from .test_popolo_import import doc, rows

pytestmark = pytest.mark.django_db


def files_in(folder) -> list:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --- Popolo: read as a stream ------------------------------------------------------------


def test_a_large_popolo_file_bad_at_its_first_item_is_refused_having_read_little(tmp_path):
    """A 21 MB file whose first event has no valid start date: refused naming that item,
    with a peak of memory that is a small fraction of the file (the whole file parsed
    would take several times its size), and nothing imported."""
    path = tmp_path / "large.json"
    event = {"id": "meeting/x-{n}", "name": "Session {n}", "organization_id": "body/council",
             "start_date": "2001-02-03", "description": "A meeting. " * 20}  # fmt: skip
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"events": [')
        handle.write(json.dumps({**event, "id": "meeting/first", "start_date": "2001-13-45"}))
        line = json.dumps(event)
        for n in range(60_000):
            handle.write(",\n" + line.replace("{n}", str(n)))
        handle.write("]}\n")
    size = path.stat().st_size
    assert size > 20_000_000
    before = rows()
    tracemalloc.start()
    try:
        with pytest.raises(ImportRefused) as refused:
            importers.import_path(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.where == f"{path}#/events/0/start_date"
    assert "not a real date" in refused.value.why or "not a date" in refused.value.why
    assert peak < size / 10, f"peak {peak} bytes for a file of {size}"
    assert rows() == before


def test_a_popolo_file_streamed_imports_as_the_parsed_document(tmp_path):
    """The same document from a file (streamed) and parsed: the same records."""
    data = doc(events=[{"id": "meeting/council-1", "organization_id": "body/council",
                        "start_date": "1990-03-01", "status": "held"}])  # fmt: skip
    path = tmp_path / "exo.json"
    path.write_text(json.dumps(data))
    found, summary = importers.import_path(path)
    assert found.kind == "popolo"
    after = rows()
    again = import_data(data, name=str(path))
    assert rows() == after and again.total("created") == 0, again
    assert summary.counts["meetings"]["created"] == 1


def test_new_records_cost_a_few_statements_whatever_their_number():
    """Ten times the meetings, about the same queries: no statement per record."""

    def queries(n: int) -> int:
        events = [
            {"id": f"meeting/m{n}-{k}", "organization_id": "body/council",
             "start_date": f"{1950 + k % 60}-01-01", "name": f"Session {k}"}
            for k in range(n)
        ]  # fmt: skip
        data = doc(events=events)
        with CaptureQueriesContext(connection) as captured:
            import_data(data, name=f"n{n}.json", dry_run=True)
        return len(captured.captured_queries)

    few, many = queries(10), queries(100)
    assert many <= few + 15, (few, many)


def test_a_change_made_while_an_import_is_planned_is_not_overwritten(monkeypatch, build):
    """Another user writes between the plan and the write: the plan is made again, so the
    import sees (and keeps) that write."""
    from secretariat.exchange import popolo_import

    plan = popolo_import.Importer.plan
    calls = []

    def plan_then_someone_writes(self):
        plan(self)
        calls.append(1)
        if len(calls) == 1:
            build.actor("interloper", kind="organization", name_en="Interloper")

    monkeypatch.setattr(popolo_import.Importer, "plan", plan_then_someone_writes)
    summary = import_data(doc(), name="exo.json")
    assert len(calls) == 2
    assert summary.counts["actors"]["created"] == 1
    from secretariat.registry.models import Actor

    assert Actor.objects.filter(slug__in=["interloper", "alpha"]).count() == 2


# --- The dump: no file left behind -------------------------------------------------------


@pytest.fixture(scope="module")
def minimal_dump(django_db_setup, django_db_blocker, tmp_path_factory) -> bytes:
    with django_db_blocker.unblock():
        return minimal_dump_bytes(tmp_path_factory)


def _spoil_late(data: dict) -> str:
    """An error in the trail, the last table: after the files were checked and staged."""
    i = next(n for n, t in enumerate(data["tables"]) if t["model"] == "audit.auditentry")
    rows_of(data, "audit.auditentry")[-1]["user"] = "mallory"
    return f"/tables/{i}/rows/{len(data['tables'][i]['rows']) - 1}/user"


def _spoil_at_write(data: dict) -> str:
    """An error only the database finds, as the rows are written."""
    i = next(n for n, t in enumerate(data["tables"]) if t["model"] == "registry.status")
    rows_of(data, "registry.status")[0].update(end_date="1900-01-01", end_precision="day")
    return f"/tables/{i}/rows/0"


@pytest.mark.raw_writes(RAW)
@pytest.mark.parametrize("spoil", [_spoil_late, _spoil_at_write], ids=["read", "write"])
def test_a_dump_refused_midway_leaves_no_file_and_no_row(
    minimal_dump, tmp_path, media_root, committing, spoil
):
    """Refused after its files were checked (while reading, or by the database as the
    rows go in): no file in MEDIA_ROOT, staging included, and no row."""
    data = json.loads(minimal_dump)
    assert rows_of(data, "documents.documenttext")  # the dump carries files
    where = spoil(data)
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(data))
    before = row_counts()
    with committing(), pytest.raises(ImportRefused) as refused:
        importers.import_path(path)
    assert refused.value.where == f"{path}#{where}"
    assert files_in(media_root) == []
    assert row_counts() == before


@pytest.mark.raw_writes(RAW)
def test_a_dump_puts_its_files_in_place_only_when_it_commits(minimal_dump, media_root, committing):
    """Until the commit the files are staged apart; at the commit they are in place and
    the staging folder is gone."""
    data = json.loads(minimal_dump)
    with committing():
        import_dump(data)
        placed = [p for p in files_in(media_root) if staging.FOLDER not in p.parts]
        assert placed == []  # not yet: the transaction has not committed
    names = {p.relative_to(media_root).as_posix() for p in files_in(media_root)}
    wanted = {row["file"]["name"] for row in rows_of(data, "documents.documenttext")}
    assert names == wanted


def test_a_stale_staging_folder_is_removed_and_a_running_one_kept(media_root):
    """A killed import's folder (its lock gone with it) is removed by the next import;
    a running import's is left alone."""
    killed = staging.Staging()
    killed.put(None, "documents/orphan.txt", b"left by a killed import", "/x")
    killed._lock.close()  # the process died: its lock is released, its folder stays
    running = staging.Staging()  # removes the stale folder as it starts
    assert not killed.folder.exists()
    assert running.folder.exists()
    assert staging.remove_stale() == []  # the running one is locked: kept
    running.discard()
    assert files_in(media_root) == []


def test_a_folder_killed_after_its_commit_has_its_files_put_in_place(media_root):
    """Killed between the commit and the move: the next import puts the files where the
    records that name them expect them, then removes the folder."""
    from django.core.files.storage import default_storage

    killed = staging.Staging()
    killed.put(default_storage, "documents/2024/text.txt", b"the text", "/x")
    (killed.folder / staging.COMMITTED).write_text(json.dumps([["0", "documents/2024/text.txt"]]))
    killed._lock.close()
    assert staging.remove_stale() == [killed.folder]
    assert (media_root / "documents" / "2024" / "text.txt").read_bytes() == b"the text"
    assert not killed.folder.exists()


def test_records_written_at_once_have_the_trail_the_services_give():
    """Each new record: a creation entry saying what the stored row holds (read back from
    the database) and an entry giving its sources, as validated_save and citations_set
    write them, in the import's channel."""
    from secretariat.audit import trail
    from secretariat.audit.models import AuditEntry
    from secretariat.bodies.models import Meeting, MeetingSchedule
    from secretariat.registry.models import Actor, Status

    minutes = [{"url": "https://example.org/minutes", "note": "Minutes"}]
    data = doc(events=[{"id": "meeting/council-1", "organization_id": "body/council",
                        "start_date": "1990-03-01", "name": "Founding session",
                        "sources": minutes}])  # fmt: skip
    import_data(data, name="exo.json")
    for model in (Actor, Status, Meeting, MeetingSchedule):
        for record in model.objects.all():
            entries = list(AuditEntry.objects.for_record(record).order_by("id"))
            assert [e.action for e in entries] == ["create", "update"], record
            created, sourced = entries
            stored = trail.stored_row(model, record.pk)
            assert created.changes == trail.diff(model, None, stored), record
            keys = [c.source.key for c in record.citations.order_by("id")]
            assert sourced.changes == {"sources": [[], keys]}, record
            assert {(e.via, e.reason, e.version) for e in entries} == {
                ("import", "import exo.json", record.version)
            }
    meeting = Meeting.objects.get(key="council-1")
    assert [c.source.url for c in meeting.citations.all()] == ["https://example.org/minutes"]


def test_a_daily_job_removes_stale_staging_folders(media_root):
    """Where no import follows a killed one, the worker's schedule removes its folder."""
    import datetime as dt

    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    from secretariat.exchange.tasks import remove_stale_staging

    autodiscover_modules("tasks")  # as the worker does (run_huey)
    due = {type(t).__name__ for t in HUEY.read_periodic(dt.datetime(2026, 12, 7, 3, 23))}
    assert "remove_stale_staging" in due
    killed = staging.Staging()
    killed._lock.close()
    remove_stale_staging.call_local()
    assert not killed.folder.exists()
