"""Full runs that scale out: chunks of one run store side by side (the run's row is not locked
through a chunk's store, its counter stays exact), run requests that race start one run, and the
reconciler leaves to a run what the run matches (issue 11)."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection, connections

from matching.models import MatchRun, MatchRunChunk
from opportunities.models import Opportunity
from suggestions.services import reconcile, rematch, runs
from tests.suggestions.test_suggestions_tasks import listening_roles, remote_listeners
from volunteers.models import VolunteerProfile

RUNS = "/api/v1/matching/runs/"

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks between two connections: needs DATABASE_URL=postgres://...",
)
#: A guard against a hang, not a measurement: two stores that waited on each other would leave
#: the barrier broken after this long instead of blocking the suite.
BARRIER_GUARD_SECONDS = 30


def in_thread(target, *args):
    """Run ``target`` in a thread with a database connection of its own; its result or error."""
    outcome: dict = {}

    def body():
        try:
            outcome["value"] = target(*args)
        except BaseException as error:  # handed back to the test
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=body)
    thread.start()
    return thread, outcome


def during_each_store(monkeypatch, hook):
    """Call ``hook(volunteer_ids)`` inside each chunk's write transaction, after its store."""
    original = rematch.volunteers_rematch

    def volunteers_rematch(volunteer_ids, *, run=None, claim=None, record=None, **kwargs):
        def record_then_hook(result):
            record(result)
            hook(list(volunteer_ids))

        return original(volunteer_ids, run=run, claim=claim, record=record_then_hook, **kwargs)

    monkeypatch.setattr(rematch, "volunteers_rematch", volunteers_rematch)


@pytest.mark.django_db
def test_a_chunk_is_counted_in_its_run_after_its_store_not_during_it(harbor, monkeypatch):
    """Mid-store, the run's counter is untouched (nothing in the store's transaction writes the
    run's row, which every chunk shares); once the store committed, the chunk is counted."""
    remote_listeners(2)
    listening_roles(harbor, 2)
    run = runs.match_run_start(requested_by=None, chunk_size=1)
    seen_mid_store: list[tuple[int, bool]] = []

    def hook(_ids):
        chunk = MatchRunChunk.objects.get(run=run, index=0)
        seen_mid_store.append((MatchRun.objects.get(id=run.id).done, chunk.done))

    during_each_store(monkeypatch, hook)
    runs.match_run_chunk_execute(chunk_id=run.chunks.get(index=0).id)

    assert seen_mid_store == [(0, True)]  # the chunk claimed, the run not yet counted
    run.refresh_from_db()
    assert (run.done, run.status) == (1, MatchRun.Status.RUNNING)


@pytest.mark.django_db
def test_a_redelivered_chunk_done_but_not_counted_is_counted_once(harbor):
    """A worker died between its chunk's commit and the count: the redelivery counts it, once."""
    remote_listeners(2)
    listening_roles(harbor, 1)
    run = runs.match_run_start(requested_by=None, chunk_size=1)
    first, second = run.chunks.order_by("index")
    MatchRunChunk.objects.filter(id=first.id).update(done=True)  # stored, never counted

    assert runs.match_run_chunk_execute(chunk_id=first.id) is None
    assert runs.match_run_chunk_execute(chunk_id=first.id) is None
    run.refresh_from_db()
    assert run.done == 1
    runs.match_run_chunk_execute(chunk_id=second.id)
    run.refresh_from_db()
    assert (run.done, run.status) == (2, MatchRun.Status.SUCCEEDED)


@needs_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_chunks_of_one_run_store_at_the_same_time_on_postgresql(harbor, monkeypatch):
    """Two workers' chunks are both mid-store at once (neither waits for the other's commit), the
    run's row can be locked by a third connection meanwhile, and the count is exact."""
    remote_listeners(4)
    listening_roles(harbor, 2)
    run = runs.match_run_start(requested_by=None, chunk_size=2)
    both_mid_store = threading.Barrier(2, timeout=BARRIER_GUARD_SECONDS)
    both_looked = threading.Barrier(2, timeout=BARRIER_GUARD_SECONDS)
    run_row_free: list[bool] = []

    one_probe_at_a_time = threading.Lock()  # two probes locking the row would refuse each other

    def hook(_ids):
        both_mid_store.wait()  # broken (and the chunk fails) if the other chunk waits on us
        with one_probe_at_a_time:
            run_row_free.append(run_row_lockable(run.id))
        # Neither commits (and counts itself in the run, a short lock of the run's row) before
        # both have looked.
        both_looked.wait()

    during_each_store(monkeypatch, hook)
    chunk_ids = list(run.chunks.order_by("index").values_list("id", flat=True))
    started = [
        in_thread(lambda cid: runs.match_run_chunk_execute(chunk_id=cid), c) for c in chunk_ids
    ]
    for thread, _ in started:
        thread.join()

    assert [outcome.get("error") for _, outcome in started] == [None, None]
    assert run_row_free == [True, True]
    run.refresh_from_db()
    assert (run.done, run.total, run.status) == (2, 2, MatchRun.Status.SUCCEEDED)
    assert list(MatchRunChunk.objects.filter(run=run).values_list("done", flat=True)) == [True] * 2


