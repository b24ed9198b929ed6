"""Which queue each task waits in, so a full run never delays a profile edit's rematch or a notice.

Four queues:

``runs``
    a full run's fan-out and chunks, the nightly refit and the rescore after a new model
    version: long, heavy, many at once.
``rematch``
    one volunteer's or one role's rematch and the re-check of their open matches: what a person
    waits for after an edit.
``notifications``
    in-app notices and every email (a verification link must not wait behind a run).
the default queue (``celery``)
    everything else: the reconciler, sweeps, digests, pings.

``scripts/run.sh`` and ``docker-compose.yml`` start one worker for ``runs`` and another for the
other three, so work in one never takes the other's processes. A worker started without ``-Q``
consumes all four (``task_queues`` names them), so a single worker still does everything.

The queues are named after the default queue: ``runs``, ``rematch``, ... beside ``celery`` in a
deployment; a test process on a shared Redis server, whose default queue is ``kindred-test-<run>``
(backend/settings/test.py), gets ``kindred-test-<run>-runs`` and so on, its own.
"""

from __future__ import annotations

from kombu import Exchange, Queue

#: Celery's own default; a deployment's tasks with no route wait here.
DEFAULT_QUEUE = "celery"
RUNS = "runs"
REMATCH = "rematch"
NOTIFICATIONS = "notifications"
KINDS = (RUNS, REMATCH, NOTIFICATIONS)

#: Task name (or glob) -> kind of queue. Anything not listed goes to the default queue.
ROUTES = {
    "matching.match_run_start": RUNS,
    "matching.match_run_chunk": RUNS,
    "matching.scoring_model_refit": RUNS,
    "matching.scoring_model_rescore": RUNS,
    "matching.volunteer_rematch": REMATCH,
    "matching.opportunity_rematch": REMATCH,
    "lifecycle.volunteer_recheck": REMATCH,
    "lifecycle.opportunity_recheck": REMATCH,
    "lifecycle.commitment_recheck": REMATCH,
    "notifications.notify_transition": NOTIFICATIONS,
    "notifications.invitation_email": NOTIFICATIONS,
    "notifications.interest_notice": NOTIFICATIONS,
    "accounts.email_verification": NOTIFICATIONS,
    "accounts.sign_up_attempt_email": NOTIFICATIONS,
    "accounts.password_reset_email": NOTIFICATIONS,
    "accounts.password_changed_email": NOTIFICATIONS,
}


def queue_name(kind: str, default_queue: str = DEFAULT_QUEUE) -> str:
    """The name of the ``kind`` queue beside ``default_queue``."""
    return kind if default_queue == DEFAULT_QUEUE else f"{default_queue}-{kind}"


def task_queues(default_queue: str = DEFAULT_QUEUE) -> list[Queue]:
    """Every queue, the default first; each a direct exchange of its own name."""
    names = [default_queue, *(queue_name(kind, default_queue) for kind in KINDS)]
    return [Queue(name, Exchange(name, type="direct"), routing_key=name) for name in names]


def task_routes(default_queue: str = DEFAULT_QUEUE) -> dict[str, dict[str, str]]:
    """Celery's ``task_routes``: each routed task to its queue."""
    routes = {}
    for task, kind in ROUTES.items():
        name = queue_name(kind, default_queue)
        routes[task] = {"queue": name, "exchange": name, "routing_key": name}
    return routes


def worker_queues(*kinds: str, default_queue: str = DEFAULT_QUEUE) -> str:
    """The ``-Q`` argument of a worker for these kinds (``"default"`` names the default queue)."""
    return ",".join(
        default_queue if kind == "default" else queue_name(kind, default_queue) for kind in kinds
    )
