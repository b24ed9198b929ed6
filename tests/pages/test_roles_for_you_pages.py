"""Roles for you, "I'm interested", the volunteer's requests on My roles, and the coordinator's
"Asked by volunteers" tab. Each write is the services' (placements/services/interest.py)."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from matching.models import Match
from placements.models import InterestRequest
from placements.services import interest
from suggestions import roles_for_volunteer as selection
from tests.factories import MatchFactory, OrganizationFactory
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer
from tests.support.pages import browser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def in_person(organization, **changes):
    """A drop-in near Ada's ZIP code (Manhattan), in person, Tue and Thu evenings."""
    values = {
        "title": "Drop-in host",
        "mode": "in_person",
        "hide_address": False,
        "latitude": 40.7506,
        "longitude": -73.9972,
    }
    values.update(changes)
    return peer_line(organization, **values)


def test_ada_sees_the_roles_she_fits_best_first_with_reasons_and_a_band(ada, harbor):
    """Given Ada (in person or remote, near 10001) and three roles, one she cannot do (Saturdays,
    fixed), when she opens Roles for you, then the two she fits are listed with the engine's
    reasons and the drop-in's distance as a band, never as a figure, and the Saturday role is
    not there."""
    ready_volunteer(ada, latitude=40.7484, longitude=-73.9967, max_travel_km=10)
    line = peer_line(harbor)
    drop_in = in_person(harbor)
    saturday = peer_line(
        harbor, title="Saturday circle", availability=["sat-morning"], schedule_fixed=True
    )

    found = selection.roles_for_volunteer(profile=ada)
    page = browser_for(ada.user).get("/me/roles-for-you/")

    assert {r.opportunity.pk for r in found.roles} == {line.pk, drop_in.pk}
    scores = [r.score for r in found.roles]
    assert scores == sorted(scores, reverse=True)
    by_role = {r.opportunity.pk: r for r in found.roles}
    assert by_role[drop_in.pk].distance_band == "under 2 km"
    assert by_role[line.pk].distance_band is None
    assert all(r.reasons for r in found.roles)
    html = page.content.decode()
    assert page.status_code == 200
    assert drop_in.title in html
    assert saturday.title not in html
    assert by_role[drop_in.pk].reasons[0] in html
    assert re.search(r"\d+\.\d+ ?(km|mi)", html) is None  # a band, never a figure


def test_the_list_leaves_out_unverified_organizations_and_pairs_already_decided(ada, harbor):
    ready_volunteer(ada)
    pending = OrganizationFactory.create(name="Quay Club", verification_status="pending")
    peer_line(pending, title="Quay line")
    rejected = peer_line(harbor, title="Rejected line")
    MatchFactory.create(volunteer=ada, opportunity=rejected, status="rejected")
    kept = peer_line(harbor, title="Kept line")

    found = selection.roles_for_volunteer(profile=ada)

    assert [r.opportunity.pk for r in found.roles] == [kept.pk]


def test_a_paused_or_unfinished_profile_is_told_what_to_do(ada, harbor):
    peer_line(harbor)
    ready_volunteer(ada, paused=True)

    page = browser_for(ada.user).get("/me/roles-for-you/").content.decode()
    assert "Your profile is paused" in page
    assert "/me/profile/time/" in page

    ready_volunteer(ada, paused=False, modes=[], availability=[])
    found = selection.roles_for_volunteer(profile=ada)
    assert found.missing == [selection.NO_MODES, selection.NO_TIMES]
    page = browser_for(ada.user).get("/me/roles-for-you/").content.decode()
    assert "Say how you can volunteer" in page


