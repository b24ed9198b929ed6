"""Ada changes her password on the pages, and sets a new one from the emailed link after she
forgot it: the API's services, their validators and their email; this browser stays signed in,
every other sign-in ends."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from accounts.models import DeviceToken
from accounts.services.passwords import (
    CHANGED_TITLE,
    OLD_PASSWORD_WRONG_MESSAGE,
    RESET_LINK_INVALID_MESSAGE,
    RESET_TITLE,
)
from accounts.services.tokens import user_token_issue
from pages.views.account_forms import PASSWORDS_DIFFER_MESSAGE
from pages.views.account_password import PASSWORD_CHANGED_MESSAGE, PASSWORD_SET_MESSAGE
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

NEW_PASSWORD = "a-fresh-long-passphrase"
LINK = re.compile(r"https?://\S+(/password/reset/[^/\s]+/[^/\s]+/)")


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def change(browser, old, new, again=None):
    return browser.post(
        "/me/password/",
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_ada_changes_her_password_and_stays_signed_in_here_only(
    ada, django_capture_on_commit_callbacks
):
    here, elsewhere = signed_in(ada.user), signed_in(ada.user)
    user_token_issue(user=ada.user, name="Phone")

    with django_capture_on_commit_callbacks(execute=True):
        response = change(here, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/me/sign-ins/"
    assert PASSWORD_CHANGED_MESSAGE in here.get("/me/sign-ins/").content.decode()
    assert elsewhere.get("/me/roles/").status_code == 302  # signed out: to the sign-in page
    assert not DeviceToken.objects.filter(user=ada.user).exists()  # none issued for the page
    ada.user.refresh_from_db()
    assert ada.user.check_password(NEW_PASSWORD)
    assert [m.subject for m in mail.outbox] == [CHANGED_TITLE]


def test_a_wrong_current_password_is_shown_beside_its_field_and_nothing_changes(ada):
    response = change(signed_in(ada.user), "not-my-password", NEW_PASSWORD)

    page = response.content.decode()
    assert response.status_code == 400
    assert OLD_PASSWORD_WRONG_MESSAGE in page
    assert 'id="id_old_password_error"' in page
    ada.user.refresh_from_db()
    assert ada.user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new", "again", "message", "field"),
    [
        ("short1", "short1", "This password is too short.", "new_password1"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", PASSWORDS_DIFFER_MESSAGE, "new_password2"),
    ],
    ids=["too short", "the two differ"],
)
def test_a_bad_new_password_is_refused_beside_its_field(ada, new, again, message, field):
    response = change(signed_in(ada.user), PASSWORD, new, again)

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert f'id="id_{field}_error"' in page
    ada.user.refresh_from_db()
    assert ada.user.check_password(PASSWORD)


def test_a_coordinator_changes_theirs_too(sam):
    assert signed_in(sam).get("/me/password/").status_code == 200
    assert change(signed_in(sam), PASSWORD, NEW_PASSWORD).status_code == 302


def test_signed_out_the_change_page_asks_to_sign_in(client):
    assert client.get("/me/password/")["Location"].startswith("/sign-in/?next=")
    assert change(client, PASSWORD, NEW_PASSWORD)["Location"].startswith("/sign-in/?next=")


def test_guessing_the_current_password_has_the_sign_in_budget(ada, tight_auth_rate):
    browser = signed_in(ada.user)
    for _ in range(2):
        change(browser, "guess", NEW_PASSWORD)

    response = change(browser, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 400
    assert "Too many attempts" in response.content.decode()
    ada.user.refresh_from_db()
    assert ada.user.check_password(PASSWORD)


# --- Forgot it ------------------------------------------------------------------------------------


def emailed_link(client, capture, email="ada@example.org") -> str:
    with capture(execute=True):
        response = client.post("/password/reset/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/password/reset/sent/"
    (message,) = [m for m in mail.outbox if m.subject == RESET_TITLE]
    found = LINK.search(str(message.body))
    assert found, message.body
    assert found[0].startswith(settings.PUBLIC_BASE_URL)
    return found[1]


def test_the_sign_in_page_offers_forgot_your_password(client):
    assert 'href="/password/reset/"' in client.get("/sign-in/").content.decode()


def test_ada_forgot_her_password_and_sets_a_new_one_from_the_link(
    client, ada, django_capture_on_commit_callbacks
):
    path = emailed_link(client, django_capture_on_commit_callbacks)
    user_token_issue(user=ada.user, name="Phone")

    form = client.get(path)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(path)

    assert form.status_code == 200
    assert '<label for="new_password1">' in form.content.decode()
    assert done.status_code == 200
    assert PASSWORD_SET_MESSAGE in done.content.decode()
    assert again.status_code == 400
    assert RESET_LINK_INVALID_MESSAGE in again.content.decode()
    assert not DeviceToken.objects.filter(user=ada.user).exists()
    assert client.post("/sign-in/", {"email": "ada@example.org", "password": NEW_PASSWORD})[
        "Location"
    ] == ("/me/roles/")


def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post("/password/reset/", {"email": "nobody@example.org"})
    sent = client.get(response["Location"])

    assert response["Location"] == "/password/reset/sent/"
    assert "If an account uses this email address" in sent.content.decode()
    assert mail.outbox == []


def test_an_address_that_is_no_address_is_refused_beside_the_field(client):
    response = client.post("/password/reset/", {"email": "not an address"})

    assert response.status_code == 400
    assert 'id="id_email_error"' in response.content.decode()


def test_a_weak_password_keeps_the_link_usable(client, ada, django_capture_on_commit_callbacks):
    path = emailed_link(client, django_capture_on_commit_callbacks)

    weak = client.post(path, {"new_password1": "short1", "new_password2": "short1"})

    assert weak.status_code == 400
    assert "This password is too short." in weak.content.decode()
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/password/reset/MQ/not-a-token/", "/password/reset/zz/x-y/"])
def test_a_broken_link_says_so_and_offers_a_new_one(client, ada, path):
    for response in (client.get(path), client.post(path, {"new_password1": NEW_PASSWORD})):
        assert response.status_code == 400
        assert RESET_LINK_INVALID_MESSAGE in response.content.decode()
        assert 'href="/password/reset/"' in response.content.decode()
