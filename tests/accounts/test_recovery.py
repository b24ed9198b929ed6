"""Password change and reset (issue 9: "no password change or reset"). A change needs the old
password; a reset an emailed link that works once and expires. Either signs the account out
everywhere (every token revoked, other sessions ended) and the owner is told by email."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.lockout import LOCKED_OUT_CODE
from accounts.models import DeviceToken
from accounts.services.passwords import (
    CHANGED_TITLE,
    OLD_PASSWORD_WRONG_MESSAGE,
    RESET_LINK_INVALID_CODE,
    RESET_LINK_INVALID_MESSAGE,
    RESET_REQUESTED_MESSAGE,
    RESET_TITLE,
)
from accounts.services.tokens import user_token_issue
from pages.views.account_forms import PASSWORDS_DIFFER_MESSAGE
from pages.views.account_password import PASSWORD_SET_MESSAGE
from tests.factories import PASSWORD, UserFactory, VolunteerProfileFactory
from tests.placements.lifecycle_helpers import eager_tasks  # noqa: F401  (fixture)

CHANGE = "/api/v1/auth/password/change/"
RESET = "/api/v1/auth/password/reset/"
CONFIRM = "/api/v1/auth/password/reset/confirm/"
TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/volunteers/me/"
NEW_PASSWORD = "a-fresh-long-passphrase"
LINK = re.compile(r"https?://\S+/password/reset/(?P<uid>[^/\s]+)/(?P<token>[^/\s]+)/")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def token_client(user, name: str = "Phone") -> tuple[APIClient, str]:
    _, secret = user_token_issue(user=user, name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client, secret


def with_token(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def sign_in(email: str, password: str):
    return APIClient().post(TOKEN, {"email": email, "password": password}, format="json")


def emails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def reset_link(client, capture, email: str = "ada@example.org") -> str:
    with capture(execute=True):
        response = client.post(RESET, {"email": email}, format="json")
    assert response.status_code == 202
    (message,) = [m for m in emails_to(email) if m.subject == RESET_TITLE]
    found = LINK.search(str(message.body))
    assert found, message.body
    assert found[0].startswith(f"{settings.PUBLIC_BASE_URL}/password/reset/")
    return found[0]


def parts(link: str) -> dict[str, str]:
    found = LINK.search(link)
    assert found
    return {"uid": found["uid"], "token": found["token"]}


# --- Change ---------------------------------------------------------------------------------------


def test_ada_changes_her_password_stays_signed_in_here_and_is_signed_out_elsewhere(
    ada, django_capture_on_commit_callbacks
):
    """Given Ada is signed in on her phone and her laptop, when she changes her password on the
    phone, then the answer carries a new token for the phone, both old tokens answer 401, the new
    password signs in, and she gets an email saying her password changed."""
    phone, phone_secret = token_client(ada.user, "Phone")
    laptop, _ = token_client(ada.user, "Laptop")

    with django_capture_on_commit_callbacks(execute=True):
        response = phone.post(
            CHANGE, {"old_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json"
        )

    assert response.status_code == 200, response.json()
    new_secret = response.json()["token"]
    assert new_secret != phone_secret
    assert phone.get(ME).status_code == 401
    assert laptop.get(ME).status_code == 401
    assert with_token(new_secret).get(ME).status_code == 200
    assert list(DeviceToken.objects.filter(user=ada.user).values_list("name", flat=True)) == [
        "Phone"
    ]
    assert sign_in("ada@example.org", PASSWORD).status_code == 400
    assert sign_in("ada@example.org", NEW_PASSWORD).status_code == 200
    assert [m.subject for m in emails_to("ada@example.org")] == [CHANGED_TITLE]


def test_a_change_in_the_browser_keeps_this_session_and_ends_the_others(ada):
    """Given Ada is signed in (a session) in two browsers, when she changes her password in one,
    then that one stays signed in and the other is signed out."""
    here, there = APIClient(), APIClient()
    here.force_login(ada.user)
    there.force_login(ada.user)

    response = here.post(
        CHANGE, {"old_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert here.get(ME).status_code == 200
    assert there.get(ME).status_code in (401, 403)


def test_a_wrong_old_password_is_refused_and_nothing_changes(ada):
    phone, _ = token_client(ada.user)

    response = phone.post(
        CHANGE, {"old_password": "not-my-password", "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"old_password": [OLD_PASSWORD_WRONG_MESSAGE]}
    assert phone.get(ME).status_code == 200
    ada.user.refresh_from_db()
    assert ada.user.check_password(PASSWORD)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("password", "This password is too common."),
        ("short1", "This password is too short. It must contain at least 8 characters."),
        ("ada.example", "The password is too similar to the email address."),
    ],
)
def test_the_new_password_passes_the_validators(ada, new_password, message):
    phone, _ = token_client(ada.user)

    response = phone.post(
        CHANGE, {"old_password": PASSWORD, "new_password": new_password}, format="json"
    )

    assert response.status_code == 400
    assert message in response.json()["error"]["fields"]["new_password"]
    assert phone.get(ME).status_code == 200


def test_changing_a_password_needs_sign_in_and_both_fields(anonymous, ada):
    assert anonymous.post(CHANGE, {}, format="json").status_code == 401
    phone, _ = token_client(ada.user)
    response = phone.post(CHANGE, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"old_password", "new_password"}


def test_guessing_the_old_password_is_throttled(ada, tight_auth_rate):
    phone, _ = token_client(ada.user)
    answers = [
        phone.post(
            CHANGE, {"old_password": f"guess-{n}", "new_password": NEW_PASSWORD}, format="json"
        ).status_code
        for n in range(3)
    ]
    assert answers == [400, 400, 429]


# --- Reset ----------------------------------------------------------------------------------------


def test_a_reset_request_answers_the_same_for_any_address(
    anonymous, ada, django_capture_on_commit_callbacks
):
    """The answer for Ada's address and for an unknown one are identical; only Ada gets an email."""
    with django_capture_on_commit_callbacks(execute=True):
        known = anonymous.post(RESET, {"email": "ADA@example.org"}, format="json")
        unknown = anonymous.post(RESET, {"email": "nobody@example.org"}, format="json")

    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    assert known.json() == {"detail": RESET_REQUESTED_MESSAGE.format(minutes=60)}
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert "expires in 60 minutes" in str(mail.outbox[0].body)


