"""`make run`'s script, for real: on the embedded defaults it migrates, seeds the demo, starts the
web server, a worker and beat, hands the first full matching run to the worker (so a newcomer sees
suggestions within seconds), and Ctrl-C (SIGINT to its process group, as a terminal sends it)
stops every process it started.

Whatever happens in the test (an assertion fails, a wait runs out, pytest is interrupted), the
fixture's finalizer leaves nothing running: scripts/run.sh starts each service with ``setsid``, in a
session of its own, so killing the script's process group does not reach them, and a service
whose parent died is adopted by init and no longer counts as the script's child. The finalizer finds
them anyway (DemoRun.processes): by the session each service leads, and by the files they hold
under this test's own var dir (their logs, the SQLite file).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import psutil
import pytest

from tests.support.worker import BASE_DIR

pytestmark = pytest.mark.worker

# Generous limits: on this shared 2-core machine the script's first start (pip check, migrate, the
# demo seed, runserver's system checks, worker and beat importing the apps) takes ~30-60 s idle
# and has taken minutes under load. A limit only ends a test that is stuck.
#: Until /healthz answers.
START_TIMEOUT = 300.0
#: After /healthz answered, until the worker has stored the first suggestion.
SUGGESTIONS_TIMEOUT = 240.0
#: One HTTP request to the development server.
HTTP_TIMEOUT = 30.0
#: Ctrl-C until the script has exited (it gives Celery's warm shutdown up to 15 s itself).
STOP_TIMEOUT = 90.0
#: SIGKILL until the processes are gone, and until their port is free again.
REAP_TIMEOUT = 60.0


def _free_port() -> int:
    """A port nothing listens on: the first free one of ``KINDRED_TEST_PORTS`` ("8140-8149") when
    that is set, so a shared machine's runs stay within their own range; else the system's pick."""
    first, _, last = os.environ.get("KINDRED_TEST_PORTS", "").partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for candidate in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in KINDRED_TEST_PORTS={os.environ['KINDRED_TEST_PORTS']}")


def _port_answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1.0)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _get(url: str, token: str | None = None) -> dict:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Token {token}")
    with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
        return json.loads(response.read())


def _token(base: str, email: str) -> str:
    body = json.dumps({"email": email, "password": "kindred-demo-2026"}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token/", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
        return json.loads(response.read())["token"]


@dataclass
class DemoRun:
    """scripts/run.sh running in a process group of its own, its output in a file."""

    process: subprocess.Popen[bytes]
    port: int
    var_dir: Path
    log_path: Path
    log: IO[bytes]
    #: Session ids seen among the script's processes: its own, and each service's (setsid).
    sessions: set[int] = field(default_factory=set)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def _holds_a_file_here(self, proc: psutil.Process) -> bool:
        var = str(self.var_dir)
        return any(f.path.startswith(var) for f in proc.open_files())

    def processes(self) -> list[psutil.Process]:
        """Every live process the script started, at any depth, orphaned or not: its descendants,
        whatever runs in a session seen among them, whatever holds a file under its var dir.
        (Not an environment marker: Celery's setproctitle blanks /proc/<pid>/environ.)"""
        found: dict[int, psutil.Process] = {}
        with contextlib.suppress(psutil.Error):
            leader = psutil.Process(self.process.pid)
            found = {p.pid: p for p in [leader, *leader.children(recursive=True)]}
        self.sessions.add(self.process.pid)  # start_new_session: the script leads its own
        for proc in psutil.process_iter():
            if proc.pid in found or proc.pid == os.getpid():
                continue
            with contextlib.suppress(psutil.Error, OSError):
                if os.getsid(proc.pid) in self.sessions or self._holds_a_file_here(proc):
                    found[proc.pid] = proc
        live = []
        for proc in found.values():
            with contextlib.suppress(psutil.Error, OSError):
                if proc.status() != psutil.STATUS_ZOMBIE:
                    self.sessions.add(os.getsid(proc.pid))
                    live.append(proc)
        return live

    def ctrl_c(self) -> None:
        """What a terminal sends on Ctrl-C: SIGINT to the foreground process group (the script's)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)

    def clean_up_keeping_port(self) -> list[str]:
        """``clean_up`` for a run refused because another server holds its port."""
        return self.clean_up(port_ours=False)

    def clean_up(self, *, port_ours: bool = True) -> list[str]:
        """Stop whatever is left, however the test ended; the problems found (none when the
        script had stopped everything itself)."""
        problems = []
        self.processes()  # learn the services' sessions while the script still lists them
        if self.process.poll() is None:
            self.ctrl_c()  # let its trap stop the services first, as a user's Ctrl-C would
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_TIMEOUT)
        left = self.processes()
        if left:
            problems.append(f"still running after the script: {[p.pid for p in left]}")
        deadline = time.monotonic() + REAP_TIMEOUT
        while left and time.monotonic() < deadline:
            for proc in left:
                with contextlib.suppress(OSError):
                    os.killpg(proc.pid, signal.SIGKILL)  # each service leads a group of its own
                with contextlib.suppress(psutil.Error):
                    proc.kill()
            psutil.wait_procs(left, timeout=5)
            left = self.processes()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # the script's own group (match_all, curl)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=REAP_TIMEOUT)
        if left:
            problems.append(f"survived SIGKILL: {[p.pid for p in left]}")
        while port_ours and _port_answers(self.port) and time.monotonic() < deadline:
            time.sleep(0.5)
        if port_ours and _port_answers(self.port):
            problems.append(f"port {self.port} still answers")
        self.log.close()
        return problems


def _start(tmp_path: Path, port: int, extra: dict[str, str] | None = None) -> DemoRun:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_"))}
    env.pop("KINDRED_TEST_RUN_ID", None)
    env.update(
        KINDRED_VAR_DIR=str(tmp_path / "var"),
        PORT=str(port),
        VENV=str(Path(sys.executable).parent.parent),
        DJANGO_SETTINGS_MODULE="backend.settings.local",
        **(extra or {}),
    )
    log_path = tmp_path / "run.log"
    log = log_path.open("wb")  # a file, not a pipe: a full pipe would stall the script
    process = subprocess.Popen(
        ["bash", "scripts/run.sh"],
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, which the Ctrl-C goes to
    )
    return DemoRun(process=process, port=port, var_dir=tmp_path / "var", log_path=log_path, log=log)


@pytest.fixture
def demo_run(tmp_path: Path) -> Iterator[DemoRun]:
    run = _start(tmp_path, _free_port())
    try:
        yield run
    finally:
        problems = run.clean_up()
    assert problems == [], run.output()[-3000:]


def test_make_run_serves_the_demo_with_suggestions_and_ctrl_c_stops_everything(demo_run):
    """Given a fresh machine (an empty var/), when a newcomer runs `make run`, then the demo is
    served with suggestions already made, the logins are printed, and Ctrl-C stops the web
    server, the worker (with its pool) and beat."""
    health = None
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and demo_run.process.poll() is None:
        try:
            health = _get(f"{demo_run.base}/healthz")
            break
        except OSError:
            time.sleep(0.5)
    assert health is not None, "the web server never answered /healthz:\n" + demo_run.output()
    assert health["database"]["ok"]
    assert health["broker"]["ok"]
    demo_run.processes()  # note the services' sessions early, in case the script dies later
    _assert_served_as_deployed(demo_run.base)

    token = _token(demo_run.base, "coordinator@demo.kindred")
    queue: dict = {}
    deadline = time.monotonic() + SUGGESTIONS_TIMEOUT
    while time.monotonic() < deadline:
        try:
            queue = _get(f"{demo_run.base}/api/v1/matches/?limit=1", token)
        except ConnectionError:
            # runserver's autoreloader restarts the server when a source file changes (someone
            # editing the checkout while this runs): ask again once it is back.
            time.sleep(0.5)
            continue
        if queue.get("count"):
            break
        time.sleep(0.5)
    assert queue.get("count", 0) > 0, "no suggestion appeared for the demo roles"
    assert 2 <= len(queue["results"][0]["reasons"]) <= 4

    started = demo_run.processes()
    commands = [" ".join(p.cmdline()) for p in started]
    assert any("runserver" in c for c in commands), commands
    assert any("worker" in c for c in commands), commands
    assert any(" beat " in f"{c} " for c in commands), commands

    demo_run.ctrl_c()
    assert demo_run.process.wait(timeout=STOP_TIMEOUT) == 130  # the script's INT trap
    output = demo_run.output()
    assert "Demo logins" in output
    assert f"{demo_run.base}/api/v1/docs/" in output
    _, alive = psutil.wait_procs(started, timeout=REAP_TIMEOUT)
    assert not alive, f"still running after Ctrl-C: {[p.pid for p in alive]}"
    assert demo_run.processes() == []
    assert not _port_answers(demo_run.port)


def _fetch(url: str) -> tuple[int, str, str]:
    """Status, content type and body of a GET, an error status included."""
    try:
        with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def _assert_served_as_deployed(base: str) -> None:
    """DEBUG is off, as a deployment runs: a missing page is the friendly one (not Django's debug
    page, which lists the URL patterns), and the pages' styles are still served."""
    status, _, body = _fetch(f"{base}/no-such-page/")
    assert status == 404
    assert "<h1>Page not found</h1>" in body
    assert "URLconf" not in body
    status, kind, css = _fetch(f"{base}/static/pages/site.css")
    assert status == 200
    assert kind.startswith("text/css")
    assert ".button" in css
    home_status, _, home = _fetch(f"{base}/")
    assert home_status == 200
    assert "/static/pages/site.css" in home


BANNER = "Kindred Match is running"


def _wait_for_banner(run: DemoRun) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and run.process.poll() is None:
        if BANNER in run.output():
            return
        time.sleep(0.5)
    raise AssertionError("the script never said it was running:\n" + run.output()[-3000:])


@pytest.mark.parametrize(
    ("sig", "status", "how"),
    [
        (signal.SIGHUP, 129, "the terminal is closed"),
        (signal.SIGTERM, 143, "it is sent SIGTERM"),
    ],
    ids=["SIGHUP", "SIGTERM"],
)
def test_closing_the_terminal_or_sigterm_stops_everything_it_started(demo_run, sig, status, how):
    """Given `make run` running (web server, the two workers and beat), when the terminal is
    closed (SIGHUP to its process group) or it is sent SIGTERM, then it stops every process it
    started and frees its port."""
    _wait_for_banner(demo_run)
    started = demo_run.processes()
    commands = [" ".join(p.cmdline()) for p in started]
    assert any("runserver" in c for c in commands), commands
    assert any("-Q runs" in c for c in commands), commands  # the worker for full runs
    assert any("-Q rematch,notifications,celery" in c for c in commands), commands
    assert any(" beat " in f"{c} " for c in commands), commands
    assert _get(f"{demo_run.base}/healthz")["broker"]["ok"]

    if sig == signal.SIGHUP:  # the terminal's hang-up goes to its foreground process group
        os.killpg(demo_run.process.pid, sig)
    else:
        os.kill(demo_run.process.pid, sig)
    assert demo_run.process.wait(timeout=STOP_TIMEOUT) == status
    _, alive = psutil.wait_procs(started, timeout=REAP_TIMEOUT)
    assert not alive, f"still running after {sig.name}: {[p.pid for p in alive]}"
    assert demo_run.processes() == []
    assert not _port_answers(demo_run.port)


def test_a_port_in_use_is_refused_before_anything_starts(tmp_path):
    """Given a server already listening on the port (say one an earlier run left behind), when
    `make run` starts, then it says so and how to choose another port, and exits at once: nothing
    migrated, nothing started, no "running" banner over somebody else's server."""
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", _free_port()))
        squatter.listen()
        port = squatter.getsockname()[1]
        run = _start(tmp_path, port)
        try:
            status = run.process.wait(timeout=STOP_TIMEOUT)
        finally:
            problems = run.clean_up_keeping_port()
    output = run.output()
    assert status == 1, output
    assert f"port {port} is already in use" in output
    assert "PORT=8001 make run" in output
    assert BANNER not in output
    assert "migrating" not in output
    assert not run.var_dir.exists()
    assert problems == [], output


def test_a_service_that_does_not_start_is_named_and_nothing_is_said_to_be_running(tmp_path):
    """Given the worker for full runs cannot start (here: a concurrency that is no number), when
    `make run` starts, then it names that worker, stops the web server, the other worker and beat,
    and exits with 1, never printing the "running" banner."""
    run = _start(tmp_path, _free_port(), extra={"RUN_WORKER_CONCURRENCY": "none"})
    try:
        status = run.process.wait(timeout=START_TIMEOUT + STOP_TIMEOUT)
    finally:
        problems = run.clean_up()
    output = run.output()
    assert status == 1, output[-3000:]
    assert "the run-worker exited while starting" in output
    assert BANNER not in output
    assert problems == [], output[-3000:]
