"""Workers killed in the middle of a full run, on Redis (what production runs).

Two failures, two recoveries:

* the pool child running a chunk dies (OOM killer, segfault): ``task_reject_on_worker_lost`` puts
  the message back at once and the worker's next child redoes the chunk;
* the whole worker dies (the machine goes away): its unacked message stays in Redis until the
  visibility timeout passes, and the next worker to start restores it (kombu scans the unacked
  index when it starts polling). Here the timeout is 5 s so the test takes seconds, not an hour.

Either way every chunk is counted exactly once and no pair is suggested twice.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.conf import settings
from django.db.models import Count

from matching.models import Match, MatchRun, MatchRunChunk, MatchStatus
from suggestions import tasks
from suggestions.services import runs
from tests.factories import OpportunityFactory, VolunteerProfileFactory, cause, skill
from tests.support.worker import running_worker

pytestmark = [
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis://"),
        reason="needs CELERY_BROKER_URL=redis://...",
    ),
]

VOLUNTEERS = 240
CHUNK_SIZE = 40  # 6 chunks of ~0.3-1 s each: long enough to be caught mid-chunk
SHORT_VISIBILITY = {"CELERY_VISIBILITY_TIMEOUT": "5"}


def crowd(harbor) -> None:
    for i in range(VOLUNTEERS):
        profile = VolunteerProfileFactory(
            display_name=f"Volunteer {i}",
            bio=f"I like listening, tutoring and gardening; volunteer number {i}.",
            modes=["remote", "phone"],
            availability=["mon-evening", "sat-morning"],
        )
        profile.skills.add(skill("active-listening"))
        profile.causes.add(cause("loneliness"))
    for i in range(30):
        role = OpportunityFactory(
            organization=harbor,
            title=f"Remote listener {i}",
            description="Keep an isolated neighbour company by phone or video.",
            mode="remote",
            capacity=5,
        )
        role.causes.add(cause("loneliness"))


def start_run() -> MatchRun:
    run = runs.match_run_start(requested_by=None, chunk_size=CHUNK_SIZE)
    tasks.match_run_start_task.delay(str(run.id))
    return run


def chunk_in_progress(run: MatchRun, timeout: float = 60.0) -> MatchRunChunk:
    """The first chunk a worker has started (attempts counted) but not finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        chunk = MatchRunChunk.objects.filter(run=run, attempts__gte=1, done=False).first()
        if chunk is not None:
            return chunk
        time.sleep(0.01)
    raise AssertionError("no chunk was seen in progress")


def wait_until_finished(run: MatchRun, timeout: float) -> MatchRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (MatchRun.Status.SUCCEEDED, MatchRun.Status.FAILED):
            return run
        time.sleep(0.2)
    raise AssertionError(f"run still {run.status} ({run.done}/{run.total}) after {timeout} s")


def assert_every_chunk_counted_once_and_no_pair_twice(run: MatchRun, killed: MatchRunChunk):
    assert run.status == MatchRun.Status.SUCCEEDED, run.errors
    assert (run.done, run.total) == (VOLUNTEERS // CHUNK_SIZE, VOLUNTEERS // CHUNK_SIZE)
    chunks = list(MatchRunChunk.objects.filter(run=run))
    assert all(chunk.done for chunk in chunks)
    killed.refresh_from_db()
    assert killed.attempts == 2  # the killed delivery and the one that finished it
    duplicates = (
        Match.objects.values("volunteer_id", "opportunity_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert list(duplicates) == []
    assert not Match.objects.exclude(status=MatchStatus.SUGGESTED).exists()
    assert Match.objects.count() == sum(chunk.suggestions for chunk in chunks) == VOLUNTEERS * 10


def test_a_pool_child_killed_mid_chunk_is_redone_at_once(harbor):
    crowd(harbor)
    with running_worker() as worker:
        run = start_run()
        killed = chunk_in_progress(run)
        [child] = worker.child_pids()
        os.kill(child, signal.SIGKILL)
        started = time.monotonic()
        run = wait_until_finished(run, timeout=60)
        recovered_in = time.monotonic() - started

    print(f"recovered {recovered_in:.1f} s after the kill")
    assert_every_chunk_counted_once_and_no_pair_twice(run, killed)
    assert recovered_in < 30  # no visibility timeout involved


def test_a_whole_worker_killed_mid_run_is_recovered_by_the_next_worker(harbor):
    crowd(harbor)
    with running_worker(env=SHORT_VISIBILITY) as first:
        run = start_run()
        killed = chunk_in_progress(run)
        os.killpg(first.pid, signal.SIGKILL)  # the main process and its pool, as in a crash
        killed_at = time.monotonic()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.RUNNING

    time.sleep(6)  # past the 5 s visibility timeout of the dead worker's message
    with running_worker(env=SHORT_VISIBILITY):
        run = wait_until_finished(run, timeout=60)
    recovered_in = time.monotonic() - killed_at

    print(f"recovered {recovered_in:.1f} s after the kill")
    assert_every_chunk_counted_once_and_no_pair_twice(run, killed)
    assert recovered_in < 60
