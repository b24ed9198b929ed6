"""A full run's chunks compute their own volunteers' pools first, and the chunk that completes the
set solves the run's assignment (issue 11, suggestions/services/run_plan.py): on a worker a chunk
whose run lacks pools queues itself again instead of waiting, a continuation is not another
attempt, waiting ends clearly, runs are cut by place, and the pools and slices are deleted once
used."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from backend.errors import ApplicationError
from matching.models import Match, MatchRun, MatchStatus
from suggestions import tasks
from suggestions.models import RunPlanSlice, RunPoolPart
from suggestions.services import runs
from tests.factories import OpportunityFactory, VolunteerProfileFactory, cause, skill
from tests.suggestions.test_suggestions_services import make_listener
from tests.suggestions.test_suggestions_tasks import listening_roles, remote_listeners
from tests.support.broker import queued_tasks_by_queue, run_queue_names

pytestmark = pytest.mark.django_db

#: Two neighbours in one travel cell, a third across the river.
HERE, THERE = (40.7300, -73.9900), (40.6500, -73.9500)


def open_suggestions() -> list[tuple[int, int, float]]:
    return sorted(
        Match.objects.filter(status=MatchStatus.SUGGESTED).values_list(
            "volunteer_id", "opportunity_id", "score"
        )
    )


def test_a_chunk_on_a_worker_stores_its_pools_and_comes_back_for_the_assignment(harbor):
    remote_listeners(2)
    listening_roles(harbor, 2)
    run = runs.match_run_start(requested_by=None, chunk_size=1)
    first, second = run.chunks.order_by("index")

    with pytest.raises(runs.ChunkWaiting) as waiting:
        runs.match_run_chunk_execute(chunk_id=first.id, wait=True)
    assert (waiting.value.stored, waiting.value.total) == (1, 2)
    assert list(RunPoolPart.objects.values_list("chunk_id", flat=True)) == [first.id]
    assert not RunPlanSlice.objects.exists()
    with pytest.raises(runs.ChunkWaiting) as again:  # a continuation, still waiting
        runs.match_run_chunk_execute(
            chunk_id=first.id, wait=True, waiting_since=waiting.value.since
        )
    assert again.value.since == waiting.value.since

    # The second chunk's pools complete the run: it solves, deletes the pools, stores its own.
    assert runs.match_run_chunk_execute(chunk_id=second.id, wait=True) is not None
    assert not RunPoolPart.objects.exists()
    assert list(RunPlanSlice.objects.values_list("chunk_id", flat=True)) == [first.id]
    stored = runs.match_run_chunk_execute(
        chunk_id=first.id, wait=True, waiting_since=waiting.value.since
    )

    assert stored is not None
    assert stored.stored > 0
    run.refresh_from_db()
    assert run.status == MatchRun.Status.SUCCEEDED
    assert not RunPlanSlice.objects.exists()
    first.refresh_from_db()
    assert first.attempts == 1  # its continuations were not new attempts


def test_a_chunk_task_on_a_worker_queues_itself_again_while_pools_are_missing(harbor):
    remote_listeners(2)
    listening_roles(harbor, 1)
    run = runs.match_run_start(requested_by=None, chunk_size=1)
    first = run.chunks.get(index=0)

    answer = tasks.match_run_chunk_task.run(first.id)  # as a worker runs it (not eagerly)

    assert answer == {"skipped": False, "waiting": True, "pools": 1, "of": 2}
    assert [(task, args) for task, args, _ in queued_tasks_by_queue()] == [
        ("matching.match_run_chunk", [first.id])
    ]


def _queued_chunk_messages() -> list[dict]:
    """The queued chunk messages' headers and kwargs (taken off the queue)."""
    from backend.celery import app, ensure_filesystem_broker_folders

    found = []
    ensure_filesystem_broker_folders()
    with app.connection_for_read() as connection:
        channel = connection.default_channel
        for queue in run_queue_names():
            while (message := channel.basic_get(queue, no_ack=True)) is not None:
                _args, kwargs, _embed = message.decode()
                found.append({"eta": message.headers.get("eta"), **kwargs})
    return found


