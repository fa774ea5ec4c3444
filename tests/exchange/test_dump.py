"""The full JSON dump: the whole record with its history and files, restored without loss.

A dump imported into an empty database and dumped again gives the same bytes; an
import into a database that holds anything, or of a dump from another schema, is
refused with nothing written.
"""

from __future__ import annotations

import io
import json
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from secretariat.accounts import services as accounts
from secretariat.audit.models import AuditEntry
from secretariat.audit.services import record_restore
from secretariat.checklists.models import NextStep
from secretariat.core.acting import acting_as
from secretariat.datasets.loader import Loader
from secretariat.documents import services as documents
from secretariat.documents.models import Document, DocumentText
from secretariat.exchange import dump
from secretariat.exchange.dump_import import import_dump
from secretariat.exchange.safe import ImportRefused
from secretariat.records.services import record_delete, validated_save
from secretariat.registry import services as registry
from secretariat.registry.models import Actor
from secretariat.search.models import SearchEntry
from tests.helpers import PASSWORD

from ..conftest import CICA, FIXTURES

RAW = "restoring a dump writes rows as they were, not through the services"


def dumped(**options) -> bytes:
    stream = io.BytesIO()
    dump.export(stream, **options)
    return stream.getvalue()


def row_counts() -> dict[str, int]:
    """Rows in every table the dump covers, and users: to show nothing was written."""
    counts = {m._meta.label_lower: m._base_manager.count() for m in dump.models_in_dump()}
    counts["users"] = get_user_model().objects.count()
    return counts


def minimal_dump_bytes(tmp_path_factory) -> bytes:
    """A dump of tests/fixtures/minimal (with its two text files), the database emptied
    after: for tests that import into an empty database."""
    media = tmp_path_factory.mktemp("dumped-media")
    with override_settings(MEDIA_ROOT=media):
        Loader(FIXTURES / "minimal").load()
        data = dumped()
        call_command("flush", "--no-input", verbosity=0)
    return data


@pytest.fixture(scope="module")
def minimal_dump(django_db_setup, django_db_blocker, tmp_path_factory) -> bytes:
    with django_db_blocker.unblock():
        return minimal_dump_bytes(tmp_path_factory)


def rows_of(data: dict, label: str) -> list[dict]:
    return next(t["rows"] for t in data["tables"] if t["model"] == label)


# --- the round trip --------------------------------------------------------------------


@pytest.mark.raw_writes(RAW)
@pytest.mark.django_db(transaction=True)
def test_dump_flush_import_dump_gives_the_same_bytes(media_root):
    """CICA with audited edits (an update by an officer, a soft delete, an uploaded text)
    and its official texts' links: dump, flush, import, dump again: byte-identical. The
    files come back from the dump, the search index is rebuilt, the deleted record can
    still be restored from the trail, and new records get fresh keys."""
    Loader(CICA).load()
    officer = accounts.account_create(username="olga", password=PASSWORD, role="officer").user
    with acting_as(officer, via="admin", reason="checking the round trip"):
        kazakhstan = Actor.objects.get(slug="kazakhstan")
        kazakhstan.short_name_en = "Kazakhstan (RK)"
        validated_save(kazakhstan)
        step = NextStep.objects.order_by("pk").first()
        step_pk, step_subject = (
            step.pk,
            (step.subject_type.app_label, step.subject_type.model, step.subject_id),
        )
        record_delete(step)
        document = Document.objects.order_by("pk").first()
        version = documents.version_create(document=document, date="2024-01-01")
        upload = SimpleUploadedFile("text.txt", b"The text of the paper, on Astana.\n")
        text = documents.text_upload(version=version, language="en", uploaded_file=upload)
    first = dumped()
    tables = {t["model"]: t["rows"] for t in json.loads(first)["tables"]}
    # Official texts published elsewhere, and findings that none was, travel too.
    assert tables["documents.officialtext"] and tables["documents.textsearch"]
    assert all(row["places"] for row in tables["documents.textsearch"])
    indexed = SearchEntry.objects.count()
    assert indexed > 0

    call_command("flush", "--no-input", verbosity=0)
    shutil.rmtree(media_root)  # a new machine: the files must come from the dump
    # Content type ids differ between databases: the dump names kinds, not ids.
    old_type = ContentType.objects.get_for_model(NextStep).pk
    ContentType.objects.filter(app_label="checklists").delete()
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(NextStep).pk != old_type
    assert row_counts()["registry.actor"] == 0

    summary = import_dump(json.loads(first))

    assert summary["files restored"] == 1
    assert dumped() == first
    restored_text = DocumentText.objects.get(pk=text.pk)
    assert restored_text.file.read() == b"The text of the paper, on Astana.\n"
    assert SearchEntry.objects.count() == indexed
    olga = get_user_model().objects.get(username="olga")
    assert olga.account.role == "officer"
    assert not olga.has_usable_password()  # no password hash travels in a dump
    assert AuditEntry.objects.filter(user=olga, action="update").exists()
    deletion = AuditEntry.objects.get(action="delete", object_id=step_pk)
    (back,) = record_restore(deletion)
    subject = (back.subject_type.app_label, back.subject_type.model, back.subject_id)
    assert subject == step_subject
    newcomer, _ = registry.actor_upsert(
        slug="newcomer", kind="state", name_en="Newcomer", iso2="NQ", iso3="NQQ",
        sources=[kazakhstan.citations.first().source],
    )  # fmt: skip
    assert newcomer.pk > Actor.objects.exclude(pk=newcomer.pk).latest("pk").pk


