"""A pytest plugin (``-p tests.support.without_django``) that makes Django, DRF and Celery
unimportable before any test module is collected, in the main process and in every xdist worker
(workers load the same ``-p`` plugins). scripts/engine_tests_without_django.py runs the engine's
tests with it."""

from __future__ import annotations

import sys

BLOCKED = ("django", "rest_framework", "celery", "kombu")

for name in BLOCKED:
    sys.modules[name] = None  # type: ignore[assignment]  # importing it now raises ImportError
