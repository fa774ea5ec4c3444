"""`secretariat generate-synthetic`: a made-up organization, the same for the same seed,
whose rows obey the rules the services enforce and read back through the selectors.

The tests that need an empty database come first; the module then generates scale 1
once (seed 7) for the tests that read it, and empties the database after them. The
module stays on one worker under xdist, in this order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.test.utils import override_settings
from django.utils import timezone

from secretariat.audit.models import AuditEntry
from secretariat.bodies.models import Body, Meeting, MeetingSchedule
from secretariat.core.models import Citation, Organization, Source, Sourced, read_models
from secretariat.decisions import selectors as decision_selectors
from secretariat.decisions.models import Position, Procedure, ProcedureClosing
from secretariat.documents import transitions, uploads
from secretariat.documents.models import Document, DocumentEvent, DocumentText, DocumentVersion
from secretariat.documents.selectors import document_status
from secretariat.exchange.dump import models_in_dump
from secretariat.initiatives.models import Initiative
from secretariat.programme.models import CbmEvent
from secretariat.registry.models import Actor, Chairmanship, SecretariatHead, Status
from secretariat.search.models import SearchEntry
from secretariat.search.selectors import search
from secretariat.treaties import engine
from secretariat.treaties import rules as treaty_rules
from secretariat.treaties.models import Treaty, TreatyAction
from synthetic import runner
from synthetic.files import FileSink
from synthetic.sizes import Sizes

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("datasets-synthetic")]

RAW = "the generator bulk-writes rows, one audit entry per top-level record (made with "
RAW += "bulk inserts, which send no signal), its parts covered by it"
IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Columns that say when a row was written, not what it holds.
WHEN = {"created_at", "updated_at", "at", "recorded_at"}
SMALL = dataclasses.replace(
    Sizes.of(1), meetings=600, documents=300, procedures=40, treaties=2, cbm_events=5,
    initiatives=3,
)  # fmt: skip


def digest() -> str:
    """A fingerprint of every row of the secretariat's tables and the index, ids included
    (search entries by their natural key: their ids come from the database)."""
    h = hashlib.sha256()
    for model in [*models_in_dump(), SearchEntry]:
        if model._meta.label_lower in runner.BOOKKEEPING:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in WHEN]
        if model is SearchEntry:
            names.remove("id")
            rows = model.objects.order_by("kind", "object_id", "language", "part")
        else:
            rows = model._base_manager.order_by("pk")
        h.update(model._meta.label.encode())
        for row in rows.values_list(*names):
            h.update(repr(row).encode())
    return h.hexdigest()


def small(seed: int, *, over: int | None = None) -> str:
    """Generate the small organization in a transaction rolled back after its digest
    (`over`: first generate it with that seed, then again with --flush)."""
    with transaction.atomic():
        if over is not None:
            runner.generate(scale=1, seed=over, sizes=SMALL)
        runner.generate(scale=1, seed=seed, sizes=SMALL, flush=over is not None)
        fingerprint = digest()
        transaction.set_rollback(True)
    return fingerprint


# --- On an empty database ---------------------------------------------------------------


@pytest.mark.raw_writes(RAW)
@override_settings(STORAGES=IN_MEMORY)
def test_the_same_seed_gives_the_same_rows_and_another_seed_others():
    """Ids, keys, texts, dates, outcomes, citations, the trail and the index alike; also
    over an organization emptied by --flush."""
    assert not runner.records_held(), "this test needs an empty database: run it first"
    first = small(3)
    assert small(3, over=4) == first
    assert small(4) != first


@pytest.mark.raw_writes(RAW)
def test_the_helper_process_writes_the_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sink = FileSink()
    sink.put("documents/2020/a.txt", b"one\n")
    sink.put("documents/2021/b.txt", "два\n".encode())
    sink.close()
    assert (tmp_path / "documents/2020/a.txt").read_bytes() == b"one\n"
    assert (tmp_path / "documents/2021/b.txt").read_text() == "два\n"


def test_the_command_refuses_a_database_that_holds_records(build):
    """Nothing is written, and the message says why and what to do."""
    build.actor("aldoria")
    before = {m._meta.label: m._base_manager.count() for m in models_in_dump()}
    with pytest.raises(CommandError, match=r"already holds records.*--flush"):
        call_command("generate_synthetic", scale=1, seed=1, stdout=io.StringIO(),
                     stderr=io.StringIO())  # fmt: skip
    assert {m._meta.label: m._base_manager.count() for m in models_in_dump()} == before


# --- Scale 1, generated once ------------------------------------------------------------


@pytest.fixture(scope="module")
def scale_one(django_db_setup, django_db_blocker, tmp_path_factory):
    """Scale 1, seed 7, through the command (files in a folder of the module's), removed
    after."""
    out, err = io.StringIO(), io.StringIO()
    media = tmp_path_factory.mktemp("synthetic-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        call_command("generate_synthetic", scale=1, seed=7, stdout=out, stderr=err)
        yield out.getvalue(), media
        call_command("flush", "--no-input", verbosity=0)


@pytest.fixture
def sample(scale_one, settings):
    settings.MEDIA_ROOT = scale_one[1]
    return random.Random(11)


def test_counts_are_those_the_scale_documents(scale_one):
    sizes = Sizes.of(1)
    assert Document.objects.count() == sizes.documents == 10_000
    assert Meeting.objects.count() == sizes.meetings == 1_000
    assert Procedure.objects.count() == ProcedureClosing.objects.count() == 500
    assert Treaty.objects.count() == 5
    assert Actor.objects.filter(kind="state").count() == sizes.states == 16
    assert Actor.objects.filter(kind="organization").count() == 6
    assert Body.objects.count() == 10 + sizes.working_groups
    assert CbmEvent.objects.count() == 20
    assert Initiative.objects.count() == 7
    assert Organization.objects.get().name_en == "Synthetic Organization of 16 States"
    assert Source.objects.get().title == "Synthetic data, scale 1 seed 7"
    assert "documents.Document" in scale_one[0] and "search index" in scale_one[0]


def test_every_kind_of_fact_is_there(scale_one):
    def kinds(model, name="kind"):
        return set(model.objects.values_list(name, flat=True).distinct())

    assert {"member", "observer", "applicant", "partner"} <= kinds(Status)
    events = {"drafted", "circulated", "feedback_received", "agreed", "adopted", "took_note",
              "signed", "superseded", "withdrawn", "entered_into_force"}  # fmt: skip
    assert events <= kinds(DocumentEvent)
    assert {"support", "objection", "withdrawal", "reservation"} <= kinds(Position)
    assert kinds(ProcedureClosing, "outcome") == {"adopted", "failed"}
    assert kinds(Procedure) == {"meeting", "silence"}
    assert {"signature", "ratification", "accession"} <= kinds(TreatyAction)
    assert kinds(MeetingSchedule) == {"planned", "held", "cancelled"}
    assert kinds(Document, "access") == {"public", "restricted", "confidential"}
    assert Document.shared_with.through.objects.exists()
    assert DocumentVersion.objects.filter(number=2).exists()
    assert Chairmanship.objects.count() == 30 and SecretariatHead.objects.exists()


def test_every_sourced_row_cites_the_synthetic_source(scale_one):
    source = Source.objects.get()
    for model in models_in_dump():
        if not issubclass(model, Sourced):
            continue
        ct = ContentType.objects.get_for_model(model)
        cites = Citation.objects.filter(content_type=ct, object_id=OuterRef("pk"), source=source)
        assert not model.objects.filter(~Exists(cites)).exists(), model._meta.label


def test_every_top_level_record_has_its_audit_entry(scale_one):
    for model in (Document, Meeting, Actor, Procedure, Treaty, Status, Source):
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), action="create",
            who="generate-synthetic", via="command",
        )  # fmt: skip
        assert entries.count() == model.objects.count(), model._meta.label
    assert AuditEntry.objects.values("batch").distinct().count() == 1
    doc = Document.objects.order_by("pk").first()
    entry = AuditEntry.objects.for_record(doc).get()
    assert entry.object_repr == str(doc)


def test_lifecycles_hold_and_statuses_are_the_selectors(scale_one, sample):
    """Every document's events follow the lifecycle; the index holds the selectors' status."""
    today = timezone.localdate()
    by_doc: dict[int, list[DocumentEvent]] = {}
    for event in DocumentEvent.objects.order_by("pk"):
        by_doc.setdefault(event.document_id, []).append(event)
    types = dict(Document.objects.values_list("pk", "type"))
    for pk, events in by_doc.items():
        transitions.check_sequence(types[pk], events)
    for doc in Document.objects.filter(pk__in=sample.sample(sorted(types), 40)):
        entry = SearchEntry.objects.get(kind="document", object_id=doc.pk, language="en")
        assert entry.status == (document_status(doc, today) or "")
        for event in doc.events.all():
            event.full_clean()


def test_texts_are_what_the_upload_service_would_keep(scale_one, sample):
    ids = sorted(DocumentText.objects.values_list("pk", flat=True))
    for text in DocumentText.objects.filter(pk__in=sample.sample(ids, 30)):
        with default_storage.open(text.file.name) as f:
            data = f.read()
        inspected = uploads.inspect(data)
        assert (text.media_type, text.size, text.sha256, text.text) == (
            inspected.media_type, inspected.size, inspected.sha256, inspected.text,
        )  # fmt: skip
        assert 1_000 < text.size < 12_000


def test_procedures_close_as_their_positions_say(scale_one, sample):
    ids = sorted(Procedure.objects.values_list("pk", flat=True))
    for procedure in Procedure.objects.filter(pk__in=sample.sample(ids, 40)):
        closing = procedure.closing
        state = decision_selectors.procedure_state(procedure)
        assert state.verdict.state.value == closing.outcome
        assert state.verdict.since == closing.closed_at
        elig = state.eligibility
        for position in procedure.positions.all():
            # (full_clean would judge each as entered after the close: the rules refuse
            # that when it changes the outcome, as an objection that made it does.)
            assert position.kind == "comment" or elig.is_eligible(position.actor_id)
            assert procedure.opened_at <= position.stated_at < procedure.deadline
        if closing.outcome == "adopted":
            assert closing.event.kind == "adopted"
            assert closing.event.date.earliest == timezone.localdate(closing.closed_at)


def test_registry_and_treaties_obey_their_rules(scale_one):
    for model in (Status, Chairmanship, SecretariatHead, Treaty):
        for record in model.objects.all():
            record.full_clean()
    for treaty in Treaty.objects.all():
        acts = [a.as_act() for a in treaty.actions.select_related("actor")]
        by_actor: dict[int, list] = {}
        for act in acts:
            by_actor.setdefault(act.actor, []).append(act)
        for own in by_actor.values():
            assert treaty_rules.sequence_problems(own, str) == []
        status = engine.status(acts, rule=treaty.rule, at=dt.date(2025, 12, 31))
        eif = treaty.document.events.filter(kind="entered_into_force").first()
        if eif is not None:
            assert status.entry_into_force.earliest == eif.date.earliest


def test_search_finds_a_document_by_words_of_its_text(scale_one, sample):
    russian = DocumentText.objects.filter(language="ru").values("version__document")
    doc = Document.objects.filter(access="public", meeting__isnull=False, pk__in=russian)
    doc = doc.order_by("pk")[123]
    text = DocumentText.objects.filter(version__document=doc, language="en").first().text
    city = doc.meeting.schedule.get(kind="held").city_en  # named in the text's preamble
    assert city and city in text
    found = search(f"{city} {doc.meeting.title_en}", user=None, type="document", limit=100)
    assert doc.key in [r.key for r in found.results]
    held = doc.meeting.schedule.get(kind="held")
    found = search(f"{held.city_ru} {doc.title_ru}", user=None, language="ru", limit=100)
    assert doc.key in [r.key for r in found.results]


def test_read_models_are_derived_as_their_refresh_derives_them(scale_one):
    """One row per record, equal to what `refresh` (run by the receivers) writes."""
    for model in read_models():
        parent = model._meta.pk.related_model
        assert model.objects.count() == parent.objects.count(), model._meta.label
        with transaction.atomic():
            before = list(model.objects.order_by("pk").values_list())
            model.refresh()
            assert list(model.objects.order_by("pk").values_list()) == before
            transaction.set_rollback(True)
