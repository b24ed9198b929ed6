"""`manage.py check --deploy` with the production settings, as docker-compose.yml runs them."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from tests.support.worker import BASE_DIR


def deploy_check(*extra: str, secret_key: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="backend.settings.production",
        DJANGO_SECRET_KEY=secret_key or secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="kindred.example",
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING", *extra],
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_production_settings_pass_every_deploy_check_without_a_warning():
    # All tags: Django's security checks and drf-spectacular's schema check (W001 warnings
    # mean the published OpenAPI schema has an unresolved view or enum name).
    result = deploy_check()

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_the_production_security_settings_pass_the_security_checks():
    result = deploy_check("--tag", "security")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_short_secret_key_fails_the_deploy_check():
    # Proves the check above really reads DJANGO_SECRET_KEY from the environment.
    result = deploy_check("--tag", "security", secret_key="too-short")

    assert result.returncode == 1
    assert "security.W009" in result.stderr
