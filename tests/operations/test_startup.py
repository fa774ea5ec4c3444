"""Importing the settings writes nothing; a process of the site, as it starts, makes what
it needs on disk (a fresh clone's `make run`): var/, the stored secret key, which every
later process then shares."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent
KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def run(var: Path, *argv: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    env.update(SECRETARIAT_VAR_DIR=str(var), TASKS_URL="")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def test_importing_the_settings_writes_nothing(tmp_path):
    var = tmp_path / "var"
    run(var, "-c", "import secretariat.settings as s; assert s.SECRET_KEY")
    assert not var.exists()


def test_the_first_start_stores_the_key_every_later_process_uses(tmp_path):
    var = tmp_path / "var"
    first = run(var, "-m", "secretariat", "shell", "-c", KEY)
    stored = var / "secret_key"
    assert stored.read_text() == first
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert (var / "static").is_dir()
    assert run(var, "-m", "secretariat", "shell", "-c", KEY) == first
