"""Stories of staff's second factor (issue 9: staff signed in to the admin and the API with a
password alone). Pat, platform staff, signs in with the password and the current code of an
authenticator app (TOTP, django-otp), on the API token endpoint and the admin login alike; wrong
codes lock like wrong passwords; a staff session that has not passed the second factor is
anonymous to the API and not let into the admin."""

from __future__ import annotations

import base64
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts import second_factor
from accounts.api.serializers import OTP_FORMAT_MESSAGE
from accounts.lockout import LOCKED_OUT_CODE, locked_out_message
from accounts.models import DeviceToken
from accounts.services.tokens import INVALID_CREDENTIALS_MESSAGE
from demo.logins import STAFF_TOTP_SECRET, ensure_staff_second_factor, staff_second_factor_help
from tests.factories import PASSWORD, UserFactory
from tests.support.second_factor import current_code, staff_login, totp_device

TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
ADMIN_LOGIN = "/admin/login/?next=/admin/"
LIMIT = settings.AXES_FAILURE_LIMIT

pytestmark = pytest.mark.django_db


@pytest.fixture
def pat():
    """Pat, platform staff (and a superuser, for the admin)."""
    return UserFactory.create(email="pat@kindred.example", is_staff=True, is_superuser=True)


def sign_in(email: str, password: str = PASSWORD, otp: str | None = None, client=None):
    body = {"email": email, "password": password}
    if otp is not None:
        body["otp"] = otp
    return (client or APIClient()).post(TOKEN, body, format="json")


def admin_sign_in(client: Client, email: str, password: str = PASSWORD, otp: str = ""):
    return client.post(
        ADMIN_LOGIN, {"username": email, "password": password, "otp_token": otp, "next": "/admin/"}
    )


def test_the_setting_is_on_by_default():
    assert settings.STAFF_SECOND_FACTOR_REQUIRED is True


# --- The API token endpoint --------------------------------------------------------------------


def test_pat_without_a_second_factor_is_told_how_to_get_one(pat):
    """Given Pat has no authenticator set up, when Pat signs in with the right password, then
    the answer says so and how to fix it (a colleague, or manage.py totp_enroll), and no token."""
    response = sign_in("pat@kindred.example")

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "second_factor_setup_required",
        "message": second_factor.SETUP_REQUIRED_MESSAGE,
        "fields": {},
    }
    assert "manage.py totp_enroll <email>" in second_factor.SETUP_REQUIRED_MESSAGE
    assert not DeviceToken.objects.exists()


def test_pat_without_the_code_is_asked_for_it(pat):
    totp_device(pat)

    response = sign_in("pat@kindred.example")

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "second_factor_required",
        "message": second_factor.REQUIRED_MESSAGE,
        "fields": {"otp": [second_factor.REQUIRED_MESSAGE]},
    }
    assert not DeviceToken.objects.exists()


def test_pat_with_the_current_code_gets_a_token_that_works(pat):
    """Given Pat's authenticator, when Pat signs in with the password and the code it shows now,
    then Pat gets a token, and it works for Pat's API calls."""
    device = totp_device(pat)

    response = sign_in("pat@kindred.example", otp=current_code(device))

    assert response.status_code == 200, response.json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get(TOKENS).status_code == 200


def test_a_code_works_once(pat):
    """Given Pat signed in with a code, when someone replays the same code (a shoulder-surfer),
    then it is refused as invalid."""
    device = totp_device(pat)
    code = current_code(device)
    assert sign_in("pat@kindred.example", otp=code).status_code == 200

    replay = sign_in("pat@kindred.example", otp=code)

    assert replay.status_code == 400
    assert replay.json()["error"]["code"] == "second_factor_invalid"
    assert DeviceToken.objects.count() == 1


def test_a_wrong_password_gets_the_one_message_whatever_the_code(pat):
    """The password is checked first: with a wrong one, the answer is the one message for wrong
    credentials, so it tells nothing about the account's second factor."""
    device = totp_device(pat)

    response = sign_in("pat@kindred.example", password="not-pats", otp=current_code(device))

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_credentials",
        "message": INVALID_CREDENTIALS_MESSAGE,
        "fields": {},
    }


def test_five_wrong_codes_lock_pat_out_like_wrong_passwords(pat):
    """Given someone knows Pat's password and guesses codes, then the fifth wrong code locks the
    account (429, the lockout message), and even the right code is refused until the cool-off."""
    device = totp_device(pat)
    wrong = f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"

    answers = [sign_in("pat@kindred.example", otp=wrong) for _ in range(LIMIT)]
    right = sign_in("pat@kindred.example", otp=current_code(device))

    assert [a.status_code for a in answers] == [400] * (LIMIT - 1) + [429]
    assert {a.json()["error"]["code"] for a in answers[:-1]} == {"second_factor_invalid"}
    assert answers[0].json()["error"]["message"] == second_factor.INVALID_MESSAGE
    assert right.status_code == 429
    assert right.json()["error"] == {
        "code": LOCKED_OUT_CODE,
        "message": locked_out_message(),
        "fields": {},
    }
    assert not DeviceToken.objects.exists()


@pytest.mark.parametrize("otp", ["12345", "1234567", "12ab56", "12 456"])
def test_a_malformed_code_is_refused_on_its_field(pat, otp):
    response = sign_in("pat@kindred.example", otp=otp)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"otp": [OTP_FORMAT_MESSAGE]}


def test_a_volunteer_needs_no_code(ada):
    assert sign_in("ada@example.org").status_code == 200


@override_settings(STAFF_SECOND_FACTOR_REQUIRED=False)
def test_with_the_setting_off_staff_sign_in_with_the_password_alone(pat):
    assert sign_in("pat@kindred.example").status_code == 200


