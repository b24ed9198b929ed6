"""Sam downloads his organization's hours totals from the hours page, signed in with his browser:
the API's hours/totals.csv (the same selector and service), formula-safe."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from engagement.models import HoursLog
from tests.factories import MatchFactory
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer
from tests.support.pages import browser_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

FORMULA = '=HYPERLINK("https://evil.example/","Open")'


@pytest.fixture
def adas_hours(ada, harbor):
    ready_volunteer(ada)
    match = MatchFactory.create(volunteer=ada, opportunity=peer_line(harbor), status="active")
    return HoursLog.objects.create(match=match, date=timezone.localdate(), hours=2, note="Evening")


def rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_hours_page_links_both_downloads(sam, adas_hours):
    page = browser_for(sam).get("/review/hours/").content.decode()

    assert 'href="/review/hours/totals.csv?by=volunteer"' in page
    assert 'href="/review/hours/totals.csv?by=role"' in page


@pytest.mark.parametrize(
    ("by", "name_column"), [("volunteer", "volunteer"), ("role", "opportunity")]
)
def test_sam_downloads_the_totals_as_the_api_gives_them(
    sam, sam_client, adas_hours, by, name_column
):
    page = browser_for(sam).get(f"/review/hours/totals.csv?by={by}")
    api = sam_client.get(f"/api/v1/hours/totals.csv?by={by}")

    assert page.status_code == 200
    assert page["Content-Type"] == "text/csv; charset=utf-8"
    assert page["Content-Disposition"] == f'attachment; filename="hours-by-{by}.csv"'
    assert page.content == api.content
    assert [(r["hours"], r["entries"]) for r in rows(page)] == [("2.00", "1")]
    assert rows(page)[0][name_column] in ("Ada", adas_hours.match.opportunity.title)


def test_a_name_like_a_formula_is_written_as_text(sam, ada, adas_hours):
    ada.display_name = FORMULA
    ada.save(update_fields=["display_name"])

    (row,) = rows(browser_for(sam).get("/review/hours/totals.csv"))

    assert row["volunteer"] == "'" + FORMULA


def test_an_unknown_grouping_is_refused_with_a_message(sam, adas_hours):
    browser = browser_for(sam)

    response = browser.get("/review/hours/totals.csv?by=planet")

    assert response.status_code == 302
    assert (
        "Choose totals per volunteer or per role." in browser.get("/review/hours/").content.decode()
    )


def test_rita_of_another_organization_gets_none_of_sams_hours(rita, adas_hours):
    response = browser_for(rita).get("/review/hours/totals.csv")

    assert response.status_code == 200
    assert rows(response) == []


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("ada herself", 403)])
def test_who_cannot_download(who, expected, ada, adas_hours):
    user = {"anonymous": None, "ada herself": ada.user}[who]

    response = browser_for(user).get("/review/hours/totals.csv")

    assert response.status_code == expected
