"""Test runs: the same embedded defaults, isolated per test process, fast password hashing."""

import os

from .base import *  # noqa: F403  (settings modules extend the base namespace by design)
from .base import CACHE_TABLE, CELERY_BROKER_URL, DATABASES, LOGGING, REST_FRAMEWORK, VAR_DIR

# Argon2 is deliberately slow; tests hash hundreds of passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Every scope far above what a story reaches; a server process started by a test
# (tests/accounts/test_throttles_across_workers.py) is given a tight one.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = dict.fromkeys(
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    os.environ.get("KINDRED_TEST_THROTTLE_RATE", "1000/minute"),
)

# The database cache even when the broker is Redis (CI): a Redis cache is one store for every
# test process on the machine, so xdist workers would share throttle histories (all of them come
# from 127.0.0.1) and one test's cache.clear() would empty another's. The test database is this
# process's own, and a test's rows (and cache entries) roll back with it.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
}

# Each test process gets its own database file and broker folder, so two runs (or xdist workers)
# never share state, and a developer's running worker never consumes a test's messages.
# A worker process started by a test (tests/support/worker.py) is given its parent's run id in
# KINDRED_TEST_RUN_ID, so both open the same database file and the same broker folder.
_run = os.environ.get("KINDRED_TEST_RUN_ID") or (
    f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
)
TEST_RUN_ID = _run
TEST_RUN_DIR = VAR_DIR / "test-runs" / _run

# The refusal log of a test run stays in the run's folder: a test that moves the clock forward
# would otherwise rotate (and date in the future) the developer's var/log/security.log.
if "security_file" in LOGGING["handlers"]:
    TEST_RUN_DIR.mkdir(parents=True, exist_ok=True)
    LOGGING["handlers"]["security_file"]["filename"] = str(TEST_RUN_DIR / "security.log")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not ":memory:", so a real worker process started by a test can open the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_RUN_DIR / "db.sqlite3")}
    TEST_RUN_DIR.mkdir(parents=True, exist_ok=True)

if CELERY_BROKER_URL.startswith("filesystem://"):
    BROKER_FILESYSTEM_DIR = TEST_RUN_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(BROKER_FILESYSTEM_DIR / "queue"),
        "processed_folder": str(BROKER_FILESYSTEM_DIR / "processed"),
        "control_folder": str(BROKER_FILESYSTEM_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
else:
    # A broker server is shared by every test process on the machine: a queue of this run's own
    # keeps another process's worker from taking (and recording in its own database) our tasks.
    CELERY_TASK_DEFAULT_QUEUE = f"kindred-test-{_run}"
