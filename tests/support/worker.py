"""A real Celery worker process for tests that need one.

    @pytest.mark.django_db(transaction=True)   # rows must be committed for the worker to see them
    def test_the_worker_pongs():
        with running_worker() as worker:
            assert ping.delay().get(timeout=TASK_RESULT_TIMEOUT) == "pong"

The worker runs ``celery -A backend worker`` with the test settings and shares this test process's
database (the SQLite file pytest-django created, or the PostgreSQL test database) and broker (this
run's filesystem folder, or its own queue on a Redis server; see backend/settings/test.py). It runs in
a process group of its own, and leaving the ``with`` block ends the whole group, even when the test
failed or killed the worker's main process itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

import psutil
from django.conf import settings
from django.db import connection

from tests.support.broker import broker_mark_used

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")

# A cold worker imports Django, scikit-learn and the apps in about 2-4 s on this 2-core machine;
# 60 s leaves room for a loaded CI run without hiding a worker that never starts.
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
#: How long a test waits for a task's result from a real worker (``result.get(timeout=...)``). A
#: ping takes ~0.1 s on an idle machine, but this 2-core box is shared (xdist's two processes, other
#: people's runs, a worker still importing scikit-learn for its first task), and a ping once took
#: over the 10 s it was given. 60 s is far above any load seen yet still ends a test whose worker
#: never answers within a minute, not at pytest's or CI's own limit.
TASK_RESULT_TIMEOUT = 60.0


class WorkerDidNotStart(RuntimeError):
    pass


def database_url_for_worker() -> str:
    """The URL of the database this test process uses right now (the test database, not the
    configured one)."""
    sd = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(sd["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise RuntimeError("a worker process cannot share an in-memory SQLite database")
        return f"sqlite:///{name}"
    if connection.vendor == "postgresql":
        user = quote(sd.get("USER") or "", safe="")
        password = quote(sd.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = sd.get("HOST") or "127.0.0.1"
        port = f":{sd['PORT']}" if sd.get("PORT") else ""
        return f"postgres://{auth}{host}{port}/{quote(str(sd['NAME']), safe='')}"
    raise RuntimeError(f"no worker database URL for vendor {connection.vendor!r}")


def worker_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a child process needs to share this test process's database and broker."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="backend.settings.test",
        DATABASE_URL=database_url_for_worker(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        KINDRED_TEST_RUN_ID=settings.TEST_RUN_ID,
        CELERY_TASK_ALWAYS_EAGER="false",
        PYTHONUNBUFFERED="1",
    )
    if settings.VAR_DIR:
        env["KINDRED_VAR_DIR"] = str(settings.VAR_DIR)
    env.update(extra or {})
    return env


class WorkerProcess:
    def __init__(self, popen: subprocess.Popen[bytes], log_path: Path, hostname: str) -> None:
        self.popen = popen
        self.log_path = log_path
        self.hostname = hostname
        self._known_pids: set[int] = {popen.pid}

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self) -> str:
        """Everything the worker has logged so far (stdout and stderr)."""
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def child_pids(self) -> list[int]:
        """The pool processes (and any other descendants) of the main worker process."""
        try:
            children = psutil.Process(self.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        pids = [child.pid for child in children]
        self._known_pids.update(pids)
        return pids

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send a signal to the main worker process only (not its pool children)."""
        self.child_pids()  # remember the children, so stop() can find them if they are orphaned
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, sig)

    def is_running(self) -> bool:
        return self.popen.poll() is None

    def wait_until_ready(self, timeout: float = READY_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # Celery logs "<hostname> ready." once the consumer is connected and consuming.
            if f"{self.hostname} ready." in self.output():
                self.child_pids()
                return
            if self.popen.poll() is not None:
                raise WorkerDidNotStart(
                    f"worker exited with {self.popen.returncode} before it was ready:\n"
                    + self.output()[-5000:]
                )
            time.sleep(0.05)
        raise WorkerDidNotStart(f"worker not ready after {timeout} s:\n" + self.output()[-5000:])

    def _alive(self) -> list[psutil.Process]:
        alive = []
        for pid in self._known_pids:
            try:
                proc = psutil.Process(pid)
                if proc.status() != psutil.STATUS_ZOMBIE:
                    alive.append(proc)
            except psutil.NoSuchProcess:
                continue
        return alive

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM (Celery's warm shutdown) to the group, SIGKILL to whatever is left after
        ``timeout``. Returns once no process of the worker is left."""
        self.child_pids()
        # SIGTERM to the main process only: it shuts its pool down itself. Signalling the pool
        # children too makes the main process wait for them as lost workers (seen: 6 s, not 0.5 s).
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=timeout)
        # The group outlives its leader: pool children of a killed main process are still in it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        for proc in self._alive():
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=timeout)
        psutil.wait_procs(self._alive(), timeout=timeout)
        left = self._alive()
        if left:
            raise RuntimeError(f"worker processes survived SIGKILL: {[p.pid for p in left]}")


@contextlib.contextmanager
def running_worker(
    *,
    env: dict[str, str] | None = None,
    queues: Sequence[str] | None = None,
    concurrency: int = 1,
    pool: str = "prefork",
    loglevel: str = "INFO",
) -> Iterator[WorkerProcess]:
    """Start a real worker sharing this test process's database and broker; stop it on exit.

    ``env`` is added to (and overrides) the worker's environment; ``queues`` defaults to the
    worker's default queue, which is this test run's own.
    """
    run_dir = Path(settings.TEST_RUN_DIR)
    broker_mark_used()  # the worker publishes too (a run's chunks); purge before the next test
    with worker_process(
        env=worker_environment(env),
        log_dir=run_dir,
        queues=queues,
        concurrency=concurrency,
        pool=pool,
        loglevel=loglevel,
    ) as worker:
        yield worker


@contextlib.contextmanager
def worker_process(
    *,
    env: dict[str, str],
    log_dir: Path,
    queues: Sequence[str] | None = None,
    concurrency: int = 1,
    pool: str = "prefork",
    loglevel: str = "INFO",
) -> Iterator[WorkerProcess]:
    """The process management under ``running_worker``, for a worker whose environment the caller
    builds entirely (e.g. one pointed at a database and broker of its own)."""
    hostname = f"kindred-test-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"worker-{uuid.uuid4().hex[:8]}.log"
    command = [
        str(CELERY),
        "-A",
        "backend",
        "worker",
        "--loglevel",
        loglevel,
        "--pool",
        pool,
        "--concurrency",
        str(concurrency),
        "--hostname",
        hostname,
        "--without-gossip",
        "--without-mingle",
    ]
    if queues:
        command += ["--queues", ",".join(queues)]
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own, so stop() reaches every child
        )
    worker = WorkerProcess(popen, log_path, hostname)
    try:
        worker.wait_until_ready()
        yield worker
    finally:
        worker.stop()
