"""pytest plugin for the mutation runs of bench/mutation.py (loaded with ``-p bench._mutmut_plugin``
inside mutmut's ``mutants/`` copy; never by the ordinary test suite).

* Each process gets its own SQLite test database. mutmut forks its workers from one process that
  has already loaded the settings, so without this two workers running at once would create and
  destroy the same file (backend/settings/test.py names it after the process that loaded them).
* Test files named in ``KINDRED_MUTATION_LAST`` (comma-separated) run after the others. mutmut stops
  at the first failure (``-x``), so a mutant that a fast story test kills never pays for the slow
  property tests; only a surviving mutant runs them all.
"""

from __future__ import annotations

import os
import re


def pytest_configure(config) -> None:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = database.setdefault("TEST", {}).get("NAME")
        if name:
            # Forked processes inherit the parent's already rewritten name: rewrite it, not append.
            stem = re.sub(r"-mutmut-\d+$", "", str(name).removesuffix(".sqlite3"))
            database["TEST"]["NAME"] = f"{stem}-mutmut-{os.getpid()}.sqlite3"


def pytest_collection_modifyitems(session, config, items) -> None:
    last = [p for p in os.environ.get("KINDRED_MUTATION_LAST", "").split(",") if p]
    if last:
        items.sort(key=lambda item: any(item.nodeid.startswith(p) for p in last))
