"""`make run`'s script, for real: on the embedded defaults it migrates, seeds the demo, starts the
web server, a worker and beat, hands the first full matching run to the worker (so a newcomer sees
suggestions within seconds), and Ctrl-C (SIGINT to its process group, as a terminal sends it)
stops every process it started."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.support.worker import BASE_DIR

pytestmark = pytest.mark.worker


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, token: str | None = None) -> dict:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Token {token}")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def _token(base: str, email: str) -> str:
    body = json.dumps({"email": email, "password": "kindred-demo-2026"}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token/", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())["token"]


def test_make_run_serves_the_demo_with_suggestions_and_ctrl_c_stops_everything(tmp_path: Path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_"))}
    env.pop("KINDRED_TEST_RUN_ID", None)
    env.update(
        KINDRED_VAR_DIR=str(tmp_path / "var"),
        PORT=str(port),
        VENV=str(Path(sys.executable).parent.parent),
        DJANGO_SETTINGS_MODULE="backend.settings.local",
    )
    log = (tmp_path / "run.log").open("wb")  # a file, not a pipe: a full pipe would stall it
    process = subprocess.Popen(
        ["bash", "scripts/run.sh"],
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        health = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                health = _get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.5)
        assert health is not None, "the web server never answered /healthz"
        assert health["database"]["ok"] and health["broker"]["ok"]

        token = _token(base, "coordinator@demo.kindred")
        queue: dict = {}
        while time.monotonic() < deadline:
            queue = _get(f"{base}/api/v1/matches/?limit=1", token)
            if queue["count"]:
                break
            time.sleep(0.5)
        assert queue["count"] > 0, "no suggestion appeared for the demo roles"
        assert 2 <= len(queue["results"][0]["reasons"]) <= 4

        started = psutil.Process(process.pid).children(recursive=True)
        assert len(started) >= 3  # web, worker (and its pool), beat

        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
        output = (tmp_path / "run.log").read_text()
        assert "Demo logins" in output and f"{base}/api/v1/docs/" in output
        _, alive = psutil.wait_procs(started, timeout=10)
        assert not alive, f"still running after Ctrl-C: {[p.pid for p in alive]}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
