"""The Celery application; configuration lives in Django settings under the CELERY_ namespace.

Engine threads per worker process: the engine's libraries (OpenBLAS, the OpenMP runtime of
sparse-dot-topn and scikit-learn) start one thread per core by default, and OpenMP's threads
busy-wait between parallel regions. Several worker processes on one machine then fight for the same
cores (two workers on two cores made the engine's share of a run jump from ~7 s to ~45 s). So:
``OMP_WAIT_POLICY=passive`` is set when this module is imported, before any engine library loads;
each worker process caps its thread pools (threadpoolctl, and the ``*_NUM_THREADS`` variables for a
library loaded later) at ``ENGINE_THREADS_PER_WORKER``, by default the machine's cores divided by
the worker's concurrency (at least 1).
"""

import os

# Read by the OpenMP runtime when it loads, so before anything imports numpy or scikit-learn.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

from celery import Celery
from celery.signals import (
    before_task_publish,
    worker_init,
    worker_process_init,
)

from backend import celery_queues

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.local")

app = Celery("kindred")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

#: The variables each engine library reads when it loads; set in the worker before its pool starts.
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "KINDRED_ENGINE_THREADS",  # the engine's own parallel calls (sparse-dot-topn's n_threads)
)


@app.on_after_configure.connect
def _configure_queues(sender: Celery, **_: object) -> None:
    """The queues and routes of backend/celery_queues.py, named after the default queue (a
    setting may name them itself)."""
    default = sender.conf.task_default_queue
    if not sender.conf.task_queues:
        sender.conf.task_queues = celery_queues.task_queues(default)
    if not sender.conf.task_routes:
        sender.conf.task_routes = celery_queues.task_routes(default)


def ensure_filesystem_broker_folders() -> None:
    """The filesystem transport does not create its folders; every process that publishes or
    consumes calls this first."""
    from pathlib import Path

    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if key in options:
            Path(options[key]).mkdir(parents=True, exist_ok=True)


def engine_threads_per_process(concurrency: int | None) -> int:
    """``ENGINE_THREADS_PER_WORKER`` if set (> 0), else the cores shared out among the worker's
    ``concurrency`` processes, at least 1."""
    from django.conf import settings

    configured = int(getattr(settings, "ENGINE_THREADS_PER_WORKER", 0) or 0)
    if configured > 0:
        return configured
    return max(1, (os.cpu_count() or 1) // max(1, int(concurrency or 1)))


def limit_engine_threads(threads: int) -> None:
    """Cap this process's thread pools, loaded now or later, at ``threads``."""
    from threadpoolctl import threadpool_limits

    for variable in THREAD_VARIABLES:
        os.environ[variable] = str(threads)
    threadpool_limits(limits=threads)


@worker_init.connect
def _prepare_worker(sender: object = None, **_: object) -> None:
    ensure_filesystem_broker_folders()
    # In the main process, before the pool forks: children inherit the variables and the limits
    # (and a solo pool runs its tasks here).
    limit_engine_threads(engine_threads_per_process(getattr(sender, "concurrency", None)))


@worker_process_init.connect
def _prepare_pool_process(**_: object) -> None:
    # A pool child forked (or spawned) from the main process: apply the same cap in it, for the
    # libraries it loaded itself.
    limit_engine_threads(int(os.environ.get("KINDRED_ENGINE_THREADS", "1")))


@app.task(name="kindred.worker_threads")
def worker_threads() -> dict[str, object]:
    """What this worker process's engine libraries run with (for operators and tests)."""
    import numpy  # noqa: F401  (loads OpenBLAS)
    import sklearn.utils  # noqa: F401  (loads the OpenMP runtime)
    from threadpoolctl import threadpool_info

    return {
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "engine_threads": int(os.environ.get("KINDRED_ENGINE_THREADS", "0")),
        "pools": sorted({(info["user_api"], info["num_threads"]) for info in threadpool_info()}),
    }


_broker_folders_ready = False


@before_task_publish.connect
def _prepare_publisher(**_: object) -> None:
    global _broker_folders_ready
    if not _broker_folders_ready:
        ensure_filesystem_broker_folders()
        _broker_folders_ready = True
