"""A fresh clone has no var/ (it is git-ignored): the settings create the folders their embedded
defaults point at, so the first ``manage.py migrate`` works without a ``mkdir`` first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

#: The variables that would swap the embedded defaults for a server (CI points them at PostgreSQL
#: and Redis); a fresh clone on a developer's machine has neither.
SERVER_VARIABLES = ("DATABASE_URL", "CELERY_BROKER_URL")
MIGRATE_TIMEOUT_S = 300


def fresh_clone_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SERVER_VARIABLES}
    env.update(
        KINDRED_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="backend.settings.local", **extra
    )
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=MIGRATE_TIMEOUT_S,
        check=False,
    )


def test_a_fresh_clone_migrates_into_a_var_dir_that_does_not_exist_yet(tmp_path):
    """Given Lee's fresh clone with no var/ and no DATABASE_URL, when Lee runs migrate, then it
    succeeds and leaves the SQLite file and the log folder under the new var/."""
    var_dir = tmp_path / "clone" / "var"

    result = manage("migrate", "--noinput", env=fresh_clone_env(var_dir))

    assert result.returncode == 0, result.stderr
    assert (var_dir / "kindred.sqlite3").is_file()
    assert (var_dir / "log").is_dir()


def test_an_sqlite_file_elsewhere_gets_its_folder_made_too(tmp_path):
    """Given DATABASE_URL names an SQLite file in a folder nobody made, when the settings load,
    then that folder exists, so the first connection can create the file."""
    db_file = tmp_path / "elsewhere" / "nested" / "kindred.sqlite3"
    env = fresh_clone_env(tmp_path / "var", DATABASE_URL=f"sqlite:///{db_file}")

    result = manage("check", env=env)

    assert result.returncode == 0, result.stderr
    assert db_file.parent.is_dir()
