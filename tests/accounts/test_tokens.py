"""Stories of API tokens that end (issue 9: the same token was handed out forever). Each sign-in
gets a token of its own with a name and an expiry; its owner lists them, revokes one, logs out the
one in use or all of them; an expired or revoked token answers 401."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from accounts.models import DeviceToken
from accounts.services.tokens import (
    DEFAULT_TOKEN_NAME,
    TOKEN_NOT_FOUND_MESSAGE,
    user_token_issue,
    user_tokens_revoke_all,
)
from tests.factories import PASSWORD

TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
LOGOUT = "/api/v1/auth/logout/"
LOGOUT_ALL = "/api/v1/auth/logout-all/"
ME = "/api/v1/volunteers/me/"
TTL = settings.REST_KNOX["TOKEN_TTL"]

pytestmark = pytest.mark.django_db


def sign_in(email: str, name: str | None = None, **extra) -> dict:
    body = {"email": email, "password": PASSWORD}
    if name is not None:
        body["name"] = name
    response = APIClient().post(TOKEN, body, format="json", **extra)
    assert response.status_code == 200, response.json()
    return response.json()


def holding(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_ada_names_her_phone_and_gets_the_tokens_id_name_and_expiry(ada):
    """Given Ada signs in from her phone and names it, then the answer has the secret (shown
    once), the token's id, its name and when it ends: the token TTL (30 days) after now."""
    with time_machine.travel(timezone.now(), tick=False):
        body = sign_in("ada@example.org", name="Ada's phone", HTTP_USER_AGENT="KindredApp/2.1")
        now = timezone.now()

    assert set(body) == {"token", "token_id", "name", "expiry"}
    assert body["name"] == "Ada's phone"
    assert body["token_id"] == body["token"][:15]
    assert parse_datetime(body["expiry"]) == now + TTL
    assert timedelta(days=30) == TTL
    stored = DeviceToken.objects.get(token_key=body["token_id"])
    assert (stored.name, stored.user_agent, stored.expiry) == (
        "Ada's phone",
        "KindredApp/2.1",
        now + TTL,
    )
    assert stored.digest != body["token"]  # only a digest is kept


def test_a_sign_in_without_a_name_is_an_api_client_and_a_long_name_is_refused(anonymous, ada):
    assert sign_in("ada@example.org")["name"] == DEFAULT_TOKEN_NAME

    refused = anonymous.post(
        TOKEN,
        {"email": "ada@example.org", "password": PASSWORD, "name": "x" * 101},
        format="json",
    )
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["name"]
    assert DeviceToken.objects.count() == 1


def test_ada_lists_her_tokens_and_sees_which_one_is_in_use(ada, bo):
    """Given Ada signed in on her phone and her laptop (and Bo on his), when she lists her tokens
    from her phone, then she sees her two, newest first, the phone marked current, and never a
    secret or a digest."""
    phone = sign_in("ada@example.org", name="Phone")
    laptop = sign_in("ada@example.org", name="Laptop")
    sign_in("bo@example.org", name="Bo's phone")

    response = holding(phone["token"]).get(TOKENS)

    assert response.status_code == 200
    rows = response.json()
    assert [(r["token_id"], r["name"], r["current"]) for r in rows] == [
        (laptop["token_id"], "Laptop", False),
        (phone["token_id"], "Phone", True),
    ]
    assert set(rows[0]) == {
        "token_id",
        "name",
        "user_agent",
        "created",
        "expiry",
        "last_used_at",
        "current",
    }
    assert rows[1]["last_used_at"] is not None  # the phone is the one making this request
    assert "token" not in rows[0]
    assert "digest" not in rows[0]


def test_a_revoked_token_gets_401_and_her_other_device_stays_signed_in(ada):
    """Given Ada lost her laptop, when she revokes its token from her phone, then the laptop's
    token answers 401 and her phone still works."""
    phone = sign_in("ada@example.org", name="Phone")
    laptop = sign_in("ada@example.org", name="Laptop")

    revoked = holding(phone["token"]).delete(f"{TOKENS}{laptop['token_id']}/")

    assert revoked.status_code == 204
    assert holding(laptop["token"]).get(ME).status_code == 401
    assert holding(phone["token"]).get(ME).status_code == 200
    assert [t.name for t in DeviceToken.objects.filter(user=ada.user)] == ["Phone"]


def test_an_expired_token_gets_401_and_is_gone(ada):
    """Given Ada's token was issued 30 days ago and a minute, then it answers 401 and knox has
    deleted it; a token of the same age minus a minute still works."""
    old = sign_in("ada@example.org", name="Old phone")

    with time_machine.travel(timezone.now() + TTL - timedelta(minutes=1), tick=False):
        assert holding(old["token"]).get(ME).status_code == 200
    with time_machine.travel(timezone.now() + TTL + timedelta(minutes=1), tick=False):
        expired = holding(old["token"]).get(ME)
        listed_later = [t.token_key for t in DeviceToken.objects.filter(user=ada.user)]

    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "authentication_failed"
    assert listed_later == []


