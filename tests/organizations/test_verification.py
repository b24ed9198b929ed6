"""Stories about verifying organizations: platform staff decide, with the evidence they checked;
nobody else can, and a refusal takes the organization's roles off the air."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from opportunities.models import Opportunity
from organizations.models import Organization, OrganizationVerification
from organizations.services.verification import (
    ALREADY_DECIDED_MESSAGE,
    CONTACT_REQUIRED_MESSAGE,
    NOTE_REQUIRED_MESSAGE,
    ONLY_STAFF_VERIFY_MESSAGE,
    REGISTRATION_NUMBER_REQUIRED_MESSAGE,
)
from tests.conftest import client_for
from tests.factories import (
    MembershipFactory,
    OpportunityFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EVIDENCE = {
    "decision": "verified",
    "registration_number": "1180011",
    "website": "https://haven.example.org",
    "contact": "Phoned the chair, Dana Reyes, on the number in the charity register",
}


@pytest.fixture
def haven():
    """Haven, a new organization that platform staff have not checked yet."""
    return OrganizationFactory.create(name="Haven", verification_status="pending")


@pytest.fixture
def nia(haven):
    """Nia, Haven's admin."""
    return MembershipFactory.create(
        organization=haven, role="admin", user=UserFactory.create(email="nia@haven.example")
    ).user


def fields_of(response) -> dict:
    return response.json()["error"]["fields"]


def test_a_new_organization_is_pending_and_its_admin_can_give_the_registration_number():
    """Given Nia creates Haven with its charity number, then Haven is pending, not verified, and
    the number is there for staff to check; she can correct it later with PATCH."""
    nia = UserFactory.create(email="nia@haven.example")
    client = client_for(nia)

    body = client.post(
        "/api/v1/organizations/",
        {"name": "Haven", "contact_email": "hi@haven.example", "registration_number": "118"},
    ).json()
    patched = client.patch(
        f"/api/v1/organizations/{body['id']}/", {"registration_number": "1180011"}
    ).json()

    assert (body["verification_status"], body["verified"]) == ("pending", False)
    assert patched["registration_number"] == "1180011"
    assert patched["verification_status"] == "pending"


def test_staff_list_pending_organizations_and_verify_one_with_evidence(staff_client, staff, haven):
    """Given Haven is pending, when Pat (staff) lists pending organizations she sees it (nobody
    else does: it has no published role); when she verifies it with the charity number and who
    confirmed it, then Haven is verified by her, the decision keeps the evidence, and the audit
    log names her."""
    pending = staff_client.get("/api/v1/organizations/?verification_status=pending").json()
    outsider = client_for(UserFactory.create()).get("/api/v1/organizations/").json()

    response = staff_client.post(f"/api/v1/organizations/{haven.id}/verification/", EVIDENCE)

    assert [o["name"] for o in pending["results"]] == ["Haven"]
    assert outsider["results"] == []
    assert response.status_code == 201, response.content
    haven.refresh_from_db()
    assert haven.is_verified
    assert haven.verified_by == staff
    assert haven.verified_at is not None
    decision = OrganizationVerification.objects.get(organization=haven)
    assert (decision.decided_by, decision.registration_number, decision.contact) == (
        staff,
        "1180011",
        EVIDENCE["contact"],
    )
    entry = AuditEntry.objects.get(event="organization_verification_changed")
    assert (entry.actor, entry.data["status"], entry.data["previous_status"]) == (
        staff,
        "verified",
        "pending",
    )


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({**EVIDENCE, "registration_number": ""}, "registration_number", None),
        ({**EVIDENCE, "contact": "  "}, "contact", CONTACT_REQUIRED_MESSAGE),
        ({"decision": "refused"}, "note", NOTE_REQUIRED_MESSAGE),
        ({"decision": "approved"}, "decision", None),
        ({**EVIDENCE, "website": "not a url"}, "website", None),
    ],
)
def test_a_decision_without_its_evidence_is_refused_and_nothing_changes(
    staff_client, haven, body, field, message
):
    response = staff_client.post(f"/api/v1/organizations/{haven.id}/verification/", body)

    assert response.status_code == 400, response.content
    assert field in fields_of(response)
    if message:
        assert fields_of(response)[field] == [message]
    if field == "registration_number":
        assert fields_of(response)[field] == [REGISTRATION_NUMBER_REQUIRED_MESSAGE]
    haven.refresh_from_db()
    assert haven.verification_status == "pending"
    assert not OrganizationVerification.objects.exists()


def test_nobody_but_staff_decides_not_even_the_organizations_own_admin(haven, nia, harbor, sam):
    """Nia (Haven's admin) gets 403 on her own organization; Sam, who cannot see pending Haven,
    gets 404; nothing is recorded."""
    own = client_for(nia).post(f"/api/v1/organizations/{haven.id}/verification/", EVIDENCE)
    outsider = client_for(sam).post(f"/api/v1/organizations/{haven.id}/verification/", EVIDENCE)
    anonymous = client_for(None).post(f"/api/v1/organizations/{haven.id}/verification/", EVIDENCE)

    assert own.status_code == 403
    assert own.json()["error"]["message"] == ONLY_STAFF_VERIFY_MESSAGE
    assert outsider.status_code == 404
    assert anonymous.status_code == 401
    haven.refresh_from_db()
    assert haven.verification_status == "pending"
    assert not OrganizationVerification.objects.exists()


