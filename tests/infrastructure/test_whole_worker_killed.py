"""A whole worker killed in the middle of a full run (SIGKILL to its main process and its pool, as
when the machine goes away), then a new worker started: every chunk is done once, no pair is
suggested twice, the run succeeds. On both brokers, with different recoveries:

* the embedded filesystem transport forgets the message the dead worker held (it lives only in
  that worker's memory, see FILESYSTEM_LOSES_UNACKED): the new worker does what it can without
  that chunk and the run stops short of done. The reconciler's nudge of a stalled run (every
  5 minutes, for a run that has not moved for RUN_NUDGE_AFTER, 10 minutes) queues the run's start
  again, which queues the chunks not done; the test ages the run past RUN_NUDGE_AFTER instead of
  waiting ten minutes, and the nudge goes through the broker to the worker as the beat's would;
* Redis keeps the unacked message until its visibility timeout (5 s here, an hour deployed) and
  the new worker restores it when it starts polling: the run finishes with no nudge. This test
  runs a Redis server of its own (tests/infrastructure/test_broker_faults.py), so it runs
  whatever broker the suite is pointed at, and is skipped only without ``redis-server``.

The child-kill case (one pool process dies, its main process puts the chunk back at once) is
tests/suggestions/test_suggestions_worker_kill.py, whose helpers these tests share.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from matching.models import MatchRun, MatchRunChunk
from suggestions import tasks
from suggestions.services import runs
from tests.infrastructure.test_broker_faults import RedisServer
from tests.suggestions.test_suggestions_worker_kill import (
    CHUNK_SIZE,
    FILESYSTEM_LOSES_UNACKED,
    assert_every_chunk_counted_once_and_no_pair_twice,
    chunk_in_progress,
    crowd,
    start_run,
    wait_until_finished,
)
from tests.support.worker import BASE_DIR, running_worker, worker_environment

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until_still(run: MatchRun, quiet: float = 4.0, timeout: float = 90.0) -> None:
    """Until the run's progress (its status and the chunks done) has not changed for ``quiet``
    seconds: the new worker has done what it can without the lost chunk."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        run.refresh_from_db()
        now = (run.status, MatchRunChunk.objects.filter(run=run, done=True).count())
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.2)
    raise AssertionError(f"run still moving after {timeout} s ({run.done}/{run.total})")


@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("filesystem://"),
    reason="the suite's broker is not the embedded filesystem transport",
)
def test_on_the_filesystem_broker_the_reconcilers_nudge_finishes_the_run(harbor):
    """Given a full run of 6 chunks, when the whole worker is killed while a chunk runs and a new
    worker starts, then the new worker does what it can without the killed chunk (whose message
    died with the worker) and the run stops short; once the run has not moved for
    RUN_NUDGE_AFTER, the reconciler's tick queues it again and the last chunk is done once."""
    crowd(harbor)
    with running_worker() as first:
        run = start_run()
        killed = chunk_in_progress(run)
        os.killpg(first.pid, signal.SIGKILL)  # the main process and its pool, as in a crash
        killed_at = time.monotonic()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.RUNNING

    with running_worker():
        wait_until_still(run)  # ~40 polls of the queue folder: the lost message does not come back
        run.refresh_from_db()
        assert run.status == MatchRun.Status.RUNNING, FILESYSTEM_LOSES_UNACKED
        killed.refresh_from_db()
        assert not killed.done
        print(f"waiting at {run.done} of {run.total} chunks with the new worker running")

        # Ten minutes without movement, as the reconciler sees it; its tick goes through the broker.
        MatchRun.objects.filter(id=run.id).update(
            updated_at=run.updated_at - runs.RUN_NUDGE_AFTER - dt.timedelta(minutes=1)
        )
        nudge = tasks.reconcile_stale_matches_task.delay()
        run = wait_until_finished(run, timeout=90)
    recovered_in = time.monotonic() - killed_at

    print(f"finished {recovered_in:.1f} s after the kill, the nudge's wait aside")
    assert nudge.get(timeout=60)["runs"] == 1
    assert_every_chunk_counted_once_and_no_pair_twice(run, killed)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.kill()


def queue_the_run_through(env: dict[str, str], run: MatchRun) -> subprocess.Popen[bytes]:
    """Queue the run's start on the worker's broker from a process configured as the worker is
    (this test process publishes to the suite's broker). Not waited for: the run's chunks take
    about a second in all, so the test watches for one in progress while this process exits."""
    code = f"from suggestions import tasks; tasks.match_run_start_task.delay({str(run.id)!r})"
    return subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.redis
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed")
def test_on_redis_the_next_worker_restores_the_dead_workers_chunk(harbor, own_redis):
    """Given a full run of 6 chunks on a worker of a Redis broker, when the whole worker is killed
    while a chunk runs and a new worker starts after the visibility timeout, then the new worker
    restores the unacked chunk and runs it with the others: the run succeeds, no nudge needed."""
    crowd(harbor)
    env = worker_environment({"CELERY_BROKER_URL": own_redis.url, "CELERY_VISIBILITY_TIMEOUT": "5"})
    run = runs.match_run_start(requested_by=None, chunk_size=CHUNK_SIZE)
    with running_worker(env=env) as first:
        publisher = queue_the_run_through(env, run)
        killed = chunk_in_progress(run, timeout=120)
        os.killpg(first.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        assert publisher.wait(timeout=120) == 0
    run.refresh_from_db()
    assert run.status == MatchRun.Status.RUNNING

    time.sleep(6)  # past the 5 s visibility timeout of the dead worker's message
    with running_worker(env=env) as second:
        run = wait_until_finished(run, timeout=90)
    recovered_in = time.monotonic() - killed_at

    print(f"recovered {recovered_in:.1f} s after the kill")
    assert "Connected to redis://" in second.output()
    assert_every_chunk_counted_once_and_no_pair_twice(run, killed)
    assert MatchRunChunk.objects.filter(run=run, attempts__gt=2).count() == 0
    assert recovered_in < 90