def run_row_lockable(run_id) -> bool:
    """From a connection of its own: can the run's row be locked right now (nobody holds it)?"""
    _, outcome = holder = in_thread(_try_lock_run_row, run_id)
    holder[0].join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _try_lock_run_row(run_id) -> bool:
    from django.db import OperationalError, transaction

    try:
        with transaction.atomic():
            # The lock an UPDATE of the run's counter takes (FOR NO KEY UPDATE). A plain FOR
            # UPDATE would also wait on the key-share locks that inserting suggestions which
            # name the run takes (a foreign key), which never block the counter.
            list(MatchRun.objects.select_for_update(nowait=True, no_key=True).filter(id=run_id))
    except OperationalError:
        return False
    return True


@needs_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_run_requests_that_race_start_one_run_on_postgresql(monkeypatch):
    """Both requests pass the "is a run active?" check at once without the turn-taking; with it,
    the second waits for the first's commit and answers with the first's run."""
    VolunteerProfile.objects.all().delete()
    remote_listeners(2)
    both_checked = threading.Barrier(2)
    original = runs.run_chunk_size

    def run_chunk_size(*, volunteers):
        # Both requests reach this point together only if neither waited for the other.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_checked.wait(timeout=2)
        return original(volunteers=volunteers)

    monkeypatch.setattr(runs, "run_chunk_size", run_chunk_size)
    started = [in_thread(lambda: runs.match_run_start(requested_by=None)) for _ in range(2)]
    for thread, _ in started:
        thread.join()

    outcomes = [outcome for _, outcome in started]
    assert MatchRun.objects.count() == 1
    created = [o["value"] for o in outcomes if "value" in o]
    refused = [o["error"] for o in outcomes if "error" in o]
    assert len(created) == 1
    assert [type(e) for e in refused] == [runs.RunInProgressError]
    assert refused[0].run.id == created[0].id


@pytest.mark.django_db
def test_a_second_run_request_answers_409_with_the_run_in_progress(sam_client, alex_client):
    remote_listeners(1)
    first = sam_client.post(RUNS)
    second = alex_client.post(RUNS)

    assert (first.status_code, second.status_code) == (202, 409)
    assert second.data["error"]["code"] == "run_in_progress"
    assert second.data["error"]["message"] == runs.RUN_IN_PROGRESS_MESSAGE
    assert second.data["run"]["id"] == first.data["id"]
    assert MatchRun.objects.count() == 1


@pytest.mark.django_db
def test_a_run_that_finished_leaves_the_reconciler_nothing_it_matched(harbor):
    """A fresh catalogue: every volunteer and role never matched. After one full run, the
    reconciler finds no volunteer and no published role to rematch one by one."""
    remote_listeners(3)
    listening_roles(harbor, 3)
    assert len(reconcile.stale_opportunity_ids(limit=100)) == 3

    run = runs.match_run_start(requested_by=None, chunk_size=2)
    for chunk_id in run.chunks.values_list("id", flat=True):
        runs.match_run_chunk_execute(chunk_id=chunk_id)

    run.refresh_from_db()
    assert run.status == MatchRun.Status.SUCCEEDED
    assert reconcile.stale_volunteer_ids(limit=100) == []
    assert reconcile.stale_opportunity_ids(limit=100) == []
    assert not Opportunity.objects.filter(matched_at__isnull=True).exists()


@pytest.mark.django_db
def test_while_a_run_is_active_the_reconciler_leaves_it_what_changed_before_it(harbor):
    """Changed before the run began: the run matches it. Changed after: the reconciler queues it."""
    remote_listeners(2)
    roles = listening_roles(harbor, 2)
    run = runs.match_run_start(requested_by=None, chunk_size=1)
    assert reconcile.stale_volunteer_ids(limit=100) == []
    assert reconcile.stale_opportunity_ids(limit=100) == []

    roles[0].title = "Phone befriender, evenings"
    roles[0].save()  # after the run began: not in the run's view of the catalogue for sure
    assert reconcile.stale_opportunity_ids(limit=100) == [roles[0].id]

    MatchRun.objects.filter(id=run.id).update(status=MatchRun.Status.FAILED)
    assert len(reconcile.stale_opportunity_ids(limit=100)) == 2