def test_ada_says_she_is_interested_without_javascript(ada, harbor):
    ready_volunteer(ada)
    role = peer_line(harbor)
    browser = browser_for(ada.user)

    sent = browser.post(
        f"/roles/{role.pk}/interest/", {"message": "I listen.", "from": "roles-for-you"}
    )

    assert sent.status_code == 302
    assert sent["Location"] == "/me/roles-for-you/"
    made = InterestRequest.objects.get()
    assert (made.volunteer, made.opportunity, made.message) == (ada, role, "I listen.")
    page = browser.get("/me/roles-for-you/").content.decode()
    assert "You said you are interested" in page
    mine = browser.get("/me/roles/").content.decode()
    assert "Waiting for the coordinator" in mine


def test_with_htmx_only_the_form_is_swapped(ada, harbor):
    ready_volunteer(ada)
    role = peer_line(harbor)

    answer = browser_for(ada.user).post(
        f"/roles/{role.pk}/interest/", {"from": "roles-for-you"}, HTTP_HX_REQUEST="true"
    )

    assert answer.status_code == 200
    html = answer.content.decode()
    assert f'id="interest-{role.pk}"' in html
    assert "<html" not in html
    assert "You said you are interested" in html


def test_with_htmx_a_refusal_swaps_the_form_with_its_words(ada, harbor):
    """htmx swaps no 4xx answer, so the refused form comes back as a 200 with the reason tied to
    the message field."""
    ready_volunteer(ada)
    saturday = peer_line(harbor, availability=["sat-morning"], schedule_fixed=True)

    answer = browser_for(ada.user).post(
        f"/roles/{saturday.pk}/interest/", {"from": "role"}, HTTP_HX_REQUEST="true"
    )

    assert answer.status_code == 200
    html = answer.content.decode()
    assert f'id="message-{saturday.pk}-error"' in html
    assert "You cannot ask for this role" in html
    assert not InterestRequest.objects.exists()


def test_a_message_too_long_is_refused_on_its_field(ada, harbor):
    ready_volunteer(ada)
    role = peer_line(harbor)

    answer = browser_for(ada.user).post(
        f"/roles/{role.pk}/interest/", {"message": "x" * 501, "from": "roles-for-you"}
    )

    assert answer.status_code == 400
    html = answer.content.decode()
    assert f'id="message-{role.pk}-error"' in html
    assert "Keep the message to 500 characters." in html
    assert not InterestRequest.objects.exists()


@override_settings(INTEREST_MAX_OPEN_PER_VOLUNTEER=1)
def test_a_refusal_from_the_role_page_comes_back_to_it_in_words(ada, harbor):
    ready_volunteer(ada)
    first, second = peer_line(harbor, title="A"), peer_line(harbor, title="B")
    browser = browser_for(ada.user)
    browser.post(f"/roles/{first.pk}/interest/", {"from": "role"})

    page = browser.get(f"/roles/{second.pk}/").content.decode()
    assert f"/roles/{second.pk}/interest/" in page
    answer = browser.post(f"/roles/{second.pk}/interest/", {"from": "role"}, follow=True)

    assert answer.redirect_chain == [(f"/roles/{second.pk}/", 302)]
    assert "You have 1 requests waiting" in answer.content.decode()
    assert InterestRequest.objects.count() == 1


def test_ada_withdraws_her_request_from_my_roles(ada, harbor):
    ready_volunteer(ada)
    made = interest.interest_express(actor=ada.user, opportunity_id=peer_line(harbor).pk)

    answer = browser_for(ada.user).post(f"/me/interest/{made.pk}/withdraw/")

    assert answer.status_code == 302
    assert InterestRequest.objects.get(pk=made.pk).status == "withdrawn"


def test_sam_accepts_from_asked_by_volunteers_and_ada_is_offered(ada, harbor, sam):
    ready_volunteer(ada)
    role = peer_line(harbor)
    made = interest.interest_express(actor=ada.user, opportunity_id=role.pk, message="Hello")
    browser = browser_for(sam)

    page = browser.get("/review/asked/").content.decode()
    assert "Ada" in page
    assert "Hello" in page
    assert made.reasons[0] in page  # why she fits, as the engine said when she asked
    answer = browser.post(f"/review/asked/{made.pk}/", {"action": "accept"})

    assert answer.status_code == 302
    assert InterestRequest.objects.get(pk=made.pk).status == "accepted"
    assert Match.objects.get(volunteer=ada, opportunity=role).status == "offered"


