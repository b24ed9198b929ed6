"""Signing in, out and up on the pages: a browser session with CSRF, through the same services and
checks as the API (the lockout, the one refusal message, staff's second factor, registration)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts.lockout import locked_out_message
from accounts.services.tokens import INVALID_CREDENTIALS_MESSAGE
from tests.factories import PASSWORD, UserFactory
from tests.support.second_factor import current_code, totp_device

pytestmark = pytest.mark.django_db


def sign_in(client, email, password, **extra):
    return client.post("/sign-in/", {"email": email, "password": password, **extra})


def test_ada_signs_in_and_lands_on_her_roles(client, ada):
    response = sign_in(client, "ada@example.org", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/me/roles/"
    assert client.get("/me/roles/").status_code == 200


def test_a_wrong_password_is_the_apis_one_message_beside_the_form(client, ada):
    response = sign_in(client, "ada@example.org", "not-her-password")

    assert response.status_code == 400
    assert INVALID_CREDENTIALS_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_pause_signing_in_with_a_page_that_says_so(client, ada):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ada@example.org", f"guess-{n}")

    response = sign_in(client, "ada@example.org", PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"]
    assert locked_out_message() in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_need_their_code_on_the_pages_too(client):
    staff = UserFactory.create(email="pat@kindred.example", is_staff=True)
    device = totp_device(staff)

    without = sign_in(client, "pat@kindred.example", PASSWORD)
    with_code = sign_in(client, "pat@kindred.example", PASSWORD, otp=current_code(device))

    assert without.status_code == 400
    assert "_auth_user_id" not in Client().session
    assert with_code.status_code == 302


def test_signing_out_takes_a_post_with_the_csrf_token(ada):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ada.user)

    assert browser.get("/sign-out/").status_code == 405
    forged = browser.post("/sign-out/")
    page = browser.get("/me/roles/")
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert found is not None
    token = found[1]
    signed_out = browser.post("/sign-out/", {"csrfmiddlewaretoken": token})

    assert forged.status_code == 403
    assert "The form expired" in forged.content.decode()
    assert signed_out.status_code == 302
    assert browser.get("/me/roles/").status_code == 302  # to the sign-in page


def test_a_next_address_elsewhere_is_ignored(client, ada):
    response = client.post(
        "/sign-in/?next=https://evil.example/",
        {"email": "ada@example.org", "password": PASSWORD},
    )

    assert response["Location"] == "/me/roles/"


@pytest.mark.usefixtures("eager_tasks")
def test_signing_up_creates_the_account_and_emails_the_verification_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/sign-up/",
            {"display_name": "Noor", "email": "Noor@Example.org", "password": PASSWORD},
        )

    assert response.status_code == 302
    assert response["Location"] == "/sign-up/sent/"
    user = get_user_model().objects.get(email="noor@example.org")
    assert user.volunteer_profile.display_name == "Noor"
    assert not user.email_verified
    (message,) = mail.outbox
    assert "/account/verify-email/" in message.body


def test_signing_up_with_a_taken_address_looks_the_same_and_changes_nothing(client, ada):
    response = client.post(
        "/sign-up/", {"display_name": "Not Ada", "email": "ada@example.org", "password": PASSWORD}
    )

    assert response["Location"] == "/sign-up/sent/"
    assert get_user_model().objects.filter(email="ada@example.org").count() == 1
    ada.refresh_from_db()
    assert ada.display_name == "Ada"


def test_a_weak_password_is_refused_on_its_field_and_nothing_is_created(client):
    response = client.post(
        "/sign-up/", {"display_name": "Noor", "email": "noor@example.org", "password": "12345678"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "This password is entirely numeric." in page
    assert 'id="id_password_error"' in page
    assert not get_user_model().objects.filter(email="noor@example.org").exists()


def test_the_apis_sign_in_budget_applies_to_the_pages_forms(client, monkeypatch):
    """Past the ``auth`` rate from one address, the sign-up form is refused with a message and
    nothing is created, as the API's sign-up would answer 429."""
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "2/minute"})
    for n in range(2):
        client.post(
            "/sign-up/", {"display_name": "N", "email": f"n{n}@example.org", "password": "x"}
        )

    response = client.post(
        "/sign-up/", {"display_name": "Noor", "email": "noor@example.org", "password": PASSWORD}
    )

    assert response.status_code == 400
    assert "Too many attempts" in response.content.decode()
    assert not get_user_model().objects.filter(email="noor@example.org").exists()
