"""Issue 8, "nothing stale survives": a suggestion the rematch withdraws as no longer eligible
names the rules it broke in its transition, as the lifecycle's own withdrawals do."""

from __future__ import annotations

import pytest

from matching.models import MatchTransition
from suggestions.services.rematch import volunteer_rematch
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def test_a_rematch_withdrawal_notes_the_rules_the_pair_broke(ada, harbor):
    """Given Ada is suggested for the peer line, when she is paused and her suggestions are
    recomputed, then the suggestion is withdrawn as no longer eligible, naming the rule."""
    match = suggestion(ready_volunteer(ada), peer_line(harbor))
    VolunteerProfile.objects.filter(pk=ada.pk).update(paused=True)

    volunteer_rematch(profile_id=ada.pk)

    step = MatchTransition.objects.filter(match=match).last()
    assert step is not None
    assert (step.to_status, step.actor, step.reason, step.note) == (
        "withdrawn",
        None,
        "no_longer_eligible",
        "volunteer_unavailable",
    )
