"""A full run's suggestions do not depend on how many workers share it (issue 11): two real worker
processes running a run's chunks side by side store exactly what one process running them one
after another stored."""

from __future__ import annotations

import time

import pytest

from matching.models import Match, MatchRun, MatchStatus
from suggestions import tasks
from suggestions.services import runs
from tests.factories import VolunteerProfileFactory
from tests.suggestions.test_run_pools_per_chunk import on_site_places
from tests.suggestions.test_suggestions_services import listening_role, make_listener
from tests.support.worker import running_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

#: Scarce places, so that who gets what depends on everyone else: 12 listeners who may hold three
#: each, six one-place roles taking two candidates each.
LIMITS = {"MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER": "3", "MAX_CANDIDATES_PER_PLACE": "2"}


def open_suggestions() -> list[tuple[int, int, float]]:
    return sorted(
        Match.objects.filter(status=MatchStatus.SUGGESTED).values_list(
            "volunteer_id", "opportunity_id", "score"
        )
    )


def wait_until_finished(run: MatchRun, timeout: float = 120) -> MatchRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (MatchRun.Status.SUCCEEDED, MatchRun.Status.FAILED):
            return run
        time.sleep(0.2)
    raise AssertionError(f"run still {run.status} ({run.done}/{run.total}) after {timeout} s")


def test_two_workers_store_exactly_what_one_process_stores(settings, harbor):
    settings.MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER = 3
    settings.MAX_CANDIDATES_PER_PLACE = 2
    for i in range(12):
        make_listener(VolunteerProfileFactory.create(display_name=f"Listener {i}"))
    for i in range(6):
        listening_role(harbor, title=f"Listener {i}", capacity=1)

    one = runs.match_run_start(requested_by=None, chunk_size=12)
    for chunk in one.chunks.all():
        runs.match_run_chunk_execute(chunk_id=chunk.id)
    in_one_process = open_suggestions()
    Match.objects.all().delete()  # the second run starts from the same state as the first

    with running_worker(env=LIMITS), running_worker(env=LIMITS):
        run = runs.match_run_start(requested_by=None, chunk_size=2)
        tasks.match_run_start_task.delay(str(run.id))
        run = wait_until_finished(run)

    assert run.status == MatchRun.Status.SUCCEEDED, run.errors
    assert len(in_one_process) == 6 * 2
    assert open_suggestions() == in_one_process


def test_two_workers_on_site_in_two_cells_store_what_one_process_stores(settings, harbor):
    """On-site volunteers share candidate queries by place, so the run is cut by place and each
    chunk's pools, computed by whichever worker takes it, are the one solve's: two workers running
    chunks of one (those of a cell together) store what one process storing one chunk stored."""
    settings.MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER = 2
    settings.MAX_CANDIDATES_PER_PLACE = 2
    on_site_places(harbor, volunteers=8)

    one = runs.match_run_start(requested_by=None, chunk_size=8)
    for chunk in one.chunks.all():
        runs.match_run_chunk_execute(chunk_id=chunk.id)
    in_one_process = open_suggestions()
    Match.objects.all().delete()

    env = {"MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER": "2", "MAX_CANDIDATES_PER_PLACE": "2"}
    with running_worker(env=env), running_worker(env=env):
        run = runs.match_run_start(requested_by=None, chunk_size=1)
        tasks.match_run_start_task.delay(str(run.id))
        run = wait_until_finished(run)

    assert run.status == MatchRun.Status.SUCCEEDED, run.errors
    assert run.total == 2  # one chunk a cell
    assert len(in_one_process) == 3 * 2
    assert open_suggestions() == in_one_process
