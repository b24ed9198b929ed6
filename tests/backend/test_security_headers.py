"""A Content-Security-Policy and a Permissions-Policy on every response, API, admin and docs alike
(issue 9: output that cannot be turned against its reader). The docs page runs no inline script, so
the self-only policy does not break it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from backend.security_headers import DEFAULT_PERMISSIONS_POLICY

pytestmark = pytest.mark.django_db

PAGES = ["/", "/api/v1/", "/admin/login/", "/api/v1/docs/", "/api/v1/schema/", "/healthz"]


def directives(header: str) -> dict[str, str]:
    parts = (part.strip() for part in header.split(";") if part.strip())
    return {name: rest for name, _, rest in (part.partition(" ") for part in parts)}


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_both_policies(path):
    """Given any page, found or not, signed in or not, then both headers are on the answer."""
    response = Client().get(path)

    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["Permissions-Policy"] == DEFAULT_PERMISSIONS_POLICY
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_no_source_outside_our_own_origin_is_allowed():
    header = Client().get("/api/v1/")["Content-Security-Policy"]

    assert "http" not in header
    assert "*" not in header
    assert "'unsafe-eval'" not in header
    assert "'unsafe-inline'" not in directives(header)["script-src"]


def test_the_docs_page_runs_no_inline_script_and_loads_its_start_script_from_us():
    """Swagger UI works under script-src 'self': every script has a src on our own origin."""
    client = Client()
    page = client.get("/api/v1/docs/").content.decode()

    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.DOTALL)
    assert scripts
    for attributes, body in scripts:
        assert 'src="/' in attributes, attributes
        assert not body.strip()
    start = re.search(r'src="(/api/v1/docs/\?[^"]*script[^"]*)"', page)
    assert start is not None, page
    script = client.get(start.group(1).replace("&amp;", "&"))
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
