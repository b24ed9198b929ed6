"""The coordinators' review queue, GET /api/v1/matches/: who sees which matches, and exactly which
of a volunteer's details a coordinator sees for a given role. Distance, age and check are the facts
the engine froze when it stored the suggestion (``suggested`` below stores them the same way)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching.models import MatchStatus
from suggestions.services.facts import pair_facts
from tests.factories import (
    MatchFactory,
    OpportunityFactory,
    TrainingRecordFactory,
    VolunteerProfileFactory,
    cause,
    language,
    skill,
    training_type,
)
from tests.support.dates import days_from_today

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/matches/"
PRIVATE_KEYS = {"date_of_birth", "email", "latitude", "longitude", "postcode", "user", "bio"}
MHFA_EXPIRES = days_from_today(2 * 365)  # Ada's certificate is valid two more years


def suggested(volunteer, role, **changes):
    """A suggestion with the facts the store would have frozen for it today."""
    facts = pair_facts([(volunteer.id, role.id)], today=timezone.localdate())
    return MatchFactory.create(
        volunteer=volunteer, opportunity=role, facts=facts[(volunteer.id, role.id)], **changes
    )


@pytest.fixture
def peer_group(harbor):
    """Harbor House's in-person peer support group in Brooklyn: values lived experience, needs a
    background check and Mental Health First Aid, minimum age 21."""
    role = OpportunityFactory.create(
        organization=harbor,
        title="Peer support group co-facilitator",
        mode="in_person",
        latitude=40.6782,
        longitude=-73.9442,
        lived_experience_valued=True,
        background_check_required=True,
        min_age=21,
    )
    role.required_trainings.add(training_type("mhfa"))
    return role


@pytest.fixture
def ada_profile(ada):
    """Ada lives 2-3 km from the group, shares her lived experience, holds a verified MHFA."""
    ada.date_of_birth = dt.date(1990, 5, 17)
    ada.latitude, ada.longitude = 40.6960, -73.9700
    ada.availability = ["tue-evening"]
    ada.lived_experience = "I recovered from depression with the help of a peer group."
    ada.share_lived_experience = True
    ada.background_check_status = "cleared"
    ada.background_check_cleared_on = dt.date(2025, 1, 10)
    ada.background_check_verified_at = timezone.now()
    ada.save()
    ada.skills.add(skill("peer-support"))
    ada.causes.add(cause("mental-health"))
    ada.languages.add(language("en"))
    TrainingRecordFactory.create(
        profile=ada,
        training_type=training_type("mhfa"),
        expires_on=MHFA_EXPIRES,
        verified=True,
    )
    TrainingRecordFactory.create(profile=ada, training_type=training_type("first-aid"))
    return ada


def test_sam_sees_his_organizations_suggestions_with_exactly_the_role_relevant_fields(
    sam_client, ada_profile, peer_group
):
    match = suggested(ada_profile, peer_group, score=0.8, model_version="default-weights-1")

    response = sam_client.get(QUEUE)

    assert response.status_code == 200
    assert response.data["count"] == 1
    row = response.data["results"][0]
    assert row["id"] == match.id
    assert row["status"] == "suggested"
    assert row["score"] == 0.8
    assert row["model_version"] == "default-weights-1"
    assert row["opportunity"] == {"id": peer_group.id, "title": "Peer support group co-facilitator"}
    volunteer = row["volunteer"]
    assert set(volunteer) == {
        "id",
        "display_name",
        "skills",
        "causes",
        "languages",
        "availability",
        "trainings",
        "distance_band",
        "meets_minimum_age",
        "background_check_cleared",
        "lived_experience",
    }
    assert volunteer["display_name"] == "Ada"
    assert volunteer["skills"] == [{"slug": "peer-support", "name": "Peer support"}]
    assert volunteer["languages"] == [{"code": "en", "name": "English"}]
    assert volunteer["availability"] == ["tue-evening"]
    # Only the training the role requires, not her first-aid certificate.
    assert volunteer["trainings"] == [
        {
            "slug": "mhfa",
            "name": "Mental Health First Aid",
            "expires_on": MHFA_EXPIRES.isoformat(),
            "valid": True,
            "verified": True,
        }
    ]
    assert volunteer["distance_band"] == "2-5 km"
    assert volunteer["meets_minimum_age"] is True
    assert volunteer["background_check_cleared"] is True
    assert volunteer["lived_experience"] == ada_profile.lived_experience
    assert not PRIVATE_KEYS & set(volunteer)
    assert "ada@example.org" not in str(response.content)
    assert "1990" not in str(response.content)


def test_lived_experience_needs_both_consent_and_a_role_that_values_it(
    sam_client, ada_profile, harbor, peer_group
):
    """Ada's story shows for the peer group only; Bo's never, as he did not consent."""
    bo = VolunteerProfileFactory.create(
        display_name="Bo", lived_experience="Private story", share_lived_experience=False
    )
    admin_role = OpportunityFactory.create(organization=harbor, title="Office help", mode="remote")
    suggested(ada_profile, peer_group, score=0.9)
    suggested(ada_profile, admin_role, score=0.8)
    suggested(bo, peer_group, score=0.7)

    rows = sam_client.get(QUEUE).data["results"]

    shown = {
        (r["volunteer"]["display_name"], r["opportunity"]["title"]): r["volunteer"] for r in rows
    }
    assert shown[("Ada", "Peer support group co-facilitator")]["lived_experience"] == (
        ada_profile.lived_experience
    )
    assert shown[("Ada", "Office help")]["lived_experience"] is None
    assert shown[("Bo", "Peer support group co-facilitator")]["lived_experience"] is None
    # A remote role that needs no check: no distance, and nothing said about the check.
    assert shown[("Ada", "Office help")]["distance_band"] is None
    assert shown[("Ada", "Office help")]["background_check_cleared"] is None
    # Bo has no birth date on file, so he does not meet the group's minimum age of 21.
    assert shown[("Bo", "Peer support group co-facilitator")]["meets_minimum_age"] is False
    assert shown[("Bo", "Peer support group co-facilitator")]["background_check_cleared"] is False
    assert "Private story" not in str(sam_client.get(QUEUE).content)


def test_rita_from_another_organization_sees_none_of_harbors_matches(
    rita_client, ada_profile, peer_group
):
    match = MatchFactory.create(volunteer=ada_profile, opportunity=peer_group)

    assert rita_client.get(QUEUE).data["count"] == 0
    response = rita_client.get(f"{QUEUE}{match.id}/")
    assert response.status_code == 404
    assert response.data == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


def test_a_volunteer_gets_an_empty_queue_and_404s(ada_client, ada_profile, peer_group):
    match = MatchFactory.create(volunteer=ada_profile, opportunity=peer_group)

    assert ada_client.get(QUEUE).data["count"] == 0
    assert ada_client.get(f"{QUEUE}{match.id}/").status_code == 404


def test_anonymous_callers_are_refused(anonymous):
    assert anonymous.get(QUEUE).status_code == 401


def test_queue_defaults_to_suggested_and_filters_by_role_and_status(
    sam_client, ada_profile, bo, harbor, peer_group
):
    other_role = OpportunityFactory.create(
        organization=harbor, title="Phone befriender", mode="phone"
    )
    suggested = MatchFactory.create(volunteer=ada_profile, opportunity=peer_group, score=0.6)
    approved = MatchFactory.create(
        volunteer=bo, opportunity=peer_group, status=MatchStatus.APPROVED, score=0.9
    )
    elsewhere = MatchFactory.create(volunteer=ada_profile, opportunity=other_role, score=0.7)

    def ids(query: str) -> list[int]:
        response = sam_client.get(QUEUE + query)
        assert response.status_code == 200
        return [row["id"] for row in response.data["results"]]

    assert ids("") == [elsewhere.id, suggested.id]  # suggested only, best score first
    assert ids(f"?opportunity={peer_group.id}") == [suggested.id]
    assert ids("?status=approved") == [approved.id]
    assert ids(f"?opportunity={peer_group.id}&status=suggested&status=approved") == [
        approved.id,
        suggested.id,
    ]
    assert ids("?ordering=score") == [suggested.id, elsewhere.id]
    # A reviewed match is still readable one by one.
    assert sam_client.get(f"{QUEUE}{approved.id}/").data["status"] == "approved"


def test_a_page_of_the_queue_costs_a_fixed_number_of_queries(sam_client, harbor, peer_group):
    def queries_for(n: int) -> int:
        for _ in range(n):
            volunteer = VolunteerProfileFactory.create()
            volunteer.skills.add(skill("peer-support"))
            TrainingRecordFactory.create(profile=volunteer, training_type=training_type("mhfa"))
            MatchFactory.create(volunteer=volunteer, opportunity=peer_group)
        with CaptureQueriesContext(connection) as queries:
            assert sam_client.get(QUEUE + "?limit=100").status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(20)
