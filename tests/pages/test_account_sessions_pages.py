"""Ada sees where she is signed in (her apps' tokens and this browser) and signs one or all of
them out: the API's token services."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import DeviceToken
from accounts.services.tokens import user_token_issue

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_ada_sees_her_devices_and_signs_one_out(ada):
    phone, _ = user_token_issue(user=ada.user, name="Phone", user_agent="KindredApp/2 Android")
    tablet, _ = user_token_issue(user=ada.user, name="Tablet")
    browser = signed_in(ada.user)

    listed = browser.get("/me/sign-ins/").content.decode()
    response = browser.post(f"/me/sign-ins/{phone.token_key}/sign-out/")

    for shown in ("Phone", "KindredApp/2 Android", "Tablet"):
        assert shown in listed
    assert phone.digest not in listed
    assert response.status_code == 302
    assert list(DeviceToken.objects.filter(user=ada.user)) == [tablet]
    assert "That device is signed out." in browser.get("/me/sign-ins/").content.decode()


def test_ada_signs_every_device_out_and_stays_signed_in_here(ada):
    for name in ("Phone", "Tablet"):
        user_token_issue(user=ada.user, name=name)
    browser = signed_in(ada.user)

    response = browser.post("/me/sign-ins/sign-out-all/")
    after = browser.get("/me/sign-ins/")

    assert response.status_code == 302
    assert not DeviceToken.objects.filter(user=ada.user).exists()
    assert after.status_code == 200
    assert "2 devices signed out." in after.content.decode()


def test_bo_cannot_sign_out_adas_device(ada, bo):
    phone, _ = user_token_issue(user=ada.user, name="Phone")

    response = signed_in(bo.user).post(f"/me/sign-ins/{phone.token_key}/sign-out/")
    listed = signed_in(bo.user).get("/me/sign-ins/").content.decode()

    assert response.status_code == 404
    assert DeviceToken.objects.filter(pk=phone.pk).exists()
    assert "Phone" not in listed


def test_signed_out_visitors_are_asked_to_sign_in(client, ada):
    phone, _ = user_token_issue(user=ada.user, name="Phone")

    for response in (
        client.get("/me/sign-ins/"),
        client.post(f"/me/sign-ins/{phone.token_key}/sign-out/"),
        client.post("/me/sign-ins/sign-out-all/"),
    ):
        assert response["Location"].startswith("/sign-in/?next=")
    assert DeviceToken.objects.filter(pk=phone.pk).exists()


def test_signing_out_takes_a_post(ada):
    assert signed_in(ada.user).get("/me/sign-ins/sign-out-all/").status_code == 405


def test_the_account_page_links_the_password_and_sign_in_pages(ada):
    page = signed_in(ada.user).get("/me/account/").content.decode()

    assert 'href="/me/password/"' in page
    assert 'href="/me/sign-ins/"' in page


def test_a_coordinator_finds_the_account_pages_in_the_navigation(sam):
    page = signed_in(sam).get("/review/hours/").content.decode()

    assert 'href="/me/sign-ins/"' in page
    assert signed_in(sam).get("/me/sign-ins/").status_code == 200
