"""Run the matching engine's tests with Django, DRF and Celery made unimportable.

The engine (matching/engine/) is a library of numpy, scipy and scikit-learn; import-linter checks
its imports statically, and this proves it at run time: any ``import django`` on the way fails
(tests/support/without_django.py, loaded in every xdist worker too).
Usage: python scripts/engine_tests_without_django.py [pytest arguments]
"""

from __future__ import annotations

import sys

import pytest

ARGS = [
    "-q",
    "-p",
    "tests.support.without_django",
    "-p",
    "no:django",
    "-p",
    "no:cacheprovider",
    "--noconftest",
    "tests/matching/engine",
]

if __name__ == "__main__":
    sys.exit(pytest.main([*ARGS, *sys.argv[1:]]))
