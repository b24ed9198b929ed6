"""Sam reads what happened to the matches of Harbor House's roles: each step, who took it and why;
only his organization's, only past the queue, and the filters refuse what is not his."""

from __future__ import annotations

import pytest

from placements.services import transitions
from tests.factories import MatchFactory
from tests.placements.lifecycle_helpers import new_volunteer, peer_line, ready_volunteer
from tests.support.pages import browser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def decided(ada, harbor, sam):
    ready_volunteer(ada)
    role = peer_line(harbor)
    offered = MatchFactory.create(volunteer=ada, opportunity=role, score=0.9)
    rejected = MatchFactory.create(volunteer=new_volunteer("Bea"), opportunity=role, score=0.7)
    waiting = MatchFactory.create(volunteer=new_volunteer("Cal"), opportunity=role, score=0.5)
    transitions.match_approve(match_id=offered.pk, actor=sam)
    transitions.match_reject(
        match_id=rejected.pk, actor=sam, reason="schedule", note="Evenings only"
    )
    return offered, rejected, waiting


def test_sam_sees_each_decided_match_with_its_steps_who_and_why(sam, decided):
    page = browser_for(sam).get("/review/history/").content.decode()

    assert "Ada" in page
    assert "Bea" in page
    assert "Cal" not in page  # still waiting in the queue
    assert "Schedule" in page
    assert "Evenings only" in page
    assert sam.email in page


def test_the_status_filter_shows_only_that_status(sam, decided):
    page = browser_for(sam).get("/review/history/?status=rejected").content.decode()

    assert "Bea" in page
    assert "Ada" not in page


@pytest.mark.parametrize("query", ["?role=abc", "?role=999999", "?status=suggested", "?status=x"])
def test_a_filter_that_is_not_his_is_a_404(sam, decided, query):
    assert browser_for(sam).get(f"/review/history/{query}").status_code == 404


def test_rita_of_another_organization_sees_none_of_it(rita, decided):
    page = browser_for(rita).get("/review/history/").content.decode()

    assert "Ada" not in page
    assert "Bea" not in page


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("ada the volunteer", 403)])
def test_only_members_of_a_verified_organization_read_it(who, expected, ada, decided):
    user = {"anonymous": None, "ada the volunteer": ada.user}[who]

    assert browser_for(user).get("/review/history/").status_code == expected
