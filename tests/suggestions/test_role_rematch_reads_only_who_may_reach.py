"""A role's rematch builds records only for the volunteers its distance rule may allow
(``candidates.volunteers_who_may_reach``): never fewer than the engine's rule admits, and the
stored suggestions are those of a rematch that read everyone."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from matching.engine.eligibility import is_within_travel
from matching.models import Match, MatchStatus
from matching.records import opportunity_record, volunteer_records
from suggestions.services import candidates, rematch
from tests.placements.lifecycle_helpers import new_volunteer, peer_line
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

ROLE_AT = (40.75, -73.99)


@pytest.fixture
def spread():
    """Sixty volunteers around the role: near and far, short and long reach, a few with no place."""
    chance = random.Random(11)
    people = []
    for n in range(60):
        place = {}
        if n % 10:
            place = {
                "latitude": ROLE_AT[0] + chance.uniform(-0.6, 0.6),
                "longitude": ROLE_AT[1] + chance.uniform(-0.8, 0.8),
            }
        people.append(
            new_volunteer(f"V{n}", max_travel_km=chance.choice([2, 5, 10, 25, 60, 150]), **place)
        )
    return people


def _in_person_role(harbor):
    return peer_line(
        harbor, mode="in_person", capacity=10, latitude=ROLE_AT[0], longitude=ROLE_AT[1]
    )


def test_no_volunteer_the_distance_rule_admits_is_left_out(harbor, spread):
    role = opportunity_record(_in_person_role(harbor), today=timezone.localdate())
    everyone = volunteer_records(
        VolunteerProfile.objects.order_by("id"), today=timezone.localdate()
    )
    admitted = {v.id for v in everyone if is_within_travel(v, role)}

    kept = set(
        candidates.volunteers_who_may_reach(VolunteerProfile.objects.all(), role).values_list(
            "id", flat=True
        )
    )

    assert admitted <= kept
    assert len(kept) < len(everyone)  # and it does prune: the far and the placeless are not read


def test_a_remote_role_reads_everyone(harbor, spread):
    role = opportunity_record(peer_line(harbor), today=timezone.localdate())

    kept = candidates.volunteers_who_may_reach(VolunteerProfile.objects.all(), role)

    assert kept.count() == VolunteerProfile.objects.count()


def _open_pairs() -> set[tuple[int, int, float]]:
    return set(
        Match.objects.filter(status=MatchStatus.SUGGESTED).values_list(
            "volunteer_id", "opportunity_id", "score"
        )
    )


def test_the_rematch_stores_what_a_rematch_of_everyone_stores(harbor, spread, monkeypatch):
    opportunity = _in_person_role(harbor)

    rematch.opportunity_rematch(opportunity_id=opportunity.pk)
    pruned = _open_pairs()
    Match.objects.all().delete()
    monkeypatch.setattr(candidates, "volunteers_who_may_reach", lambda volunteers, role: volunteers)
    rematch.opportunity_rematch(opportunity_id=opportunity.pk)

    assert pruned
    assert pruned == _open_pairs()
