"""The servers and workers a benchmark starts (gunicorn with one Celery worker, on the production
settings) and stops."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
#: How long a process may take to finish its work after SIGTERM before it is killed.
STOP_GRACE_SECONDS = 30


def production_environment(*, var: Path, database_url: str, broker_url: str) -> dict[str, str]:
    """The environment of a loopback deployment on the production settings: its own database,
    broker (also the cache), var folder and secret key; mail goes nowhere; engine threads 1."""
    var.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CACHE_URL": broker_url,
        "KINDRED_VAR_DIR": str(var / "var"),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "OMP_WAIT_POLICY": "passive",
        "OMP_NUM_THREADS": "1",
    }


def web_and_worker_start(
    env: dict[str, str],
    *,
    var: Path,
    port: int,
    gunicorn_workers: int,
    hostname: str,
    ready_seconds: float = 90,
) -> list[subprocess.Popen[bytes]]:
    """gunicorn on 127.0.0.1:``port`` and one Celery worker (logs in ``var``), both on the
    production settings; returns once /healthz answers 200, or exits saying where the log is."""
    bin_dir = Path(sys.executable).parent
    prod = {**env, "DJANGO_SETTINGS_MODULE": "backend.settings.production"}

    def spawn(command: list[str], log: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=prod,
            stdout=(var / log).open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    web = spawn(
        [
            *(str(bin_dir / "gunicorn"), "backend.wsgi:application", "--bind", f"127.0.0.1:{port}"),
            *("--workers", str(gunicorn_workers), "--timeout", "60"),
        ],
        "gunicorn.log",
    )
    worker = spawn(
        [
            *(str(bin_dir / "celery"), "-A", "backend", "worker", "--loglevel", "WARNING"),
            *("--concurrency", "1", "--without-gossip", "--without-mingle"),
            *("--hostname", f"{hostname}@%h"),
        ],
        "worker.log",
    )
    deadline = time.monotonic() + ready_seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return [web, worker]
        except OSError:
            time.sleep(0.5)
    processes_stop([web, worker])
    raise SystemExit(
        f"gunicorn did not answer /healthz in {ready_seconds:.0f} s (see {var / 'gunicorn.log'})"
    )


def processes_stop(processes: Sequence[subprocess.Popen]) -> None:
    """SIGTERM to every process at once, then wait for each; kill what outlives the grace."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
