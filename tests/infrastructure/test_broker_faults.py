"""Faults of the broker, on a Redis server of the test's own (never the machine's):

* Redis down while a volunteer edits her profile: the API answers as usual (the change is saved;
  the rematch that could not be queued is logged), and once Redis is back the reconciler's next
  tick queues her rematch and the worker (the same process, never restarted) matches her;
* Redis killed (SIGKILL) with work queued and restarted from its append-only file (``--appendonly
  yes --appendfsync everysec``, as docker-compose.yml runs it): every queued task is still there and
  runs once.

The deployment's processes (the API's, a worker) run in subprocesses with the development
settings, pointed at this test's database and at the Redis server; each test prints what it measured
(seconds to recovery), the figures docs/reliability.md reports.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_celery_results.models import TaskResult

from matching.models import Match
from suggestions.services import rematch
from tests.factories import OpportunityFactory, VolunteerProfileFactory, cause, skill
from tests.support.worker import BASE_DIR, database_url_for_worker, worker_process

pytestmark = [
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed"),
]

#: Ports for the test's own Redis servers; one the machine's own Redis (6379) never uses.
REDIS_PORTS = range(6390, 6400)
#: A generous limit for each wait; no figure is asserted, only that it happens at all.
WAIT = 180.0


class RedisServer:
    """``redis-server`` on a free port with its data (and append-only file) in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = self._free_port()
        self.process: subprocess.Popen[bytes] | None = None
        folder.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def _free_port() -> int:
        for port in REDIS_PORTS:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) != 0:
                    return port
        raise RuntimeError(f"no free port in {REDIS_PORTS}")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> float:
        """Start (or restart, from the same files); the seconds until it answers PING."""
        started = time.monotonic()
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--dir", str(self.folder), "--save", ""]
        command += ["--appendonly", "yes", "--appendfsync", "everysec"]
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        while time.monotonic() - started < WAIT:
            if self.cli("PING") == "PONG":
                return time.monotonic() - started
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer:\n" + self.log())

    def kill(self) -> None:
        """SIGKILL: no shutdown, no final save; what the append-only file holds is what is left."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)
            self.process = None

    def cli(self, *args: str) -> str:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        return result.stdout.strip()

    def log(self) -> str:
        return (self.folder / "redis.log").read_text(errors="replace")


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.kill()


def deployment_env(redis: RedisServer, tmp_path: Path) -> dict[str, str]:
    """A deployment's process: the development settings, this test's database, the test's Redis
    as broker and cache (database 1, as CACHE_URL's default)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_"))}
    env.pop("KINDRED_TEST_RUN_ID", None)
    env.update(
        DJANGO_SETTINGS_MODULE="backend.settings.local",
        DATABASE_URL=database_url_for_worker(),
        CELERY_BROKER_URL=redis.url,
        KINDRED_VAR_DIR=str(tmp_path / "var"),
        PYTHONUNBUFFERED="1",
    )
    return env


def in_deployment(env: dict[str, str], code: str) -> dict:
    """Run ``code`` in ``manage.py shell`` of a deployment process; the JSON it printed last."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def wait_for(predicate, what: str) -> float:
    """Seconds until ``predicate()`` holds."""
    started = time.monotonic()
    while time.monotonic() - started < WAIT:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {WAIT} s")


def ada_waiting_for_remote_work():
    """Ada has the skill a remote listening role needs but takes no remote work yet: no match."""
    role = OpportunityFactory.create(
        title="Phone befriender",
        description="Call an older neighbour who lives alone, once a week.",
        mode="remote",
        capacity=3,
    )
    role.required_skills.add(skill("active-listening"))
    role.causes.add(cause("loneliness"))
    ada = VolunteerProfileFactory.create()  # no modes yet
    ada.skills.add(skill("active-listening"))
    ada.causes.add(cause("loneliness"))
    rematch.opportunity_rematch(opportunity_id=role.id)
    rematch.volunteer_rematch(profile_id=ada.id)
    assert not Match.objects.filter(volunteer=ada, opportunity=role).exists()
    return ada, role


def matched(ada, role) -> bool:
    return Match.objects.filter(volunteer=ada, opportunity=role).exists()


def succeeded(task_ids: list[str]) -> int:
    return TaskResult.objects.filter(task_id__in=task_ids, status="SUCCESS").count()


EDIT_HER_PROFILE = """
import json, time
from rest_framework.test import APIClient
from volunteers.models import VolunteerProfile
ada = VolunteerProfile.objects.get(id={profile_id})
client = APIClient(SERVER_NAME="localhost")
client.force_authenticate(ada.user)
started = time.monotonic()
response = client.patch("/api/v1/volunteers/me/", {{"modes": ["remote"]}}, format="json")
print(json.dumps({{"status": response.status_code, "seconds": time.monotonic() - started,
                  "modes": response.json().get("modes")}}))
"""

RECONCILER_TICK = """
import json
from suggestions.tasks import reconcile_stale_matches_task
result = reconcile_stale_matches_task.delay()  # what beat sends every 5 minutes
print(json.dumps(result.get(timeout=120)))
"""


def test_a_profile_edit_while_redis_is_down_is_answered_and_matched_once_it_is_back(
    redis_server, tmp_path
):
    ada, role = ada_waiting_for_remote_work()
    env = deployment_env(redis_server, tmp_path)
    with worker_process(env=env, log_dir=tmp_path / "log") as worker:
        redis_server.kill()

        edit = in_deployment(env, EDIT_HER_PROFILE.format(profile_id=ada.id))
        assert edit["status"] == 200, edit
        assert edit["modes"] == ["remote"]
        ada.refresh_from_db()
        assert ada.modes == ["remote"]  # saved, though nothing could be queued

        redis_server.start()
        back = time.monotonic()
        tick = in_deployment(env, RECONCILER_TICK)
        assert tick["volunteers"] >= 1, tick
        wait_for(lambda: matched(ada, role), "Ada matched after Redis came back")
        recovery = time.monotonic() - back
        assert worker.is_running()  # the same worker process reconnected by itself
    print(
        f"\nreliability: edit with Redis down answered {edit['status']} in {edit['seconds']:.2f} s; "
        f"Redis back -> reconciler tick -> Ada's suggestion stored in {recovery:.1f} s"
    )


QUEUE_WORK = """
import json
from suggestions import dispatch
from suggestions.tasks import ping
ids = [ping.delay().id for _ in range({pings})]
dispatch.enqueue("volunteer_rematch_task", {profile_id})
print(json.dumps({{"ids": ids}}))
"""


def test_redis_killed_with_work_queued_restarts_from_its_append_only_file_and_loses_nothing(
    redis_server, tmp_path
):
    """Given 200 tasks and Ada's rematch queued and no worker running, when Redis is killed with
    SIGKILL a few seconds later and started again from its files, then the queue is whole, and a
    worker runs every task exactly once and matches Ada."""
    ada, role = ada_waiting_for_remote_work()
    ada.modes = ["remote"]
    ada.save()  # her edit, whose rematch is queued below
    env = deployment_env(redis_server, tmp_path)
    queued = in_deployment(env, QUEUE_WORK.format(pings=200, profile_id=ada.id))
    waiting = {
        queue: int(redis_server.cli("LLEN", queue) or 0)
        for queue in ("celery", "rematch", "runs", "notifications")
    }
    assert waiting["celery"] == 200, waiting
    assert waiting["rematch"] >= 1, waiting
    time.sleep(2.0)  # appendfsync everysec: what is older than a second is on disk

    redis_server.kill()
    restart = redis_server.start()
    assert {
        queue: int(redis_server.cli("LLEN", queue) or 0) for queue in waiting
    } == waiting  # nothing lost with the process

    back = time.monotonic()
    with worker_process(env=env, log_dir=tmp_path / "log"):
        wait_for(lambda: succeeded(queued["ids"]) == len(queued["ids"]), "every queued ping run")
        wait_for(lambda: matched(ada, role), "Ada matched")
        drained = time.monotonic() - back
    assert TaskResult.objects.filter(task_id__in=queued["ids"]).count() == 200  # each once
    assert int(redis_server.cli("LLEN", "celery") or 0) == 0
    print(
        f"\nreliability: Redis SIGKILLed with {sum(waiting.values())} tasks queued; restarted from "
        f"its AOF in {restart:.2f} s with all of them; a fresh worker ran them all in {drained:.1f} s"
    )
