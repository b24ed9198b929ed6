"""Issue 11's findings at the edge: a 1.9 MB JSON list got a gunicorn worker killed, JSON nested
1,000 deep gave 500s, and 100,000 causes in a profile were accepted although the schema says at
most 50. Each is now a clear refusal in the one error shape, and nothing changes."""

from __future__ import annotations

import json

import pytest

from backend.input_guards import MAX_JSON_DEPTH, TOO_DEEP_MESSAGE, json_depth
from taxonomy.models import Cause

ME = "/api/v1/volunteers/me/"

pytestmark = pytest.mark.django_db


def patch_raw(client, body: str):
    return client.generic("PATCH", ME, body, content_type="application/json")


def test_a_body_larger_than_the_limit_is_refused_with_413_and_nothing_changes(ada, ada_client):
    """Given a bio padded to 2 MB, when Ada sends it, then 413 before parsing, and her profile
    is as it was."""
    body = json.dumps({"bio": "x" * 2_000_000})

    response = patch_raw(ada_client, body)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"
    ada.refresh_from_db()
    assert ada.bio == ""


def test_a_two_megabyte_list_is_refused_before_it_is_validated(ada, ada_client):
    body = json.dumps({"causes": ["mental-health"] * 150_000})
    assert len(body) > 1_900_000

    assert patch_raw(ada_client, body).status_code == 413


def test_json_nested_a_thousand_deep_is_a_clear_400_not_a_500(ada_client, anonymous):
    deep = "[" * 1000 + "]" * 1000
    for client, path in ((ada_client, ME), (anonymous, "/api/v1/auth/token/")):
        method = "PATCH" if path == ME else "POST"
        response = client.generic(method, path, deep, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["error"]["message"] == TOO_DEEP_MESSAGE.format(depth=MAX_JSON_DEPTH)


def test_depth_counts_brackets_outside_strings_only():
    assert json_depth(b'{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert json_depth(b'"\\"[[["') == 0
    assert json_depth(b"[]") == 1


def test_more_than_fifty_causes_in_a_profile_are_refused(ada, ada_client):
    """Given the schema says at most 50 causes, when Ada sends 51, then 400 on the causes field
    and her causes are unchanged."""
    Cause.objects.bulk_create(Cause(slug=f"cause-{n}", name=f"Cause {n}") for n in range(60))
    slugs = [f"cause-{n}" for n in range(51)]

    response = ada_client.patch(ME, {"causes": slugs}, format="json")

    assert response.status_code == 400
    assert "causes" in response.json()["error"]["fields"]
    assert not ada.causes.exists()
    assert ada_client.patch(ME, {"causes": slugs[:50]}, format="json").status_code == 200
