"""The database unreachable mid-request (PostgreSQL restarted, failed over): the API answers 503
in the one JSON shape with Retry-After, a page answers the friendly error page, neither shows a
traceback, and the next request after the database is back is served as usual. Simulated with a
query wrapper that fails every query, as a dropped connection does; bench/pg_restart.py restarts
a real PostgreSQL (docs/reliability.md)."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError, connection
from django.test import Client

from backend.errors import DATABASE_RETRY_AFTER
from tests.conftest import client_for
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

ROLES = "/api/v1/opportunities/"


def server_closed_the_connection(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


def test_the_api_answers_503_with_retry_after_while_the_database_is_down_then_recovers(ada, caplog):
    OpportunityFactory.create()
    client = client_for(ada.user)
    caplog.set_level(logging.WARNING, logger="backend.errors")

    with connection.execute_wrapper(server_closed_the_connection):
        response = client.get(ROLES)

    assert response.status_code == 503
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER)
    assert response.json()["error"]["code"] == "unavailable"
    assert "Traceback" not in response.content.decode()
    assert "server closed the connection" not in response.content.decode()
    assert "Database unavailable" in caplog.text
    assert "Traceback" not in caplog.text  # one line per request, not a traceback each
    assert client.get(ROLES).status_code == 200


def test_a_write_during_the_outage_is_refused_cleanly(ada):
    client = client_for(ada.user)

    with connection.execute_wrapper(server_closed_the_connection):
        response = client.patch("/api/v1/volunteers/me/", {"bio": "New"}, format="json")

    assert response.status_code == 503
    ada.refresh_from_db()
    assert ada.bio != "New"


def test_a_page_answers_the_friendly_error_page_without_the_database():
    OpportunityFactory.create()
    browser = Client(raise_request_exception=False)

    with connection.execute_wrapper(server_closed_the_connection):
        response = browser.get("/roles/")

    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"Traceback" not in response.content
    assert browser.get("/roles/").status_code == 200
