"""`secretariat export` and `secretariat import`: thin commands over the formats and the
importers, with progress on stderr, clear refusals, and --dry-run."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from secretariat.accounts import services as accounts
from secretariat.exchange import dump, importers, popolo_import
from secretariat.exchange.formats import FORMATS
from secretariat.exchange.safe import ImportRefused
from secretariat.registry.models import Actor
from tests.helpers import PASSWORD

from ..conftest import FIXTURES
from .test_dump import RAW, minimal_dump_bytes, row_counts

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
STANDARDS = ROOT / "tests" / "standards"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def minimal_dump(django_db_setup, django_db_blocker, tmp_path_factory) -> bytes:
    with django_db_blocker.unblock():
        return minimal_dump_bytes(tmp_path_factory)


# --- export ----------------------------------------------------------------------------


def _is_json(data: bytes) -> bool:
    return isinstance(json.loads(data), dict)


LOOKS_RIGHT = {
    "popolo": _is_json,
    "json": _is_json,
    "akn": zipfile.is_zipfile,
    "csv": zipfile.is_zipfile,
    "xlsx": zipfile.is_zipfile,
    "ics": lambda data: data.startswith(b"BEGIN:VCALENDAR"),
}


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_exports_to_a_file(minimal, tmp_path, name):
    """Each format of the registry is written whole to -o PATH, nothing left beside it."""
    folder = tmp_path / "exports"  # tmp_path also holds the media folder
    folder.mkdir()
    path = folder / f"out.{FORMATS[name].extension}"
    out, _ = run("export", "--format", name, "--at", "2005-01-01", "-o", str(path))
    data = path.read_bytes()
    check = LOOKS_RIGHT[name]
    assert check(io.BytesIO(data) if check is zipfile.is_zipfile else data)
    assert f"to {path}" in out
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temporary file left


def test_as_exports_what_that_account_may_read(minimal, tmp_path):
    """By default the public's view; --as an officer adds the confidential paper."""
    accounts.account_create(username="olga", password=PASSWORD, role="officer")
    public, officer = tmp_path / "public.zip", tmp_path / "officer.zip"
    run("export", "--format", "akn", "-o", str(public))
    run("export", "--format", "akn", "--as", "olga", "-o", str(officer))
    public_names = zipfile.ZipFile(public).namelist()
    officer_names = zipfile.ZipFile(officer).namelist()
    assert not any(n.startswith("secret-note/") for n in public_names)
    assert "secret-note/en.xml" in officer_names


def test_the_json_dump_ignores_as_and_at_and_says_so(minimal, tmp_path):
    """The dump is the complete backup: the same bytes whoever asks, progress on stderr."""
    accounts.account_create(username="ana", password=PASSWORD, role="public")
    path = tmp_path / "dump.json"
    _, err = run("export", "--format", "json", "--as", "ana", "--at", "1999-01-01", "-o", str(path))
    assert "ignores --as and --at" in err
    assert "json" in err and "/" in err  # the progress lines
    stream = io.BytesIO()
    dump.export(stream)
    assert path.read_bytes() == stream.getvalue()


def test_the_json_dump_without_files_keeps_names_and_checksums(minimal, tmp_path):
    path = tmp_path / "dump.json"
    run("export", "--format", "json", "--without-files", "-o", str(path))
    texts = next(t for t in json.loads(path.read_bytes())["tables"]
                 if t["model"] == "documents.documenttext")["rows"]  # fmt: skip
    assert texts and all(set(t["file"]) == {"name", "sha256", "size"} for t in texts)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "csv", "--at", "2024-13-01"], "“2024-13-01” is not a day of the calendar"),
        (["--format", "csv", "--as", "nobody"], "--as: there is no account 'nobody'"),
        (["--format", "csv", "--without-files"], "--without-files is for --format json only"),
        (["--format", "pdf"], "invalid choice: 'pdf'"),
    ],
)
def test_export_refuses_bad_options_clearly(minimal, tmp_path, args, message):
    path = tmp_path / "out"
    with pytest.raises(CommandError, match=message):
        run("export", *args, "-o", str(path))
    assert not path.exists()


def test_export_refuses_a_path_it_cannot_write(minimal, tmp_path):
    with pytest.raises(CommandError, match="there is no folder"):
        run("export", "--format", "json", "-o", str(tmp_path / "missing" / "dump.json"))
    with pytest.raises(CommandError, match="a folder; name the file"):
        run("export", "--format", "json", "-o", str(tmp_path))


