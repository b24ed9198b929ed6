"""docker-compose.yml and the Dockerfile describe a stack that can start: every command names code
that exists, every service finds the others by their service names, and start order follows health.
No Docker engine runs here, so the file is checked by parsing, and by `docker-compose config` when
that tool is installed (.ci/run installs it)."""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from backend import celery_queues
from tests.support.worker import BASE_DIR

COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
APP_SERVICES = ("migrate", "web", "worker", "worker-runs", "beat")
WORKERS = ("worker", "worker-runs")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def command_of(service: dict) -> list[str]:
    command = service["command"]
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def module_exists(dotted: str) -> bool:
    return importlib.util.find_spec(dotted) is not None


def test_the_stack_has_its_services_on_the_expected_images(compose):
    services = compose["services"]
    assert set(services) == {"postgres", "redis", *APP_SERVICES}
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["migrate"]["build"] == "."
    assert {services[name]["image"] for name in APP_SERVICES} == {"kindred-match:latest"}


def test_postgres_and_redis_have_healthchecks_and_postgres_keeps_its_data_in_a_volume(compose):
    postgres, redis = compose["services"]["postgres"], compose["services"]["redis"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    volume = postgres["volumes"][0].split(":")
    assert volume == ["postgres-data", "/var/lib/postgresql/data"]
    assert "postgres-data" in compose["volumes"]


def test_web_serves_the_wsgi_module_that_exists_under_gunicorn(compose):
    command = command_of(compose["services"]["web"])
    assert command[0] == "gunicorn"
    module, _, attribute = command[1].partition(":")
    assert module == "backend.wsgi"
    assert attribute == "application"
    assert module_exists(module)
    assert "--bind=0.0.0.0:8000" in command
    assert compose["services"]["web"]["ports"] == ["8000:8000"]


def test_worker_and_beat_run_the_backend_celery_app_and_beat_uses_the_database_scheduler(compose):
    for name in WORKERS:
        worker = command_of(compose["services"][name])
        assert worker[:4] == ["celery", "-A", "backend", "worker"], name
    beat = command_of(compose["services"]["beat"])
    assert beat[:4] == ["celery", "-A", "backend", "beat"]
    assert module_exists("backend.celery")
    scheduler = next(arg.split("=", 1)[1] for arg in beat if arg.startswith("--scheduler="))
    module, _, name = scheduler.partition(":")
    assert scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert hasattr(importlib.import_module(module), name)


def test_migrations_run_once_before_the_app_services_start(compose):
    services = compose["services"]
    assert command_of(services["migrate"]) == ["python", "manage.py", "migrate", "--noinput"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in ("web", *WORKERS, "beat"):
        assert services[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name


def test_the_app_services_use_the_production_settings_and_reach_postgres_and_redis_by_name(compose):
    for name in APP_SERVICES:
        env = compose["services"][name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "backend.settings.production", name
        assert module_exists(env["DJANGO_SETTINGS_MODULE"])
        assert "DJANGO_SECRET_KEY" in env
        assert "DJANGO_ALLOWED_HOSTS" in env

        database = urlsplit(env["DATABASE_URL"])
        assert database.scheme == "postgres"
        assert database.hostname == "postgres"
        assert database.port == 5432
        assert database.path == "/kindred"
        postgres_env = compose["services"]["postgres"]["environment"]
        assert database.username == postgres_env["POSTGRES_USER"]
        assert database.path.lstrip("/") == postgres_env["POSTGRES_DB"]

        broker = urlsplit(env["CELERY_BROKER_URL"])
        assert (broker.scheme, broker.hostname, broker.port) == ("redis", "redis", 6379)


def test_the_secret_key_has_no_default_in_the_compose_file(compose):
    secret = compose["services"]["web"]["environment"]["DJANGO_SECRET_KEY"]
    assert secret.startswith("${DJANGO_SECRET_KEY:?")


def test_the_dockerfile_builds_a_python_311_slim_image_that_runs_as_a_non_root_user():
    lines = [line.strip() for line in (BASE_DIR / "Dockerfile").read_text().splitlines()]
    assert lines[[line.startswith("FROM") for line in lines].index(True)] == "FROM python:3.11-slim"
    text = "\n".join(lines)
    # installs the project held to the versions the suite passed with (and the file is sent)
    assert "pip install -c constraints.txt ." in text
    assert "constraints.txt" not in (BASE_DIR / ".dockerignore").read_text().split()
    assert "collectstatic --noinput" in text
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users
    assert users[-1] not in {"root", "0"}
    assert ".venv" in (BASE_DIR / ".dockerignore").read_text().split()


@pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose is not installed"
)
def test_docker_compose_accepts_the_file():
    env = {**os.environ, "DJANGO_SECRET_KEY": "x" * 64}
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE_FILE), "config", "-q"],
        cwd=Path(COMPOSE_FILE).parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose is not installed"
)
def test_docker_compose_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE_FILE), "config", "-q"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def option_of(command: list[str], name: str) -> str:
    return next(arg.split("=", 1)[1] for arg in command if arg.startswith(f"{name}="))


def test_full_runs_have_a_worker_of_their_own_and_the_other_worker_takes_every_other_queue(compose):
    """A full run's chunks never hold up a profile edit's rematch or a notice: the runs queue is
    consumed by its own worker only, and between them the workers consume every queue a task is
    routed to (backend/celery_queues.py)."""
    queues = {
        name: set(option_of(command_of(compose["services"][name]), "--queues").split(","))
        for name in WORKERS
    }
    assert queues["worker-runs"] == {celery_queues.RUNS}
    assert celery_queues.RUNS not in queues["worker"]
    declared = {queue.name for queue in celery_queues.task_queues()}
    assert queues["worker"] | queues["worker-runs"] == declared
    routed = {route["queue"] for route in celery_queues.task_routes().values()}
    assert routed | {celery_queues.DEFAULT_QUEUE} <= declared
    hostnames = {option_of(command_of(compose["services"][name]), "--hostname") for name in WORKERS}
    assert len(hostnames) == len(WORKERS)  # two nodes, each named, %h keeps scaled copies apart


def test_workers_cap_the_engines_threads_and_let_idle_threads_sleep(compose):
    for name in WORKERS:
        env = compose["services"][name]["environment"]
        assert env["OMP_WAIT_POLICY"] == "passive", name
        threads = env["ENGINE_THREADS_PER_WORKER"]
        assert threads.startswith("${ENGINE_THREADS_PER_WORKER:-"), name
        assert int(threads.rstrip("}").rsplit("-", 1)[1]) >= 1


def test_redis_keeps_the_queue_in_an_append_only_file_synced_every_second_on_a_volume(compose):
    redis = compose["services"]["redis"]
    command = command_of(redis)
    assert command[0] == "redis-server"
    assert command[command.index("--appendonly") + 1] == "yes"
    assert command[command.index("--appendfsync") + 1] == "everysec"
    assert redis["volumes"] == ["redis-data:/data"]  # the image's working dir, where AOF lives
    assert "redis-data" in compose["volumes"]
