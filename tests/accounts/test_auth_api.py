"""Stories of signing in through the real API (signing up: tests/accounts/test_registration.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from accounts.models import DeviceToken
from accounts.services import INVALID_CREDENTIALS_MESSAGE
from tests.factories import PASSWORD, UserFactory

User = get_user_model()

TOKEN = "/api/v1/auth/token/"

pytestmark = pytest.mark.django_db


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
