"""Ada's data rights on the pages: she downloads everything held about her, and erases her account
with her password (a wrong one changes nothing). The API's services."""

from __future__ import annotations

import json

import pytest

from tests.factories import PASSWORD
from tests.support.pages import browser_for
from volunteers.models import VolunteerProfile
from volunteers.services.data_rights import PASSWORD_WRONG_MESSAGE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def test_ada_downloads_her_data(ada):
    response = browser_for(ada.user).get("/me/account/export.json")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert "ada@example.org" in json.dumps(json.loads(response.content))


def test_a_wrong_password_erases_nothing(ada):
    response = browser_for(ada.user).post("/me/account/erase/", {"password": "not-hers"})

    assert response.status_code == 400
    assert PASSWORD_WRONG_MESSAGE in response.content.decode()
    ada.refresh_from_db()
    assert ada.display_name == "Ada"


def test_ada_erases_her_account_and_is_signed_out(ada):
    browser = browser_for(ada.user)

    response = browser.post("/me/account/erase/", {"password": PASSWORD})

    assert response["Location"] == "/"
    assert VolunteerProfile.objects.get(pk=ada.pk).display_name == "Former volunteer"
    assert browser.get("/me/roles/").status_code == 302


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("sam the coordinator", 403)])
def test_who_cannot_export_or_erase(who, expected, sam, ada):
    browser = browser_for({"anonymous": None, "sam the coordinator": sam}[who])

    assert browser.get("/me/account/export.json").status_code == expected
    assert browser.post("/me/account/erase/", {"password": PASSWORD}).status_code == expected
    ada.refresh_from_db()
    assert ada.display_name == "Ada"