# --- API sessions -----------------------------------------------------------------------------


def test_a_staff_session_without_the_second_factor_is_anonymous_to_the_api(pat):
    """Given Pat's browser holds a session signed in by password alone, then the API treats it as
    nobody (401); once the session passed the second factor, it is Pat."""
    browser = Client()
    browser.force_login(pat)
    assert browser.get(TOKENS).status_code == 401

    verified = Client()
    staff_login(verified, pat)
    assert verified.get(TOKENS).status_code == 200


def test_a_volunteers_session_needs_no_second_factor(ada):
    browser = Client()
    browser.force_login(ada.user)
    assert browser.get(TOKENS).status_code == 200


# --- The admin login ------------------------------------------------------------------------------


def test_the_admin_login_without_a_code_is_refused(pat):
    """Given Pat's authenticator, when Pat enters only the password at the admin login, then the
    form comes back asking for the code, and Pat is not signed in."""
    totp_device(pat)
    client = Client()

    response = admin_sign_in(client, "pat@kindred.example")

    assert response.status_code == 200
    assert "Enter the 6-digit code from your authenticator app." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_admin_login_with_the_code_lets_pat_in(pat):
    device = totp_device(pat)
    client = Client()

    response = admin_sign_in(client, "pat@kindred.example", otp=current_code(device))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/admin/").status_code == 200
    # The same session now counts for the API too.
    assert client.get(TOKENS).status_code == 200


def test_the_admin_tells_staff_without_a_device_how_to_get_one(pat):
    response = admin_sign_in(Client(), "pat@kindred.example", otp="123456")

    assert response.status_code == 200
    assert "manage.py totp_enroll" in response.content.decode()


def test_a_staff_session_signed_in_by_password_alone_is_not_let_into_the_admin(pat):
    browser = Client()
    browser.force_login(pat)

    response = browser.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_wrong_codes_at_the_admin_login_lock_too(pat):
    device = totp_device(pat)
    wrong = f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"
    client = Client()

    answers = [admin_sign_in(client, "pat@kindred.example", otp=wrong) for _ in range(LIMIT)]
    right = admin_sign_in(client, "pat@kindred.example", otp=current_code(device))

    assert [a.status_code for a in answers] == [200] * (LIMIT - 1) + [429]
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(STAFF_SECOND_FACTOR_REQUIRED=False)
def test_with_the_setting_off_the_admin_is_the_plain_site(pat):
    client = Client()

    response = admin_sign_in(client, "pat@kindred.example")

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


# --- Enrolling: manage.py totp_enroll and the demo staff login ----------------------------------


def test_totp_enroll_prints_the_uri_and_secret_whose_codes_sign_pat_in(pat):
    """Given Pat, the first member of staff, when the operator runs totp_enroll for Pat, then it
    prints an otpauth URI and the base32 secret, and a code made from them signs Pat in."""
    out = StringIO()

    call_command("totp_enroll", "Pat@Kindred.example", stdout=out)

    device = TOTPDevice.objects.get(user=pat)
    assert device.confirmed
    printed = out.getvalue()
    assert device.config_url in printed
    assert device.config_url.startswith("otpauth://totp/Kindred%20Match%3Apat%40kindred.example?")
    (secret,) = [line.split()[1] for line in printed.splitlines() if line.startswith("  secret ")]
    assert base64.b32decode(secret) == device.bin_key
    assert sign_in("pat@kindred.example", otp=current_code(device)).status_code == 200


def test_enrolling_again_replaces_the_device_and_the_old_codes_stop_working(pat):
    """Given Pat lost the phone, when the operator enrols Pat again, then the old device's codes
    no longer sign Pat in, and the new one's do."""
    old = totp_device(pat)
    call_command("totp_enroll", "pat@kindred.example", stdout=StringIO())
    new = TOTPDevice.objects.get(user=pat)

    assert new.pk != old.pk
    assert new.key != old.key
    assert sign_in("pat@kindred.example", otp=current_code(old)).status_code == 400
    with time_machine.travel(timezone.now() + timedelta(seconds=60), tick=False):
        assert sign_in("pat@kindred.example", otp=current_code(new)).status_code == 200


def test_totp_enroll_refuses_an_unknown_email_and_a_volunteer(ada):
    with pytest.raises(CommandError, match=r"No account has the email address nobody@example\.org"):
        call_command("totp_enroll", "nobody@example.org", stdout=StringIO())
    with pytest.raises(CommandError, match=r"ada@example\.org is not a staff account"):
        call_command("totp_enroll", "ada@example.org", stdout=StringIO())
    assert not TOTPDevice.objects.exists()


def test_the_demo_staff_login_has_the_printed_demo_key(pat):
    """The demo seed gives its staff login a device with the fixed demo key (kept when seeding
    again), and make run prints the otpauth URI and an oathtool command for its codes."""
    device = ensure_staff_second_factor(pat)
    again = ensure_staff_second_factor(pat)

    assert again.pk == device.pk
    assert base64.b32encode(device.bin_key).decode() == STAFF_TOTP_SECRET
    assert sign_in("pat@kindred.example", otp=current_code(device)).status_code == 200


def test_make_run_prints_how_to_get_the_demo_staff_codes(django_user_model):
    staff = django_user_model.objects.create_user(
        email="staff@demo.kindred", password=PASSWORD, is_staff=True
    )
    ensure_staff_second_factor(staff)

    printed = staff_second_factor_help()

    assert f"oathtool --totp -b {STAFF_TOTP_SECRET}" in printed
    assert TOTPDevice.objects.get(user=staff).config_url in printed