def test_a_waiting_chunk_queues_itself_without_an_eta_and_pauses_only_without_progress(
    harbor, monkeypatch
):
    """A message with an ETA is held by the worker it is delivered to, so a countdown would keep
    every waiting chunk in one worker while another, idle, could store them (measured at 100k x
    20k: one of two workers stored every chunk)."""
    remote_listeners(2)
    listening_roles(harbor, 1)
    run = runs.match_run_start(requested_by=None, chunk_size=1)
    first = run.chunks.get(index=0)
    pauses: list[float] = []
    monkeypatch.setattr(tasks.time, "sleep", pauses.append)

    tasks.match_run_chunk_task.run(first.id)
    (message,) = _queued_chunk_messages()
    tasks.match_run_chunk_task.run(first.id, message["waiting_since"], message["seen"])
    (again,) = _queued_chunk_messages()

    assert message["eta"] is None
    assert again["eta"] is None
    assert (message["seen"], again["seen"]) == (1, 1)
    assert pauses == [runs.RUN_POOLS_IDLE_SECONDS]  # the second look found no new pools


def test_a_chunk_task_run_eagerly_computes_the_missing_pools_itself(harbor):
    remote_listeners(3)
    listening_roles(harbor, 2)
    run = runs.match_run_start(requested_by=None, chunk_size=1)

    answer = tasks.match_run_chunk_task.apply(args=[run.chunks.get(index=2).id]).get()

    assert answer["skipped"] is False
    assert answer["stored"] > 0
    assert RunPlanSlice.objects.count() == 2  # the two other chunks' slices wait for them


def test_a_chunk_that_waited_too_long_fails_clearly(harbor):
    remote_listeners(2)
    listening_roles(harbor, 1)
    run = runs.match_run_start(requested_by=None, chunk_size=1)
    first = run.chunks.get(index=0)
    long_ago = time.time() - runs.RUN_POOLS_WAIT.total_seconds() - 1

    with pytest.raises(ApplicationError) as failed:
        runs.match_run_chunk_execute(chunk_id=first.id, wait=True, waiting_since=long_ago)

    assert failed.value.code == "run_pools_timeout"
    assert "(1 of 2 stored)" in str(failed.value)


def test_a_chunk_stops_waiting_when_its_run_failed(harbor):
    remote_listeners(2)
    listening_roles(harbor, 1)
    run = runs.match_run_start(requested_by=None, chunk_size=1)
    first = run.chunks.get(index=0)
    MatchRun.objects.filter(id=run.id).update(status=MatchRun.Status.FAILED)

    assert runs.match_run_chunk_execute(chunk_id=first.id, wait=True) is None


def test_a_run_that_failed_deletes_its_chunks_pools(harbor):
    remote_listeners(2)
    listening_roles(harbor, 1)
    run = runs.match_run_start(requested_by=None, chunk_size=1)
    first, second = run.chunks.order_by("index")
    with pytest.raises(runs.ChunkWaiting):
        runs.match_run_chunk_execute(chunk_id=first.id, wait=True)

    runs.match_run_chunk_fail(chunk_id=second.id, error="SoftTimeLimitExceeded")

    assert MatchRun.objects.get(id=run.id).status == MatchRun.Status.FAILED
    assert not RunPoolPart.objects.exists()
    since = time.time()
    assert runs.match_run_chunk_execute(chunk_id=first.id, wait=True, waiting_since=since) is None
    assert runs.match_run_chunk_execute(chunk_id=first.id, wait=True) is None
    assert not RunPoolPart.objects.exists()  # no pools computed again for a failed run


def test_storing_a_chunks_pools_counts_as_the_runs_progress(harbor):
    remote_listeners(2)
    listening_roles(harbor, 1)
    run = runs.match_run_start(requested_by=None, chunk_size=1)
    before = MatchRun.objects.get(id=run.id).updated_at

    with pytest.raises(runs.ChunkWaiting):
        runs.match_run_chunk_execute(chunk_id=run.chunks.get(index=0).id, wait=True)

    assert MatchRun.objects.get(id=run.id).updated_at > before