def test_expired_tokens_are_not_listed(ada):
    """A token past its expiry that knox has not met again is not shown as if it worked."""
    old = sign_in("ada@example.org", name="Old phone")
    with time_machine.travel(timezone.now() + TTL + timedelta(days=1), tick=False):
        new = sign_in("ada@example.org", name="New phone")
        rows = holding(new["token"]).get(TOKENS).json()

    assert [r["token_id"] for r in rows] == [new["token_id"]]
    assert old["token_id"] not in {t.token_key for t in DeviceToken.objects.all()}


def test_logout_revokes_only_the_token_in_use(ada):
    """Given Ada is signed in on her phone and her laptop, when she logs out on the laptop, then
    the laptop's token answers 401 and the phone's still works."""
    phone = sign_in("ada@example.org", name="Phone")
    laptop = sign_in("ada@example.org", name="Laptop")

    response = holding(laptop["token"]).post(LOGOUT)

    assert response.status_code == 204
    assert holding(laptop["token"]).get(ME).status_code == 401
    assert holding(phone["token"]).get(ME).status_code == 200


def test_logout_all_revokes_every_token_of_the_caller_and_no_one_elses(ada, bo):
    phone = sign_in("ada@example.org", name="Phone")
    laptop = sign_in("ada@example.org", name="Laptop")
    bos = sign_in("bo@example.org", name="Bo's phone")

    response = holding(phone["token"]).post(LOGOUT_ALL)

    assert response.status_code == 204
    assert holding(phone["token"]).get(ME).status_code == 401
    assert holding(laptop["token"]).get(ME).status_code == 401
    assert holding(bos["token"]).get(ME).status_code == 200
    assert not DeviceToken.objects.filter(user=ada.user).exists()


def test_someone_elses_token_id_is_404_like_one_that_names_nothing(ada, bo):
    """Given Bo's token id, when Ada tries to revoke it, then she gets the same 404 as for an id
    that names nothing (not 403: she does not learn it exists), and Bo's token still works."""
    adas = sign_in("ada@example.org")
    bos = sign_in("bo@example.org")

    theirs = holding(adas["token"]).delete(f"{TOKENS}{bos['token_id']}/")
    nothing = holding(adas["token"]).delete(f"{TOKENS}0123456789abcde/")

    assert theirs.status_code == 404
    assert theirs.json() == nothing.json()
    assert theirs.json()["error"] == {
        "code": "not_found",
        "message": TOKEN_NOT_FOUND_MESSAGE,
        "fields": {},
    }
    assert holding(bos["token"]).get(ME).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", TOKENS),
        ("delete", f"{TOKENS}0123456789abcde/"),
        ("post", LOGOUT),
        ("post", LOGOUT_ALL),
    ],
)
def test_nobody_signed_in_gets_401(anonymous, method, path):
    assert getattr(anonymous, method)(path).status_code == 401


def test_past_the_token_limit_a_sign_in_revokes_the_oldest(ada):
    """Given an app that signed in 20 times and never logged out, when Ada signs in once more,
    then she gets her token and the oldest one goes: at most 20 live tokens, and no lock-out."""
    limit = settings.REST_KNOX["TOKEN_LIMIT_PER_USER"]
    start = timezone.now()
    for n in range(limit):
        with time_machine.travel(start + timedelta(seconds=n), tick=False):
            user_token_issue(user=ada.user, name=f"Old {n}")

    with time_machine.travel(start + timedelta(seconds=limit), tick=False):
        new = sign_in("ada@example.org", name="Newest")

    names = set(DeviceToken.objects.filter(user=ada.user).values_list("name", flat=True))
    assert len(names) == limit
    assert "Old 0" not in names
    assert {"Old 1", "Newest"} <= names
    assert holding(new["token"]).get(ME).status_code == 200


def test_a_password_change_service_revokes_every_token(ada):
    """``user_tokens_revoke_all`` (called on a password change or reset) ends every device."""
    phone = sign_in("ada@example.org", name="Phone")
    sign_in("ada@example.org", name="Laptop")

    assert user_tokens_revoke_all(user=ada.user) == 2
    assert holding(phone["token"]).get(ME).status_code == 401


def test_logout_with_a_browser_session_ends_the_session(ada):
    """Given Ada signed in with the browser's session, when she logs out through the API, then
    the session is over: the next request is anonymous."""
    browser = Client()
    browser.force_login(ada.user)
    assert browser.get(ME).status_code == 200

    response = browser.post(LOGOUT)

    assert response.status_code == 204
    assert "_auth_user_id" not in browser.session
    assert browser.get(ME).status_code == 401
