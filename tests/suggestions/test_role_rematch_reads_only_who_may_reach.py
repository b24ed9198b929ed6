"""A role's rematch builds records only for the volunteers its mode and distance rules may allow
(``candidates.volunteers_the_rules_may_admit``): never fewer than the engine's rules admit, and
the stored suggestions are those of a rematch that read everyone."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from matching.engine.eligibility import is_within_travel, mode_is_accepted
from matching.models import Match, MatchStatus
from matching.records import opportunity_record, volunteer_records
from suggestions.services import candidates, rematch
from tests.placements.lifecycle_helpers import new_volunteer, peer_line
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

ROLE_AT = (40.75, -73.99)


@pytest.fixture
def spread():
    """Sixty volunteers around the role: near and far, short and long reach, a few with no place,
    some who take only remote or only in-person work."""
    chance = random.Random(11)
    people = []
    for n in range(60):
        place: dict[str, object] = {}
        if n % 10:
            place = {
                "latitude": ROLE_AT[0] + chance.uniform(-0.6, 0.6),
                "longitude": ROLE_AT[1] + chance.uniform(-0.8, 0.8),
            }
        if n % 7 == 3:
            place["modes"] = chance.choice([["remote"], ["in_person"], ["phone", "hybrid"]])
        people.append(
            new_volunteer(f"V{n}", max_travel_km=chance.choice([2, 5, 10, 25, 60, 150]), **place)
        )
    return people


def _in_person_role(harbor, mode="in_person"):
    return peer_line(harbor, mode=mode, capacity=10, latitude=ROLE_AT[0], longitude=ROLE_AT[1])


@pytest.mark.parametrize("mode", ["in_person", "hybrid"])
def test_no_volunteer_the_rules_admit_is_left_out(harbor, spread, mode):
    role = opportunity_record(_in_person_role(harbor, mode), today=timezone.localdate())
    everyone = volunteer_records(
        VolunteerProfile.objects.order_by("id"), today=timezone.localdate()
    )
    admitted = {v.id for v in everyone if is_within_travel(v, role) and mode_is_accepted(v, role)}

    kept = set(
        candidates.volunteers_the_rules_may_admit(VolunteerProfile.objects.all(), role).values_list(
            "id", flat=True
        )
    )

    assert admitted <= kept
    assert len(kept) < len(everyone)  # and it does prune: the far and the placeless are not read


def test_a_remote_role_reads_everyone_who_takes_remote_work_wherever_they_are(harbor, spread):
    role = opportunity_record(peer_line(harbor), today=timezone.localdate())

    kept = set(
        candidates.volunteers_the_rules_may_admit(VolunteerProfile.objects.all(), role).values_list(
            "id", flat=True
        )
    )

    remote = {p.pk for p in VolunteerProfile.objects.all() if "remote" in p.modes}
    assert kept == remote
    assert len(remote) < VolunteerProfile.objects.count()


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
    monkeypatch.setattr(
        candidates, "volunteers_the_rules_may_admit", lambda volunteers, role: volunteers
    )
    rematch.opportunity_rematch(opportunity_id=opportunity.pk)

    assert pruned
    assert pruned == _open_pairs()
