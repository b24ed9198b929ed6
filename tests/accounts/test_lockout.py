"""Lockout after repeated failed sign-ins (issue 9: 130 wrong logins were never stopped, and the
admin let the right password in after 30 wrong ones). Five failures for one account, or from one
address, pause signing in for 30 minutes, on the API token endpoint and the admin login alike;
the pause expires by itself. ``X-Forwarded-For`` is not an identity (NUM_PROXIES = 0)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.lockout import LOCKED_OUT_CODE, locked_out_message
from tests.factories import PASSWORD, UserFactory
from tests.support.second_factor import current_code, totp_device

TOKEN = "/api/v1/auth/token/"
ADMIN_LOGIN = "/admin/login/?next=/admin/"
LIMIT = settings.AXES_FAILURE_LIMIT
COOL_OFF = settings.AXES_COOLOFF_TIME

pytestmark = pytest.mark.django_db


def random_forwarded_for(rng: random.Random) -> str:
    return ".".join(str(rng.randint(1, 254)) for _ in range(4))


def sign_in(client, email: str, password: str, *, forwarded_for: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(TOKEN, {"email": email, "password": password}, format="json", **extra)


def test_the_lockout_is_five_failures_and_thirty_minutes():
    assert LIMIT == 5
    assert timedelta(minutes=30) == COOL_OFF
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_forty_wrong_passwords_over_random_forwarded_for_lock_the_account(anonymous, ada):
    """Given an attacker guesses Ada's password 40 times, each with a new random X-Forwarded-For,
    then after the fifth failure every answer is 429 with the lockout message and a Retry-After,
    even for the right password: the header gave no fresh identity."""
    rng = random.Random(9)
    answers = [
        sign_in(anonymous, "ada@example.org", f"guess-{n}", forwarded_for=random_forwarded_for(rng))
        for n in range(40)
    ]
    right = sign_in(anonymous, "ada@example.org", PASSWORD, forwarded_for=random_forwarded_for(rng))

    codes = [a.status_code for a in answers]
    assert codes[: LIMIT - 1] == [400] * (LIMIT - 1)
    assert set(codes[LIMIT - 1 :]) == {429}  # the fifth failure already answers the lock
    assert right.status_code == 429
    body = right.json()
    assert body == {
        "error": {"code": LOCKED_OUT_CODE, "message": locked_out_message(), "fields": {}}
    }
    assert "30 minutes" in body["error"]["message"]
    assert int(right["Retry-After"]) == int(COOL_OFF.total_seconds())
    assert "token" not in body


def test_the_right_password_after_the_cool_off_works(anonymous, ada):
    """Given Ada's account was locked by wrong guesses, when the 30 minutes have passed, then
    the right password gets her a token again (the lock is not permanent)."""
    for n in range(LIMIT + 1):
        sign_in(anonymous, "ada@example.org", f"guess-{n}")
    assert sign_in(anonymous, "ada@example.org", PASSWORD).status_code == 429

    with time_machine.travel(timezone.now() + COOL_OFF + timedelta(minutes=1), tick=False):
        answer = sign_in(anonymous, "ada@example.org", PASSWORD)

    assert answer.status_code == 200, answer.json()
    assert answer.json()["token"]


def test_one_address_guessing_many_accounts_is_locked_too(anonymous):
    """Given one address tries a wrong password for five different accounts, then the sixth
    account's right password from that address is refused: the lock counts per address too."""
    victims = [UserFactory.create(email=f"v{n}@example.org") for n in range(LIMIT + 1)]
    for victim in victims[:LIMIT]:
        sign_in(anonymous, victim.email, "wrong-guess")

    assert sign_in(anonymous, victims[LIMIT].email, PASSWORD).status_code == 429


def test_a_lock_on_one_account_does_not_stop_another_address_signing_in_to_another(ada, bo):
    """Given Ada's account is locked from one address, then Bo, from another, still signs in."""
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(LIMIT):
        attacker.post(TOKEN, {"email": "ada@example.org", "password": f"g{n}"}, "application/json")

    bo_client = Client(REMOTE_ADDR="203.0.113.20")
    answer = bo_client.post(
        TOKEN, {"email": bo.user.email, "password": PASSWORD}, "application/json"
    )
    assert answer.status_code == 200, answer.content


def admin_sign_in(client: Client, email: str, password: str, forwarded_for: str, otp: str = ""):
    return client.post(
        ADMIN_LOGIN,
        {"username": email, "password": password, "otp_token": otp, "next": "/admin/"},
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_the_admin_login_locks_the_same_way():
    """Given staff account Pat, when someone tries 30 wrong passwords at the admin login over
    random X-Forwarded-For values, then the right password is refused with 429 (before the fix it
    let them in); after the cool-off it works."""
    pat = UserFactory.create(email="pat.admin@kindred.example", is_staff=True, is_superuser=True)
    device = totp_device(pat)  # the admin asks staff for their second factor too
    rng = random.Random(30)
    client = Client()
    answers = [
        admin_sign_in(client, "pat.admin@kindred.example", f"g{n}", random_forwarded_for(rng))
        for n in range(30)
    ]
    right = admin_sign_in(client, "pat.admin@kindred.example", PASSWORD, random_forwarded_for(rng))

    assert [a.status_code for a in answers[: LIMIT - 1]] == [200] * (LIMIT - 1)  # the form again
    assert {a.status_code for a in answers[LIMIT:]} == {429}
    assert right.status_code == 429
    assert locked_out_message() in right.content.decode()
    assert "_auth_user_id" not in client.session

    with time_machine.travel(timezone.now() + COOL_OFF + timedelta(minutes=1), tick=False):
        code = current_code(device)
        later = admin_sign_in(Client(), "pat.admin@kindred.example", PASSWORD, "192.0.2.1", code)
    assert later.status_code == 302
    assert later["Location"] == "/admin/"
