"""Organization staff on the pages: Omar creates Lantern House (pending until staff verify it);
Alex, admin of verified Harbor House, posts a role as a draft, publishes and closes it. The
writes are the API's services; outsiders cannot act."""

from __future__ import annotations

import pytest

from opportunities.models import Opportunity
from organizations.models import Membership, Organization
from tests.factories import UserFactory
from tests.placements.lifecycle_helpers import peer_line
from tests.support.pages import browser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def test_omar_creates_an_organization_and_becomes_its_admin():
    omar = UserFactory.create(email="omar@lantern.example")

    response = browser_for(omar).post(
        "/organizations/new/", {"name": "Lantern House", "contact_email": "hi@lantern.example"}
    )

    lantern = Organization.objects.get(name="Lantern House")
    assert response["Location"] == f"/organizations/{lantern.pk}/"
    assert lantern.verification_status == "pending"
    assert Membership.objects.get(organization=lantern).user == omar


def test_a_missing_contact_email_is_refused_on_its_field():
    omar = UserFactory.create(email="omar@lantern.example")

    response = browser_for(omar).post("/organizations/new/", {"name": "Lantern House"})

    assert response.status_code == 400
    assert 'id="id_contact_email_error"' in response.content.decode()
    assert not Organization.objects.exists()


def test_alex_posts_a_role_publishes_and_closes_it(alex, harbor):
    browser = browser_for(alex)

    browser.post(
        f"/organizations/{harbor.pk}/roles/new/",
        {
            "title": "Saturday befriender",
            "mode": "remote",
            "causes": ["loneliness"],
            "availability": ["sat-morning"],
            "capacity": "2",
        },
    )
    role = Opportunity.objects.get(title="Saturday befriender")
    draft = role.status
    browser.post(f"/my-roles/{role.pk}/publish/")
    published = Opportunity.objects.get(pk=role.pk).status
    page = browser.get(f"/organizations/{harbor.pk}/").content.decode()
    browser.post(f"/my-roles/{role.pk}/close/")

    assert (draft, published) == ("draft", "published")
    assert "0 / 2" in page
    assert Opportunity.objects.get(pk=role.pk).status == "closed"


def test_publishing_a_role_without_a_place_is_refused_with_the_services_message(alex, harbor):
    browser = browser_for(alex)
    browser.post(
        f"/organizations/{harbor.pk}/roles/new/", {"title": "Drop-in", "mode": "in_person"}
    )
    role = Opportunity.objects.get(title="Drop-in")

    response = browser.post(f"/my-roles/{role.pk}/publish/", follow=True)

    assert "message-error" in response.content.decode()
    assert Opportunity.objects.get(pk=role.pk).status == "draft"


def test_a_bad_value_keeps_the_form_with_the_message_on_its_field(alex, harbor):
    response = browser_for(alex).post(
        f"/organizations/{harbor.pk}/roles/new/", {"title": "", "mode": "remote", "capacity": "0"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_title_error"' in page
    assert 'id="id_capacity_error"' in page
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("rita of another organization", 404)]
)
def test_outsiders_cannot_post_publish_or_close_harbors_roles(who, expected, rita, harbor):
    draft = peer_line(harbor, title="Draft line", status="draft")
    live = peer_line(harbor, title="Live line")
    browser = browser_for({"anonymous": None, "rita of another organization": rita}[who])

    answers = [
        browser.post(f"/organizations/{harbor.pk}/roles/new/", {"title": "X", "mode": "remote"}),
        browser.post(f"/my-roles/{draft.pk}/publish/"),
        browser.post(f"/my-roles/{live.pk}/close/"),
        browser.get(f"/organizations/{harbor.pk}/"),
    ]

    assert {a.status_code for a in answers} == {expected}
    assert Opportunity.objects.get(pk=draft.pk).status == "draft"
    assert Opportunity.objects.get(pk=live.pk).status == "published"
    assert not Opportunity.objects.filter(title="X").exists()
