"""The admin reads; changes go through the services (backend/admin.py).

The table of admins is read from the admin site itself, so a new domain admin that lets staff edit
rows directly fails here until it is made view-only (or is named below with a reason).
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from audit.models import AuditEntry
from matching.models import MatchStatus
from opportunities.models import Opportunity
from tests.factories import MatchFactory, OpportunityFactory, UserFactory
from tests.support.second_factor import staff_login

pytestmark = pytest.mark.django_db

#: Apps whose rows change only through services.
DOMAIN_APPS = {
    "audit",
    "organizations",
    "opportunities",
    "volunteers",
    "matching",
    "placements",
    "engagement",
    "notifications",
}
#: Editable in the admin on purpose: reference data and accounts have no service to bypass.
# otp_totp: staff's second-factor devices (a colleague adds one for a new member of staff).
EDITABLE = {
    "taxonomy",
    "accounts",
    "auth",
    "otp_totp",
    "django_celery_beat",
    "django_celery_results",
}


@pytest.fixture
def pat() -> Client:
    client = Client()
    staff_login(
        client,
        UserFactory.create(email="pat.admin@kindred.example", is_staff=True, is_superuser=True),
    )
    return client


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory.create(
        email="root@kindred.example", is_staff=True, is_superuser=True
    )
    return request


def test_every_domain_admin_is_view_only():
    request = _superuser_request()
    writable = []
    for model, model_admin in admin.site._registry.items():
        app = model._meta.app_label
        assert app in DOMAIN_APPS | EDITABLE, f"{app}.{model.__name__}: add it to a list above"
        if app not in DOMAIN_APPS:
            continue
        if (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        ):
            writable.append(f"{app}.{model.__name__}")
        for inline in model_admin.get_inline_instances(request):
            if inline.has_add_permission(request, None) or inline.has_change_permission(request):
                writable.append(f"{app}.{model.__name__} inline {inline.model.__name__}")
    assert writable == []


def test_pat_cannot_set_a_match_status_by_editing_the_row(pat, harbor):
    """Given a suggestion, when Pat posts the match's change form with status active, then the
    admin refuses (403) and the match is still a suggestion with no transition."""
    match = MatchFactory.create(opportunity=OpportunityFactory.create(organization=harbor))

    response = pat.post(f"/admin/matching/match/{match.id}/change/", {"status": "active"})

    assert response.status_code == 403
    match.refresh_from_db()
    assert match.status == MatchStatus.SUGGESTED
    assert not match.transitions.exists()
    assert pat.post(f"/admin/matching/match/{match.id}/delete/", {"post": "yes"}).status_code == 403


def test_pat_verifies_harbor_through_the_service_and_the_log_names_her(pat, harbor):
    """Harbor House gave its charity number: Pat's admin action verifies it with its own number
    and contact email as the evidence, and the decision row and the audit row name her."""
    type(harbor).objects.filter(pk=harbor.pk).update(
        verification_status="pending", registration_number="1180011"
    )
    response = pat.post(
        "/admin/organizations/organization/",
        {"action": "mark_verified", "_selected_action": [harbor.id]},
    )

    assert response.status_code == 302
    harbor.refresh_from_db()
    assert harbor.is_verified is True
    decision = harbor.verifications.get()
    assert (decision.registration_number, decision.contact, decision.note) == (
        "1180011",
        harbor.contact_email,
        "verified in the admin",
    )
    assert decision.decided_by == harbor.verified_by
    entry = AuditEntry.objects.get(event="organization_verification_changed")
    assert entry.actor is not None
    assert (entry.actor.email, entry.subject_id, entry.data["verified"]) == (
        "pat.admin@kindred.example",
        str(harbor.id),
        True,
    )


def test_pat_closes_a_role_through_the_service_which_asks_for_a_rematch(
    pat, harbor, django_capture_on_commit_callbacks
):
    role = OpportunityFactory.create(organization=harbor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = pat.post(
            "/admin/opportunities/opportunity/",
            {"action": "close_selected", "_selected_action": [role.id]},
        )

    assert response.status_code == 302
    role.refresh_from_db()
    assert role.status == Opportunity.Status.CLOSED
    # The rematch that withdraws its suggestions and the re-check of its offers and matches.
    assert len(callbacks) == 2
    assert AuditEntry.objects.filter(event="opportunity_changed", subject_id=str(role.id)).exists()


def test_no_api_token_can_be_read_or_edited_in_the_admin(pat):
    """Finding 7: staff could read every user's API token in plain text in the admin. A token is
    shown once, to its owner; the admin registers no token model at all."""
    registered = {model._meta.label for model in admin.site._registry}

    assert not {"knox.AuthToken", "accounts.DeviceToken"} & registered
    assert pat.get("/admin/accounts/devicetoken/").status_code == 404
