"""Bulk review: a coordinator approves or rejects many suggestions in one request.

Each id is applied or refused on its own: the transition service it calls runs in its own
transaction, so one refusal (the role filled up, the match moved on) neither undoes nor blocks the
others, and the result of each id says what that id alone would have answered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rest_framework import status as http

from backend.errors import ApplicationError
from matching import selectors
from matching.models import Match, MatchStatus
from placements.services import transitions

if TYPE_CHECKING:
    from accounts.models import User

BULK_DONE = "Done."


@dataclass(frozen=True)
class BulkResult:
    """What happened to one id: the HTTP status and error code it would have had on its own, and
    the match's status after the attempt (None when the caller may not see the match)."""

    id: int
    status: int
    code: str
    message: str
    match_status: str | None = None
    fields: dict[str, list[str]] = field(default_factory=dict)


_Action = Callable[[int, "User", str, str, "int | None"], Match]

_ACTIONS: dict[str, _Action] = {
    "approve": lambda match_id, actor, reason, note, position: transitions.match_approve(
        match_id=match_id, actor=actor, note=note, shown_position=position
    ),
    "reject": lambda match_id, actor, reason, note, position: transitions.match_reject(
        match_id=match_id, actor=actor, reason=reason, note=note, shown_position=position
    ),
}
#: The actions a bulk review can take.
BULK_ACTIONS = tuple(_ACTIONS)


def matches_bulk_review(
    *, actor: User, ids: Sequence[int], action: str, reason: str = "", note: str = ""
) -> list[BulkResult]:
    """Apply ``action`` ("approve" or "reject") to each id, once each, in the order given.

    An id the actor cannot see answers not_found, exactly as the single-match address would, so a
    bulk request does not reveal which ids exist in other organizations. The visible set is read
    once up front; a match that changes meanwhile is refused by its transition service's guard.
    """
    apply = _ACTIONS[action]
    unique = list(dict.fromkeys(ids))  # an id given twice is acted on once
    visible = set(
        selectors.matches_for_coordinator(actor).filter(pk__in=unique).values_list("pk", flat=True)
    )
    # The queue as the coordinator saw it: each decision moves the rows below it up.
    positions = {
        match.pk: match.queue_position()
        for match in Match.objects.filter(pk__in=visible, status=MatchStatus.SUGGESTED)
    }
    results = []
    for match_id in unique:
        if match_id not in visible:
            results.append(
                BulkResult(
                    match_id, http.HTTP_404_NOT_FOUND, "not_found", transitions.MATCH_NOT_FOUND
                )
            )
            continue
        try:
            match = apply(match_id, actor, reason, note, positions.get(match_id))
        except ApplicationError as error:
            # The refusal rolled back that id's transaction only; report where the match stands.
            current = Match.objects.filter(pk=match_id).values_list("status", flat=True).first()
            results.append(
                BulkResult(
                    match_id, error.status_code, error.code, error.message, current, error.fields
                )
            )
        else:
            results.append(BulkResult(match_id, http.HTTP_200_OK, "ok", BULK_DONE, match.status))
    return results
