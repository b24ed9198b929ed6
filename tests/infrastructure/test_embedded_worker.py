"""The embedded default, end to end: SQLite + Celery's filesystem transport + a real worker.

Everything runs in subprocesses against a database file and broker folder of this test's own
(KINDRED_VAR_DIR=tmp_path), with DATABASE_URL and CELERY_BROKER_URL removed from the environment, so
the path a developer gets from `make run` is proven even when CI points the suite at PostgreSQL and
Redis.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.worker import BASE_DIR, TASK_RESULT_TIMEOUT, worker_process

pytestmark = pytest.mark.worker

PUBLISHER = f"""
import json
from django_celery_results.models import TaskResult
from suggestions.tasks import ping

result = ping.delay()
value = result.get(timeout={TASK_RESULT_TIMEOUT})
row = TaskResult.objects.get(task_id=result.id)
print(json.dumps({{"id": result.id, "value": value, "status": row.status, "worker": row.worker}}))
"""


@pytest.fixture
def embedded_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_"))}
    env.pop("KINDRED_TEST_RUN_ID", None)
    env.update(
        DJANGO_SETTINGS_MODULE="backend.settings.local",
        KINDRED_VAR_DIR=str(tmp_path),
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_a_task_queued_on_the_embedded_default_is_run_by_a_real_worker_and_recorded(
    embedded_env, tmp_path
):
    migrated = manage(embedded_env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    database = tmp_path / "kindred.sqlite3"
    assert database.exists()

    with worker_process(env=embedded_env, log_dir=tmp_path / "log") as worker:
        assert "filesystem://" in worker.output()
        # The shell's own start (Django, the apps) on top of the wait for the result.
        published = manage(
            embedded_env, "shell", "-c", PUBLISHER, timeout=TASK_RESULT_TIMEOUT + 120
        )
        assert published.returncode == 0, published.stderr + worker.output()[-3000:]

    answer = json.loads(published.stdout.strip().splitlines()[-1])
    assert answer["value"] == "pong"
    assert answer["status"] == "SUCCESS"
    assert answer["worker"] == worker.hostname
    # The worker wrote the result row into the SQLite file; this process reads it independently.
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT status, task_name, result, worker FROM django_celery_results_taskresult "
            "WHERE task_id = ?",
            (answer["id"],),
        ).fetchall()
    assert rows == [("SUCCESS", "matching.ping", '"pong"', worker.hostname)]
    # The message went through the folder under this test's var dir, not a shared one.
    assert (tmp_path / "broker" / "queue").is_dir()
    assert f"Task matching.ping[{answer['id']}] succeeded" in worker.output()
