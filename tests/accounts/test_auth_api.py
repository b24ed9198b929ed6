"""Stories of signing up and signing in through the real API."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from accounts.models import DeviceToken
from accounts.services import INVALID_CREDENTIALS_MESSAGE
from tests.factories import PASSWORD, UserFactory
from volunteers.models import VolunteerProfile
from volunteers.services.registration import EMAIL_TAKEN_MESSAGE

User = get_user_model()

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
GOOD_PASSWORD = "listen-first-then-speak"

pytestmark = pytest.mark.django_db


def test_cleo_signs_up_and_uses_her_token_straight_away(anonymous):
    """Given Cleo has no account, when she registers, then she gets an account, an empty volunteer
    profile and a token that already works."""
    response = anonymous.post(
        REGISTER,
        {"email": "  Cleo@Example.ORG ", "password": GOOD_PASSWORD, "display_name": "Cleo"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    cleo = User.objects.get(email="cleo@example.org")
    profile = VolunteerProfile.objects.get(user=cleo)
    assert body == {
        "id": cleo.id,
        "volunteer_id": profile.id,
        "email": "cleo@example.org",
        "display_name": "Cleo",
        "token": body["token"],
    }
    assert DeviceToken.objects.get(user=cleo).token_key == body["token"][:15]
    assert cleo.check_password(GOOD_PASSWORD)
    assert not cleo.is_staff

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    me = client.get("/api/v1/volunteers/me/")
    assert me.status_code == 200
    assert me.json()["display_name"] == "Cleo"
    assert me.json()["email"] == "cleo@example.org"


@pytest.mark.parametrize("spelling", ["ada@example.org", "ADA@EXAMPLE.ORG", "Ada@Example.org"])
def test_an_address_already_registered_in_any_case_is_refused(anonymous, ada, spelling):
    """Given Ada has an account, when someone registers her address in any letter case, then the
    answer names the email field and no second account or profile appears."""
    response = anonymous.post(
        REGISTER,
        {"email": spelling, "password": GOOD_PASSWORD, "display_name": "Not Ada"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"email": [EMAIL_TAKEN_MESSAGE]}
    assert User.objects.count() == 1
    assert VolunteerProfile.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password", "This password is too common."),
        ("short1", "This password is too short. It must contain at least 8 characters."),
        ("4815162342", "This password is entirely numeric."),
        ("cleo.example", "The password is too similar to the email address."),
    ],
)
def test_a_weak_password_is_refused_by_django_validators(anonymous, password, message):
    """When Cleo picks a weak password, then she is told why and nothing is created."""
    response = anonymous.post(
        REGISTER,
        {"email": "cleo.example@example.org", "password": password, "display_name": "Cleo"},
        format="json",
    )

    assert response.status_code == 400
    assert message in response.json()["error"]["fields"]["password"]
    assert not User.objects.exists()
    assert not VolunteerProfile.objects.exists()


def test_registration_names_every_missing_field(anonymous):
    response = anonymous.post(REGISTER, {}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "email": ["This field is required."],
        "password": ["This field is required."],
        "display_name": ["This field is required."],
    }
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email", "password": GOOD_PASSWORD, "display_name": "Cleo"}, "email"),
        (
            {"email": "cleo@example.org", "password": GOOD_PASSWORD, "display_name": ""},
            "display_name",
        ),
        (
            {"email": "cleo@example.org", "password": GOOD_PASSWORD, "display_name": "C" * 121},
            "display_name",
        ),
        (
            {"email": "cleo@example.org", "password": ["a", "list"], "display_name": "Cleo"},
            "password",
        ),
        ({"email": "cleo@example.org", "password": "x" * 257, "display_name": "Cleo"}, "password"),
    ],
)
def test_malformed_registrations_are_refused_field_by_field(anonymous, payload, field):
    response = anonymous.post(REGISTER, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not User.objects.exists()


def test_a_stale_token_in_the_header_does_not_block_sign_up(anonymous):
    """An app that kept an old token still reaches registration instead of a 401."""
    anonymous.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    response = anonymous.post(
        REGISTER,
        {"email": "cleo@example.org", "password": GOOD_PASSWORD, "display_name": "Cleo"},
        format="json",
    )
    assert response.status_code == 201


def test_ada_signs_in_with_her_email_in_any_case_and_gets_a_token_per_sign_in(anonymous, ada):
    first = anonymous.post(TOKEN, {"email": "ada@example.org", "password": PASSWORD}, format="json")
    second = anonymous.post(
        TOKEN, {"email": "ADA@example.org", "password": PASSWORD}, format="json"
    )

    assert first.status_code == 200
    assert second.status_code == 200
    assert first.json()["token"] != second.json()["token"]
    assert DeviceToken.objects.filter(user=ada.user).count() == 2


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ada@example.org", "not-her-password"),
        ("nobody@example.org", PASSWORD),
    ],
)
def test_wrong_credentials_get_one_clear_message(anonymous, ada, email, password):
    """The same answer for a wrong password and an unknown address: it does not reveal who has an
    account."""
    response = anonymous.post(TOKEN, {"email": email, "password": password}, format="json")

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_credentials",
        "message": INVALID_CREDENTIALS_MESSAGE,
        "fields": {},
    }
    assert not DeviceToken.objects.exists()


def test_a_deactivated_account_cannot_sign_in(anonymous):
    UserFactory.create(email="gone@example.org", is_active=False)
    response = anonymous.post(
        TOKEN, {"email": "gone@example.org", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["message"] == INVALID_CREDENTIALS_MESSAGE


def test_sign_in_names_missing_fields(anonymous):
    response = anonymous.post(TOKEN, {"email": "ada@example.org"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"password": ["This field is required."]}


def test_malformed_json_is_a_400_not_a_500(anonymous):
    response = anonymous.post(TOKEN, data='{"email": ', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_repeated_sign_in_attempts_are_throttled(anonymous, ada, tight_auth_rate):
    """Given someone guesses Ada's password, the third try within a minute is refused with 429."""
    answers = [
        anonymous.post(TOKEN, {"email": "ada@example.org", "password": f"guess-{n}"}, format="json")
        for n in range(3)
    ]

    assert [a.status_code for a in answers] == [400, 400, 429]
    assert answers[2].json()["error"]["code"] == "throttled"


def test_sign_up_shares_the_auth_throttle(anonymous, tight_auth_rate):
    answers = [
        anonymous.post(
            REGISTER,
            {"email": f"v{n}@example.org", "password": GOOD_PASSWORD, "display_name": f"V{n}"},
            format="json",
        )
        for n in range(3)
    ]

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert User.objects.count() == 2
