"""Finding (issue 9, "the admin shows no secret in full"): the calendar feed admin showed the whole
token hash, the value a feed is looked up by. Now only its first 8 characters are shown."""

from __future__ import annotations

import pytest

from engagement import services
from engagement.admin import TOKEN_HASH_SHOWN
from engagement.models import CalendarFeed

pytestmark = pytest.mark.django_db


def test_given_adas_calendar_feed_when_pat_views_it_in_the_admin_then_only_the_hash_start_shows(
    ada, pat_admin
):
    client, _pat = pat_admin
    token = services.calendar_feed_reset(volunteer=ada)
    feed = CalendarFeed.objects.get(volunteer=ada)
    start, rest = feed.token_hash[:TOKEN_HASH_SHOWN], feed.token_hash[TOKEN_HASH_SHOWN:]

    pages = [
        client.get("/admin/engagement/calendarfeed/"),
        client.get(f"/admin/engagement/calendarfeed/{feed.pk}/change/"),
    ]

    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert start in html
        assert feed.token_hash not in html
        assert rest not in html
        assert token not in html