# --- what a dump holds -----------------------------------------------------------------


@pytest.mark.django_db
def test_two_dumps_of_the_same_database_are_identical(minimal):
    """Rows by key, keys sorted, no timestamp of its own: the same record, the same bytes."""
    assert dumped() == dumped()


@pytest.mark.django_db
def test_the_header_says_what_the_dump_is(minimal):
    """Format, version, the schema's migrations and the rows of every table, up front."""
    data = json.loads(dumped())
    header = data["header"]
    assert (header["format"], header["version"]) == ("secretariat-dump", 1)
    assert header["migrations"]["registry"][0] == "0001_initial"
    assert header["counts"]["registry.actor"] == 5
    assert header["counts"] == {t["model"]: len(t["rows"]) for t in data["tables"]}
    assert any("No password hashes and no API tokens" in note for note in header["notes"])
    labels = [t["model"] for t in data["tables"]]
    # Every table comes after the tables it points at.
    assert labels.index("registry.actor") < labels.index("registry.status")
    assert labels.index("documents.documentversion") < labels.index("documents.documenttext")
    assert labels[0] == "auth.user" and labels[-1] == "audit.auditentry"


@pytest.mark.django_db
def test_every_table_of_ours_is_dumped_or_left_out_on_purpose():
    """A new model is in the dump unless it is named as left out (secrets, the index, the
    read models, which an import rebuilds)."""
    from django.apps import apps

    ours = {
        m._meta.label_lower
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_config.name.startswith("secretariat.") and not m._meta.proxy
    }
    dumped_labels = {m._meta.label_lower for m in dump.models_in_dump()}
    left_out = ours - dumped_labels
    read_models = {"bodies.meetingdates", "documents.documentdates"}
    bookkeeping = {m for m in ours if m.split(".")[0] in {"jobs", "notices"}}
    index = {"search.searchentry", "search.pendingindex"}  # rebuilt on import
    assert left_out == dump.EXCLUDED_MODELS | index | read_models | bookkeeping


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "public", "officer"])
def test_only_the_system_or_an_administrator_may_make_a_dump(minimal, role):
    """The dump holds confidential papers, the trail and the accounts: should a route ever
    offer it, no one but an administrator gets a byte of it."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    if role == "anonymous":
        user = AnonymousUser()
    else:
        user = accounts.account_create(username=role, password=PASSWORD, role=role).user
    stream = io.BytesIO()
    with pytest.raises(PermissionDenied, match="administrators only"):
        dump.export(stream, user=user)
    assert stream.getvalue() == b""
    admin = accounts.account_create(username="root", password=PASSWORD, role="administrator")
    dump.export(stream, user=admin.user)
    assert json.loads(stream.getvalue())["header"]["counts"]["registry.actor"] == 5


@pytest.mark.django_db
def test_no_password_hash_or_token_leaves_in_a_dump(minimal):
    """An account with a password and an API token: the dump names the user and role, and
    holds neither the hash, nor the token, nor its digest (not even in the trail)."""
    user = accounts.account_create(username="ana", password=PASSWORD, role="officer").user
    token, secret = accounts.token_create(user=user, name="script")
    text = dumped().decode()
    assert "ana" in text
    assert user.password not in text and "pbkdf2" not in text
    assert secret not in text and token.digest not in text
    data = json.loads(text)
    (row,) = rows_of(data, "auth.user")
    assert row == {
        "username": "ana", "email": "", "first_name": "", "last_name": "",
        "is_active": True, "is_staff": True, "is_superuser": False,
    }  # fmt: skip
    assert [r["role"] for r in rows_of(data, "accounts.account")] == ["officer"]
    assert "accounts.apitoken" not in data["header"]["counts"]


@pytest.mark.django_db
def test_files_carry_their_checksum_and_content_unless_left_out(minimal):
    """Each document text: its name, SHA-256 and size; its content in base64 by default."""
    texts = rows_of(json.loads(dumped()), "documents.documenttext")
    stored = {t.file.name: t.sha256 for t in DocumentText.objects.all()}
    assert {t["file"]["name"]: t["file"]["sha256"] for t in texts} == stored
    assert all(t["file"]["content"] for t in texts)
    without = json.loads(dumped(with_files=False))
    assert all("content" not in t["file"] for t in rows_of(without, "documents.documenttext"))
    assert without["header"]["files"].startswith("checksums only")


@pytest.mark.django_db
def test_dumping_takes_a_few_queries_per_table_whatever_the_rows(
    minimal, django_assert_max_num_queries
):
    """Rows are streamed: the queries grow with the tables, not with the rows."""
    tables = len(dump.models_in_dump())
    with django_assert_max_num_queries(2 * tables + 12):
        dumped()


# --- importing -------------------------------------------------------------------------


@pytest.mark.raw_writes(RAW)
@pytest.mark.django_db
def test_a_database_that_holds_records_is_refused_saying_what(minimal_dump, minimal):
    """Importing over records would mix two histories: refused, naming what is there."""
    before = row_counts()
    with pytest.raises(ImportRefused) as refused:
        import_dump(json.loads(minimal_dump))
    assert refused.value.where == "database"
    assert "3 sources (core.source)" in refused.value.why
    assert row_counts() == before


@pytest.mark.raw_writes(RAW)
@pytest.mark.django_db
def test_a_dry_run_checks_everything_and_keeps_nothing(minimal_dump, media_root):
    """--dry-run: the whole import is tried, counted, then undone; no file is written."""
    before = row_counts()
    summary = import_dump(json.loads(minimal_dump), dry_run=True)
    assert summary["registry.actor"] == 5
    assert row_counts() == before
    assert not media_root.exists() or not any(media_root.rglob("*.txt"))


@pytest.mark.raw_writes(RAW)
@pytest.mark.django_db
def test_an_import_restores_rows_keys_times_and_files(minimal_dump, media_root, committing):
    """Same keys, same creation times and versions, the trail as it was, files back (put
    in place as the import commits)."""
    data = json.loads(minimal_dump)
    with committing():
        summary = import_dump(data)
    assert summary["registry.actor"] == 5
    assert summary["files restored"] == 2
    actor = rows_of(data, "registry.actor")[0]
    here = Actor.objects.get(pk=actor["id"])
    assert (here.slug, here.created_at.isoformat(), here.version) == (
        actor["slug"], actor["created_at"], actor["version"]
    )  # fmt: skip
    assert AuditEntry.objects.count() == len(rows_of(data, "audit.auditentry"))
    for text in DocumentText.objects.all():
        assert text.file.read().decode().startswith(("Charter", "Устав"))


@pytest.mark.raw_writes(RAW)
@pytest.mark.django_db
def test_a_dump_without_files_restores_rows_and_counts_the_files_missing(minimal_dump, media_root):
    """Without content, files already in the media folder are checked; the others are
    reported as not restored."""
    data = json.loads(minimal_dump)
    texts = rows_of(data, "documents.documenttext")
    for row in texts:
        del row["file"]["content"]
    summary = import_dump(data)
    assert (summary["files restored"], summary["files not in the dump"]) == (0, 2)


@pytest.mark.raw_writes(RAW)
@pytest.mark.django_db
def test_a_user_already_here_is_matched_by_name_and_keeps_a_password(minimal_dump):
    """The administrator made by `make run` is not the record: a restore names its users
    and an existing account of that name is reused, with its password."""
    data = json.loads(minimal_dump)
    data["tables"][0]["rows"] = [
        {
            "username": "admin", "email": "a@example.org", "first_name": "", "last_name": "",
            "is_active": True, "is_staff": True, "is_superuser": True,
        }
    ]  # fmt: skip
    data["header"]["counts"]["auth.user"] = 1
    for entry in rows_of(data, "audit.auditentry")[:3]:
        entry["user"] = "admin"
    get_user_model().objects.create_user("admin", password=PASSWORD)
    import_dump(data)
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(PASSWORD) and admin.is_superuser
    assert AuditEntry.objects.filter(user=admin).count() == 3
