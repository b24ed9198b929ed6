"""One structured log line for every refused authorization, for an operator to search.

The DRF exception handler (``backend.errors``) calls ``log_refusal_of`` with each error response.
A line is written, on the logger ``kindred.security`` (it propagates to the root logger, so the
deployment's handlers decide where it goes and how long it is kept), for:

- 401: no or bad credentials (reason ``not_authenticated`` / ``authentication_failed``);
- 403: the caller may see the object but not do this (reason: the error's code, e.g. ``forbidden``);
- 404 from a detail route (a URL naming an object by id), reason ``not_found_or_hidden``: our
  selectors answer 404 both for an id that does not exist and for one the caller may not see, so
  that existence does not leak. Existence is deliberately not re-checked here: a second, unfiltered
  query per refusal would need each view's model, cost a query on every probe, and let timing tell
  the two cases apart again; an operator who needs to know looks the logged id up. A line for an id
  that does not exist is harmless, and a run of them is itself what a scan looks like.

Each line carries the user id (None when anonymous), method, path, status, reason and the path's
ids, both as ``extra=`` attributes of the record (for structured handlers) and in the message as
``key=value`` pairs (for plain text search), e.g.::

    event=authorization_refused user_id=3 method=GET path=/api/v1/volunteers/me/matches/1/
    status=404 reason=not_found_or_hidden object_ids=pk:1
 Never the body, the query string, headers or any
secret: a path argument whose name looks like a credential is redacted from the path and left out.
Values that could carry spaces, quotes or line breaks are JSON-quoted, so a crafted URL cannot
forge a second line or a fake field.
"""

from __future__ import annotations

import json
import logging
from typing import Any

SECURITY_LOGGER = "kindred.security"
logger = logging.getLogger(SECURITY_LOGGER)

EVENT = "authorization_refused"
REASON_NOT_FOUND_OR_HIDDEN = "not_found_or_hidden"
REDACTED = "[redacted]"
SECRET_NAME_PARTS = ("token", "key", "secret", "password", "uid", "signature")
LOGGED_STATUSES = (401, 403)


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in SECRET_NAME_PARTS)


def _text(value: Any) -> str:
    """A value for the key=value message: bare if it is one plain token, else JSON-quoted."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    if text and all(ch.isprintable() and not ch.isspace() and ch not in '="\\' for ch in text):
        return text
    return json.dumps(text)


def _user_id(request: Any) -> int | None:
    try:
        user = request.user
    except Exception:  # the refusal may be the authentication itself failing
        return None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


def log_refusal(
    *, request: Any, status: int, reason: str, path_kwargs: dict[str, Any] | None = None
) -> None:
    """Write the one line for a refused request."""
    path = str(getattr(request, "path", ""))
    ids: dict[str, str] = {}
    for name, value in (path_kwargs or {}).items():
        if _is_secret(name):
            path = path.replace(str(value), REDACTED) if str(value) else path
        else:
            ids[name] = str(value)
    fields = {
        "user_id": _user_id(request),
        "method": str(getattr(request, "method", "")),
        "path": path,
        "status": status,
        "reason": reason,
        "object_ids": ids,
    }
    shown = {**fields, "object_ids": ",".join(f"{k}:{v}" for k, v in ids.items())}
    message = "event=" + EVENT + " " + " ".join(f"{k}={_text(v)}" for k, v in shown.items())
    logger.warning(message, extra={"security_event": EVENT, **fields})


def log_refusal_of(*, status: int, code: str, context: dict[str, Any]) -> None:
    """Log the error response ``status``/``code`` the handler built, if it refuses authorization."""
    request = context.get("request")
    if request is None:
        return
    path_kwargs = dict(context.get("kwargs") or {})
    if status in LOGGED_STATUSES:
        log_refusal(request=request, status=status, reason=code, path_kwargs=path_kwargs)
    elif status == 404 and path_kwargs:
        log_refusal(
            request=request,
            status=status,
            reason=REASON_NOT_FOUND_OR_HIDDEN,
            path_kwargs=path_kwargs,
        )