def test_a_deactivated_account_gets_no_reset_email(anonymous, django_capture_on_commit_callbacks):
    UserFactory.create(email="gone@example.org", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(RESET, {"email": "gone@example.org"}, format="json")

    assert response.status_code == 202
    assert mail.outbox == []


def test_ada_resets_her_password_once_and_every_token_is_revoked(
    anonymous, ada, django_capture_on_commit_callbacks
):
    """Given Ada forgot her password while a token of hers is still out there, when she follows
    the emailed link through the app, then the password is set (204), the old token gets 401, the
    new password signs in, she is told her password changed, and the link never works again."""
    old_client, _ = token_client(ada.user)
    link = reset_link(anonymous, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        done = anonymous.post(CONFIRM, {**parts(link), "new_password": NEW_PASSWORD}, format="json")
    again = anonymous.post(
        CONFIRM, {**parts(link), "new_password": "yet-another-passphrase"}, format="json"
    )

    assert done.status_code == 204
    assert old_client.get(ME).status_code == 401
    assert not DeviceToken.objects.filter(user=ada.user).exists()
    assert sign_in("ada@example.org", NEW_PASSWORD).status_code == 200
    assert CHANGED_TITLE in [m.subject for m in emails_to("ada@example.org")]
    assert again.status_code == 400
    assert again.json()["error"] == {
        "code": RESET_LINK_INVALID_CODE,
        "message": RESET_LINK_INVALID_MESSAGE,
        "fields": {},
    }
    ada.user.refresh_from_db()
    assert ada.user.check_password(NEW_PASSWORD)


def test_a_reset_link_older_than_an_hour_is_refused(
    anonymous, ada, django_capture_on_commit_callbacks
):
    link = reset_link(anonymous, django_capture_on_commit_callbacks)
    timeout = timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    assert timeout == timedelta(minutes=60)
    path = link.removeprefix(settings.PUBLIC_BASE_URL)

    # A POSIX timestamp: an aware datetime would also move time-machine's local time zone, and
    # Django's token clock is the naive local time.
    with time_machine.travel((timezone.now() + timeout - timedelta(minutes=1)).timestamp()):
        assert Client().get(path).status_code == 200
    with time_machine.travel((timezone.now() + timeout + timedelta(minutes=1)).timestamp()):
        late = anonymous.post(CONFIRM, {**parts(link), "new_password": NEW_PASSWORD}, format="json")
        late_page = Client().get(path)

    assert late.status_code == 400
    assert late.json()["error"]["code"] == RESET_LINK_INVALID_CODE
    assert late_page.status_code == 400
    ada.user.refresh_from_db()
    assert ada.user.check_password(PASSWORD)


def test_a_weak_new_password_keeps_the_link_usable(
    anonymous, ada, django_capture_on_commit_callbacks
):
    link = reset_link(anonymous, django_capture_on_commit_callbacks)

    weak = anonymous.post(CONFIRM, {**parts(link), "new_password": "short1"}, format="json")
    strong = anonymous.post(CONFIRM, {**parts(link), "new_password": NEW_PASSWORD}, format="json")

    assert weak.status_code == 400
    assert "new_password" in weak.json()["error"]["fields"]
    assert strong.status_code == 204


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: {**p, "token": p["token"][:-1] + ("1" if p["token"][-1] == "0" else "0")},
        lambda p: {**p, "uid": "MTIzNDU2Nzg5"},
        lambda p: {**p, "uid": "%%%"},
    ],
)
def test_a_broken_reset_link_is_refused(anonymous, ada, tamper, django_capture_on_commit_callbacks):
    link = reset_link(anonymous, django_capture_on_commit_callbacks)

    response = anonymous.post(
        CONFIRM, {**tamper(parts(link)), "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["message"] == RESET_LINK_INVALID_MESSAGE


def test_a_reset_lifts_the_sign_in_lockout(anonymous, ada, django_capture_on_commit_callbacks):
    """Given someone locked Ada's account with five wrong passwords, when Ada resets her password
    by the emailed link, then she signs in with the new one at once, not after the cool-off."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in("ada@example.org", f"guess-{n}")
    locked = sign_in("ada@example.org", PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == LOCKED_OUT_CODE

    link = reset_link(anonymous, django_capture_on_commit_callbacks)
    assert (
        anonymous.post(
            CONFIRM, {**parts(link), "new_password": NEW_PASSWORD}, format="json"
        ).status_code
        == 204
    )

    assert sign_in("ada@example.org", NEW_PASSWORD).status_code == 200


def test_following_a_reset_link_verifies_the_address(anonymous, django_capture_on_commit_callbacks):
    """The link reached the inbox, so the address is proven."""
    cleo = VolunteerProfileFactory.create(
        user__email="cleo@example.org", user__email_verified_at=None
    ).user
    link = reset_link(anonymous, django_capture_on_commit_callbacks, email="cleo@example.org")

    anonymous.post(CONFIRM, {**parts(link), "new_password": NEW_PASSWORD}, format="json")

    cleo.refresh_from_db()
    assert cleo.email_verified


def test_reset_requests_are_throttled(anonymous, tight_auth_rate):
    answers = [
        anonymous.post(RESET, {"email": "ada@example.org"}, format="json").status_code
        for _ in range(3)
    ]
    assert answers == [202, 202, 429]


# --- The page at the link -------------------------------------------------------------------------


def test_the_reset_page_shows_a_form_and_sets_the_password_once(
    anonymous, ada, django_capture_on_commit_callbacks
):
    """Ada opens the link in a browser: a form with two labelled fields; different passwords are
    refused, a weak one is refused with the validator's message, a good one is set; the page and
    the API then refuse the link."""
    link = reset_link(anonymous, django_capture_on_commit_callbacks)
    path = link.removeprefix(settings.PUBLIC_BASE_URL)
    browser = Client(enforce_csrf_checks=True)

    form = browser.get(path)
    assert form.status_code == 200
    page = form.content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Set a new password</h1>" in page
    assert '<label for="new_password1">' in page
    assert '<label for="new_password2">' in page
    assert form["Cache-Control"].startswith("max-age=0")
    csrf = form.cookies["csrftoken"].value

    def submit(first: str, second: str):
        return browser.post(
            path,
            {"csrfmiddlewaretoken": csrf, "new_password1": first, "new_password2": second},
        )

    differ = submit(NEW_PASSWORD, NEW_PASSWORD + "x")
    assert differ.status_code == 400
    assert PASSWORDS_DIFFER_MESSAGE in differ.content.decode()
    weak = submit("short1", "short1")
    assert weak.status_code == 400
    assert "This password is too short." in weak.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        done = submit(NEW_PASSWORD, NEW_PASSWORD)
    assert done.status_code == 200
    assert PASSWORD_SET_MESSAGE in done.content.decode()
    assert sign_in("ada@example.org", NEW_PASSWORD).status_code == 200

    again = submit("yet-another-passphrase", "yet-another-passphrase")
    assert again.status_code == 400
    assert RESET_LINK_INVALID_MESSAGE in again.content.decode()
    assert browser.get(path).status_code == 400
    api = anonymous.post(CONFIRM, {**parts(link), "new_password": "x-y-z-w-v-u-t"}, format="json")
    assert api.status_code == 400
