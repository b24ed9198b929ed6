"""The client's address comes from the configured number of trusted proxies (NUM_PROXIES), not
from a header anyone can send (issue 9: DRF took the client's X-Forwarded-For as its identity)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.test import RequestFactory
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from backend.proxies import client_address

TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def proxies(settings):
    def use(count: int) -> None:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}

    return use


def test_no_trusted_proxy_is_the_default():
    assert api_settings.NUM_PROXIES == 0


@pytest.mark.django_db
def test_a_random_forwarded_for_is_no_new_throttle_identity(anonymous, ada, tight_auth_rate):
    """Given NUM_PROXIES = 0, when a guesser sends each try with a new random X-Forwarded-For,
    then the third try within the minute is still throttled: the header is not an identity."""
    rng = random.Random(2)
    answers = [
        anonymous.post(
            TOKEN,
            {"email": "ada@example.org", "password": f"guess-{n}"},
            format="json",
            HTTP_X_FORWARDED_FOR=".".join(str(rng.randint(1, 254)) for _ in range(4)),
        )
        for n in range(3)
    ]

    assert [a.status_code for a in answers] == [400, 400, 429]
    assert answers[2].json()["error"]["code"] == "throttled"
    assert "Retry-After" in answers[2]


def forwarded(value: str | None, remote: str = "10.0.0.5"):
    extra: dict[str, Any] = {"HTTP_X_FORWARDED_FOR": value} if value is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("num_proxies", "header", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.5"),  # no proxy trusted: the socket's address
        (0, None, "10.0.0.5"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what our one proxy appended, not the forgery
        (1, None, "10.0.0.5"),
        (2, "6.6.6.6, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (3, "203.0.113.9", "203.0.113.9"),  # fewer entries than proxies: the leftmost
    ],
)
def test_the_address_is_counted_from_the_right_by_the_trusted_proxies(
    proxies, num_proxies, header, expected
):
    proxies(num_proxies)
    request = forwarded(header)

    assert client_address(request) == expected
    # The throttles and the lockouts agree on who the client is.
    assert BaseThrottle().get_ident(request) == expected
