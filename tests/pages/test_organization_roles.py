"""Alex, admin of verified Harbor House, edits a role on its page and watches the preview of how
many volunteers it would reach: banded ("fewer than 5", then the nearest 5), with the rule that
rules out the most in plain words. The edit is ``opportunity_update``; outsiders find nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from matching import preview
from opportunities.models import Opportunity
from organizations.models import VerificationStatus
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.placements.lifecycle_helpers import new_volunteer, peer_line
from tests.support.pages import browser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

HTMX = {"HX-Request": "true"}


def form_of(**changes) -> dict:
    values = {
        "title": "Evening peer support line",
        "mode": "remote",
        "availability": ["tue-evening"],
        "capacity": "2",
    }
    values.update(changes)
    return values


def test_alex_opens_a_role_filled_in_and_saves_a_change(alex, harbor):
    role = peer_line(harbor, status="draft")
    browser = browser_for(alex)

    page = browser.get(f"/my-roles/{role.pk}/edit/").content.decode()
    response = browser.post(
        f"/my-roles/{role.pk}/edit/", form_of(title="Late peer support line", capacity="4")
    )

    assert 'value="Evening peer support line"' in page
    assert 'id="id_slot_tue-evening" aria-label="Tuesday, Evening" checked' in page
    assert response["Location"] == f"/organizations/{harbor.pk}/"
    saved = Opportunity.objects.get(pk=role.pk)
    assert (saved.title, saved.capacity, saved.availability) == (
        "Late peer support line",
        4,
        ["tue-evening"],
    )


def test_a_bad_edit_keeps_the_form_with_messages_on_their_fields(alex, harbor):
    role = peer_line(harbor, status="draft")

    response = browser_for(alex).post(
        f"/my-roles/{role.pk}/edit/", form_of(title="", capacity="0", min_age="old")
    )

    assert response.status_code == 400
    page = response.content.decode()
    for field in ("title", "capacity", "min_age"):
        assert f'id="id_{field}_error"' in page
    assert Opportunity.objects.get(pk=role.pk).title == "Evening peer support line"


def test_the_services_refusals_are_shown_on_their_fields(alex, harbor):
    role = peer_line(harbor)
    today = timezone.localdate()
    browser = browser_for(alex)

    ended = browser.post(
        f"/my-roles/{role.pk}/edit/", form_of(ends_on=str(today - dt.timedelta(days=1)))
    )
    backwards = browser.post(
        f"/my-roles/{role.pk}/edit/",
        form_of(starts_on=str(today + dt.timedelta(days=9)), ends_on=str(today)),
    )

    assert (ended.status_code, backwards.status_code) == (400, 400)
    assert 'id="id_ends_on_error"' in ended.content.decode()
    assert 'id="id_ends_on_error"' in backwards.content.decode()
    assert Opportunity.objects.get(pk=role.pk).ends_on == role.ends_on


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("rita of another organization", 404)]
)
def test_outsiders_cannot_open_edit_or_preview_harbors_roles(who, expected, rita, harbor):
    role = peer_line(harbor, status="draft")
    browser = browser_for({"anonymous": None, "rita of another organization": rita}[who])

    answers = [
        browser.get(f"/my-roles/{role.pk}/edit/"),
        browser.post(f"/my-roles/{role.pk}/edit/", form_of(title="Taken")),
        browser.post(f"/my-roles/{role.pk}/edit/", form_of(preview="1"), headers=HTMX),
        browser.post(f"/organizations/{harbor.pk}/roles/new/", form_of(preview="1"), headers=HTMX),
    ]

    assert {a.status_code for a in answers} == {expected}
    assert Opportunity.objects.get(pk=role.pk).title == "Evening peer support line"


def test_the_preview_counts_eligible_volunteers_in_bands_and_saves_nothing(alex, harbor):
    browser = browser_for(alex)
    url = f"/organizations/{harbor.pk}/roles/new/"
    few = browser.post(url, form_of(preview="1"), headers=HTMX).content.decode()
    for name in ("Bea", "Cal", "Dee", "Eve", "Fay", "Gus", "Hal"):
        new_volunteer(name)
    # Another draft (the same one would be answered from the cache for a few minutes).
    seven = browser.post(
        url, form_of(preview="1", hours_per_week="2"), headers=HTMX
    ).content.decode()

    assert "Fewer than 5 eligible volunteers" in few
    # Seven is told as "about 5": the exact figure never leaves the service.
    assert "About 5 eligible volunteers" in seven
    assert not Opportunity.objects.exists()


def test_the_preview_names_the_rule_that_rules_out_the_most(alex, harbor):
    for name in ("Bea", "Cal", "Dee", "Eve", "Fay", "Gus"):
        new_volunteer(name)

    page = browser_for(alex).post(
        f"/organizations/{harbor.pk}/roles/new/",
        form_of(preview="1", background_check_required="on"),
        headers=HTMX,
    )

    text = page.content.decode()
    assert "Fewer than 5 eligible volunteers" in text
    assert "do not have a verified background check" in text
    assert "<html" not in text  # the fragment only, for the live region


def test_without_javascript_the_preview_button_shows_the_whole_page(alex, harbor):
    role = peer_line(harbor, status="draft")

    response = browser_for(alex).post(f"/my-roles/{role.pk}/edit/", form_of(preview="1"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'aria-live="polite"' in page
    assert "eligible volunteers" in page
    assert Opportunity.objects.get(pk=role.pk).capacity == 2


def test_a_half_typed_form_asks_to_be_completed_before_a_preview(alex, harbor):
    page = browser_for(alex).post(
        f"/organizations/{harbor.pk}/roles/new/", form_of(preview="1", title=""), headers=HTMX
    )

    assert page.status_code == 200
    assert "Complete the form" in page.content.decode()


def test_a_pending_organization_gets_no_preview(rita):
    lantern = OrganizationFactory.create(verification_status=VerificationStatus.PENDING)
    omar = UserFactory.create(email="omar@lantern.example")
    MembershipFactory.create(user=omar, organization=lantern, role="admin")
    new_volunteer("Bea")

    browser = browser_for(omar)
    form = browser.get(f"/organizations/{lantern.pk}/roles/new/").content.decode()
    asked = browser.post(
        f"/organizations/{lantern.pk}/roles/new/", form_of(preview="1"), headers=HTMX
    ).content.decode()

    assert "hx-post" not in form
    assert "eligible volunteers" not in asked
    assert "Once platform staff verify your organization" in asked


def test_the_preview_is_computed_once_per_draft_whatever_the_title(alex, harbor, monkeypatch):
    calls = []
    counted = preview._counted

    def counting(*args):
        calls.append(args)
        return counted(*args)

    monkeypatch.setattr(preview, "_counted", counting)
    browser = browser_for(alex)
    url = f"/organizations/{harbor.pk}/roles/new/"

    for title in ("Line", "Line two", "Line three"):
        browser.post(url, form_of(preview="1", title=title), headers=HTMX)
    browser.post(url, form_of(preview="1", hours_per_week="2"), headers=HTMX)

    assert len(calls) == 2


@pytest.mark.parametrize(
    ("count", "band"),
    [(0, 0), (4, 0), (5, 5), (7, 5), (8, 10), (49, 50), (50, 50), (54, 50), (55, 60), (1049, 1000)],
)
def test_counts_are_told_in_bands(count, band):
    assert preview.count_band(count) == band


def test_a_role_on_site_counts_the_volunteers_within_the_radius_by_their_own_limits(alex, harbor):
    # Near 10001 (Manhattan), willing to travel 10 km; one in Los Angeles; one near but who
    # travels only 1 km, about 3 km away.
    for name in ("Bea", "Cal", "Dee", "Eve", "Fay", "Gus"):
        new_volunteer(name, latitude=40.75, longitude=-73.99, max_travel_km=10)
    new_volunteer("Lou", latitude=34.05, longitude=-118.24, max_travel_km=500)
    new_volunteer("Hal", latitude=40.78, longitude=-73.97, max_travel_km=1)
    browser = browser_for(alex)
    url = f"/organizations/{harbor.pk}/roles/new/"

    near = browser.post(url, form_of(preview="1", mode="in_person", postcode="10001"))
    nowhere = browser.post(url, form_of(preview="1", mode="in_person"), headers=HTMX)

    text = near.content.decode()
    assert "About 5 eligible volunteers within 25 km." in text
    assert "Add a ZIP code we can find" in nowhere.content.decode()


def test_the_preview_sees_a_volunteer_change_at_once(alex, harbor):
    volunteers = [new_volunteer(name) for name in ("Bea", "Cal", "Dee", "Eve", "Fay")]
    browser = browser_for(alex)
    url = f"/organizations/{harbor.pk}/roles/new/"
    form = form_of(preview="1", hours_per_week="2")

    before = browser.post(url, form, headers=HTMX).content.decode()
    volunteers[0].paused = True
    volunteers[0].save()
    cache.clear()  # the same draft's answer is kept a few minutes; the records must not be
    after = browser.post(url, form, headers=HTMX).content.decode()

    assert "About 5 eligible volunteers" in before
    assert "Fewer than 5 eligible volunteers" in after


def test_a_us_deployment_reads_the_radius_in_miles(alex, harbor, settings):
    settings.DISTANCE_UNIT = "mi"

    page = browser_for(alex).post(
        f"/organizations/{harbor.pk}/roles/new/",
        form_of(preview="1", mode="in_person", postcode="10001"),
        headers=HTMX,
    )

    assert "Fewer than 5 eligible volunteers within 15 mi." in page.content.decode()
