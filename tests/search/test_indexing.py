"""The index follows the records: written in each write's own transaction, just before it
commits; caught up by a periodic job where that failed; rebuilt by `reindex`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from secretariat.bodies import services as bodies
from secretariat.documents import services as documents
from secretariat.documents.models import Document
from secretariat.records.services import record_delete
from secretariat.registry import services as registry
from secretariat.search import catchup, indexer, tasks
from secretariat.search.apps import _fill_if_stale
from secretariat.search.models import PendingIndex, SearchEntry
from secretariat.search.selectors import search

from .conftest import SHARED_WORDS, add_text

pytestmark = pytest.mark.django_db


def keys(q, **kw) -> list[str]:
    return [r.key for r in search(q, user=kw.pop("user", None), **kw).results]


def test_writes_are_indexed_as_they_commit_not_before(docs, committed):
    with committed():
        docs.document("EXO/1", key="albatross", title_en="Albatross census")
        assert keys("albatross") == []  # not committed yet
    assert keys("albatross") == ["albatross"]


def test_an_edit_through_the_services_reindexes(library, committed):
    document = library.public["title"]
    with committed():
        documents.document_update(document=document, title_en="Coastal security cooperation")
    assert keys("coastal") == ["maritime-title"]
    assert "maritime-title" not in keys("maritime")


def test_texts_events_and_schedules_reindex_their_record(library, docs, committed, build):
    document = library.public["text"]
    with committed():
        add_text(docs, document, "en", "A note on cormorants.")
        docs.event(document, "circulated", "2019-06-01")
    assert keys("cormorants") == ["maritime-text"]
    assert keys("maritime", status="circulated") == ["maritime-text"]
    meeting = library.public["meeting"]
    with committed():
        bodies.meeting_schedule_set(
            meeting=meeting,
            entries=[{"kind": "held", "start": "2023-03-01", "city_en": "Tashkent",
                      "sources": docs.sources}],
        )  # fmt: skip
    found = search("Tashkent", user=None).results
    assert [(r.key, r.year) for r in found] == [("summit-6", 2023)]
    assert keys("Astana") == []


def test_renaming_a_body_reindexes_its_meetings(library, build, committed):
    with committed():
        build.body("summit", kind="summit", name_en="Leaders Conclave", name_ru="Саммит")
    found = [(r.type, r.key) for r in search("conclave", user=None).results]
    assert ("meeting", "summit-6") in found


def test_actors_are_reindexed_with_their_status(library, build, committed):
    with committed():
        registry.actor_upsert(slug="omega", kind="organization", name_en="Omega Alliance",
                              sources=[build.source])  # fmt: skip
    [omega] = search("alliance", user=None).results
    assert (omega.type, omega.key, omega.status) == ("actor", "omega", "observer")
    assert keys("alliance", status="member") == []


def test_a_deleted_body_leaves_the_index(build, committed):
    with committed():
        body = build.body("fund", kind="institution", name_en="Pangolin Fund")
    assert [(r.type, r.key, r.url) for r in search("pangolin", user=None).results] == [
        ("institution", "fund", "/api/v1/institutions")
    ]
    with committed():
        record_delete(body)
    assert search("pangolin", user=None).total == 0
    assert not SearchEntry.objects.filter(kind="institution").exists()


# record_delete of a document also clears the many-to-many tables that point at it
# (initiatives, programme); the audit fixture counts those as writes of their owners.
@pytest.mark.raw_writes("a document's deletion clears m2m tables of other records")
def test_a_deleted_document_leaves_the_index(docs, committed):
    with committed():
        doomed = docs.document("EXO/9", key="doomed", title_en="Dodo report")
    assert keys("dodo") == ["doomed"]
    with committed():
        record_delete(doomed)
    assert keys("dodo") == []
    assert not SearchEntry.objects.filter(object_id=doomed.pk, kind="document").exists()


def test_a_rolled_back_write_indexes_nothing(docs, committed):
    assert docs.sources  # made outside the block that is rolled back
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            docs.document("EXO/8", key="phantom", title_en="Phantom paper")
            raise RuntimeError
        docs.document("EXO/7", key="real", title_en="Real paper")
    assert keys("phantom") == []
    assert keys("real paper") == ["real"]


def test_one_reindex_per_transaction(docs, committed, monkeypatch):
    """However many writes, the index is written once for the transaction, each record
    once."""
    calls = []
    real = indexer.index
    monkeypatch.setattr(indexer, "index", lambda targets: calls.append(targets) or real(targets))
    with committed():
        document = docs.document("EXO/6", key="gannet", title_en="Gannet paper")
        for n in range(3):
            add_text(docs, document, "en", f"gannet text {n}")
            docs.event(document, "drafted" if n == 0 else "circulated", f"2020-0{n + 1}-01")
    assert calls == [{"document": {document.pk}}]
    assert keys("gannet") == ["gannet"]


def test_sharing_shows_at_once_without_reindexing(library, readers):
    """The access rule reads the live document: sharing needs no index update."""
    observer = readers["observer"]
    assert search(SHARED_WORDS[0], user=observer).total == 1
    assert search("zanzibarquartz", user=observer).total == 0
    library.restricted.shared_with.add(library.observer)
    assert search("zanzibarquartz", user=observer).total == 1


def test_reindex_rebuilds_everything(library):
    before = sorted(SearchEntry.objects.values_list("kind", "object_id", "language", "title"))
    SearchEntry.objects.all().delete()
    assert keys("maritime") == []
    out, err = io.StringIO(), io.StringIO()
    call_command("reindex", stdout=out, stderr=err)
    after = sorted(SearchEntry.objects.values_list("kind", "object_id", "language", "title"))
    assert after == before
    assert keys("maritime") == ["maritime-title", "maritime-text"]
    assert out.getvalue().startswith(f"Indexed {len(before)} entries (")
    assert "[##############################]" in err.getvalue()


def test_reindex_dry_run_and_quiet(library):
    SearchEntry.objects.filter(kind="actor").delete()
    out = io.StringIO()
    call_command("reindex", "--dry-run", stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("Dry run (nothing saved): would index")
    assert not SearchEntry.objects.filter(kind="actor").exists()
    out, err = io.StringIO(), io.StringIO()
    call_command("reindex", "--quiet", stdout=out, stderr=err)
    assert (out.getvalue(), err.getvalue()) == ("", "")
    assert SearchEntry.objects.filter(kind="actor").exists()


def test_migrate_fills_an_empty_index_over_existing_records(library):
    count = SearchEntry.objects.count()
    SearchEntry.objects.all().delete()
    assert indexer.is_stale()
    _fill_if_stale()
    assert SearchEntry.objects.count() == count
    assert not indexer.is_stale()


def test_long_texts_are_indexed_in_parts(docs, committed):
    """Past PART_CHARS a text goes on in a new entry; the record is still one result."""
    from secretariat.search.entries import PART_CHARS

    with committed():
        document = docs.document("EXO/5", key="tome", title_en="Tome")
        filler = "lorem ipsum dolor " * (PART_CHARS // 9)
        add_text(docs, document, "en", f"kestrel {filler} osprey")
    parts = SearchEntry.objects.filter(kind="document", object_id=document.pk, language="en")
    assert parts.count() == 3
    assert keys("kestrel") == keys("osprey") == ["tome"]
    assert search("tome", user=None).total == 1


@pytest.mark.django_db(transaction=True)
def test_the_entry_commits_with_its_record(docs, monkeypatch):
    """When the database commits, the entry is already written in the transaction, before
    any on-commit callback: a server killed after the commit leaves it searchable (and
    nothing runs after the commit here at all)."""
    monkeypatch.setattr(connection, "run_and_clear_commit_hooks", connection.run_on_commit.clear)
    at_commit = []
    commit = connection._commit

    def spied():
        at_commit.append(keys("albatross"))  # read inside the transaction, at its COMMIT
        return commit()

    monkeypatch.setattr(connection, "_commit", spied)
    with transaction.atomic():
        docs.document("EXO/1", key="albatross", title_en="Albatross census")
        assert keys("albatross") == []  # written just before the commit, once
    assert at_commit[-1] == ["albatross"]
    assert keys("albatross") == ["albatross"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_entry(docs):
    assert docs.sources
    with pytest.raises(RuntimeError), transaction.atomic():
        docs.document("EXO/8", key="phantom", title_en="Phantom paper")
        raise RuntimeError
    assert not Document.objects.filter(key="phantom").exists()
    assert keys("phantom") == []
    assert not SearchEntry.objects.filter(key="phantom").exists()
    assert not PendingIndex.objects.exists()
    with transaction.atomic():  # the next transaction indexes only its own records
        docs.document("EXO/7", key="real", title_en="Real paper")
    assert sorted(SearchEntry.objects.filter(kind="document").values_list("key", flat=True)) == [
        "real"
    ]


@pytest.mark.django_db(transaction=True)
def test_a_failure_to_index_is_logged_the_write_stands_and_the_job_catches_up(
    docs, monkeypatch, caplog
):
    """Indexing fails: the write commits all the same, the log says so, and the record is
    queued in the same transaction; the periodic job indexes it."""

    def broken(targets):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(indexer, "index", broken)
    with caplog.at_level("ERROR", logger="secretariat.search.receivers"), transaction.atomic():
        petrel = docs.document("EXO/9", key="petrel", title_en="Petrel survey")
    assert Document.objects.filter(key="petrel").exists()
    assert "Could not index 1 document: queued for the catch-up job" in caplog.text
    assert "index unavailable" in caplog.text
    assert keys("petrel") == []
    assert list(PendingIndex.objects.values_list("kind", "object_id")) == [("document", petrel.pk)]
    with pytest.raises(catchup.CatchUpFailed, match=f"document {petrel.pk}"):
        tasks.index_queued.call_local()  # still broken: it stays queued, the job fails
    assert PendingIndex.objects.get().attempts == 1
    monkeypatch.undo()
    tasks.index_queued.call_local()
    assert keys("petrel") == ["petrel"]
    assert not PendingIndex.objects.exists()


def test_the_catch_up_finds_records_without_entries_and_entries_without_records(
    library, build, committed
):
    """What only a write past the model signals leaves: a record with no entry, and an
    entry of a record that is gone. The job finds both and puts them right."""
    SearchEntry.objects.filter(kind="document", key="maritime-title").delete()
    with committed():
        body = build.body("fund", kind="institution", name_en="Pangolin Fund")
    SearchEntry.objects.filter(kind="institution", object_id=body.pk).update(object_id=10**9)
    assert keys("maritime") == ["maritime-text"]
    assert catchup.out_of_step() == {
        "document": [library.public["title"].pk],
        "institution": [body.pk, 10**9],
    }
    with committed():
        tasks.catch_up.call_local()
    assert keys("maritime") == ["maritime-title", "maritime-text"]
    assert [r.key for r in search("pangolin", user=None).results] == ["fund"]
    assert list(SearchEntry.objects.filter(key="fund").values_list("object_id", flat=True)) == [
        body.pk
    ]
    assert catchup.out_of_step() == {}
    assert not PendingIndex.objects.exists()
