"""Errors are pages a person reads, with DJANGO_DEBUG off: no traceback, no debug page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from pages.views import errors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("view", "status", "words"),
    [
        (errors.bad_request, 400, "Something in the request was wrong"),
        (errors.forbidden, 403, "You cannot do this here"),
        (errors.not_found, 404, "Page not found"),
    ],
)
def test_each_error_has_its_page(view, status, words):
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()

    response = view(request, exception=None)

    assert response.status_code == status
    assert words in response.content.decode()


def test_a_server_error_is_a_plain_page_without_the_traceback():
    response = errors.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "Traceback" not in page


def test_with_debug_off_an_unknown_address_is_the_friendly_page_in_spanish(settings):
    settings.DEBUG = False

    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_a_forbidden_page_for_an_account_without_a_profile(sam, settings):
    settings.DEBUG = False
    browser = Client()
    browser.force_login(sam)

    response = browser.get("/me/profile/")

    assert response.status_code == 403
    assert "You cannot do this here" in response.content.decode()
