"""Once Ada's role at Harbor House is completed, she rates the role from My roles and Sam rates
her from his hours page: the API's rating_leave, once each side, only when completed."""

from __future__ import annotations

import pytest

from engagement.models import Rating
from engagement.services import RATING_ONLY_COMPLETED
from placements.services import transitions
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion
from tests.support.pages import browser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def active(ada, harbor, sam):
    """Ada holds Harbor House's peer line, started."""
    match = suggestion(ready_volunteer(ada), peer_line(harbor))
    transitions.match_approve(match_id=match.pk, actor=sam)
    accepted = transitions.match_accept(match_id=match.pk, actor=ada.user)
    assert accepted.status == "active"  # the role has started: accepting starts it
    return accepted


@pytest.fixture
def completed(active, sam):
    return transitions.match_complete(match_id=active.pk, actor=sam)


def test_ada_rates_her_completed_role_once(ada, completed):
    browser = browser_for(ada.user)

    offered = browser.get("/me/roles/").content.decode()
    response = browser.post(f"/me/roles/{completed.pk}/rate/", {"score": "5", "comment": "Kind"})
    after = browser.get("/me/roles/").content.decode()
    again = browser.post(f"/me/roles/{completed.pk}/rate/", {"score": "1"})

    assert f'action="/me/roles/{completed.pk}/rate/"' in offered
    assert response.status_code == 302
    rating = Rating.objects.get(match=completed)
    assert (rating.side, rating.score, rating.comment, rating.rater) == (
        "volunteer",
        5,
        "Kind",
        ada.user,
    )
    assert "You rated this role." in after
    assert f'action="/me/roles/{completed.pk}/rate/"' not in after
    assert again.status_code == 302
    assert "You already rated this match." in browser.get("/me/roles/").content.decode()
    assert Rating.objects.filter(match=completed).count() == 1


@pytest.mark.parametrize("score", ["0", "6", "", "five"])
def test_a_score_outside_1_to_5_is_refused_with_a_message(ada, completed, score):
    browser = browser_for(ada.user)

    browser.post(f"/me/roles/{completed.pk}/rate/", {"score": score})

    assert "Choose a score from 1 to 5" in browser.get("/me/roles/").content.decode()
    assert not Rating.objects.exists()


def test_a_role_still_active_cannot_be_rated(ada, active):
    browser = browser_for(ada.user)

    browser.post(f"/me/roles/{active.pk}/rate/", {"score": "4"})

    page = browser.get("/me/roles/").content.decode()
    assert RATING_ONLY_COMPLETED.format(status="active") in page
    assert not Rating.objects.exists()


def test_sam_rates_ada_from_his_hours_page(sam, completed):
    browser = browser_for(sam)

    listed = browser.get("/review/hours/").content.decode()
    response = browser.post(f"/review/matches/{completed.pk}/rate/", {"score": "4"})

    assert "How did Ada do?" in listed
    assert response.status_code == 302
    assert Rating.objects.get(match=completed).side == "organization"
    assert (
        f"/review/matches/{completed.pk}/rate/"
        not in browser.get("/review/hours/").content.decode()
    )


@pytest.mark.parametrize(
    ("who", "url", "expected"),
    [
        ("bo, another volunteer", "/me/roles/{pk}/rate/", 404),
        ("rita of another organization", "/review/matches/{pk}/rate/", 404),
        ("anonymous", "/me/roles/{pk}/rate/", 302),
        ("anonymous", "/review/matches/{pk}/rate/", 302),
    ],
)
def test_outsiders_cannot_rate(who, url, expected, bo, rita, completed):
    user = {"bo, another volunteer": bo.user, "rita of another organization": rita}.get(who)

    response = browser_for(user).post(url.format(pk=completed.pk), {"score": "1"})

    assert response.status_code == expected
    assert not Rating.objects.exists()
