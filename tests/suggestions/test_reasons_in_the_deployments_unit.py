"""Issue 10 item 3, through the product path: a suggestion the engine stores says what the
volunteer asked for in her own words (never her lived experience), and its distance reads in the
deployment's unit (DISTANCE_UNIT "mi" for a US deployment) in the reasons and in the frozen facts,
a band either way, with the same score and features whatever the unit."""

from __future__ import annotations

import pytest

from matching.models import Match
from suggestions.services import candidates
from suggestions.services.rematch import volunteer_rematch
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/matches/"
BIO = "Retired nurse. I want to co-facilitate a peer support group on Tuesday evenings."
LIVED = "I recovered from depression with the help of a peer support group."


@pytest.fixture
def ada_near(ada):
    """Ada lives 2-3 km from the group (a band of 2-5 km, 1¼-3 mi)."""
    return ready_volunteer(
        ada,
        bio=BIO,
        lived_experience=LIVED,
        share_lived_experience=True,
        latitude=40.6960,
        longitude=-73.9700,
        max_travel_km=10,
    )


@pytest.fixture
def group(harbor):
    return peer_line(
        harbor,
        title="Peer support group co-facilitator",
        description="Co-facilitate a peer support group for adults on Tuesday evenings.",
        mode="in_person",
        hide_address=False,
        latitude=40.6782,
        longitude=-73.9442,
        status="published",
    )


def _stored(volunteer, role) -> Match:
    volunteer_rematch(profile_id=volunteer.id)
    return Match.objects.get(volunteer=volunteer, opportunity=role, status="suggested")


def test_the_stored_reasons_quote_what_she_wants_never_her_lived_experience(ada_near, group):
    match = _stored(ada_near, group)
    assert "Wants to co-facilitate a peer support group on Tuesday evenings" in match.reasons
    assert not any("depression" in reason or "recovered" in reason for reason in match.reasons)


def test_a_us_deployment_reads_the_band_in_miles_with_the_same_score(
    settings, sam_client, ada_near, group
):
    in_km = _stored(ada_near, group)
    assert in_km.reasons[0] == "2-5 km away"
    assert in_km.facts["distance_band"] == "2-5 km"
    score, features = in_km.score, in_km.features
    Match.objects.filter(pk=in_km.pk).delete()

    settings.DISTANCE_UNIT = "mi"  # a deployment's setting: a process starts with it
    candidates._role_cache.clear()
    in_miles = _stored(ada_near, group)

    assert in_miles.reasons[0] == "1¼-3 mi away"
    assert in_miles.facts["distance_band"] == "1¼-3 mi"
    assert (in_miles.score, in_miles.features) == (score, features)
    row = sam_client.get(f"{QUEUE}{in_miles.pk}/").json()
    assert row["volunteer"]["distance_band"] == "1¼-3 mi"
    assert row["reasons"][0] == "1¼-3 mi away"
    assert "km" not in str(row)
