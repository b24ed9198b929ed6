"""The running_worker helper itself: a real worker shares the test's database and broker, and
leaves no process behind."""

from __future__ import annotations

import signal

import psutil
import pytest
from django_celery_results.models import TaskResult

from suggestions.tasks import ping
from tests.support.worker import STOP_TIMEOUT, TASK_RESULT_TIMEOUT, running_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_queued_ping_comes_back_from_a_real_worker_and_its_result_row_is_visible_here():
    with running_worker() as worker:
        result = ping.delay()
        assert result.get(timeout=TASK_RESULT_TIMEOUT) == "pong"
        assert worker.is_running()
        row = TaskResult.objects.get(task_id=result.id)
        assert (row.status, row.task_name, row.result) == ("SUCCESS", "matching.ping", '"pong"')
        assert worker.hostname in row.worker
    assert f"{worker.hostname} ready." in worker.output()


def test_leaving_the_block_ends_the_main_process_and_its_pool_children():
    with running_worker(concurrency=2) as worker:
        children = worker.child_pids()
        assert len(children) == 2
        pids = [worker.pid, *children]
    assert not [pid for pid in pids if _alive(pid)]


def test_pool_children_of_a_killed_main_process_are_still_reaped_on_exit():
    with running_worker() as worker:
        children = worker.child_pids()
        assert children
        worker.kill(signal.SIGKILL)
        worker.popen.wait(timeout=STOP_TIMEOUT)
    assert not [pid for pid in children if _alive(pid)]


def test_the_worker_is_stopped_even_when_the_test_body_fails():
    pids: list[int] = []

    def failing_body() -> None:
        with running_worker() as worker:
            pids.extend([worker.pid, *worker.child_pids()])
            1 / 0  # noqa: B018  (the failure under test)

    with pytest.raises(ZeroDivisionError):
        failing_body()
    assert pids
    assert not [pid for pid in pids if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
