"""Full runs through the API with a real Celery worker process, redelivered chunks, the reconciler,
and the periodic tasks registered with beat."""

from __future__ import annotations

import importlib
import time
from typing import TypedDict

import pytest
from django.apps import apps as django_apps
from django_celery_beat.models import PeriodicTask

from matching.models import Match, MatchRun, MatchRunChunk, MatchStatus
from opportunities.models import Opportunity
from suggestions import tasks
from suggestions.services import rematch, runs
from tests.factories import OpportunityFactory, VolunteerProfileFactory, cause, skill
from tests.support.worker import TASK_RESULT_TIMEOUT, running_worker
from volunteers.models import VolunteerProfile

RUNS = "/api/v1/matching/runs/"


def remote_listeners(n: int) -> list[VolunteerProfile]:
    people = []
    for i in range(n):
        profile = VolunteerProfileFactory.create(
            display_name=f"Listener {i}",
            bio="I enjoy listening to people and keeping them company.",
            modes=["remote", "phone"],
            availability=["mon-evening", "wed-evening"],
        )
        profile.skills.add(skill("active-listening"))
        profile.causes.add(cause("loneliness"))
        people.append(profile)
    return people


def listening_roles(organization, n: int) -> list[Opportunity]:
    roles = []
    for i in range(n):
        role = OpportunityFactory.create(
            organization=organization,
            title=f"Phone befriender {i}",
            description="Call an older neighbour who lives alone, once a week.",
            mode="phone" if i % 2 else "remote",
            capacity=3,
        )
        role.required_skills.add(skill("active-listening"))
        role.causes.add(cause("loneliness"))
        roles.append(role)
    return roles


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_sam_starts_a_full_run_and_a_real_worker_finishes_every_chunk(
    sam_client, harbor, monkeypatch
):
    """Given 9 volunteers and 4 roles, Sam starts a run in chunks of 2; a worker does the rest."""
    monkeypatch.setattr(runs, "RUN_CHUNK_SIZE", 2)
    people = remote_listeners(9)
    listening_roles(harbor, 4)

    with running_worker() as worker:
        response = sam_client.post(RUNS)
        assert response.status_code == 202, response.data
        assert response.data["status"] == "queued"
        assert response.data["total"] == 5
        run_id = response.data["id"]

        def finished():
            body = sam_client.get(f"{RUNS}{run_id}/").data
            return body if body["status"] in ("succeeded", "failed") else None

        body = wait_for(finished)
        assert body["status"] == "succeeded", worker.output()[-3000:]

    assert (body["done"], body["total"], body["errors"]) == (5, 5, [])
    assert body["started_at"] is not None
    assert body["finished_at"] is not None
    assert set(MatchRunChunk.objects.filter(run_id=run_id).values_list("done", flat=True)) == {True}
    # Every volunteer got suggestions (4 roles each), one open row per pair.
    assert Match.objects.filter(status=MatchStatus.SUGGESTED).count() == 9 * 4
    assert set(Match.objects.values_list("volunteer_id", flat=True)) == {p.id for p in people}
    assert set(Match.objects.values_list("run_id", flat=True)) == {MatchRun.objects.get().id}


@pytest.mark.django_db
def test_a_redelivered_chunk_counts_once(harbor):
    """A worker died after finishing a chunk but before acking it: the broker delivers it again.
    The second delivery changes nothing and the run still counts the chunk once."""
    remote_listeners(3)
    listening_roles(harbor, 2)
    run = runs.match_run_start(requested_by=None, chunk_size=2)
    first_chunk = run.chunks.get(index=0)

    first = tasks.match_run_chunk_task.apply(args=[first_chunk.id]).get()
    rows = sorted(Match.objects.values_list("id", "volunteer_id", "opportunity_id", "status"))
    second = tasks.match_run_chunk_task.apply(args=[first_chunk.id]).get()

    assert first["skipped"] is False
    assert first["stored"] == 4
    assert second == {"skipped": True}
    assert (
        sorted(Match.objects.values_list("id", "volunteer_id", "opportunity_id", "status")) == rows
    )
    run.refresh_from_db()
    assert (run.status, run.done, run.total) == (MatchRun.Status.RUNNING, 1, 2)
    first_chunk.refresh_from_db()
    assert (first_chunk.done, first_chunk.attempts, first_chunk.suggestions) == (True, 1, 4)

    tasks.match_run_chunk_task.apply(args=[run.chunks.get(index=1).id]).get()
    run.refresh_from_db()
    assert (run.status, run.done) == (MatchRun.Status.SUCCEEDED, 2)


