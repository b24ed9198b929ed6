"""The lifecycle services and their guards, told as small stories."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from backend.errors import ConflictError
from matching.engine import eligibility
from matching.models import Match, MatchTransition
from placements.services import eligibility as placement_rules
from placements.services import reasons, sweep, transitions
from tests.conftest import client_for
from tests.factories import MatchFactory, TrainingRecordFactory, training_type
from tests.placements.lifecycle_helpers import new_volunteer, peer_line, ready_volunteer, suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
TODAY = timezone.localdate


def offered(volunteer, role, sam):
    match = suggestion(volunteer, role)
    return transitions.match_approve(match_id=match.pk, actor=sam)


def test_accepting_rechecks_commitments_and_refuses_with_the_reasons(ada, harbor, sam, ada_client):
    """Ada can hold one commitment; she already volunteers on the phone line when the peer line's
    offer comes, so accepting it is refused and the offer stays open."""
    ready_volunteer(ada, max_commitments=1)
    phone_line = peer_line(harbor, title="Phone line")
    MatchFactory.create(volunteer=ada, opportunity=phone_line, status="active")
    ready_volunteer(ada, max_commitments=2)
    match = offered(ada, peer_line(harbor), sam)
    ready_volunteer(ada, max_commitments=1)

    response = ada_client.post(f"/api/v1/volunteers/me/matches/{match.pk}/accept/")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "not_eligible"
    assert error["fields"] == {"reasons": [eligibility.VOLUNTEER_UNAVAILABLE]}
    text = reasons.INELIGIBILITY_TEXT[eligibility.VOLUNTEER_UNAVAILABLE]
    assert error["message"] == placement_rules.NOT_ELIGIBLE.format(reasons=text)
    assert Match.objects.get(pk=match.pk).status == "offered"


def test_other_offers_do_not_count_as_commitments_at_accept_time(ada, harbor, sam):
    """Ada (one commitment) has two offers; she may accept either, then not the other."""
    ready_volunteer(ada, max_commitments=2)
    first = offered(ada, peer_line(harbor, title="A"), sam)
    second = offered(ada, peer_line(harbor, title="B"), sam)
    ready_volunteer(ada, max_commitments=1)

    assert transitions.match_accept(match_id=first.pk, actor=ada.user).status == "active"
    with pytest.raises(ConflictError) as refused:
        transitions.match_accept(match_id=second.pk, actor=ada.user)
    assert refused.value.fields == {"reasons": [eligibility.VOLUNTEER_UNAVAILABLE]}


def test_accepting_rechecks_weekly_hours_training_and_an_open_role(ada, harbor, sam):
    """Between the offer and her answer, Ada's training lapsed, the role was closed, and she now
    volunteers 8 of her 10 weekly hours elsewhere (the role needs 3)."""
    role = peer_line(harbor, hours_per_week=3)
    role.required_trainings.add(training_type("mhfa"))
    record = TrainingRecordFactory.create(profile=ready_volunteer(ada, max_hours_per_week=10))
    match = offered(ada, role, sam)
    MatchFactory.create(
        volunteer=ada, opportunity=peer_line(harbor, hours_per_week=8), status="active"
    )
    record.expires_on = TODAY() - dt.timedelta(days=1)
    record.save()
    role.status = "closed"
    role.save()

    with pytest.raises(ConflictError) as refused:
        transitions.match_accept(match_id=match.pk, actor=ada.user)

    assert refused.value.fields == {
        "reasons": [
            eligibility.ROLE_NOT_OPEN,
            eligibility.TRAINING_MISSING,
            eligibility.HOURS_EXCEEDED,
        ]
    }


def test_a_role_that_starts_later_stays_accepted_until_started(ada, harbor, sam, sam_client):
    role = peer_line(harbor, starts_on=TODAY() + dt.timedelta(days=10))
    match = offered(ready_volunteer(ada), role, sam)

    assert transitions.match_accept(match_id=match.pk, actor=ada.user).status == "accepted"
    # the daily sweep leaves it alone before the start ...
    assert sweep.matches_sweep(today=TODAY())["activated"] == 0
    # ... and starts it on the day
    assert sweep.matches_sweep(today=role.starts_on)["activated"] == 1
    last = MatchTransition.objects.filter(match=match).last()
    assert last is not None
    assert (last.to_status, last.actor, last.reason) == ("active", None, "role_started")


def test_a_coordinator_may_start_an_accepted_match_early(ada, harbor, sam, sam_client):
    role = peer_line(harbor, starts_on=TODAY() + dt.timedelta(days=10))
    match = offered(ready_volunteer(ada), role, sam)
    transitions.match_accept(match_id=match.pk, actor=ada.user)

    response = sam_client.post(f"/api/v1/matches/{match.pk}/start/")

    assert (response.status_code, response.json()["status"]) == (200, "active")


def test_rejecting_needs_a_reason_from_the_list(ada, harbor, sam_client):
    match = suggestion(ready_volunteer(ada), peer_line(harbor))

    missing = sam_client.post(f"/api/v1/matches/{match.pk}/reject/", {}, format="json")
    unknown = sam_client.post(
        f"/api/v1/matches/{match.pk}/reject/", {"reason": "vibes"}, format="json"
    )
    done = sam_client.post(
        f"/api/v1/matches/{match.pk}/reject/",
        {"reason": "safety", "note": "See file"},
        format="json",
    )

    assert missing.status_code == 400
    assert missing.json()["error"]["message"] == reasons.REASON_REQUIRED
    assert unknown.status_code == 400
    choices = ", ".join(reasons.COORDINATOR_REASONS)
    assert unknown.json()["error"]["fields"] == {
        "reason": [reasons.REASON_UNKNOWN.format(choices=choices)]
    }
    assert (done.status_code, done.json()["status"]) == (200, "rejected")
    step = MatchTransition.objects.get(match=match)
    assert (step.reason, step.note) == ("safety", "See file")


def test_an_impossible_transition_answers_409_with_its_message(ada, harbor, sam, sam_client):
    match = suggestion(ready_volunteer(ada), peer_line(harbor))

    response = sam_client.post(f"/api/v1/matches/{match.pk}/complete/", {}, format="json")

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "invalid_transition",
        "message": transitions.CANNOT_COMPLETE.format(status="suggested"),
        "fields": {},
    }


def test_bulk_review_applies_or_refuses_each_id_on_its_own(
    harbor, riverside, sam_client, django_capture_on_commit_callbacks
):
    """Sam approves four at once on a role with two places: one is Riverside's (unknown to Sam),
    one repeats, one is refused because the role filled up."""
    role = peer_line(harbor)
    people = [new_volunteer(name) for name in ("Dee", "Eli", "Fay")]
    mine = [suggestion(person, role) for person in people]
    theirs = suggestion(new_volunteer("Gus"), peer_line(riverside))
    ids = [mine[0].pk, mine[1].pk, theirs.pk, mine[0].pk, mine[2].pk]

    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.post(
            "/api/v1/matches/bulk/", {"ids": ids, "action": "approve"}, format="json"
        )

    assert response.status_code == 200
    assert [
        (r["id"], r["status"], r["code"], r["match_status"]) for r in response.json()["results"]
    ] == [
        (mine[0].pk, 200, "ok", "offered"),
        (mine[1].pk, 200, "ok", "offered"),
        (theirs.pk, 404, "not_found", None),
        (mine[2].pk, 409, "role_full", "suggested"),
    ]
    assert len(mail.outbox) == 2


def test_bulk_reject_with_a_reason(ada, bo, harbor, sam_client):
    role = peer_line(harbor)
    matches = [suggestion(ready_volunteer(ada), role), suggestion(ready_volunteer(bo), role)]

    response = sam_client.post(
        "/api/v1/matches/bulk/",
        {"ids": [m.pk for m in matches], "action": "reject", "reason": "skills"},
        format="json",
    )

    assert [r["match_status"] for r in response.json()["results"]] == ["rejected", "rejected"]
    assert set(MatchTransition.objects.values_list("reason", flat=True)) == {"skills"}


def test_a_volunteer_withdraws_after_accepting_and_the_coordinators_hear(
    ada, harbor, sam, alex, django_capture_on_commit_callbacks
):
    match = offered(ready_volunteer(ada), peer_line(harbor), sam)
    transitions.match_accept(match_id=match.pk, actor=ada.user)
    mail.outbox.clear()
    client = client_for(ada.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/volunteers/me/matches/{match.pk}/withdraw/",
            {"reason": "personal"},
            format="json",
        )

    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")
    assert sorted(m.to[0] for m in mail.outbox) == ["alex@harbor.example", "sam@harbor.example"]


def test_the_sweep_withdraws_suggestions_and_offers_that_lapsed(
    ada, bo, harbor, sam, django_capture_on_commit_callbacks
):
    """Ada's training lapses under an offer; Bo's suggestion is for a role that then closes; Cy's
    suggestion for an open role stays."""
    needs_training = peer_line(harbor, title="Needs MHFA")
    needs_training.required_trainings.add(training_type("mhfa"))
    record = TrainingRecordFactory.create(profile=ready_volunteer(ada))
    ada_offer = offered(ada, needs_training, sam)
    closing = peer_line(harbor, title="Closing")
    bo_suggestion = suggestion(ready_volunteer(bo), closing)
    cy_suggestion = suggestion(new_volunteer("Cy"), peer_line(harbor, title="Open"))
    record.expires_on = TODAY() - dt.timedelta(days=1)
    record.save()
    closing.status = "closed"
    closing.save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = sweep.matches_sweep(today=TODAY())
    again = sweep.matches_sweep(today=TODAY())

    assert result == {"withdrawn": 2, "held": 0, "resumed": 0, "activated": 0, "unpublished": 0}
    assert again == {"withdrawn": 0, "held": 0, "resumed": 0, "activated": 0, "unpublished": 0}
    statuses = dict(Match.objects.values_list("pk", "status"))
    assert statuses[ada_offer.pk] == "withdrawn"
    assert statuses[bo_suggestion.pk] == "withdrawn"
    assert statuses[cy_suggestion.pk] == "suggested"
    step = MatchTransition.objects.filter(match=ada_offer).last()
    assert step is not None
    assert (step.actor, step.reason, step.note) == (None, "no_longer_eligible", "training_missing")
    # Ada had seen the offer, so she hears; Bo never saw his suggestion
    assert [m.to[0] for m in mail.outbox if "ada" in m.to[0]] == ["ada@example.org"]
    assert not [m for m in mail.outbox if "bo@" in m.to[0]]


def test_nothing_in_the_lifecycle_rewrites_the_stored_features(ada, harbor, sam):
    match = suggestion(
        ready_volunteer(ada), peer_line(harbor), features={"skills": 0.25}, score=0.7
    )
    transitions.match_approve(match_id=match.pk, actor=sam)
    transitions.match_accept(match_id=match.pk, actor=ada.user)
    transitions.match_complete(match_id=match.pk, actor=sam)

    match.refresh_from_db()
    assert (match.features, match.score, match.status) == ({"skills": 0.25}, 0.7, "completed")
    assert list(
        MatchTransition.objects.filter(match=match).values_list("to_status", flat=True)
    ) == [
        "approved",
        "offered",
        "accepted",
        "active",
        "completed",
    ]
