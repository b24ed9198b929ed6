"""The services' refusals reach a Spanish page in Spanish: each message is marked for the catalogue
(gettext_noop beside its constant) and translated where it is raised, in the reader's language,
by the committed Spanish catalogue."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone, translation

from accounts.api.serializers import OTP_FORMAT_MESSAGE
from accounts.services.passwords import OLD_PASSWORD_WRONG_MESSAGE
from accounts.services.tokens import INVALID_CREDENTIALS_MESSAGE
from engagement.services import HOURS_IN_FUTURE
from placements.services import transitions
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion
from volunteers.selectors import NO_PROFILE_MESSAGE

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MARKED = [
    "accounts/api/serializers.py",
    "accounts/lockout.py",
    "accounts/pages.py",
    "accounts/second_factor.py",
    "accounts/services/email_verification.py",
    "accounts/services/passwords.py",
    "accounts/services/tokens.py",
    "engagement/services.py",
    "opportunities/api/serializers.py",
    "opportunities/filters.py",
    "opportunities/models.py",
    "opportunities/services.py",
    "organizations/api/members.py",
    "organizations/api/serializers.py",
    "organizations/api/views.py",
    "organizations/services/invitations.py",
    "organizations/services/members.py",
    "organizations/services/organizations.py",
    "organizations/services/verification.py",
    "placements/services/transitions.py",
    "taxonomy/availability.py",
    "volunteers/api/serializers.py",
    "volunteers/models.py",
    "volunteers/selectors.py",
    "volunteers/services/data_rights.py",
    "volunteers/services/date_of_birth.py",
    "volunteers/services/declared_trainings.py",
    "volunteers/services/profile_update.py",
    "volunteers/services/registration.py",
    "volunteers/services/verification.py",
]


def spanish_of(msgid: str) -> str:
    """The catalogue's Spanish for ``msgid`` (which must have one)."""
    with translation.override("es"):
        text = translation.gettext(msgid)
    assert text != msgid, f"no Spanish for {msgid!r}"
    return text


def spanish_browser(user=None) -> Client:
    browser = Client(HTTP_ACCEPT_LANGUAGE="es")
    if user is not None:
        browser.force_login(user)
    return browser


@pytest.mark.parametrize("path", MARKED)
def test_every_message_constant_a_page_shows_is_marked_for_the_catalogue(path):
    tree = ast.parse((ROOT / path).read_text())
    unmarked = [
        node.targets[0].id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id.endswith("_MESSAGE")
        and isinstance(node.value, ast.Constant)
    ]
    assert unmarked == []


def test_a_wrong_password_on_the_spanish_sign_in_page_is_in_spanish(ada):
    response = spanish_browser().post(
        "/sign-in/", {"email": "ada@example.org", "password": "not-hers"}
    )

    assert spanish_of(INVALID_CREDENTIALS_MESSAGE) in response.content.decode()


def test_a_wrong_current_password_is_in_spanish(ada):
    response = spanish_browser(ada.user).post(
        "/me/password/",
        {
            "old_password": "nope",
            "new_password1": "a-long-passphrase",
            "new_password2": "a-long-passphrase",
        },
    )

    assert spanish_of(OLD_PASSWORD_WRONG_MESSAGE) in response.content.decode()


@pytest.mark.usefixtures("eager_tasks")
def test_hours_for_a_day_to_come_are_refused_in_spanish(ada, harbor, sam):
    suggested = suggestion(ready_volunteer(ada), peer_line(harbor))
    transitions.match_approve(match_id=suggested.pk, actor=sam)
    match = transitions.match_accept(match_id=suggested.pk, actor=ada.user)
    browser = spanish_browser(ada.user)
    tomorrow = timezone.localdate() + timedelta(days=1)

    browser.post(f"/me/roles/{match.pk}/hours/", {"date": tomorrow.isoformat(), "hours": "2"})

    assert spanish_of(HOURS_IN_FUTURE) in browser.get("/me/roles/").content.decode()


def test_the_same_refusal_stays_english_for_an_english_reader(ada):
    with translation.override("en"):
        response = Client().post("/sign-in/", {"email": "ada@example.org", "password": "x"})

    assert INVALID_CREDENTIALS_MESSAGE in response.content.decode()


def test_an_api_refusal_reaches_a_spanish_caller_in_spanish(sam_client):
    response = sam_client.get("/api/v1/volunteers/me/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.json()["error"]["message"] == spanish_of(NO_PROFILE_MESSAGE)


def test_a_field_message_set_at_import_time_is_in_the_callers_language(anonymous):
    """The code's format is checked by a validator built when the serializer module is imported:
    its message is lazy, so it is still read in the caller's language."""
    body = {"email": "pat@kindred.example", "password": "x", "otp": "12"}

    spanish = anonymous.post("/api/v1/auth/token/", body, format="json", HTTP_ACCEPT_LANGUAGE="es")
    english = anonymous.post("/api/v1/auth/token/", body, format="json")

    assert spanish.json()["error"]["fields"] == {"otp": [spanish_of(OTP_FORMAT_MESSAGE)]}
    assert english.json()["error"]["fields"] == {"otp": [OTP_FORMAT_MESSAGE]}