def match_rows() -> list[tuple]:
    return sorted(
        Match.objects.values_list(
            "id", "volunteer_id", "opportunity_id", "status", "score", "run_id", "updated_at"
        )
    )


def matched_at(volunteer_ids) -> list[tuple]:
    return sorted(
        VolunteerProfile.objects.filter(id__in=list(volunteer_ids)).values_list("id", "matched_at")
    )


class SeenAfterTheOther(TypedDict, total=False):
    """What the second delivery left behind, read while the first one is still ranking."""

    result: dict[str, object]
    rows: list[tuple]
    matched_at: list[tuple]


@pytest.mark.django_db
def test_two_deliveries_of_one_chunk_at_once_count_it_once_and_write_it_once(harbor, monkeypatch):
    """Given a run of two chunks, the first chunk's message is delivered twice at once (a worker
    taken for lost was still running it): both deliveries find the chunk not done and rank its
    volunteers. The one that writes first counts the chunk; the other writes nothing, so the run
    counts 1 of 2 (not 2 of 2, "succeeded" with a chunk never run) and the rows stay as written."""
    people = remote_listeners(3)
    listening_roles(harbor, 2)
    run = runs.match_run_start(requested_by=None, chunk_size=2)
    chunk = run.chunks.get(index=0)
    real_rematch = rematch.volunteers_rematch
    calls = 0
    after_the_other: SeenAfterTheOther = {}

    def ranking_while_the_other_delivery_finishes(volunteer_ids, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 1:  # the first delivery, between its "not done" check and its claim
            after_the_other["result"] = tasks.match_run_chunk_task.apply(args=[chunk.id]).get()
            after_the_other["rows"] = match_rows()
            after_the_other["matched_at"] = matched_at(volunteer_ids)
        return real_rematch(volunteer_ids, **kwargs)

    monkeypatch.setattr(rematch, "volunteers_rematch", ranking_while_the_other_delivery_finishes)
    first = tasks.match_run_chunk_task.apply(args=[chunk.id]).get()

    assert after_the_other["result"] == {"skipped": False, "stored": 4, "withdrawn": 0}
    assert first == {"skipped": True}
    run.refresh_from_db()
    assert (run.status, run.done, run.total) == (MatchRun.Status.RUNNING, 1, 2)
    chunk.refresh_from_db()
    assert (chunk.done, chunk.attempts, chunk.suggestions) == (True, 2, 4)
    assert len(after_the_other["rows"]) == 4
    assert match_rows() == after_the_other["rows"]
    assert matched_at([p.id for p in people[:2]]) == after_the_other["matched_at"]


@pytest.mark.django_db
def test_a_chunk_that_fails_for_good_fails_its_run(harbor, monkeypatch):
    remote_listeners(2)
    run = runs.match_run_start(requested_by=None, chunk_size=5)
    chunk = run.chunks.get()

    def broken(*args, **kwargs):
        raise ValueError("engine refused the input")

    monkeypatch.setattr(rematch, "volunteers_rematch", broken)
    tasks.match_run_chunk_task.apply(args=[chunk.id])

    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED
    assert run.errors == [{"chunk": 0, "error": "ValueError: engine refused the input"}]


@pytest.mark.django_db
def test_who_may_start_and_follow_a_run(
    ada_client, sam_client, rita_client, staff_client, alex_client
):
    assert ada_client.post(RUNS).status_code == 403
    response = sam_client.post(RUNS)
    assert response.status_code == 202
    run_id = response.data["id"]

    # One run at a time, whoever asks.
    conflict = alex_client.post(RUNS)
    assert conflict.status_code == 409
    assert conflict.data["error"]["message"] == runs.RUN_IN_PROGRESS_MESSAGE

    assert sam_client.get(f"{RUNS}{run_id}/").status_code == 200
    assert staff_client.get(f"{RUNS}{run_id}/").status_code == 200
    assert rita_client.get(f"{RUNS}{run_id}/").status_code == 404
    assert ada_client.get(f"{RUNS}{run_id}/").status_code == 404
    assert set(sam_client.get(f"{RUNS}{run_id}/").data) == {
        "id",
        "status",
        "done",
        "total",
        "errors",
        "model_version",
        "created_at",
        "started_at",
        "finished_at",
    }


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_change_made_while_the_broker_was_down_is_matched_by_the_reconciler(ada, harbor):
    """Ada said she takes remote work while Redis was down, so no rematch was queued. The periodic reconciler
    finds her (updated since last matched) and a worker gives her the suggestion."""
    role = listening_roles(harbor, 1)[0]
    ada.skills.add(skill("active-listening"))  # the role requires it
    rematch.opportunity_rematch(opportunity_id=role.id)
    rematch.volunteer_rematch(profile_id=ada.id)
    assert not Match.objects.filter(volunteer=ada).exists()  # she accepts no remote work yet

    ada.modes = ["remote"]
    ada.save()  # no dispatch: the broker was down

    with running_worker():
        queued = tasks.reconcile_stale_matches_task.delay().get(timeout=TASK_RESULT_TIMEOUT)
        assert queued["volunteers"] == 1
        wait_for(lambda: Match.objects.filter(volunteer=ada, opportunity=role).exists())

    ada.refresh_from_db()
    assert ada.matched_at >= ada.updated_at


@pytest.mark.django_db
def test_periodic_tasks_are_registered_once_even_if_the_migration_runs_again():
    migration = importlib.import_module("suggestions.migrations.0001_periodic_tasks")

    migration.register(django_apps, None)
    migration.register(django_apps, None)

    reconcile = PeriodicTask.objects.get(task="matching.reconcile_stale_matches")
    refit = PeriodicTask.objects.get(task="matching.scoring_model_refit")
    assert (reconcile.interval.every, reconcile.interval.period) == (5, "minutes")
    assert (refit.crontab.hour, refit.crontab.minute) == ("3", "30")
    # Once each (the retention entry is its own migration's: test_retention_of_withdrawn_...).
    both = ["matching.reconcile_stale_matches", "matching.scoring_model_refit"]
    assert PeriodicTask.objects.filter(task__in=both).count() == 2


def test_a_task_whose_worker_dies_goes_back_on_the_queue_instead_of_being_lost():
    """Every task is acknowledged only once it finished (acks_late) and is put back on the queue
    when the process running it dies (reject_on_worker_lost); a worker reserves one message at a
    time, so a dead worker holds back no others. This is what the kill -9 tests rely on."""
    import notifications.tasks
    import placements.tasks
    from backend.celery import app

    assert (
        app.conf.task_acks_late,
        app.conf.task_reject_on_worker_lost,
        app.conf.worker_prefetch_multiplier,
    ) == (True, True, 1)
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert {
        tasks.ping.name,
        tasks.volunteer_rematch_task.name,
        tasks.match_run_chunk_task.name,
        notifications.tasks.notify_transition_task.name,
        placements.tasks.lifecycle_daily_sweep_task.name,
    } <= set(ours)
    for name, task in ours.items():
        assert (name, task.acks_late, task.reject_on_worker_lost) == (name, True, True)


def test_tasks_retry_transient_errors_with_backoff_and_ack_late():
    for task in (
        tasks.volunteer_rematch_task,
        tasks.opportunity_rematch_task,
        tasks.match_run_chunk_task,
        tasks.match_run_start_task,
        tasks.reconcile_stale_matches_task,
        tasks.scoring_model_refit_task,
    ):
        assert task.acks_late is True
        assert task.max_retries == 5
        assert task.retry_backoff
        assert task.soft_time_limit < task.time_limit < 3600  # below the visibility timeout
