"""The daily reminders, the review digest and a transition's notices cost the same number of queries
for 2 people as for 20: records, memberships and existing notification keys are read in bulk, rows
are written in bulk, and the email bookkeeping is one claim and one mark for the whole batch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching.models import MatchTransition
from notifications.models import Notification
from notifications.services import digest, expiry_reminders, transition_notices
from organizations.models import Membership
from placements.services import transitions
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    TrainingRecordFactory,
    UserFactory,
    training_type,
)
from tests.placements.lifecycle_helpers import new_volunteer, peer_line, ready_volunteer, suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
TODAY = timezone.localdate


def _queries(run) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(queries of a first run that sends everything, queries of a second run that sends nothing),
    from a clean slate of notifications."""
    Notification.objects.all().delete()
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as first:
        run()
    sent = len(mail.outbox)
    with CaptureQueriesContext(connection) as again:
        run()
    assert len(mail.outbox) == sent  # the second run sends nothing
    return len(first), len(again)


def test_expiry_reminders_cost_the_same_queries_for_2_or_20_reminders(harbor):
    """Given volunteers offered a role that needs MHFA and a background check, each with both
    expiring within the month (two reminders each): 1 volunteer or 10, the sweep's queries are
    the same."""
    role = peer_line(harbor, background_check_required=True)
    role.required_trainings.add(training_type("mhfa"))
    soon = TODAY() + dt.timedelta(days=20)
    people = 0

    def add_volunteers(count: int) -> None:
        nonlocal people
        for _ in range(count):
            people += 1
            volunteer = new_volunteer(
                f"Reminded{people}",
                background_check_status="cleared",
                background_check_cleared_on=TODAY() - dt.timedelta(days=300),
                background_check_expires_on=soon,
            )
            TrainingRecordFactory.create(profile=volunteer, expires_on=soon)
            suggestion(volunteer, role, status="offered")

    def run() -> None:
        expiry_reminders.notifications_expiry_reminders(today=TODAY())

    add_volunteers(1)
    for_two = _queries(run)
    assert len(mail.outbox) == 2
    add_volunteers(9)
    for_twenty = _queries(run)
    assert len(mail.outbox) == 20

    assert for_twenty == for_two


def test_the_review_digest_costs_the_same_queries_for_2_or_20_coordinators():
    """Given organizations with one coordinator each and a suggestion waiting on a published role:
    2 organizations or 20, the digest's queries are the same."""
    organizations = 0

    def add_organizations(count: int) -> None:
        nonlocal organizations
        for _ in range(count):
            organizations += 1
            organization = OrganizationFactory.create(name=f"Org {organizations}")
            MembershipFactory.create(
                user=UserFactory.create(email=f"coordinator{organizations}@example.org"),
                organization=organization,
                role=Membership.Role.COORDINATOR,
            )
            suggestion(new_volunteer(f"Waiting{organizations}"), peer_line(organization))

    def run() -> None:
        digest.notifications_review_digest(today=TODAY())

    add_organizations(2)
    for_two = _queries(run)
    assert len(mail.outbox) == 2
    add_organizations(18)
    for_twenty = _queries(run)
    assert len(mail.outbox) == 20

    assert for_twenty == for_two


def test_an_acceptance_tells_2_or_20_coordinators_with_the_same_queries(
    ada, harbor, sam, django_capture_on_commit_callbacks
):
    """Given Harbor House with 2 coordinators, then 20: when Ada accepts, the notices to all of
    them cost the same queries."""
    role = peer_line(harbor)
    with django_capture_on_commit_callbacks(execute=False):  # notices are run by hand below
        match = transitions.match_approve(
            match_id=suggestion(ready_volunteer(ada), role).pk, actor=sam
        )
        transitions.match_accept(match_id=match.pk, actor=ada.user)
    accepted = MatchTransition.objects.get(match=match, to_status="accepted")

    def run() -> None:
        transition_notices.notifications_for_transition(transition_id=accepted.pk)

    MembershipFactory.create(organization=harbor, role=Membership.Role.COORDINATOR)
    for_two = _queries(run)
    assert len(mail.outbox) == 2
    for _ in range(18):
        MembershipFactory.create(organization=harbor, role=Membership.Role.COORDINATOR)
    for_twenty = _queries(run)
    assert len(mail.outbox) == 20

    assert for_twenty == for_two
