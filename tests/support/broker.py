"""This test process's Celery queue: empty it between tests, and read what a test queued.

Each pytest process has a queue of its own (backend/settings/test.py): a folder under
var/test-runs/<run>/broker on the embedded filesystem transport, or the list
``kindred-test-<run>`` on a Redis server. That queue lives as long as the process, so a message a
test left behind (a rematch queued after commit and never consumed) would be taken by the next
test that starts a worker. ``tests/conftest.py`` calls ``broker_purge_if_used`` before every test.

    def test_ada_adding_a_language_queues_her_rematch(...):
        ...
        assert queued_tasks() == [("matching.volunteer_rematch", [ada.id])]
"""

from __future__ import annotations

import os
from pathlib import Path

from celery.signals import before_task_publish
from django.conf import settings

from backend.celery import app, ensure_filesystem_broker_folders

#: Set when this process published a message, or started a worker that may have; a Redis round
#: trip is made only then. True at first so the first test starts from an empty queue too.
_used_since_purge = True


def broker_mark_used() -> None:
    """Something may have put a message on this run's queue (running_worker calls this)."""
    global _used_since_purge
    _used_since_purge = True


@before_task_publish.connect(weak=False)
def _published(**_: object) -> None:
    broker_mark_used()


def run_queue_name() -> str:
    return app.conf.task_default_queue


def run_queue_names() -> list[str]:
    """This run's queues: the default one first, then those of runs, rematches and notices
    (backend/celery_queues.py)."""
    return [run_queue_name(), *(name for name in app.amqp.queues if name != run_queue_name())]


def _filesystem_queue_folder() -> Path | None:
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    folder = options.get("data_folder_in")
    return Path(folder) if folder and app.conf.broker_url.startswith("filesystem://") else None


def _filesystem_has_messages(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(entry.name.endswith(".msg") for entry in entries)
    except FileNotFoundError:
        return False


def broker_purge() -> int:
    """Remove every message waiting in this run's queue; the number removed."""
    global _used_since_purge
    ensure_filesystem_broker_folders()  # the filesystem transport lists its folder
    removed = app.control.purge()  # every queue of app.amqp.queues: this run's own
    _used_since_purge = False
    return removed


def broker_purge_if_used() -> int:
    """``broker_purge`` when the queue may hold something: on the filesystem transport when the
    folder holds a message file (a directory listing, no connection), on Redis when this process
    published or ran a worker since the last purge. Returns the number of messages removed."""
    global _used_since_purge
    folder = _filesystem_queue_folder()
    if folder is not None:
        _used_since_purge = False
        return broker_purge() if _filesystem_has_messages(folder) else 0
    return broker_purge() if _used_since_purge else 0


def queued_tasks() -> list[tuple[str, list]]:
    """Take every message waiting in this run's queues (nothing consumes them while no worker
    runs): ``(task name, positional arguments)`` of each, oldest first within each queue."""
    return [(task, args) for task, args, _queue in queued_tasks_by_queue()]


def queued_tasks_by_queue() -> list[tuple[str, list, str]]:
    """As ``queued_tasks``, with the queue each message waited in."""
    taken: list[tuple[str, list, str]] = []
    ensure_filesystem_broker_folders()
    with app.connection_for_read() as connection:
        channel = connection.default_channel
        for queue in run_queue_names():
            while (message := channel.basic_get(queue, no_ack=True)) is not None:
                args, _kwargs, _embed = message.decode()  # Celery's message protocol 2
                taken.append((message.headers["task"], list(args), queue))
    return taken