def test_an_export_that_fails_leaves_no_file(minimal, tmp_path, monkeypatch):
    """Written beside the target and renamed when whole: a failure leaves nothing."""

    def broken(stream, **kwargs):
        stream.write(b'{"header":')
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(dump, "export", broken)
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(RuntimeError):
        run("export", "--format", "json", "-o", str(folder / "dump.json"))
    assert list(folder.iterdir()) == []


# --- import ----------------------------------------------------------------------------


def test_import_loads_a_dataset_folder_and_dry_run_keeps_nothing(tmp_path):
    """A folder is a dataset: loaded through the loader; --dry-run counts and undoes."""
    before = row_counts()
    out, _ = run("import", str(FIXTURES / "minimal"), "--dry-run")
    assert "Dry run (nothing saved)" in out and "actors" in out
    assert row_counts() == before
    out, _ = run("import", str(FIXTURES / "minimal"))
    assert "Imported dataset folder" in out
    assert Actor.objects.count() == 5


def test_import_of_a_dataset_file_loads_its_folder_and_says_so():
    _, err = run("import", str(FIXTURES / "minimal" / "actors.yaml"))
    assert "actors.yaml is part of a dataset: loading its folder" in err
    assert Actor.objects.count() == 5


def test_a_yaml_file_outside_a_dataset_is_refused(tmp_path):
    path = tmp_path / "notes.yaml"
    path.write_text("- a: 1\n")
    with pytest.raises(CommandError, match="a dataset is a folder of YAML files"):
        run("import", str(path))


@pytest.mark.raw_writes(RAW)
def test_import_restores_a_dump_into_an_empty_database(minimal_dump, tmp_path):
    path = tmp_path / "backup.json"
    path.write_bytes(minimal_dump)
    out, _ = run("import", str(path), "--dry-run")
    assert "Dry run (nothing saved): checked Secretariat JSON dump" in out
    assert Actor.objects.count() == 0
    out, err = run("import", str(path))
    assert "Imported Secretariat JSON dump" in out
    assert "registry.actor" in out and "files restored" in out
    assert "Secretariat JSON dump" in err  # progress
    assert Actor.objects.count() == 5


def test_popolo_is_recognised_from_its_content():
    """The specification's own example is Popolo: it goes to the Popolo importer."""
    found = importers.detect(STANDARDS / "popolo" / "examples" / "organization.json")
    assert found.kind == "popolo"


def test_import_hands_popolo_to_its_importer_and_places_its_errors(tmp_path, monkeypatch):
    """The command passes name and --dry-run through, and a refusal's JSON pointer is
    given in the file."""
    calls = []

    def import_data(data, *, name, dry_run, progress):
        data = json.loads(data.read_text())  # the file, which the importer reads as a stream
        calls.append((data, name, dry_run))
        progress(1, 1)
        if data.get("refuse"):
            raise ImportRefused("/memberships/0/organization_id", "no such organization")
        return "3 created"

    monkeypatch.setattr(popolo_import, "import_data", import_data)
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"memberships": []}))
    out, _ = run("import", str(path), "--dry-run")
    assert calls == [({"memberships": []}, str(path), True)]
    assert "3 created" in out and "checked Popolo JSON" in out
    path.write_text(json.dumps({"memberships": [], "refuse": True}))
    with pytest.raises(CommandError) as refused:
        run("import", str(path))
    assert str(refused.value) == (
        f"Refused, nothing was imported: {path}#/memberships/0/organization_id: "
        "no such organization"
    )


# --- as a program: exit code and no traceback ------------------------------------------


def test_the_command_exits_non_zero_without_a_traceback(tmp_path):
    """Run as a program: exit code 1 and one line saying what and where. The file is
    judged before the database is even opened."""
    path = tmp_path / "bomb.xml"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]><x>&a;</x>')
    database = tmp_path / "var" / "none.sqlite3"
    env = {
        **os.environ,
        "SECRETARIAT_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "test-only",
    }
    done = subprocess.run(
        [sys.executable, "-m", "secretariat", "import", str(path)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"CommandError: Refused, nothing was imported: {path}: XML: not an import format "
        "(Akoma Ntoso is exported only); the file was not parsed, and its entity "
        "declarations were not expanded"
    )
    assert not database.exists()
