"""Domain events: how one app tells the others that something happened, without importing them.

A service that changed something emits an event inside its transaction. ``emit``

* writes the event to the audit log (``audit.AuditEntry``) in that same transaction, so the record
  and the change commit or roll back together: every event-emitting service leaves an audit row;
* hands the event to each subscriber after the transaction commits (``transaction.on_commit`` with
  ``robust=True``): a rolled-back change tells nobody, and a subscriber that fails (a broker that
  is down, say) is logged without failing the request whose change is already saved; the periodic
  reconcilers recover what was lost.

Apps subscribe in their ``AppConfig.ready`` (a lower app never imports a higher one: the
volunteers app does not know that the suggestions app rematches after a profile edit).

Events carry ids, codes and field names only, never personal data: the audit log keeps them for
as long as the matches they explain.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar

from django.apps import apps
from django.db import transaction

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Something that happened. ``name`` is the stable code stored in the audit log; ``subject``
    names the field that holds the id of what it happened to."""

    name: ClassVar[str]
    subject: ClassVar[str]
    actor_id: int | None = None

    def payload(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.pop("actor_id")
        return {
            key: list(value) if isinstance(value, tuple) else value for key, value in data.items()
        }


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Any], None]
Condition = Callable[[Any], bool]


def _always(event: DomainEvent) -> bool:
    return True


_subscribers: dict[type[DomainEvent], list[tuple[Handler, Condition]]] = defaultdict(list)


def subscribe(event_type: type[E], handler: Handler, *, when: Condition = _always) -> None:
    """Call ``handler(event)`` after the commit of every transaction that emits ``event_type``
    and for which ``when(event)`` holds (checked at once, so an event nobody acts on queues
    nothing). Subscribing twice (``ready`` run again in tests) is a no-op."""
    entry = (handler, when)
    if entry not in _subscribers[event_type]:
        _subscribers[event_type].append(entry)


def subscribers(event_type: type[DomainEvent]) -> list[tuple[Handler, Condition]]:
    return list(_subscribers[event_type])


def emit(event: DomainEvent) -> None:
    """Record the event in the audit log now, deliver it to its subscribers after commit."""
    _record(event)
    for handler, when in subscribers(type(event)):
        if when(event):
            transaction.on_commit(_delivery(handler, event), robust=True)


def emit_many(events: Sequence[DomainEvent]) -> None:
    """``emit`` for many events at once: their audit rows in one insert (a page of reads, say),
    each delivered to its subscribers after commit."""
    if not events:
        return
    entry = apps.get_model("audit", "AuditEntry")
    entry.objects.bulk_create([entry(**_entry_fields(event)) for event in events], batch_size=500)
    for event in events:
        for handler, when in subscribers(type(event)):
            if when(event):
                transaction.on_commit(_delivery(handler, event), robust=True)


def _delivery(handler: Handler, event: DomainEvent) -> Callable[[], None]:
    def deliver() -> None:
        handler(event)

    # Django logs a robust callback that failed by its qualified name: say which one it was.
    deliver.__qualname__ = f"{getattr(handler, '__qualname__', handler)} <- {event.name}"
    return deliver


def _entry_fields(event: DomainEvent) -> dict[str, Any]:
    payload = event.payload()
    return {
        "event": event.name,
        "actor_id": event.actor_id,
        "subject_type": event.subject.removesuffix("_id"),
        "subject_id": str(payload.get(event.subject, "")),
        "data": payload,
    }


def _record(event: DomainEvent) -> None:
    # Looked up by name: the project's kernel does not import the app that stores the log.
    entry = apps.get_model("audit", "AuditEntry")
    entry.objects.create(**_entry_fields(event))
