"""Each person reads and marks only their own notifications on the pages, as in the API."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from tests.support.pages import browser_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def adas_notice(ada):
    return Notification.objects.create(
        recipient=ada.user,
        kind=Notification.Kind.MATCH_OFFERED,
        title="You were offered a role",
        body="Harbor House offers you the evening peer support line.",
        key=f"test:offer:user:{ada.user.pk}",
    )


def test_ada_reads_her_notification_and_marks_it_read(ada, adas_notice):
    browser = browser_for(ada.user)

    page = browser.get("/notifications/").content.decode()
    browser.post(f"/notifications/{adas_notice.pk}/read/")

    assert "You were offered a role" in page
    adas_notice.refresh_from_db()
    assert adas_notice.read_at is not None


def test_bo_neither_sees_nor_marks_adas_notification(bo, adas_notice):
    browser = browser_for(bo.user)

    page = browser.get("/notifications/").content.decode()
    marked = browser.post(f"/notifications/{adas_notice.pk}/read/")
    browser.post("/notifications/read/")

    assert "You were offered a role" not in page
    assert marked.status_code == 404
    adas_notice.refresh_from_db()
    assert adas_notice.read_at is None


def test_signed_out_is_sent_to_sign_in(adas_notice):
    assert browser_for(None).post("/notifications/read/").status_code == 302
    adas_notice.refresh_from_db()
    assert adas_notice.read_at is None
