"""The project's commands and settings, as a new user meets them."""

import json
import os
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

ROOT = Path(__file__).parent.parent


def test_ensure_admin_creates_once_and_keeps_password_private(db, tmp_path, settings):
    """The first run creates 'admin', prints its password once, keeps it in a 0600 file."""
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    password = out.getvalue().split("password: ")[1].split()[0]
    kept = tmp_path / "admin-password"
    assert kept.read_text().split() == ["admin", password]
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    from django.contrib.auth import authenticate

    assert authenticate(username="admin", password=password) is not None
    again = StringIO()
    call_command("ensure_admin", stdout=again)
    assert "exists already" in again.getvalue()
    assert password not in again.getvalue()


def test_overview_command_text_and_json(minimal):
    """`secretariat overview --at` prints the chair and counts; --json prints the API's data."""
    out = StringIO()
    call_command("overview", "--at", "2003-01-01", stdout=out)
    text = out.getvalue()
    assert "Members: 3:" in text
    assert "Chair: Beta" in text
    out = StringIO()
    call_command("overview", "--at", "2003-01-01", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["members"]["count"] == 3
    assert data["chair"][0]["actor"]["slug"] == "beta"


def test_overview_command_refuses_a_bad_date(db):
    """A malformed --at is refused with a message, not a traceback."""
    with pytest.raises(CommandError, match="is not a date: write YYYY-MM-DD"):
        call_command("overview", "--at", "01/06/2016", stdout=StringIO())


def test_console_script_runs_dashed_commands(tmp_path):
    """`secretariat load-dataset --help` works: dashes map to the command modules."""
    env = {**os.environ, "SECRETARIAT_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "secretariat", "load-dataset", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Idempotent" in result.stdout


def test_unmigrated_database_is_refused_with_a_message(tmp_path):
    """Loading into a database that was never migrated says to migrate, with no traceback."""
    env = {**os.environ, "SECRETARIAT_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "secretariat", "load-dataset", "data/cica"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert "run `secretariat migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_secret_key_is_generated_privately(tmp_path):
    """Without SECRET_KEY a key is generated once into var/ with mode 0600, as the
    `secretariat` command first starts, and reused (tests/operations/test_startup.py)."""
    env = {**os.environ, "SECRETARIAT_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    env.pop("DATABASE_URL", None)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    run = [sys.executable, "-m", "secretariat", "shell", "-v", "0", "-c", code]
    first = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout
    second = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout
    key_file = tmp_path / "secret_key"
    assert first == second and first.strip() == key_file.read_text().strip()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_debug_is_off_unless_asked():
    """DEBUG is off by default: errors never show tracebacks to users."""
    if os.environ.get("DEBUG"):
        pytest.skip("DEBUG set in this environment")
    assert settings.DEBUG is False


def test_home_page_shows_the_organization_today(client, minimal):
    """The home page names the organization, its chair and its members."""
    page = client.get("/").content.decode()
    assert "Example Organization" in page
    assert "Gamma" in page
    assert "/api/v1/docs" in page
