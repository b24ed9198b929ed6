"""Journeys in a real browser, keyboard only: Noor signs up, confirms her address from the email,
signs in, fills her profile, sees the roles for her with their reasons and says she is interested
in one, is offered it once Sam accepts her interest, accepts it and logs hours; then reads the home
page in Spanish. Sam, a coordinator, approves two suggestions in bulk, verifies hours and accepts a
volunteer's interest ("Asked by volunteers"); Alex posts and publishes a role. Every page on the way has 0 serious or critical axe-core violations and
no Content-Security-Policy refusal (tests/pages/browser.py); screenshots go to var/screenshots/."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone

from engagement.models import HoursLog
from matching.models import Match
from opportunities.models import Opportunity
from placements.models import InterestRequest
from placements.services import interest
from tests.factories import PASSWORD
from tests.pages.browser import browser_page, checked, needs_chromium, tab_to
from tests.placements.lifecycle_helpers import new_volunteer, peer_line, ready_volunteer, suggestion
from volunteers.models import VolunteerProfile

pytestmark = [
    needs_chromium,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_tasks"),
]


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def tick(page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Space")


def submit(page, selector: str = "main button[type=submit]") -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_noor_signs_up_fills_her_profile_and_takes_a_role(live_server, harbor, sam):
    role = peer_line(harbor, title="Evening peer support line")
    base = live_server.url

    with browser_page() as page:
        page.goto(base + "/")
        checked(page, "01-home", phone=True)
        tab_to(page, "main a[href='/sign-up/']")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        checked(page, "02-sign-up", phone=True)

        type_into(page, "#id_display_name", "Noor")
        type_into(page, "#id_email", "noor@example.org")
        type_into(page, "#id_password", PASSWORD)
        submit(page)
        assert page.url == base + "/sign-up/sent/"
        checked(page, "03-sign-up-sent")

        (message,) = mail.outbox
        found = re.search(r"https?://\S+/account/verify-email/\S+/", str(message.body))
        assert found is not None
        link = found[0]
        page.goto(base + link[link.index("/account/") :])
        checked(page, "04-verify-email")
        submit(page)
        assert page.get_by_role("status").is_visible()

        page.goto(base + "/sign-in/")
        checked(page, "05-sign-in", phone=True)
        type_into(page, "#id_email", "noor@example.org")
        type_into(page, "#id_password", PASSWORD)
        submit(page)
        assert page.url == base + "/me/roles/"
        checked(page, "06-my-roles-empty")

        page.goto(base + "/me/profile/")
        checked(page, "07-profile-about", phone=True)
        type_into(page, "#id_bio", "I have run a listening circle for two years.")
        submit(page)
        checked(page, "08-profile-interests")
        tick(page, "input[name=causes][value=loneliness]")
        tick(page, "input[name=languages][value=en]")
        submit(page)
        checked(page, "09-profile-place")
        type_into(page, "#id_postcode", "10001")
        tick(page, "input[name=modes][value=remote]")
        submit(page)
        checked(page, "10-profile-time", phone=True)
        tick(page, "#id_slot_tue-evening")
        tick(page, "#id_slot_thu-evening")
        submit(page)
        checked(page, "11-profile-experience")
        submit(page)
        # The finished profile opens the roles it fits, each with the engine's reasons.
        assert page.url == base + "/me/roles-for-you/"
        checked(page, "11a-roles-for-you", phone=True)
        assert page.locator(f"#interest-{role.pk}").is_visible()
        assert page.locator("ul.reasons li").count() >= 2
        type_into(page, f"#message-{role.pk}", "I ran a listening circle for two years.")
        tab_to(page, f"#interest-{role.pk} button[type=submit]")
        page.keyboard.press("Enter")  # htmx swaps the form for its new state
        page.locator(f"#interest-{role.pk} [role=status]").wait_for()
        checked(page, "11b-interest-sent")

        page.goto(base + "/roles/")
        checked(page, "12-roles", phone=True)
        type_into(page, "#id_q", "peer")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"q=peer"))
        checked(page, "13-roles-search")
        tab_to(page, f"a[href='/roles/{role.pk}/']")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        checked(page, "14-role", phone=True)

        # Sam, the coordinator, accepts Noor's interest (his page: the journey below), which
        # approves the pair's match and offers her the role.
        noor = VolunteerProfile.objects.get(user__email="noor@example.org")
        asked = InterestRequest.objects.get(volunteer=noor, opportunity=role, status="pending")
        assert asked.message == "I ran a listening circle for two years."
        interest.interest_accept(interest_id=asked.pk, actor=sam)
        match = Match.objects.get(volunteer=noor, opportunity=role, status="offered")

        page.goto(base + "/notifications/")
        checked(page, "15-notifications", phone=True)
        page.goto(base + "/me/roles/")
        checked(page, "15-offer", phone=True)
        submit(page, f"form[action='/me/roles/{match.pk}/accept/'] button")
        checked(page, "16-accepted")
        assert Match.objects.get(pk=match.pk).status == "active"

        type_into(page, f"#hours-{match.pk}", "2")
        submit(page, f"form[action='/me/roles/{match.pk}/hours/'] button")
        checked(page, "17-hours-logged", phone=True)
        assert HoursLog.objects.get(match=match).date == timezone.localdate()

        page.goto(base + "/me/account/")
        checked(page, "17-account", phone=True)

        page.goto(base + "/")
        page.select_option("#language-select", "es")
        submit(page, ".language-form button")
        assert page.locator("html").get_attribute("lang") == "es"
        checked(page, "18-home-es", phone=True)


def test_sam_signs_in_and_approves_two_suggestions_in_bulk(live_server, harbor, sam):
    role = peer_line(harbor, title="Evening peer support line", capacity=3)
    first, second = (
        suggestion(ready_volunteer(new_volunteer(name)), role) for name in ("Bea", "Cal")
    )
    active = suggestion(ready_volunteer(new_volunteer("Dee")), role, status="active")
    logged = HoursLog.objects.create(match=active, date=timezone.localdate(), hours=2)
    base = live_server.url

    with browser_page() as page:
        page.goto(base + "/sign-in/")
        type_into(page, "#id_email", sam.email)
        type_into(page, "#id_password", PASSWORD)
        submit(page)
        assert page.url == base + "/review/"
        checked(page, "20-review-queue", phone=True)

        tick(page, f"#pick-{first.pk}")
        tick(page, f"#pick-{second.pk}")
        submit(page, "main form[method=post] fieldset button[type=submit]")
        checked(page, "21-review-approved")

        tab_to(page, "main a[href='/review/history/']")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        checked(page, "21a-match-history", phone=True)
        assert page.get_by_text("Bea · Evening peer support line").is_visible()

        page.goto(base + "/review/hours/")
        checked(page, "22-hours-to-verify", phone=True)
        submit(page, f"form[action='/review/hours/{logged.pk}/verify/'] button")
        checked(page, "23-hours-verified")

    assert {Match.objects.get(pk=m.pk).status for m in (first, second)} == {"offered"}
    assert HoursLog.objects.get(pk=logged.pk).verified_by == sam


def test_alex_posts_and_publishes_a_role_for_harbor_house(live_server, harbor, alex):
    base = live_server.url

    with browser_page() as page:
        page.goto(base + "/sign-in/")
        type_into(page, "#id_email", alex.email)
        type_into(page, "#id_password", PASSWORD)
        submit(page)
        page.goto(base + "/organizations/")
        checked(page, "30-my-organizations")
        page.goto(base + "/organizations/new/")
        checked(page, "31-organization-new", phone=True)
        page.goto(base + f"/organizations/{harbor.pk}/roles/new/")
        checked(page, "32-role-new", phone=True)
        type_into(page, "#id_title", "Saturday befriender")
        page.select_option("#id_mode", "remote")
        tick(page, "#id_slot_sat-morning")
        submit(page)
        checked(page, "33-organization", phone=True)
        role = Opportunity.objects.get(title="Saturday befriender")
        submit(page, f"form[action='/my-roles/{role.pk}/publish/'] button")
        checked(page, "34-role-published")

    assert Opportunity.objects.get(pk=role.pk).status == "published"


def test_omar_signs_up_lantern_house_staff_verify_it_and_he_posts_a_role_with_its_preview(
    live_server,
):
    """Omar signs up and creates Lantern House (pending: no preview yet); Pat, platform staff,
    signs in with her second factor and verifies it on the staff page; Omar posts a role and
    watches the preview change as he fills the form, saves it and publishes it."""
    from organizations.models import Organization
    from tests.factories import UserFactory
    from tests.support.second_factor import current_code, totp_device

    for name in ("Bea", "Cal", "Dee", "Eve", "Fay", "Gus"):
        new_volunteer(name)
    pat = UserFactory.create(email="pat@kindred.example", is_staff=True)
    device = totp_device(pat)
    base = live_server.url

    def sign_in(page, email: str, otp: str = "") -> None:
        page.goto(base + "/sign-in/")
        type_into(page, "#id_email", email)
        type_into(page, "#id_password", PASSWORD)
        if otp:
            type_into(page, "#id_otp", otp)
        submit(page)

    with browser_page() as page:
        page.goto(base + "/sign-up/")
        type_into(page, "#id_display_name", "Omar")
        type_into(page, "#id_email", "omar@lantern.example")
        type_into(page, "#id_password", PASSWORD)
        submit(page)
        found = re.search(r"https?://\S+/account/verify-email/\S+/", str(mail.outbox[-1].body))
        assert found is not None
        page.goto(base + found[0][found[0].index("/account/") :])
        submit(page)
        sign_in(page, "omar@lantern.example")
        page.goto(base + "/organizations/new/")
        type_into(page, "#id_name", "Lantern House")
        type_into(page, "#id_contact_email", "hello@lantern.example")
        type_into(page, "#id_postcode", "10001")
        submit(page)
        lantern = Organization.objects.get(name="Lantern House")
        assert lantern.verification_status == "pending"
        checked(page, "40-organization-pending")
        page.goto(base + f"/organizations/{lantern.pk}/roles/new/")
        assert "Once platform staff verify" in page.locator("#role-preview").inner_text()
        page.goto(base + "/organizations/")
        checked(page, "40-my-organizations")
        page.goto(base + "/me/invitations/")
        checked(page, "40-invitations")

    with browser_page() as page:
        sign_in(page, pat.email, current_code(device))
        page.goto(base + "/staff/organizations/")
        checked(page, "41-staff-organizations", phone=True)
        tab_to(page, f"a[href='/staff/organizations/{lantern.pk}/']")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        checked(page, "42-staff-organization", phone=True)
        tick(page, "#id_decision_0")
        type_into(page, "#id_registration_number", "EIN 12-3456789")
        type_into(page, "#id_contact", "Phoned the director at the number on the IRS record")
        submit(page)
        assert page.url == base + "/staff/organizations/"
        checked(page, "43-staff-organization-verified")
        page.goto(base + "/staff/checks/")
        checked(page, "44-staff-checks")
        page.goto(base + "/staff/trainings/")
        checked(page, "45-staff-trainings")
    assert Organization.objects.get(pk=lantern.pk).verification_status == "verified"

    with browser_page() as page:
        sign_in(page, "omar@lantern.example")
        page.goto(base + f"/organizations/{lantern.pk}/team/")
        checked(page, "46-team", phone=True)
        page.goto(base + f"/organizations/{lantern.pk}/roles/new/")
        preview = page.locator("#role-preview")
        type_into(page, "#id_title", "Tuesday evening befriender")
        page.wait_for_selector("#role-preview:has-text('Add a ZIP code')")
        page.select_option("#id_mode", "remote")
        page.wait_for_selector("#role-preview:has-text('About 5 eligible volunteers')")
        checked(page, "47-role-new-preview", phone=True)
        tick(page, "#id_slot_tue-evening")
        tick(page, "#id_background_check_required")
        page.wait_for_selector("#role-preview:has-text('Fewer than 5 eligible volunteers')")
        assert "verified background check" in preview.inner_text()
        checked(page, "48-role-new-preview-check")
        tick(page, "#id_background_check_required")
        page.wait_for_selector("#role-preview:has-text('About 5 eligible volunteers')")
        submit(page)
        role = Opportunity.objects.get(title="Tuesday evening befriender")
        submit(page, f"form[action='/my-roles/{role.pk}/publish/'] button")
        checked(page, "49-lantern-role-published")
        page.goto(base + f"/my-roles/{role.pk}/edit/")
        checked(page, "49-role-edit", phone=True)

    role.refresh_from_db()
    assert (role.status, role.availability, role.background_check_required) == (
        "published",
        ["tue-evening"],
        False,
    )


def test_sam_accepts_a_volunteer_who_asked_for_a_role(live_server, harbor, sam):
    role = peer_line(harbor, title="Evening peer support line")
    eve = new_volunteer("Eve")
    asked = interest.interest_express(
        actor=eve.user, opportunity_id=role.pk, message="I can do Tuesday evenings."
    )
    base = live_server.url

    with browser_page() as page:
        page.goto(base + "/sign-in/")
        type_into(page, "#id_email", sam.email)
        type_into(page, "#id_password", PASSWORD)
        submit(page)
        tab_to(page, "main a[href='/review/asked/']")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        checked(page, "24-asked-by-volunteers", phone=True)
        assert page.get_by_text("I can do Tuesday evenings.").is_visible()
        submit(page, f"form[action='/review/asked/{asked.pk}/']:has(input[value=accept]) button")
        checked(page, "25-asked-accepted")

    assert InterestRequest.objects.get(pk=asked.pk).status == "accepted"
    assert Match.objects.get(volunteer=eve, opportunity=role).status == "offered"


def test_ada_forgets_her_password_sets_a_new_one_and_signs_her_phone_out(live_server, ada):
    """Ada follows "Forgot your password?" from the sign-in page, sets a new password from the
    emailed link, signs in with it, changes it again, and signs out the app on her phone."""
    from accounts.models import DeviceToken
    from accounts.services.tokens import user_token_issue

    base = live_server.url
    new_password, newer_password = "a-fresh-long-passphrase", "an-even-fresher-passphrase"

    with browser_page() as page:
        page.goto(base + "/sign-in/")
        tab_to(page, "main a[href='/password/reset/']")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        checked(page, "60-password-reset", phone=True)
        type_into(page, "#id_email", "ada@example.org")
        submit(page)
        assert page.url == base + "/password/reset/sent/"
        checked(page, "61-password-reset-sent")

        (message,) = mail.outbox
        found = re.search(r"https?://\S+(/password/reset/\S+/\S+/)", str(message.body))
        assert found is not None
        page.goto(base + found[1])
        checked(page, "62-password-reset-confirm", phone=True)
        type_into(page, "#new_password1", new_password)
        type_into(page, "#new_password2", new_password)
        submit(page)
        assert page.get_by_role("status").is_visible()

        page.goto(base + "/sign-in/")
        type_into(page, "#id_email", "ada@example.org")
        type_into(page, "#id_password", new_password)
        submit(page)
        assert page.url == base + "/me/roles/"

        page.goto(base + "/me/password/")
        checked(page, "63-password-change", phone=True)
        type_into(page, "#id_old_password", new_password)
        type_into(page, "#id_new_password1", newer_password)
        type_into(page, "#id_new_password2", newer_password)
        submit(page)
        assert page.url == base + "/me/sign-ins/"

        phone, _ = user_token_issue(user=ada.user, name="Phone")
        page.reload()
        checked(page, "64-sign-ins", phone=True)
        submit(page, f"form[action='/me/sign-ins/{phone.token_key}/sign-out/'] button")
        checked(page, "65-signed-out-phone")

    assert not DeviceToken.objects.filter(user=ada.user).exists()
    ada.user.refresh_from_db()
    assert ada.user.check_password(newer_password)
