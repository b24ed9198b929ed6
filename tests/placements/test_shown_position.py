"""The position each suggestion held in its role's queue when a coordinator decided on it: the
refit weighs decisions by it (docs/matching.md, "How the score learns")."""

from __future__ import annotations

import pytest

from matching.models import Match
from placements.services import bulk, transitions
from tests.placements.lifecycle_helpers import new_volunteer, peer_line, suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def queue(harbor) -> list[Match]:
    """The peer line's queue, in its default order (score, then id): Dee, Eli, Fay, Gus."""
    role = peer_line(harbor, capacity=4)
    names_and_scores = (("Eli", 0.7), ("Dee", 0.9), ("Fay", 0.5), ("Gus", 0.5))
    rows = {name: suggestion(new_volunteer(name), role, score=s) for name, s in names_and_scores}
    return [rows[name] for name in ("Dee", "Eli", "Fay", "Gus")]


def test_a_decision_records_where_the_suggestion_sat_in_the_queue(harbor, sam):
    dee, eli, fay, gus = queue(harbor)

    transitions.match_reject(match_id=gus.pk, actor=sam, reason="not_a_fit")
    transitions.match_approve(match_id=eli.pk, actor=sam)

    positions = dict(Match.objects.values_list("pk", "shown_position"))
    assert positions == {dee.pk: None, eli.pk: 2, fay.pk: None, gus.pk: 4}


def test_a_bulk_review_records_the_queue_as_the_coordinator_saw_it(harbor, sam):
    """Sam ticks the top three and approves them at once: they sat at 1, 2 and 3, even though
    each approval moved the rest of the queue up."""
    dee, eli, fay, gus = queue(harbor)

    bulk.matches_bulk_review(actor=sam, ids=[dee.pk, eli.pk, fay.pk], action="approve")

    positions = dict(Match.objects.values_list("pk", "shown_position"))
    assert positions == {dee.pk: 1, eli.pk: 2, fay.pk: 3, gus.pk: None}
