"""Finding 5 and "Credentials count only when verified": a declared training or a check counts only
once platform staff, or a coordinator of a verified organization the volunteer is matched with,
verified it; a coordinator's verification counts for their organization's roles until staff
confirm it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from matching.engine.eligibility import TRAINING_MISSING
from organizations.models import Membership
from placements.services.eligibility import match_ineligibility
from tests.conftest import client_for
from tests.factories import (
    MatchFactory,
    MembershipFactory,
    OrganizationFactory,
    TrainingRecordFactory,
    training_type,
)
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer
from tests.support.dates import days_from_today
from volunteers.models import TrainingRecord, VolunteerProfile
from volunteers.services.verification import (
    NOTHING_TO_CONFIRM_MESSAGE,
    ORGANIZATION_NOT_YOURS_MESSAGE,
    ORGANIZATION_REQUIRED_MESSAGE,
    VERIFIED_ELSEWHERE_MESSAGE,
)

pytestmark = pytest.mark.django_db


def verify_url(profile_id: int, slug: str = "mhfa") -> str:
    return f"/api/v1/volunteers/{profile_id}/trainings/{slug}/verify/"


def check_url(profile_id: int) -> str:
    return f"/api/v1/volunteers/{profile_id}/background-check/"


def mhfa_line(organization):
    line = peer_line(organization)
    line.required_trainings.set([training_type("mhfa")])
    return line


@pytest.fixture
def declared_mhfa(ada) -> TrainingRecord:
    """Ada, ready for a remote line, with an MHFA she declared herself (nobody has seen it)."""
    ready_volunteer(ada)
    return TrainingRecordFactory.create(
        profile=ada, completed_on=days_from_today(-90), verified=False, verified_at=None
    )


def codes(match) -> list[str]:
    match.refresh_from_db()
    return match_ineligibility(match, today=timezone.localdate(), holding_place=False)


def test_a_self_declared_mhfa_does_not_satisfy_a_role_requiring_it(declared_mhfa, harbor):
    """Given Ada declared MHFA and nobody verified it, when the engine judges her for Harbor's
    line that requires MHFA, then the training is missing (finding 5)."""
    match = MatchFactory.create(volunteer=declared_mhfa.profile, opportunity=mhfa_line(harbor))

    assert TRAINING_MISSING in codes(match)


def test_staffs_verification_counts_for_every_organizations_roles(
    declared_mhfa, harbor, riverside, staff_client, staff
):
    ada = declared_mhfa.profile
    at_harbor = MatchFactory.create(volunteer=ada, opportunity=mhfa_line(harbor))
    at_riverside = MatchFactory.create(volunteer=ada, opportunity=mhfa_line(riverside))

    response = staff_client.post(verify_url(ada.id), {}, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["verified_by"], response.json()["verified_for"]) == (staff.id, None)
    assert TRAINING_MISSING not in codes(at_harbor)
    assert TRAINING_MISSING not in codes(at_riverside)


def test_harbors_coordinator_verifies_for_harbors_roles_only(
    declared_mhfa, harbor, riverside, sam, sam_client
):
    """Given Ada is suggested for a Harbor line and a Riverside line that both require MHFA, when
    Sam (Harbor's coordinator) verifies her certificate, then it is recorded as verified by Sam for
    Harbor: it counts for Harbor's line, not for Riverside's."""
    ada = declared_mhfa.profile
    at_harbor = MatchFactory.create(volunteer=ada, opportunity=mhfa_line(harbor))
    at_riverside = MatchFactory.create(volunteer=ada, opportunity=mhfa_line(riverside))

    response = sam_client.post(verify_url(ada.id), {}, format="json")

    assert response.status_code == 200, response.json()
    declared_mhfa.refresh_from_db()
    assert (declared_mhfa.verified, declared_mhfa.verified_by_id) == (True, sam.id)
    assert declared_mhfa.verified_for_id == harbor.id
    assert response.json()["verified_for"] == harbor.id
    assert TRAINING_MISSING not in codes(at_harbor)
    assert TRAINING_MISSING in codes(at_riverside)
    entry = AuditEntry.objects.get(event="training_verified", subject_id=str(ada.id))
    assert entry.actor_id == sam.id
    assert entry.data["organization_id"] == harbor.id


def test_staff_verifying_again_confirm_a_coordinators_verification(
    declared_mhfa, harbor, riverside, sam_client, staff_client, staff
):
    ada = declared_mhfa.profile
    MatchFactory.create(volunteer=ada, opportunity=mhfa_line(harbor))
    at_riverside = MatchFactory.create(volunteer=ada, opportunity=mhfa_line(riverside))
    assert sam_client.post(verify_url(ada.id), {}, format="json").status_code == 200

    response = staff_client.post(verify_url(ada.id), {}, format="json")

    assert response.status_code == 200, response.json()
    declared_mhfa.refresh_from_db()
    assert (declared_mhfa.verified_for_id, declared_mhfa.verified_by_id) == (None, staff.id)
    assert TRAINING_MISSING not in codes(at_riverside)
    confirmation = AuditEntry.objects.filter(event="training_verified").latest("id")
    assert (confirmation.actor_id, confirmation.data["confirmed"]) == (staff.id, True)


def test_a_coordinator_of_a_pending_organization_cannot_verify(declared_mhfa):
    """Given an organization platform staff have not verified, with a role Ada is suggested for,
    when its coordinator tries to verify her MHFA, then the profile is not found (404) and the
    training stays unverified."""
    pending = OrganizationFactory.create(name="Fresh Start", verification_status="pending")
    quinn = MembershipFactory.create(
        organization=pending, user__email="quinn@fresh.example", role=Membership.Role.COORDINATOR
    ).user
    MatchFactory.create(volunteer=declared_mhfa.profile, opportunity=peer_line(pending))

    response = client_for(quinn).post(verify_url(declared_mhfa.profile_id), {}, format="json")

    assert response.status_code == 404
    declared_mhfa.refresh_from_db()
    assert declared_mhfa.verified is False


def test_a_coordinator_without_a_match_with_the_volunteer_cannot_verify(
    declared_mhfa, harbor, rita_client
):
    """Given Ada is matched only with Harbor, when Rita (Riverside) tries to verify her MHFA or
    record her check, then both answer 404 and nothing changes."""
    ada = declared_mhfa.profile
    MatchFactory.create(volunteer=ada, opportunity=peer_line(harbor))

    training = rita_client.post(verify_url(ada.id), {}, format="json")
    check = rita_client.post(
        check_url(ada.id), {"status": "cleared", "cleared_on": "2025-01-10"}, format="json"
    )

    assert (training.status_code, check.status_code) == (404, 404)
    declared_mhfa.refresh_from_db()
    assert declared_mhfa.verified is False
    assert VolunteerProfile.objects.get(pk=ada.pk).background_check_status == "none"


def test_a_coordinator_of_two_matched_organizations_names_the_one(declared_mhfa, harbor, riverside):
    """Given Sam coordinates Harbor and Riverside and Ada is matched with both, when he verifies
    without naming an organization, then 400 asks for it; naming one not his is refused; naming
    Riverside verifies for Riverside."""
    sam = MembershipFactory.create(
        organization=harbor, user__email="sam2@harbor.example", role=Membership.Role.COORDINATOR
    ).user
    MembershipFactory.create(organization=riverside, user=sam, role=Membership.Role.ADMIN)
    other = OrganizationFactory.create(name="Elsewhere")
    ada = declared_mhfa.profile
    MatchFactory.create(volunteer=ada, opportunity=peer_line(harbor))
    MatchFactory.create(volunteer=ada, opportunity=peer_line(riverside))
    client = client_for(sam)

    unnamed = client.post(verify_url(ada.id), {}, format="json")
    not_his = client.post(verify_url(ada.id), {"organization": other.id}, format="json")
    named = client.post(verify_url(ada.id), {"organization": riverside.id}, format="json")

    assert unnamed.status_code == 400
    assert unnamed.json()["error"]["fields"] == {"organization": [ORGANIZATION_REQUIRED_MESSAGE]}
    assert not_his.status_code == 400
    assert not_his.json()["error"]["fields"] == {"organization": [ORGANIZATION_NOT_YOURS_MESSAGE]}
    assert named.status_code == 200, named.json()
    declared_mhfa.refresh_from_db()
    assert declared_mhfa.verified_for_id == riverside.id


def test_a_coordinator_who_is_the_volunteer_cannot_verify_themselves(harbor, sam):
    """Given Sam volunteers too and is suggested for his own organization's role, when he verifies
    his own MHFA, then 403 and it stays unverified."""
    own = ready_volunteer(VolunteerProfile.objects.create(user=sam, display_name="Sam"))
    record = TrainingRecordFactory.create(
        profile=own, completed_on=days_from_today(-90), verified=False, verified_at=None
    )
    MatchFactory.create(volunteer=own, opportunity=peer_line(harbor))

    response = client_for(sam).post(verify_url(own.id), {}, format="json")

    assert response.status_code == 403
    record.refresh_from_db()
    assert record.verified is False


def test_a_check_a_coordinator_records_is_scoped_and_staff_confirm_it(
    ada, harbor, sam, sam_client, staff_client, staff
):
    """Given Ada is matched with Harbor, when Sam records her cleared check, then it is verified by
    Sam for Harbor; Pat then confirms it (a dedicated endpoint) and it counts everywhere."""
    MatchFactory.create(volunteer=ada, opportunity=peer_line(harbor))
    cleared = {"status": "cleared", "cleared_on": days_from_today(-10).isoformat()}

    recorded = sam_client.post(check_url(ada.id), cleared, format="json")

    assert recorded.status_code == 200, recorded.json()
    assert (recorded.json()["verified_by"], recorded.json()["verified_for"]) == (sam.id, harbor.id)
    ada.refresh_from_db()
    assert ada.background_check_verified_for_id == harbor.id

    sams_confirm = sam_client.post(f"{check_url(ada.id)}confirm/")
    confirmed = staff_client.post(f"{check_url(ada.id)}confirm/")
    again = staff_client.post(f"{check_url(ada.id)}confirm/")

    assert sams_confirm.status_code == 404
    assert confirmed.status_code == 200, confirmed.json()
    assert (confirmed.json()["verified_by"], confirmed.json()["verified_for"]) == (staff.id, None)
    assert again.status_code == 409
    assert again.json()["error"]["message"] == NOTHING_TO_CONFIRM_MESSAGE


def test_a_coordinator_cannot_replace_a_check_staff_recorded(ada, harbor, sam_client, staff_client):
    """Given Pat recorded Ada's cleared check for every role, when Sam (matched with her through
    Harbor) records it as expired, then 409: only staff change what staff recorded."""
    MatchFactory.create(volunteer=ada, opportunity=peer_line(harbor))
    cleared = {"status": "cleared", "cleared_on": days_from_today(-10).isoformat()}
    assert staff_client.post(check_url(ada.id), cleared, format="json").status_code == 200

    response = sam_client.post(check_url(ada.id), {"status": "expired"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["message"] == VERIFIED_ELSEWHERE_MESSAGE
    ada.refresh_from_db()
    assert (ada.background_check_status, ada.background_check_verified_for_id) == ("cleared", None)


def test_a_coordinator_cannot_replace_another_organizations_verification(
    declared_mhfa, harbor, riverside, sam_client, rita_client
):
    ada = declared_mhfa.profile
    MatchFactory.create(volunteer=ada, opportunity=peer_line(harbor))
    MatchFactory.create(volunteer=ada, opportunity=peer_line(riverside))
    assert sam_client.post(verify_url(ada.id), {}, format="json").status_code == 200

    response = rita_client.post(verify_url(ada.id), {}, format="json")

    assert response.status_code == 409
    declared_mhfa.refresh_from_db()
    assert declared_mhfa.verified_for_id == harbor.id


def test_changing_the_dates_of_a_coordinator_verified_training_drops_its_scope_too(
    declared_mhfa, harbor, sam_client, ada_client
):
    ada = declared_mhfa.profile
    MatchFactory.create(volunteer=ada, opportunity=peer_line(harbor))
    assert sam_client.post(verify_url(ada.id), {}, format="json").status_code == 200

    response = ada_client.patch(
        "/api/v1/volunteers/me/",
        {"trainings": [{"training": "mhfa", "completed_on": days_from_today(-5).isoformat()}]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    declared_mhfa.refresh_from_db()
    assert (declared_mhfa.verified, declared_mhfa.verified_by_id) == (False, None)
    assert declared_mhfa.verified_for_id is None
