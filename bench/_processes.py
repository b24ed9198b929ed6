"""Stopping the servers and workers a benchmark started (gunicorn, Celery workers)."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

#: How long a process may take to finish its work after SIGTERM before it is killed.
STOP_GRACE_SECONDS = 30


def processes_stop(processes: Sequence[subprocess.Popen]) -> None:
    """SIGTERM to every process at once, then wait for each; kill what outlives the grace."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