def test_a_run_whose_chunk_was_lost_while_another_waited_is_nudged_and_finishes(harbor):
    """The first chunk stored its pools and waits; the second's message was lost with the broker.
    Waiting is not progress, so the run looks stalled after RUN_NUDGE_AFTER; the reconciler's
    nudge queues both chunks again and the run finishes."""
    remote_listeners(2)
    listening_roles(harbor, 2)
    run = runs.match_run_start(requested_by=None, chunk_size=1)
    first, second = run.chunks.order_by("index")
    with pytest.raises(runs.ChunkWaiting) as waiting:
        runs.match_run_chunk_execute(chunk_id=first.id, wait=True)
    with pytest.raises(runs.ChunkWaiting):
        runs.match_run_chunk_execute(
            chunk_id=first.id, wait=True, waiting_since=waiting.value.since
        )
    quiet_since = timezone.now() - runs.RUN_NUDGE_AFTER - dt.timedelta(minutes=1)
    MatchRun.objects.filter(id=run.id).update(updated_at=quiet_since)

    assert runs.stalled_run_ids() == [run.id]
    queued_again = runs.match_run_mark_running(run_id=run.id)
    assert queued_again == [first.id, second.id]
    for chunk_id in reversed(queued_again):
        runs.match_run_chunk_execute(chunk_id=chunk_id, wait=True)

    run.refresh_from_db()
    assert (run.status, run.done) == (MatchRun.Status.SUCCEEDED, 2)


def on_site_listener(i: int, where: tuple[float, float]):
    return make_listener(
        VolunteerProfileFactory.create(display_name=f"Neighbour {i}"),
        modes=["in_person"],
        latitude=where[0],
        longitude=where[1],
        max_travel_km=10,
    )


def test_a_run_is_cut_by_place_neighbours_on_site_share_a_chunk(harbor):
    """Volunteers who travel from one cell share a candidate query, so one chunk holds them all
    (its pools are then those of one solve over everyone); remote ones are cut as asked."""
    a, b = on_site_listener(0, HERE), on_site_listener(1, HERE)
    c = on_site_listener(2, THERE)
    remote = remote_listeners(2)

    run = runs.match_run_start(requested_by=None, chunk_size=1)

    chunks = list(run.chunks.order_by("index").values_list("volunteer_ids", flat=True))
    assert sorted(chunks) == sorted([[a.id, b.id], [c.id], [remote[0].id], [remote[1].id]])


def on_site_places(harbor, *, volunteers: int) -> None:
    """``volunteers`` on-site listeners in two cells, and three one-place drop-in roles near them."""
    for i in range(volunteers):
        on_site_listener(i, HERE if i % 2 else THERE)
    for i, where in enumerate([HERE, THERE, HERE]):
        role = OpportunityFactory.create(
            organization=harbor,
            title=f"Drop-in listener {i}",
            description="Listen to people who feel lonely, at the drop-in centre.",
            mode="in_person",
            latitude=where[0] + 0.001,
            longitude=where[1],
            availability=["tue-evening", "thu-evening"],
            capacity=1,
        )
        role.required_skills.add(skill("active-listening"))
        role.causes.add(cause("loneliness"))


def test_a_run_of_neighbours_stores_the_same_in_chunks_as_in_one(settings, harbor):
    """On-site volunteers in two cells and scarce on-site places: chunks of one give what one
    chunk gives."""
    settings.MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER = 2
    settings.MAX_CANDIDATES_PER_PLACE = 2
    on_site_places(harbor, volunteers=6)

    def run_with(chunk_size: int) -> list[tuple[int, int, float]]:
        run = runs.match_run_start(requested_by=None, chunk_size=chunk_size)
        for chunk in run.chunks.order_by("-index"):
            runs.match_run_chunk_execute(chunk_id=chunk.id)
        run.refresh_from_db()
        assert run.status == MatchRun.Status.SUCCEEDED
        return open_suggestions()

    in_one = run_with(6)
    assert len(in_one) == 3 * 2
    assert run_with(1) == in_one
    assert not RunPoolPart.objects.exists()
    assert not RunPlanSlice.objects.exists()
