"""Finding (issue 9, "Decisions are logged"): a refused authorization left no trace an operator
could search. Every 401 and 403, and every 404 from a detail route (the object may exist but be
hidden from the caller), now writes one structured line on the ``kindred.security`` logger."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace
from typing import Any

import pytest
from rest_framework.test import APIClient

from backend.security_log import (
    EVENT,
    REASON_NOT_FOUND_OR_HIDDEN,
    REDACTED,
    SECURITY_LOGGER,
    log_refusal,
)
from opportunities.models import Opportunity
from placements.services import transitions
from tests.conftest import client_for
from tests.factories import OpportunityFactory
from tests.placements.lifecycle_helpers import (  # noqa: F401  (eager_tasks: fixture)
    eager_tasks,
    peer_line,
    ready_volunteer,
    suggestion,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def refusals(caplog) -> list[Any]:
    """The refusal lines (records carrying their ``extra=`` fields as attributes)."""
    return [
        r
        for r in caplog.records
        if r.name == SECURITY_LOGGER and getattr(r, "security_event", None) == EVENT
    ]


@pytest.fixture
def security_caplog(caplog):
    caplog.set_level(logging.INFO, logger=SECURITY_LOGGER)
    return caplog


@pytest.fixture
def ada_match(ada, harbor, sam):
    """Sam approved Ada for Harbor House's peer line: the match is Ada's to read."""
    suggested = suggestion(ready_volunteer(ada), peer_line(harbor))
    return transitions.match_approve(match_id=suggested.pk, actor=sam)


def test_given_adas_match_when_bo_reads_it_then_404_and_a_line_names_bo_the_path_and_status(
    ada_match, ada, bo, security_caplog
):
    path = f"/api/v1/volunteers/me/matches/{ada_match.pk}/"
    assert client_for(ada.user).get(path).status_code == 200
    assert refusals(security_caplog) == []

    response = client_for(bo.user).get(path)

    assert response.status_code == 404
    [line] = refusals(security_caplog)
    assert line.levelno == logging.WARNING
    assert (line.user_id, line.method, line.path, line.status, line.reason) == (
        bo.user.pk,
        "GET",
        path,
        404,
        REASON_NOT_FOUND_OR_HIDDEN,
    )
    assert line.object_ids == {"pk": str(ada_match.pk)}
    message = line.getMessage()
    for pair in (
        f"user_id={bo.user.pk}",
        "method=GET",
        f"path={path}",
        "status=404",
        f"reason={REASON_NOT_FOUND_OR_HIDDEN}",
        f"object_ids=pk:{ada_match.pk}",
    ):
        assert pair in message.split(" ")


def test_given_no_credentials_when_an_anonymous_caller_lists_matches_then_401_and_a_line(
    anonymous, security_caplog
):
    response = anonymous.get("/api/v1/volunteers/me/matches/")

    assert response.status_code == 401
    [line] = refusals(security_caplog)
    assert (line.user_id, line.method, line.path, line.status, line.reason) == (
        None,
        "GET",
        "/api/v1/volunteers/me/matches/",
        401,
        "not_authenticated",
    )
    assert "user_id=null" in line.getMessage()


def test_given_a_made_up_token_when_used_then_401_and_the_token_is_not_logged(security_caplog):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token-0123456789abcdef")

    response = client.get("/api/v1/volunteers/me/matches/")

    assert response.status_code == 401
    [line] = refusals(security_caplog)
    assert (line.status, line.reason, line.user_id) == (401, "authentication_failed", None)
    assert "not-a-real-token" not in security_caplog.text


def test_given_rita_changing_harbors_role_when_refused_then_403_and_a_line_without_the_body(
    harbor, rita, security_caplog
):
    live = OpportunityFactory.create(organization=harbor)
    path = f"/api/v1/opportunities/{live.id}/"

    response = client_for(rita).patch(path, {"title": "Secret-marker-title"}, format="json")

    assert response.status_code == 403
    [line] = refusals(security_caplog)
    assert (line.user_id, line.method, line.path, line.status) == (rita.pk, "PATCH", path, 403)
    assert line.reason == response.json()["error"]["code"]
    assert line.object_ids == {"pk": str(live.id)}
    assert "Secret-marker-title" not in security_caplog.text
    assert Opportunity.objects.get(pk=live.pk).title == live.title


def test_given_a_404_on_a_route_without_ids_when_refused_then_no_line(bo, security_caplog):
    """Only detail routes name an object; a 404 elsewhere is no authorization decision."""
    client_for(bo.user).get("/api/v1/no-such-endpoint/")
    assert refusals(security_caplog) == []


def test_given_a_successful_call_then_no_line(ada, security_caplog):
    assert client_for(ada.user).get("/api/v1/volunteers/me/matches/").status_code == 200
    assert refusals(security_caplog) == []


def test_given_a_crafted_path_and_a_secret_argument_when_logged_then_one_line_no_secret(
    security_caplog,
):
    """A line break or a fake ``key=value`` in the URL cannot forge a line or a field, and a path
    argument named like a credential is neither in the path nor in the ids."""
    request = SimpleNamespace(
        path="/api/v1/feeds/abc123secret/x\nstatus=200 user_id=1",
        method="GET",
        user=None,
    )

    log_refusal(
        request=request,
        status=403,
        reason="forbidden",
        path_kwargs={"token": "abc123secret", "pk": 5},
    )

    [line] = refusals(security_caplog)
    message = line.getMessage()
    assert "\n" not in message
    assert "abc123secret" not in message
    assert "abc123secret" not in line.path
    assert REDACTED in line.path
    assert line.object_ids == {"pk": "5"}
    quoted = message.split("path=", 1)[1].rsplit(" status=403", 1)[0]
    assert json.loads(quoted) == line.path
    assert message.count("status=") == 2  # the real one, and the quoted text inside the path
    assert " status=403 " in message
