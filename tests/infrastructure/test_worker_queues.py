"""Separate queues (backend/celery_queues.py): a full run's chunks, single rematches, notices and
the rest each wait in a queue of their own, so a worker that takes rematches and notices answers
a profile edit while a run's chunks are still waiting; and each worker process caps the engine's
threads (backend/celery.py) so processes on one machine do not fight for its cores."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from backend import celery_queues
from backend.celery import app, worker_threads
from matching.engine import fused
from suggestions.tasks import match_run_chunk_task, volunteer_rematch_task
from tests.factories import VolunteerProfileFactory
from tests.support.broker import queued_tasks_by_queue, run_queue_name
from tests.support.worker import TASK_RESULT_TIMEOUT, running_worker

EXPECTED_KIND = {
    "matching.match_run_start": "runs",
    "matching.match_run_chunk": "runs",
    "matching.scoring_model_refit": "runs",
    "matching.scoring_model_rescore": "runs",
    "matching.volunteer_rematch": "rematch",
    "matching.opportunity_rematch": "rematch",
    "lifecycle.volunteer_recheck": "rematch",
    "lifecycle.opportunity_recheck": "rematch",
    "lifecycle.commitment_recheck": "rematch",
    "notifications.notify_transition": "notifications",
    "notifications.invitation_email": "notifications",
    "notifications.interest_notice": "notifications",
    "accounts.email_verification": "notifications",
    "accounts.password_reset_email": "notifications",
    "matching.reconcile_stale_matches": "default",
    "matching.ping": "default",
    "lifecycle.daily_sweep": "default",
    "notifications.review_digest": "default",
}


@pytest.fixture(scope="module", autouse=True)
def _every_task_registered():
    app.loader.import_default_modules()  # what a worker imports when it starts


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def name_of(kind: str) -> str:
    default = run_queue_name()
    return default if kind == "default" else celery_queues.queue_name(kind, default)


@pytest.mark.parametrize(("task_name", "kind"), EXPECTED_KIND.items())
def test_each_task_is_routed_to_its_queue(task_name, kind):
    assert task_name in app.tasks, task_name  # a renamed task must not fall out of its route
    assert queue_of(task_name) == name_of(kind)


def test_every_routed_task_exists_and_every_queue_is_declared_for_a_worker_without_q():
    assert set(celery_queues.ROUTES) <= set(app.tasks)
    assert set(app.amqp.queues) == {name_of(kind) for kind in ("default", *celery_queues.KINDS)}


def test_queues_on_a_shared_server_are_named_after_the_test_runs_own_default_queue():
    assert celery_queues.queue_name("runs") == "runs"
    assert celery_queues.queue_name("runs", "kindred-test-gw0-12") == "kindred-test-gw0-12-runs"
    assert celery_queues.worker_queues("rematch", "notifications", "default") == (
        "rematch,notifications,celery"
    )
    assert settings.CELERY_BROKER_URL.startswith("filesystem://") or run_queue_name().startswith(
        "kindred-test-"
    )


@pytest.mark.django_db
def test_a_runs_chunks_and_a_rematch_wait_in_different_queues(django_capture_on_commit_callbacks):
    ada = VolunteerProfileFactory.create()
    for chunk_id in (1, 2, 3):
        match_run_chunk_task.delay(chunk_id)
    volunteer_rematch_task.delay(ada.id)
    waiting = {(task, queue) for task, _args, queue in queued_tasks_by_queue()}
    assert waiting == {
        ("matching.match_run_chunk", name_of("runs")),
        ("matching.volunteer_rematch", name_of("rematch")),
    }


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_a_full_runs_chunks_waiting_a_profile_edits_rematch_is_taken_at_once():
    """Given a full run's 200 chunks waiting, when Ada's profile is rematched, then the worker for
    rematches and notices (as scripts/run.sh starts it) matches her at once, and the chunks are
    still waiting for the run workers."""
    ada = VolunteerProfileFactory.create()
    for chunk_id in range(1, 201):
        match_run_chunk_task.delay(10_000_000 + chunk_id)  # never started: no run worker here
    interactive = [name_of("rematch"), name_of("notifications"), name_of("default")]
    with running_worker(queues=interactive):
        result = volunteer_rematch_task.delay(ada.id)
        result.get(timeout=TASK_RESULT_TIMEOUT)
        assert result.successful()
    waiting = [task for task, _args, queue in queued_tasks_by_queue() if queue == name_of("runs")]
    assert waiting == ["matching.match_run_chunk"] * 200


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("concurrency", "setting", "expected"),
    [
        (1, None, max(1, os.cpu_count() or 1)),
        (2, None, max(1, (os.cpu_count() or 1) // 2)),
        (1, "1", 1),  # ENGINE_THREADS_PER_WORKER, when an operator sets it
    ],
    ids=["one-process", "two-processes", "setting"],
)
def test_a_worker_process_caps_the_engines_threads(concurrency, setting, expected):
    """Each pool process runs the engine's OpenBLAS and OpenMP pools with the machine's cores
    shared out among the worker's processes, and OpenMP's threads sleep when idle."""
    env = {} if setting is None else {"ENGINE_THREADS_PER_WORKER": setting}
    with running_worker(concurrency=concurrency, env=env):
        answer = worker_threads.delay().get(timeout=TASK_RESULT_TIMEOUT)
    assert answer["omp_wait_policy"] == "passive"
    assert answer["engine_threads"] == expected
    kinds = {api for api, _threads in answer["pools"]}
    assert {"blas", "openmp"} <= kinds
    assert all(threads == expected for _api, threads in answer["pools"]), answer


def test_the_engines_own_parallel_product_takes_the_worker_processes_share(monkeypatch):
    """sparse-dot-topn's ``n_threads`` overrides OpenMP's cap, so the engine reads the share."""
    monkeypatch.setenv("KINDRED_ENGINE_THREADS", "1")
    assert fused.product_threads() == 1
    monkeypatch.delenv("KINDRED_ENGINE_THREADS")
    assert fused.product_threads() == fused.N_THREADS
