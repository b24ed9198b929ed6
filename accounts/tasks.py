"""Celery tasks of accounts (found by autodiscovery): importing the modules registers them.
``email_tasks``: the verification, reset and password-change emails; ``retention_tasks``: the
daily retention sweep (its warning emails are sent by ``accounts/services/retention.py``). Tasks take ids, are safe to run twice and are queued after commit."""

from accounts import email_tasks, retention_tasks  # noqa: F401  (registers their tasks)
