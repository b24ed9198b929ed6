"""Erasing an account: its own row, and what other tables hold that names it.

What stays is a row that names nobody, so that what the account did (audit entries, match
history) keeps pointing at something. Apps above accounts know more about some accounts (a
volunteer's profile, matches and notes): they register here, in their ``AppConfig.ready``, so
that this layer never imports them (pyproject.toml's layers):

* an *account eraser* (``account_eraser_register``) erases the accounts it knows, by the same
  service as their own request to be erased (a volunteer: ``DELETE volunteers/me/``), and says
  whether it did; ``account_erase`` (the retention sweep, staff's "Erase account" action) tries
  them in order, and an account none claims is erased by ``user_erase`` alone;
* an *erasure step* (``account_erasure_step_register``) deletes the rows of its app that name the
  account (invitations sent to its address): ``user_erase`` runs them before the address goes.
"""

from __future__ import annotations

import ast
import functools
import inspect
import json
from collections.abc import Callable, Iterable
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django_celery_results.models import TaskResult
from django_otp import devices_for_user

from accounts.models import DeviceToken

#: django-axes' tables of sign-in attempts, keyed by the address typed.
SIGN_IN_RECORDS = (AccessAttempt, AccessFailureLog, AccessLog)
#: The task parameter that carries an account's id. Tasks take ids (STYLE.md); a task result
#: whose arguments bind one of a person's ids to its name is about that person.
USER_ID_PARAMETER = "user_id"

AccountEraser = Callable[..., bool]
ErasureStep = Callable[..., object]
_account_erasers: list[AccountEraser] = []
_erasure_steps: list[ErasureStep] = []


def account_eraser_register(eraser: AccountEraser) -> None:
    """``eraser(user=...)`` erases the account and returns True, or returns False when the account
    is not one it knows. Registering twice (``ready`` run again in tests) is a no-op."""
    if eraser not in _account_erasers:
        _account_erasers.append(eraser)


def account_erasure_step_register(step: ErasureStep) -> None:
    """``step(user=...)`` deletes its app's rows naming the account (its address still set)."""
    if step not in _erasure_steps:
        _erasure_steps.append(step)


def sign_in_records(*, user: Any) -> list[dict[str, Any]]:
    """The account's recorded sign-ins and failed attempts (django-axes), oldest first: when, from
    which address and browser, and whether it was refused."""
    records = []
    for model in SIGN_IN_RECORDS:
        for row in model.objects.filter(username__iexact=user.email).order_by("pk"):
            time = getattr(row, "attempt_time", None)
            records.append(
                {
                    "kind": model._meta.model_name,
                    "at": time.isoformat() if time else None,
                    "ip_address": row.ip_address,
                    "user_agent": row.user_agent,
                    "failures": getattr(row, "failures_since_start", None),
                }
            )
    return records


def erased_email(user: Any) -> str:
    """A unique address that is no address: ``.invalid`` is reserved (RFC 2606)."""
    return f"erased-{user.pk}@invalid"


def _decoded(text: str | None) -> Any:
    """A stored task argument column: JSON (the result backend's encoding) of the arguments'
    repr (``CELERY_RESULT_EXTENDED`` stores ``argsrepr``, e.g. ``"(5,)"``), or of the arguments
    themselves. None when it cannot be read."""
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        value = text
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return None
    return value


@functools.cache
def task_parameters() -> dict[str, tuple[str, ...]]:
    """Each registered task's parameter names. A web process registers a task only when something
    imports its module: the apps' task modules are imported first (what a worker does at start)."""
    current_app.loader.import_default_modules()
    return {
        name: tuple(p for p in inspect.signature(task.run).parameters if p != "self")
        for name, task in current_app.tasks.items()
    }


def _parameters(task_name: str | None) -> tuple[str, ...] | None:
    return task_parameters().get(task_name or "")


def task_arguments(row: TaskResult) -> dict[str, Any]:
    """The arguments a stored task result ran with, by parameter name (positional ones bound to
    the task's signature; those of a task no longer registered are left out)."""
    named: dict[str, Any] = {}
    args, kwargs = _decoded(row.task_args), _decoded(row.task_kwargs)
    names = _parameters(row.task_name)
    if isinstance(args, list | tuple) and names is not None:
        named.update(zip(names, args, strict=False))
    if isinstance(kwargs, dict):
        named.update({str(key): value for key, value in kwargs.items()})
    return named


def task_results_naming_delete(*, ids: dict[str, int]) -> int:
    """Delete the stored task results (django-celery-results) whose arguments bind one of these
    parameter names to its id (``{"profile_id": 7}``); returns how many went. Only the tasks
    that have such a parameter are read; the rows are few (the sweep purges them after
    ``TASK_RESULT_RETENTION_DAYS``)."""
    tasks = [
        name for name, params in task_parameters().items() if any(param in ids for param in params)
    ]
    rows = TaskResult.objects.filter(task_name__in=tasks).only(
        "pk", "task_name", "task_args", "task_kwargs"
    )
    doomed = [
        row.pk
        for row in rows.iterator(chunk_size=500)
        if any(task_arguments(row).get(name) == value for name, value in ids.items())
    ]
    TaskResult.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def _sessions_of(user: Any) -> Iterable[int | str]:
    # The session store keeps the account's id inside the signed, encoded data: each row is
    # decoded. Expired rows are read too (they still name the account until clearsessions).
    for session in Session.objects.iterator(chunk_size=500):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            yield session.pk


def sessions_delete(*, user: Any) -> int:
    """Delete the account's browser sessions (the admin's, the API's session authentication)."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0
    keys = list(_sessions_of(user))
    Session.objects.filter(pk__in=keys).delete()
    return len(keys)


def user_erase(*, user: Any) -> None:
    """Erase an account's personal fields, in the caller's transaction: a unique non-address for
    the email, no names, an unusable password, deactivated; every API token, second-factor
    device, session, sign-in record and task result naming the account deleted, and the rows of
    the apps above (``account_erasure_step_register``: invitations to its address). The row stays
    so that what the account did (audit entries, match history) keeps pointing at something."""
    for step in _erasure_steps:
        step(user=user)
    DeviceToken.objects.filter(user=user).delete()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    # django-axes keys its sign-in records by the address typed (with the client's IP and
    # browser): they name the person, so they go with the account.
    for model in SIGN_IN_RECORDS:
        model.objects.filter(username__iexact=user.email).delete()
    sessions_delete(user=user)
    task_results_naming_delete(ids={USER_ID_PARAMETER: user.pk})
    user.email = erased_email(user)
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])


def account_erase(*, user: Any) -> None:
    """Erase an account without asking its password (the retention sweep, staff's admin action),
    in one transaction: by the registered eraser that knows it (a volunteer's data rights), else
    by ``user_erase``. An account already erased is left as it is."""
    with transaction.atomic():
        # get_user_model(), not type(user): a session's user is a lazy wrapper.
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if user.email == erased_email(user):
            return
        for eraser in _account_erasers:
            if eraser(user=user):
                return
        user_erase(user=user)
