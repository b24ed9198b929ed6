"""Workers killed in the middle of a full run.

Two failures, two recoveries:

* the pool child running a chunk dies (OOM killer, segfault): ``task_reject_on_worker_lost`` makes
  the worker's main process put the message back at once and its next child redoes the chunk. The
  main process holds the unacked message, so this works on Redis and on the embedded filesystem
  transport alike, and runs on both;
* the whole worker dies (the machine goes away): on Redis its unacked message stays in the server
  until the visibility timeout passes, and the next worker to start restores it (kombu scans the
  unacked index when it starts polling). Here the timeout is 5 s so the test takes seconds, not an
  hour. The filesystem transport cannot do this (see FILESYSTEM_LOSES_UNACKED).

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

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

#: Why the whole-worker test needs Redis. Seen with kombu 5.7's filesystem transport, this module's
#: crowd of 6 chunks: while chunk 0 ran, the queue folder held 5 message files (chunks 1-5, not 0);
#: after the worker's process group was killed with SIGKILL it still held those 5; a second worker
#: started 6 s later ran them, and chunk 0 never again (1 attempt, not done): the run stayed
#: "running" at 5 of 6 for the 45 s watched.
FILESYSTEM_LOSES_UNACKED = (
    "the filesystem transport takes a message out of the queue folder when it delivers it (moved "
    "to the temp folder and deleted at once), so an unacked message lives only in the memory of "
    "the worker that took it; a worker killed with SIGKILL takes it along and no later worker can "
    "restore it (no visibility timeout, no unacked index). On the embedded default the "
    "reconciler's nudge of a stalled run (RUN_NUDGE_AFTER) requeues its chunks instead. "
    "Needs CELERY_BROKER_URL=redis://..."
)

VOLUNTEERS = 240
CHUNK_SIZE = 40  # 6 chunks of ~0.3-1 s each: long enough to be caught mid-chunk
SHORT_VISIBILITY = {"CELERY_VISIBILITY_TIMEOUT": "5"}


def crowd(harbor) -> None:
    for i in range(VOLUNTEERS):
        profile = VolunteerProfileFactory.create(
            display_name=f"Volunteer {i}",
            bio=f"I like listening, tutoring and gardening; volunteer number {i}.",
            modes=["remote", "phone"],
            availability=["mon-evening", "sat-morning"],
        )
        profile.skills.add(skill("active-listening"))
        profile.causes.add(cause("loneliness"))
    for i in range(30):
        role = OpportunityFactory.create(
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
    assert Match.objects.count() == sum(chunk.suggestions for chunk in chunks)
    # 30 roles x 5 places x 10 candidates a place: not everyone can have ten; everyone has some.
    per_volunteer = Match.objects.values("volunteer_id").annotate(n=Count("id"))
    assert len(per_volunteer) == VOLUNTEERS
    assert all(1 <= row["n"] <= 15 for row in per_volunteer)


def test_a_pool_child_killed_mid_chunk_is_redone_at_once(harbor):
    """Given a full run of 6 chunks on one worker, when the pool child running a chunk is killed
    with SIGKILL, then the worker's main process puts that chunk's message back, its next child
    redoes it, and every chunk counts once: on Redis and on the embedded filesystem broker."""
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


@pytest.mark.redis
@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis://"), reason=FILESYSTEM_LOSES_UNACKED
)
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
