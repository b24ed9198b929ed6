"""Sam reviews suggestions for Harbor House's roles on the pages: one by one or in bulk, with the
API's services, and only his organization's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from engagement.models import HoursLog
from matching.models import Match
from tests.factories import MatchFactory
from tests.placements.lifecycle_helpers import new_volunteer, peer_line, ready_volunteer
from tests.support.pages import browser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def queue(ada, harbor):
    ready_volunteer(ada)
    role = peer_line(harbor)
    return [
        MatchFactory.create(volunteer=ada, opportunity=role, score=0.9),
        MatchFactory.create(volunteer=new_volunteer("Bea"), opportunity=role, score=0.7),
        MatchFactory.create(volunteer=new_volunteer("Cal"), opportunity=role, score=0.5),
    ]


def test_sam_sees_his_queue_best_first_with_the_reasons(sam, queue):
    page = browser_for(sam).get("/review/").content.decode()

    assert page.index("Ada") < page.index("Bea") < page.index("Cal")
    assert "Shares skills: active listening" in page


def test_sam_approves_one_and_rejects_two_in_bulk(sam, queue):
    browser = browser_for(sam)
    ada_match, bea_match, cal_match = queue

    browser.post("/review/act/", {"one": f"approve:{ada_match.pk}"})
    browser.post(
        "/review/act/",
        {"action": "reject", "reason": "schedule", "ids": [bea_match.pk, cal_match.pk]},
    )

    statuses = [Match.objects.get(pk=m.pk).status for m in queue]
    assert statuses == ["offered", "rejected", "rejected"]


def test_rejecting_without_a_reason_is_refused_and_changes_nothing(sam, queue):
    response = browser_for(sam).post("/review/act/", {"one": f"reject:{queue[0].pk}"}, follow=True)

    assert "message-error" in response.content.decode()
    assert Match.objects.get(pk=queue[0].pk).status == "suggested"


def test_rita_of_another_organization_cannot_see_or_touch_sams_queue(rita, queue):
    browser = browser_for(rita)

    page = browser.get("/review/").content.decode()
    single = browser.post("/review/act/", {"one": f"approve:{queue[0].pk}"})
    browser.post("/review/act/", {"action": "approve", "ids": [queue[1].pk]})

    assert "Ada" not in page
    assert single.status_code == 404
    assert {Match.objects.get(pk=m.pk).status for m in queue} == {"suggested"}


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("ada the volunteer", 403)])
def test_only_members_of_a_verified_organization_review(who, expected, ada, queue):
    user = {"anonymous": None, "ada the volunteer": ada.user}[who]
    browser = browser_for(user)

    assert browser.get("/review/").status_code == expected
    assert browser.post("/review/act/", {"one": f"approve:{queue[0].pk}"}).status_code == expected
    assert {Match.objects.get(pk=m.pk).status for m in queue} == {"suggested"}


def test_a_shared_lived_experience_shown_in_the_queue_is_logged(sam, queue, ada, harbor):
    ada.lived_experience = "I came through it."
    ada.share_lived_experience = True
    ada.save()
    queue[0].opportunity.lived_experience_valued = True
    queue[0].opportunity.save()

    page = browser_for(sam).get("/review/").content.decode()

    assert "I came through it." in page
    assert AuditEntry.objects.filter(actor=sam).exists()


@pytest.fixture
def adas_hours(ada, harbor):
    ready_volunteer(ada)
    match = MatchFactory.create(volunteer=ada, opportunity=peer_line(harbor), status="active")
    return HoursLog.objects.create(match=match, date=timezone.localdate(), hours=2, note="Evening")


def test_sam_verifies_adas_hours(sam, adas_hours):
    browser = browser_for(sam)

    listed = browser.get("/review/hours/").content.decode()
    verified = browser.post(f"/review/hours/{adas_hours.pk}/verify/")

    assert "Ada" in listed
    assert verified.status_code == 302
    adas_hours.refresh_from_db()
    assert adas_hours.verified_by == sam


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("ada herself", 403), ("rita of another organization", 404)],
)
def test_who_cannot_verify_adas_hours(who, expected, ada, rita, adas_hours):
    user = {"anonymous": None, "ada herself": ada.user, "rita of another organization": rita}[who]

    response = browser_for(user).post(f"/review/hours/{adas_hours.pk}/verify/")

    assert response.status_code == expected
    adas_hours.refresh_from_db()
    assert adas_hours.verified_at is None