def test_deciding_what_is_already_decided_is_a_conflict(staff_client, harbor):
    response = staff_client.post(f"/api/v1/organizations/{harbor.id}/verification/", EVIDENCE)

    assert response.status_code == 409
    assert response.json()["error"]["message"] == ALREADY_DECIDED_MESSAGE.format(status="verified")
    assert not OrganizationVerification.objects.exists()


def test_the_history_is_read_by_staff_and_the_organizations_admins_only(
    staff_client, haven, nia, harbor, sam
):
    """After Pat refuses and then verifies Haven, she and Nia read both decisions, newest first;
    a coordinator of Haven would get 403 and Sam (an outsider) 404."""
    staff_client.post(
        f"/api/v1/organizations/{haven.id}/verification/",
        {"decision": "refused", "note": "The charity number belongs to another charity."},
    )
    staff_client.post(f"/api/v1/organizations/{haven.id}/verification/", EVIDENCE)
    kit = MembershipFactory.create(organization=haven, role="coordinator").user

    seen_by_staff = staff_client.get(f"/api/v1/organizations/{haven.id}/verifications/")
    seen_by_nia = client_for(nia).get(f"/api/v1/organizations/{haven.id}/verifications/")

    assert [d["decision"] for d in seen_by_staff.json()] == ["verified", "refused"]
    assert seen_by_nia.json() == seen_by_staff.json()
    assert client_for(kit).get(f"/api/v1/organizations/{haven.id}/verifications/").status_code == (
        403
    )
    assert client_for(sam).get(f"/api/v1/organizations/{haven.id}/verifications/").status_code == (
        404
    )


def test_refusing_a_verified_organization_takes_its_published_roles_back_to_draft(
    staff_client, harbor, django_capture_on_commit_callbacks
):
    """Given Harbor House is verified and has a published role and a draft, when Pat refuses it
    (its registration turned out to be false), then after the commit the published role is a
    draft again through the roles' service (an unpublished change that asks for a rematch), the
    draft is untouched, and Harbor is no longer public."""
    published = OpportunityFactory.create(organization=harbor)
    draft = OpportunityFactory.create(organization=harbor, status=Opportunity.Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/api/v1/organizations/{harbor.id}/verification/",
            {"decision": "refused", "note": "The charity register has no such number."},
        )

    assert response.status_code == 201, response.content
    published.refresh_from_db()
    draft.refresh_from_db()
    assert (published.status, draft.status) == ("draft", "draft")
    assert AuditEntry.objects.filter(
        event="opportunity_changed", subject_id=str(published.id), data__change="unpublished"
    ).exists()
    harbor.refresh_from_db()
    assert (harbor.verification_status, harbor.verified_by, harbor.verified_at) == (
        "refused",
        None,
        None,
    )
    assert client_for(UserFactory.create()).get(
        f"/api/v1/organizations/{harbor.id}/"
    ).status_code == (404)
    assert Organization.objects.get(pk=harbor.pk).verifications.get().decision == "refused"


@pytest.fixture
def pat_admin():
    from django.test import Client

    from tests.support.second_factor import staff_login

    client = Client()
    staff_login(
        client,
        UserFactory.create(email="pat.admin@kindred.example", is_staff=True, is_superuser=True),
    )
    return client


def test_the_admin_refuses_through_the_service_and_cannot_verify_without_a_number(
    pat_admin, harbor, haven, django_capture_on_commit_callbacks
):
    """In the Django admin, Pat refuses Harbor House (its published role goes back to draft, the
    decision has the fixed note) and tries to verify Haven, which gave no charity number: Haven
    stays pending and the page says why."""
    role = OpportunityFactory.create(organization=harbor)
    url = "/admin/organizations/organization/"

    with django_capture_on_commit_callbacks(execute=True):
        refused = pat_admin.post(url, {"action": "mark_refused", "_selected_action": [harbor.id]})
    verify = pat_admin.post(
        url, {"action": "mark_verified", "_selected_action": [haven.id]}, follow=True
    )

    assert refused.status_code == 302
    harbor.refresh_from_db()
    role.refresh_from_db()
    assert (harbor.verification_status, role.status) == ("refused", "draft")
    assert harbor.verifications.get().note == "refused in the admin"
    haven.refresh_from_db()
    assert haven.verification_status == "pending"
    assert REGISTRATION_NUMBER_REQUIRED_MESSAGE in verify.content.decode()
    assert (
        pat_admin.post(f"{url}{harbor.id}/change/", {"verification_status": "verified"}).status_code
        == 403
    )
