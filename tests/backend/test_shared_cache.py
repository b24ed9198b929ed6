"""Throttle counters and lockouts live in one cache that every process shares: Redis in production
(the broker's server, a database of its own), Django's database cache on the embedded defaults,
never per-process memory (issue 9: 130 wrong logins over two gunicorn workers were never throttled)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

from backend.settings.base import CACHE_TABLE, default_cache_url

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
SETTINGS_PROBE = (
    "import json; from django.conf import settings; print(json.dumps(settings.CACHES['default']))"
)


def cache_of(settings_module: str, **env: str) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CACHE_URL", "CELERY_BROKER_URL", "DATABASE_URL")
    }
    clean.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DJANGO_SECRET_KEY="probe",
        DJANGO_ALLOWED_HOSTS="kindred.example",
        **env,
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SETTINGS_PROBE}"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", ["backend.settings.local", "backend.settings.production"])
def test_the_embedded_defaults_use_the_database_cache_not_process_memory(module):
    """Given no CACHE_URL and no Redis broker, when the settings load, then the cache is Django's
    database cache (one table every worker reads), never LocMem."""
    config = cache_of(module)

    assert config["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert config["LOCATION"] == CACHE_TABLE


def test_production_with_a_redis_broker_caches_in_its_own_database_of_that_server():
    """Given production's broker is Redis database 0, when the settings load, then the cache is
    the same Redis server's database 1 (the broker's keys and the cache's never mix)."""
    config = cache_of("backend.settings.production", CELERY_BROKER_URL="redis://redis:6379/0")

    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == "redis://redis:6379/1"


@pytest.mark.parametrize(
    ("broker", "expected"),
    [
        ("redis://redis:6379/0", "redis://redis:6379/1"),
        ("redis://:secret@redis:6379", "redis://:secret@redis:6379/1"),
        ("rediss://h:6380/3?ssl_cert_reqs=none", "rediss://h:6380/1?ssl_cert_reqs=none"),
        ("filesystem://", f"dbcache://{CACHE_TABLE}"),
    ],
)
def test_the_default_cache_url_follows_the_broker(broker, expected):
    assert default_cache_url(broker, redis_db=1) == expected


def test_the_tests_run_on_a_shared_cache_too():
    assert settings.CACHES["default"]["BACKEND"] != LOCMEM


@pytest.mark.django_db
def test_the_database_cache_table_exists_after_migrate():
    """Given the test database was made by migrate, then the cache table is there and works."""
    cache.set("kindred-probe", 42, 30)

    assert cache.get("kindred-probe") == 42


@pytest.mark.redis
@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis://"),
    reason="CELERY_BROKER_URL does not point at Redis (set CELERY_BROKER_URL=redis://...)",
)
def test_the_production_cache_is_a_database_of_the_brokers_redis_of_its_own():
    """Given the broker's Redis server (CI), then the cache production would use stores there, in
    its own database and not the broker's, and another client (another process) reads it back."""
    location = default_cache_url(settings.CELERY_BROKER_URL, redis_db=1)
    production_cache = RedisCache(location, {"KEY_PREFIX": "kindred-test"})
    key = f"probe-{uuid.uuid4().hex}"
    production_cache.set(key, "shared", 30)
    try:
        stored = production_cache.make_key(key)
        assert redis.Redis.from_url(location).exists(stored) == 1
        assert redis.Redis.from_url(settings.CELERY_BROKER_URL).exists(stored) == 0
        assert RedisCache(location, {"KEY_PREFIX": "kindred-test"}).get(key) == "shared"
    finally:
        production_cache.delete(key)
