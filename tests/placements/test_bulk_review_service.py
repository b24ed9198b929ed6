"""placements.services.bulk on its own: Sam reviews several suggestions in one call."""

from __future__ import annotations

import pytest

from matching.models import Match
from placements.services import bulk, transitions
from tests.placements.lifecycle_helpers import new_volunteer, peer_line, suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def test_each_id_is_applied_or_refused_on_its_own_in_the_order_given(harbor, riverside, sam):
    """Given Sam at Harbor House, a two-place role with three suggestions and a Riverside
    suggestion he cannot see: the first two are approved, Riverside's answers not_found, a repeated
    id counts once, and the third is refused (the role is full) without undoing the others."""
    role = peer_line(harbor)
    mine = [suggestion(new_volunteer(name), role) for name in ("Dee", "Eli", "Fay")]
    theirs = suggestion(new_volunteer("Gus"), peer_line(riverside))

    results = bulk.matches_bulk_review(
        actor=sam,
        ids=[mine[0].pk, theirs.pk, mine[1].pk, mine[0].pk, mine[2].pk],
        action="approve",
        reason="",
        note="",
    )

    assert [(r.id, r.status, r.code, r.match_status) for r in results] == [
        (mine[0].pk, 200, "ok", "offered"),
        (theirs.pk, 404, "not_found", None),
        (mine[1].pk, 200, "ok", "offered"),
        (mine[2].pk, 409, "role_full", "suggested"),
    ]
    assert results[1].message == transitions.MATCH_NOT_FOUND
    assert results[0].message == bulk.BULK_DONE
    assert Match.objects.get(pk=theirs.pk).status == "suggested"
