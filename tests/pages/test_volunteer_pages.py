"""The volunteer's pages: the profile wizard, offers to accept or decline, logging hours. Each
write is the API's service; who may act is the API's rule (the permission table at the end)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from engagement.models import HoursLog
from matching.models import Match
from placements.services import transitions
from tests.factories import MatchFactory
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion
from tests.support.pages import browser_for
from volunteers.models import TRAVEL_RANGE_MESSAGE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def offered(volunteer, role, coordinator):
    return transitions.match_approve(match_id=suggestion(volunteer, role).pk, actor=coordinator)


def test_ada_fills_her_profile_step_by_step(ada):
    browser = browser_for(ada.user)

    about = browser.post("/me/profile/about/", {"display_name": "Ada L.", "bio": "I listen."})
    interests = browser.post(
        "/me/profile/interests/", {"causes": ["loneliness"], "languages": ["en", "es"]}
    )
    place = browser.post(
        "/me/profile/place/", {"postcode": "10001", "max_travel_km": "8", "modes": ["remote"]}
    )
    time = browser.post(
        "/me/profile/time/",
        {
            "availability": ["tue-evening", "sat-morning"],
            "max_hours_per_week": "",
            "max_commitments": "2",
        },
    )

    assert [r["Location"] for r in (about, interests, place, time)] == [
        "/me/profile/interests/",
        "/me/profile/place/",
        "/me/profile/time/",
        "/me/profile/experience/",
    ]
    ada.refresh_from_db()
    assert ada.display_name == "Ada L."
    assert sorted(ada.languages.values_list("code", flat=True)) == ["en", "es"]
    assert ada.latitude is not None  # the ZIP code placed her, as the API's PATCH does
    assert ada.modes == ["remote"]
    assert ada.availability == ["tue-evening", "sat-morning"]
    assert ada.max_hours_per_week is None


def test_a_refused_value_is_shown_on_its_field_and_nothing_changes(ada):
    browser = browser_for(ada.user)

    response = browser.post(
        "/me/profile/place/", {"postcode": "", "max_travel_km": "900", "modes": ["remote"]}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert TRAVEL_RANGE_MESSAGE in page
    assert 'id="id_max_travel_km_error"' in page
    ada.refresh_from_db()
    assert ada.max_travel_km == 10


def test_consent_explained_and_withdrawing_it_deletes_the_text(ada):
    browser = browser_for(ada.user)
    browser.post(
        "/me/profile/experience/",
        {"lived_experience": "I came through it.", "share_lived_experience": "on"},
    )
    page = browser.get("/me/profile/experience/").content.decode()

    browser.post("/me/profile/experience/", {"lived_experience": "I came through it."})

    assert "the text is deleted at once" in page
    ada.refresh_from_db()
    assert ada.share_lived_experience is False
    assert ada.lived_experience == ""


def test_ada_accepts_an_offer_and_logs_hours(ada, harbor, sam):
    ready_volunteer(ada)
    match = offered(ada, peer_line(harbor), sam)
    browser = browser_for(ada.user)

    roles = browser.get("/me/roles/").content.decode()
    accepted = browser.post(f"/me/roles/{match.pk}/accept/")
    logged = browser.post(
        f"/me/roles/{match.pk}/hours/",
        {"date": timezone.localdate().isoformat(), "hours": "2", "note": "First evening"},
    )

    assert "Evening peer support line" in roles
    assert accepted.status_code == 302
    assert Match.objects.get(pk=match.pk).status == "active"  # the role had started
    assert logged.status_code == 302
    assert HoursLog.objects.get(match=match).hours == 2


def test_ada_declines_with_a_reason(ada, harbor, sam):
    ready_volunteer(ada)
    match = offered(ada, peer_line(harbor), sam)

    browser_for(ada.user).post(f"/me/roles/{match.pk}/decline/", {"reason": "schedule"})

    assert Match.objects.get(pk=match.pk).status == "declined"


def test_a_refusal_by_the_service_is_told_and_nothing_changes(ada, harbor, sam):
    ready_volunteer(ada)
    match = offered(ada, peer_line(harbor), sam)
    browser = browser_for(ada.user)

    response = browser.post(f"/me/roles/{match.pk}/decline/", {"reason": "bored"}, follow=True)

    assert Match.objects.get(pk=match.pk).status == "offered"
    assert "message-error" in response.content.decode()


WRITES = [
    ("post", "/me/profile/about/", {"display_name": "X"}),
    ("post", "/me/roles/{pk}/accept/", {}),
    ("post", "/me/roles/{pk}/decline/", {}),
    ("post", "/me/roles/{pk}/hours/", {"date": "2000-01-01", "hours": "1"}),
]


@pytest.mark.parametrize(("method", "url", "data"), WRITES)
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("sam the coordinator", 403), ("bo another volunteer", 404)],
)
def test_who_cannot_write_on_adas_pages(method, url, data, who, expected, ada, bo, harbor, sam):
    """Only Ada acts on her profile and her offers: signed out is sent to sign in, an account
    without a volunteer profile is refused, another volunteer finds no such offer (404, as the
    API). Her offer stays as it was."""
    ready_volunteer(ada)
    match = offered(ada, peer_line(harbor), sam)
    user = {"anonymous": None, "sam the coordinator": sam, "bo another volunteer": bo.user}[who]
    if who == "bo another volunteer" and "/profile/" in url:
        expected = 302  # Bo edits only his own profile: the form saves to his
    response = getattr(browser_for(user), method)(url.format(pk=match.pk), data)

    assert response.status_code == expected
    if expected == 302 and user is None:
        assert response["Location"].startswith("/sign-in/?next=")
    assert Match.objects.get(pk=match.pk).status == "offered"
    ada.refresh_from_db()
    assert ada.display_name == "Ada"
    assert not HoursLog.objects.exists()


def test_a_match_never_offered_is_not_shown_to_its_volunteer(ada, harbor):
    ready_volunteer(ada)
    hidden = MatchFactory.create(volunteer=ada, opportunity=peer_line(harbor), status="suggested")

    response = browser_for(ada.user).post(f"/me/roles/{hidden.pk}/accept/")

    assert response.status_code == 404


def test_ada_pauses_and_gets_a_private_calendar_address(ada):
    browser = browser_for(ada.user)

    browser.post(
        "/me/profile/time/",
        {"availability": ["tue-evening"], "max_commitments": "2", "paused": "on"},
    )
    page = browser.post("/me/calendar/").content.decode()

    ada.refresh_from_db()
    assert ada.paused is True
    assert "/api/v1/calendar/" in page
    assert browser_for(None).post("/me/calendar/").status_code == 302
