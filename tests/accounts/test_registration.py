"""Stories of signing up through the real API. Sign-up answers the same whether or not the address
already has an account (issue 9: it used to say "already exists"); the emails tell the owner."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import close_old_connections

from accounts.models import DeviceToken
from accounts.services.email_verification import SIGN_UP_ATTEMPT_TITLE, VERIFICATION_TITLE
from tests.factories import PASSWORD
from tests.placements.lifecycle_helpers import eager_tasks  # noqa: F401  (fixture)
from volunteers.models import VolunteerProfile
from volunteers.services.registration import REGISTRATION_ACCEPTED_MESSAGE

User = get_user_model()

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
GOOD_PASSWORD = "listen-first-then-speak"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def sign_up(client, capture, **fields):
    payload = {"email": "cleo@example.org", "password": GOOD_PASSWORD, "display_name": "Cleo"}
    payload.update(fields)
    with capture(execute=True):
        return client.post(REGISTER, payload, format="json")


def test_cleo_signs_up_and_is_asked_to_check_her_email(
    anonymous, django_capture_on_commit_callbacks
):
    """Given Cleo has no account, when she registers, then she gets an account (not verified yet)
    and an empty volunteer profile, no token, and an email with her verification link."""
    response = sign_up(anonymous, django_capture_on_commit_callbacks, email="  Cleo@Example.ORG ")

    assert response.status_code == 202, response.json()
    assert response.json() == {"detail": REGISTRATION_ACCEPTED_MESSAGE}
    cleo = User.objects.get(email="cleo@example.org")
    assert VolunteerProfile.objects.get(user=cleo).display_name == "Cleo"
    assert cleo.check_password(GOOD_PASSWORD)
    assert not cleo.is_staff
    assert cleo.email_verified_at is None
    assert not DeviceToken.objects.exists()
    assert [(m.to, m.subject) for m in mail.outbox] == [(["cleo@example.org"], VERIFICATION_TITLE)]
    assert "/account/verify-email/" in mail.outbox[0].body


def test_cleo_signs_in_with_her_new_password(anonymous, django_capture_on_commit_callbacks):
    """Sign-up gives no token; signing in does, before the address is verified too (she needs it
    to ask for a new link)."""
    sign_up(anonymous, django_capture_on_commit_callbacks)

    response = anonymous.post(
        TOKEN, {"email": "cleo@example.org", "password": GOOD_PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["token"]


@pytest.mark.parametrize("spelling", ["ada@example.org", "ADA@EXAMPLE.ORG", "Ada@Example.org"])
def test_an_address_with_an_account_gets_the_same_answer_byte_for_byte(
    anonymous, ada, spelling, django_capture_on_commit_callbacks
):
    """Given Ada has an account, when someone signs up with her address (in any case) and someone
    else with a new address, then both answers are identical, byte for byte: status, headers that
    matter, body. Nothing about Ada's account changes and no second account appears; Ada gets an
    email saying someone tried, and how to sign in or reset."""
    taken = sign_up(
        anonymous,
        django_capture_on_commit_callbacks,
        email=spelling,
        password="another-long-passphrase",
        display_name="Not Ada",
    )
    fresh = sign_up(
        anonymous,
        django_capture_on_commit_callbacks,
        email="newcomer@example.org",
        password="another-long-passphrase",
        display_name="Not Ada",
    )

    assert taken.status_code == fresh.status_code == 202
    assert taken.content == fresh.content
    assert taken["Content-Type"] == fresh["Content-Type"]
    assert User.objects.filter(email__iexact="ada@example.org").count() == 1
    ada.user.refresh_from_db()
    assert ada.user.check_password(PASSWORD)
    assert VolunteerProfile.objects.filter(user=ada.user).get().display_name == "Ada"
    warnings = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    assert [m.subject for m in warnings] == [SIGN_UP_ATTEMPT_TITLE]
    assert "Forgot your password?" in warnings[0].body
    assert "sign in with your password" in warnings[0].body


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password", "This password is too common."),
        ("short1", "This password is too short. It must contain at least 8 characters."),
        ("4815162342", "This password is entirely numeric."),
        ("cleo.example", "The password is too similar to the email address."),
    ],
)
def test_a_weak_password_is_refused_by_django_validators(
    anonymous, password, message, django_capture_on_commit_callbacks
):
    """When Cleo picks a weak password, then she is told why, nothing is created, no email goes."""
    response = sign_up(
        anonymous,
        django_capture_on_commit_callbacks,
        email="cleo.example@example.org",
        password=password,
    )

    assert response.status_code == 400
    assert message in response.json()["error"]["fields"]["password"]
    assert not User.objects.exists()
    assert not VolunteerProfile.objects.exists()
    assert mail.outbox == []


def test_a_weak_password_is_refused_alike_for_a_taken_address(
    anonymous, ada, django_capture_on_commit_callbacks
):
    """The password's refusal does not depend on the address: Ada's gets the same 400 a new one
    would (and Ada gets no email: nothing was attempted)."""
    taken = sign_up(
        anonymous, django_capture_on_commit_callbacks, email="ada@example.org", password="short1"
    )
    fresh = sign_up(
        anonymous, django_capture_on_commit_callbacks, email="ado@example.org", password="short1"
    )

    assert taken.status_code == fresh.status_code == 400
    assert taken.content == fresh.content
    assert mail.outbox == []


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


def test_a_stale_token_in_the_header_does_not_block_sign_up(
    anonymous, django_capture_on_commit_callbacks
):
    """An app that kept an old token still reaches registration instead of a 401."""
    anonymous.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    response = sign_up(anonymous, django_capture_on_commit_callbacks)
    assert response.status_code == 202


def test_sign_up_shares_the_auth_throttle(
    anonymous, tight_auth_rate, django_capture_on_commit_callbacks
):
    answers = [
        sign_up(
            anonymous,
            django_capture_on_commit_callbacks,
            email=f"v{n}@example.org",
            display_name=f"V{n}",
        )
        for n in range(3)
    ]

    assert [a.status_code for a in answers] == [202, 202, 429]
    assert User.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_with_one_address_at_once_make_one_account():
    """Given two sign-ups with Cleo's address arrive at the same moment, then both get the same
    202 and only one account (and one profile) exists: the database's case-insensitive unique
    constraint decides, and the loser is answered like any taken address."""
    from rest_framework.test import APIClient

    barrier = threading.Barrier(2)
    answers: list[tuple[int, bytes]] = []

    def attempt(spelling: str) -> None:
        try:
            barrier.wait(timeout=10)
            response = APIClient().post(
                REGISTER,
                {"email": spelling, "password": GOOD_PASSWORD, "display_name": "Cleo"},
                format="json",
            )
            answers.append((response.status_code, response.content))
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=attempt, args=(spelling,))
        for spelling in ("cleo@example.org", "CLEO@example.org")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [status for status, _ in answers] == [202, 202]
    assert answers[0][1] == answers[1][1]
    assert User.objects.filter(email__iexact="cleo@example.org").count() == 1
    assert VolunteerProfile.objects.count() == 1
