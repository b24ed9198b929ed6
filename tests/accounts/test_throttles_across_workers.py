"""Throttles and lockouts hold across processes (issue 9: under gunicorn with 2 workers, 130 wrong
logins were never throttled, because each worker counted in its own memory). A real gunicorn with
two workers, each serving a single request and then replaced by a fresh process, shares this
test's database (SQLite file or PostgreSQL test database) and so its cache table and lockouts."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import PASSWORD, UserFactory
from tests.support.worker import worker_environment

GUNICORN = Path(sys.executable).with_name("gunicorn")
READY_TIMEOUT = 60.0
RATE = 8  # per minute, for the auth scope of the server under test


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def gunicorn(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("wb")
    env = worker_environment({"KINDRED_TEST_THROTTLE_RATE": f"{RATE}/minute"})
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "backend.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            # Each request in a process that never served one: memory shared by nothing.
            "--max-requests",
            "1",
            "--preload",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=5)  # noqa: S310
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail((tmp_path / "gunicorn.log").read_text(errors="replace"))
                time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        log.close()


def sign_in(base: str, email: str, password: str, forwarded_for: str) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310
        f"{base}/api/v1/auth/token/",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded_for},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.django_db(transaction=True)
def test_two_gunicorn_workers_share_the_lockout_and_the_throttle(tmp_path):
    """Given Ada's account and a server of two workers where every request meets a fresh process,
    when a guesser sends 12 wrong passwords, each with a random X-Forwarded-For, then the 5th to
    8th answers are the lockout (the right password among them too) and from the 9th on the
    auth throttle refuses them: both were counted in the shared store, not in a process."""
    UserFactory.create(email="ada@example.org")
    rng = random.Random(12)
    with gunicorn(tmp_path) as base:
        answers = []
        for n in range(12):
            password = PASSWORD if n == 6 else f"guess-{n}"
            address = ".".join(str(rng.randint(1, 254)) for _ in range(4))
            answers.append(sign_in(base, "ada@example.org", password, address))

    codes = [(status, body["error"]["code"]) for status, body in answers]
    assert codes[:4] == [(400, "invalid_credentials")] * 4
    assert codes[4:RATE] == [(429, "locked_out")] * (RATE - 4)
    assert codes[RATE:] == [(429, "throttled")] * (12 - RATE)