def test_sam_declines_with_a_reason(ada, harbor, sam):
    ready_volunteer(ada)
    made = interest.interest_express(actor=ada.user, opportunity_id=peer_line(harbor).pk)
    browser = browser_for(sam)

    refused = browser.post(f"/review/asked/{made.pk}/", {"action": "decline"}, follow=True)
    assert "Give a reason." in refused.content.decode()
    browser.post(f"/review/asked/{made.pk}/", {"action": "decline", "reason": "capacity"})

    assert InterestRequest.objects.get(pk=made.pk).status == "declined"
    assert "Declined" in browser_for(ada.user).get("/me/roles/").content.decode()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("ada the volunteer", 403), ("rita of riverside", 404)],
)
def test_only_harbors_coordinators_answer_on_the_asked_tab(ada, harbor, sam, rita, who, expected):
    ready_volunteer(ada)
    made = interest.interest_express(actor=ada.user, opportunity_id=peer_line(harbor).pk)
    user = {"anonymous": None, "ada the volunteer": ada.user, "rita of riverside": rita}[who]

    answer = browser_for(user).post(f"/review/asked/{made.pk}/", {"action": "accept"})

    assert answer.status_code == expected
    assert InterestRequest.objects.get(pk=made.pk).status == "pending"


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("sam the coordinator", 403), ("bo", 404)]
)
def test_only_ada_withdraws_her_request_and_only_volunteers_ask(
    ada, bo, harbor, sam, who, expected
):
    ready_volunteer(ada)
    role = peer_line(harbor)
    made = interest.interest_express(actor=ada.user, opportunity_id=role.pk)
    user = {"anonymous": None, "sam the coordinator": sam, "bo": bo.user}[who]
    browser = browser_for(user)

    assert browser.post(f"/me/interest/{made.pk}/withdraw/").status_code == expected
    assert InterestRequest.objects.get(pk=made.pk).status == "pending"
    if who != "bo":
        assert browser.get("/me/roles-for-you/").status_code == expected
        assert browser.post(f"/roles/{role.pk}/interest/").status_code == expected


@override_settings(DISTANCE_UNIT="mi")
def test_in_a_us_deployment_the_band_is_in_miles(ada, harbor):
    ready_volunteer(ada, latitude=40.7484, longitude=-73.9967, max_travel_km=10)
    drop_in = in_person(harbor, title="Chelsea drop-in")

    (found,) = selection.roles_for_volunteer(profile=ada).roles
    html = browser_for(ada.user).get("/me/roles-for-you/").content.decode()

    assert found.opportunity == drop_in
    assert found.distance_band == "under 1¼ mi"
    assert "under 1¼ mi" in html
    assert " km" not in html


def test_the_list_is_the_catalogues_never_the_coordinators_suggestions(ada, harbor):
    """Given a suggestion of Ada for the peer line in Sam's queue (its stored reasons and score
    are the coordinators'), when she opens Roles for you, then the role is listed with the
    engine's reasons computed now, and nothing of the stored suggestion shows: not its reasons,
    not a score."""
    ready_volunteer(ada)
    role = peer_line(harbor)
    MatchFactory.create(
        volunteer=ada, opportunity=role, score=0.93, reasons=["Sam's note: strong candidate"]
    )

    (found,) = selection.roles_for_volunteer(profile=ada).roles
    html = browser_for(ada.user).get("/me/roles-for-you/").content.decode()

    assert found.opportunity == role
    assert "Sam's note" not in " ".join(found.reasons)
    assert "strong candidate" not in html
    assert "0.93" not in html
