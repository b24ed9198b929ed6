"""Every operation of the OpenAPI schema, for every person of a fixed cast: the exact answer.

Why: the one route that skipped its service (hours) was the one no permission table covered. Here
the rows come from the project's own schema, so a new endpoint without a row fails
``test_every_operation_in_the_schema_has_a_row``, naming it.

The cast (the columns of TABLE):
- anonymous: nobody signed in;
- ada: a volunteer, who holds every match of the world;
- bo: another volunteer, an outsider to Ada's matches;
- sam: a coordinator of Harbor House, whose roles Ada is matched to;
- rita: a coordinator of Riverside Helpline (no published role), an outsider to Harbor;
- pat: platform staff, who get no special API powers except verifying organizations and volunteers,
  correcting a date of birth and reading runs.

The rules the table pins down:
- no sign-in: 401, except for reading public lists, roles and organizations, and signing up or in;
- what a caller cannot see answers 404 (someone else's match, hours, notification, run, profile,
  member list), so they do not even learn it exists;
- what a caller can see but not change answers 403 (a published role, a public organization);
- a list answers 200 with only what the caller may see (possibly nothing);
- creating a role for an organization one does not belong to answers 400 on ``organization``.

Every cell runs against a fresh world. An answer of 400 or more has the one error shape and
changed no row of the main tables; so did every read, and a bulk review by an outsider. A 404 is
word for word the answer for an id that names nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils import timezone

from accounts.models import DeviceToken
from accounts.services import user_token_issue
from audit.models import AuditEntry
from engagement.models import CalendarFeed, HoursLog, Rating
from matching.engine import DEFAULT_MODEL
from matching.models import Match, MatchRun, MatchRunChunk, MatchTransition, ScoringModelVersion
from notifications.models import Notification
from opportunities.models import Opportunity
from organizations.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationVerification,
    VerificationStatus,
)
from placements.models import InterestRequest
from tests.conftest import client_for
from tests.factories import PASSWORD, OrganizationFactory, TrainingRecordFactory, UserFactory
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion
from tests.support.dates import days_from_today
from volunteers.models import DateOfBirthCorrection, TrainingRecord, VolunteerProfile

pytestmark = pytest.mark.django_db

API = "/api/v1"
MADE_UP_ID = 987_654_321
PEOPLE = ("anonymous", "ada", "bo", "sam", "rita", "pat")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

#: The statuses a match goes through before each state, as transition rows (the volunteer sees a
#: match only once it was offered).
PATHS = {
    "suggested": [],
    "offered": ["approved", "offered"],
    "accepted": ["approved", "offered", "accepted"],
    "active": ["approved", "offered", "accepted", "active"],
    "completed": ["approved", "offered", "accepted", "active", "completed"],
    "on_hold": ["approved", "offered", "accepted", "active", "on_hold"],
}


@dataclass
class World:
    ada: VolunteerProfile
    harbor: Organization
    riverside: Organization
    role: Opportunity  # Harbor's published remote role
    draft: Opportunity  # a Harbor draft, to publish
    suggested: Match  # on ``role``, for the review actions
    offered: Match  # for accept and decline
    accepted: Match  # on a role that starts next month, for start
    active: Match  # with ``hours``, for hours, verify and complete
    completed: Match  # for ratings, which open once a match is completed
    on_hold: Match  # a match held while a check lapsed, renewed since: for resume
    pending: Organization  # Quay Club, waiting for staff to verify it
    invitation: Invitation  # Harbor invites Bo to coordinate
    sams_membership: Membership
    hours: HoursLog
    notification: Notification
    run: MatchRun
    training: TrainingRecord
    ada_token: DeviceToken  # one of Ada's devices, for revoking
    scoring_version: ScoringModelVersion  # a stored fit, not current, for promoting
    interest: InterestRequest  # Ada asks for Harbor's letter-writing role (no match yet)
    users: dict[str, Any]


def _match(volunteer: VolunteerProfile, role: Opportunity, state: str) -> Match:
    match = suggestion(volunteer, role, status=state)
    previous = "suggested"
    for step in PATHS[state]:
        MatchTransition.objects.create(match=match, from_status=previous, to_status=step)
        previous = step
    return match


@pytest.fixture
def world(ada, bo, harbor, sam, riverside, rita, staff) -> World:
    """Harbor's published roles, each holding one match of Ada in one state, and a Harbor draft;
    Riverside with no published role; an hours log on the active match, a notification for Ada, a
    finished run Sam requested, a training Ada declared (not yet verified)."""
    # Room for one more commitment beside the offered, accepted and active matches, so that
    # approving the suggestion is not refused as "holds the most commitments they asked for".
    ada = ready_volunteer(
        ada,
        max_commitments=5,
        date_of_birth=days_from_today(-30 * 365),
        # Cleared, and verified by Harbor's coordinator: it counts for Harbor's roles until staff
        # confirm it.
        background_check_status="cleared",
        background_check_cleared_on=days_from_today(-10),
        background_check_expires_on=days_from_today(355),
        background_check_verified_by=sam,
        background_check_verified_at=timezone.now(),
        background_check_verified_for=harbor,
    )
    role = peer_line(harbor)
    draft = peer_line(harbor, title="Helpline listener", status=Opportunity.Status.DRAFT)
    active = _match(ada, peer_line(harbor, title="Walk and talk"), "active")
    completed = _match(ada, peer_line(harbor, title="Befriending calls"), "completed")
    later = peer_line(
        harbor, title="Spring drop-in", starts_on=days_from_today(30), ends_on=days_from_today(210)
    )
    world = World(
        ada=ada,
        harbor=harbor,
        riverside=riverside,
        role=role,
        draft=draft,
        suggested=_match(ada, role, "suggested"),
        offered=_match(ada, peer_line(harbor, title="Text line listener"), "offered"),
        accepted=_match(ada, later, "accepted"),
        active=active,
        completed=completed,
        on_hold=_match(ada, peer_line(harbor, title="Garden group"), "on_hold"),
        pending=OrganizationFactory.create(
            name="Quay Club",
            registration_number="EIN 12-3456789",
            verification_status=VerificationStatus.PENDING,
        ),
        invitation=Invitation.objects.create(
            organization=harbor,
            email=bo.user.email,
            role=Membership.Role.COORDINATOR,
            expires_at=timezone.now() + dt.timedelta(days=14),
        ),
        sams_membership=Membership.objects.get(user=sam, organization=harbor),
        hours=HoursLog.objects.create(match=active, date=timezone.localdate(), hours=Decimal(2)),
        notification=Notification.objects.create(
            recipient=ada.user,
            kind=Notification.Kind.MATCH_OFFERED,
            match=active,
            title="A role for you",
            body="Harbor House offers you a role.",
            key=f"test:offered:{ada.user_id}",
        ),
        # Finished, so that starting a new run is not refused as "another one runs".
        run=MatchRun.objects.create(
            requested_by=sam, status=MatchRun.Status.SUCCEEDED, finished_at=timezone.now()
        ),
        training=TrainingRecordFactory.create(profile=ada),
        ada_token=user_token_issue(user=ada.user, name="Ada's phone")[0],
        scoring_version=ScoringModelVersion.objects.create(
            version="fit-1", parameters=DEFAULT_MODEL.to_dict() | {"version": "fit-1"}
        ),
        interest=InterestRequest.objects.create(
            volunteer=ada, opportunity=peer_line(harbor, title="Letter writing"), message="Hi"
        ),
        users={"anonymous": None, "ada": ada.user, "bo": bo.user, "sam": sam, "rita": rita},
    )
    world.users["pat"] = staff
    UserFactory.create(email="newcomer@example.org")  # an account to add as a member
    return world


#: Path template -> the values of its parameters in the world.
PATH_PARAMS: dict[str, Callable[[World], dict[str, Any]]] = {
    "/hours/{id}/verify/": lambda w: {"id": w.hours.pk},
    "/matches/{id}/": lambda w: {"id": w.suggested.pk},
    "/matches/{id}/approve/": lambda w: {"id": w.suggested.pk},
    "/matches/{id}/reject/": lambda w: {"id": w.suggested.pk},
    "/matches/{id}/start/": lambda w: {"id": w.accepted.pk},
    "/matches/{id}/complete/": lambda w: {"id": w.active.pk},
    "/matches/{id}/withdraw/": lambda w: {"id": w.offered.pk},
    "/matches/{id}/history/": lambda w: {"id": w.active.pk},
    "/matches/{id}/rating/": lambda w: {"id": w.completed.pk},
    "/matching/runs/{id}/": lambda w: {"id": w.run.pk},
    "/matching/scoring-models/{id}/promote/": lambda w: {"id": w.scoring_version.pk},
    "/notifications/{id}/read/": lambda w: {"id": w.notification.pk},
    "/opportunities/{id}/": lambda w: {"id": w.role.pk},
    "/opportunities/{id}/close/": lambda w: {"id": w.role.pk},
    "/opportunities/{id}/publish/": lambda w: {"id": w.draft.pk},
    "/organizations/{id}/": lambda w: {"id": w.harbor.pk},
    "/organizations/{organization_pk}/members/": lambda w: {"organization_pk": w.harbor.pk},
    "/organizations/{organization_pk}/members/{membership_pk}/": lambda w: {
        "organization_pk": w.harbor.pk,
        "membership_pk": w.sams_membership.pk,
    },
    "/organizations/{organization_pk}/invitations/": lambda w: {"organization_pk": w.harbor.pk},
    "/organizations/{organization_pk}/invitations/{invitation_pk}/revoke/": lambda w: {
        "organization_pk": w.harbor.pk,
        "invitation_pk": w.invitation.pk,
    },
    "/organizations/{id}/verification/": lambda w: {"id": w.pending.pk},
    "/organizations/{id}/verifications/": lambda w: {"id": w.harbor.pk},
    "/invitations/{invitation_pk}/accept/": lambda w: {"invitation_pk": w.invitation.pk},
    "/invitations/{invitation_pk}/decline/": lambda w: {"invitation_pk": w.invitation.pk},
    "/matches/{id}/resume/": lambda w: {"id": w.on_hold.pk},
    "/volunteers/{profile_id}/background-check/confirm/": lambda w: {"profile_id": w.ada.pk},
    "/volunteers/{profile_id}/date-of-birth/": lambda w: {"profile_id": w.ada.pk},
    "/volunteers/{profile_id}/background-check/": lambda w: {"profile_id": w.ada.pk},
    "/volunteers/{profile_id}/trainings/{training_slug}/verify/": lambda w: {
        "profile_id": w.ada.pk,
        "training_slug": w.training.training_type.slug,
    },
    "/volunteers/me/matches/{id}/": lambda w: {"id": w.offered.pk},
    "/auth/tokens/{token_id}/": lambda w: {"token_id": w.ada_token.token_key},
    "/volunteers/me/matches/{id}/accept/": lambda w: {"id": w.offered.pk},
    "/volunteers/me/matches/{id}/decline/": lambda w: {"id": w.offered.pk},
    "/volunteers/me/matches/{id}/withdraw/": lambda w: {"id": w.active.pk},
    "/volunteers/me/matches/{id}/complete/": lambda w: {"id": w.active.pk},
    "/volunteers/me/matches/{id}/hours/": lambda w: {"id": w.active.pk},
    "/volunteers/me/matches/{id}/rating/": lambda w: {"id": w.completed.pk},
    "/volunteers/me/interest-requests/{id}/": lambda w: {"id": w.interest.pk},
    "/interest-requests/{id}/accept/": lambda w: {"id": w.interest.pk},
    "/interest-requests/{id}/decline/": lambda w: {"id": w.interest.pk},
}


def _today() -> str:
    return timezone.localdate().isoformat()


#: Write operation -> a minimal body valid for the person allowed to make it (None: no body).
BODIES: dict[str, Callable[[World], dict[str, Any] | None]] = {
    "POST /auth/register/": lambda w: {
        "email": "newcomer2@example.org",
        "password": PASSWORD,
        "display_name": "Newcomer",
    },
    "POST /auth/token/": lambda w: {"email": "ada@example.org", "password": PASSWORD},
    "DELETE /auth/tokens/{token_id}/": lambda w: None,
    "POST /auth/logout/": lambda w: None,
    "POST /auth/logout-all/": lambda w: None,
    "POST /auth/password/change/": lambda w: {
        "old_password": PASSWORD,
        "new_password": "a-fresh-long-passphrase",
    },
    "POST /auth/password/reset/": lambda w: {"email": "ada@example.org"},
    # A link that names nobody: refused alike for everyone (the working link is in
    # tests/accounts/test_recovery.py and test_email_verification.py).
    "POST /auth/password/reset/confirm/": lambda w: {
        "uid": "x",
        "token": "y",
        "new_password": "a-fresh-long-passphrase",
    },
    "POST /auth/email/verify/": lambda w: {"uid": "x", "token": "y"},
    "POST /auth/email/verify/resend/": lambda w: None,
    "POST /hours/{id}/verify/": lambda w: None,
    "POST /matches/{id}/approve/": lambda w: {},
    "POST /matches/{id}/reject/": lambda w: {"reason": "not_a_fit"},
    "POST /matches/{id}/start/": lambda w: {},
    "POST /matches/{id}/complete/": lambda w: {"reason": "finished"},
    "POST /matches/{id}/withdraw/": lambda w: {"reason": "other"},
    "POST /matches/{id}/rating/": lambda w: {"score": 5},
    "POST /matches/bulk/": lambda w: {"ids": [w.suggested.pk], "action": "approve"},
    "POST /matching/runs/": lambda w: None,
    "POST /matching/scoring-models/{id}/promote/": lambda w: None,
    "POST /matching/scoring-models/rollback/": lambda w: None,
    "POST /notifications/{id}/read/": lambda w: None,
    "POST /notifications/read-all/": lambda w: None,
    "POST /opportunities/": lambda w: {"organization": w.harbor.pk, "title": "Walk buddy"},
    "PATCH /opportunities/{id}/": lambda w: {"capacity": 3},
    "POST /opportunities/{id}/close/": lambda w: None,
    "POST /opportunities/{id}/publish/": lambda w: None,
    "POST /organizations/": lambda w: {"name": "Quay Club", "contact_email": "hi@quay.example"},
    # Only an organization's admins may change it or add members, and the cast has no admin: no
    # cell of these two is 2xx (tests/test_permission_table.py has Alex, Harbor's admin). The
    # bodies are valid for an admin.
    "PATCH /organizations/{id}/": lambda w: {"description": "Peer support on the harbour."},
    "POST /organizations/{organization_pk}/invitations/": lambda w: {
        "email": "newcomer@example.org",
        "role": "coordinator",
    },
    "POST /organizations/{organization_pk}/invitations/{invitation_pk}/revoke/": lambda w: None,
    "PATCH /organizations/{organization_pk}/members/{membership_pk}/": lambda w: {"role": "admin"},
    "DELETE /organizations/{organization_pk}/members/{membership_pk}/": lambda w: None,
    "POST /organizations/{id}/verification/": lambda w: {
        "decision": "verified",
        "registration_number": "EIN 12-3456789",
        "website": "https://quay.example",
        "contact": "Called the director, who confirmed",
    },
    "POST /invitations/{invitation_pk}/accept/": lambda w: None,
    "POST /invitations/{invitation_pk}/decline/": lambda w: None,
    "POST /matches/{id}/resume/": lambda w: {},
    "POST /volunteers/{profile_id}/background-check/confirm/": lambda w: None,
    "POST /volunteers/{profile_id}/date-of-birth/": lambda w: {
        "date_of_birth": days_from_today(-31 * 365).isoformat(),
        "note": "Passport seen: the year was typed wrong at sign-up.",
    },
    "POST /volunteers/{profile_id}/background-check/": lambda w: {
        "status": "cleared",
        "cleared_on": days_from_today(-10).isoformat(),
        "expires_on": days_from_today(355).isoformat(),
    },
    "POST /volunteers/{profile_id}/trainings/{training_slug}/verify/": lambda w: None,
    "PATCH /volunteers/me/": lambda w: {"bio": "I listen."},
    "DELETE /volunteers/me/": lambda w: {"password": PASSWORD},
    "POST /volunteers/me/calendar/reset/": lambda w: None,
    "POST /volunteers/me/hours/": lambda w: {
        "match": w.active.pk,
        "date": _today(),
        "hours": "1.5",
    },
    "POST /volunteers/me/matches/{id}/accept/": lambda w: None,
    "POST /volunteers/me/matches/{id}/decline/": lambda w: {"reason": "schedule"},
    "POST /volunteers/me/matches/{id}/withdraw/": lambda w: {"reason": "personal"},
    "POST /volunteers/me/matches/{id}/complete/": lambda w: {"reason": "finished"},
    "POST /volunteers/me/matches/{id}/hours/": lambda w: {"date": _today(), "hours": "1.5"},
    "POST /volunteers/me/matches/{id}/rating/": lambda w: {"score": 5},
    "POST /volunteers/me/interest-requests/": lambda w: {"opportunity": w.role.pk},
    "DELETE /volunteers/me/interest-requests/{id}/": lambda w: None,
    "POST /interest-requests/{id}/accept/": lambda w: {},
    "POST /interest-requests/{id}/decline/": lambda w: {"reason": "not_a_fit"},
}

# fmt: off
TABLE: dict[str, tuple[int, int, int, int, int, int]] = {
    #                                                                anon ada  bo   sam  rita pat
    # Sign-up, sign-in, reset and verification links are open, signed in or not; sign-up and
    # reset answer 202 whether or not the address has an account.
    "POST /auth/register/":                                         (202, 202, 202, 202, 202, 202),
    "POST /auth/token/":                                            (200, 200, 200, 200, 200, 200),
    "POST /auth/password/reset/":                                   (202, 202, 202, 202, 202, 202),
    "POST /auth/password/reset/confirm/":                           (400, 400, 400, 400, 400, 400),
    "POST /auth/email/verify/":                                     (400, 400, 400, 400, 400, 400),
    # One's own tokens, password and address: signed in only; another's token reads as none.
    "GET /auth/tokens/":                                            (401, 200, 200, 200, 200, 200),
    "DELETE /auth/tokens/{token_id}/":                              (401, 204, 404, 404, 404, 404),
    "POST /auth/logout/":                                           (401, 204, 204, 204, 204, 204),
    "POST /auth/logout-all/":                                       (401, 204, 204, 204, 204, 204),
    "POST /auth/password/change/":                                  (401, 200, 200, 200, 200, 200),
    "POST /auth/email/verify/resend/":                              (401, 202, 202, 202, 202, 202),
    # Reference lists are public.
    "GET /causes/":                                                 (200, 200, 200, 200, 200, 200),
    "GET /languages/":                                              (200, 200, 200, 200, 200, 200),
    "GET /skills/":                                                 (200, 200, 200, 200, 200, 200),
    "GET /trainings/":                                              (200, 200, 200, 200, 200, 200),
    # Organizations: public reads; members only for the member list; admins only for changes.
    "GET /organizations/":                                          (200, 200, 200, 200, 200, 200),
    "POST /organizations/":                                         (401, 201, 201, 201, 201, 201),
    "GET /organizations/{id}/":                                     (200, 200, 200, 200, 200, 200),
    "PATCH /organizations/{id}/":                                   (401, 403, 403, 403, 403, 403),
    "GET /organizations/{organization_pk}/members/":                (401, 404, 404, 200, 404, 404),
    # Members change only by invitation and acceptance; admins change roles and remove, a member
    # may leave (Sam leaving answers 204); the cast has no admin, so no other cell is 2xx.
    "PATCH /organizations/{organization_pk}/members/{membership_pk}/": (401, 404, 404, 403, 404, 404),
    "DELETE /organizations/{organization_pk}/members/{membership_pk}/": (401, 404, 404, 204, 404, 404),
    "GET /organizations/{organization_pk}/invitations/":            (401, 404, 404, 403, 404, 404),
    "POST /organizations/{organization_pk}/invitations/":           (401, 404, 404, 403, 404, 404),
    "POST /organizations/{organization_pk}/invitations/{invitation_pk}/revoke/": (401, 404, 404, 403, 404, 404),
    # Platform staff verify or refuse an organization (Quay Club, pending: nobody else sees it);
    # its admins and staff read the decisions.
    "POST /organizations/{id}/verification/":                       (401, 404, 404, 404, 404, 201),
    "GET /organizations/{id}/verifications/":                       (401, 403, 403, 403, 403, 200),
    # Invitations are the invitee's: Bo, invited by Harbor, accepts or declines; others 404.
    "GET /invitations/":                                            (401, 200, 200, 200, 200, 200),
    "POST /invitations/{invitation_pk}/accept/":                    (401, 404, 201, 404, 404, 404),
    "POST /invitations/{invitation_pk}/decline/":                   (401, 404, 200, 404, 404, 404),
    # Roles: published ones are public; the posting organization's members change them.
    "GET /opportunities/":                                          (200, 200, 200, 200, 200, 200),
    "POST /opportunities/":                                         (401, 400, 400, 201, 400, 400),
    "GET /opportunities/{id}/":                                     (200, 200, 200, 200, 200, 200),
    "PATCH /opportunities/{id}/":                                   (401, 403, 403, 200, 403, 403),
    "POST /opportunities/{id}/close/":                              (401, 403, 403, 200, 403, 403),
    "POST /opportunities/{id}/publish/":                            (401, 404, 404, 200, 404, 404),
    # The caller's own volunteer profile: a coordinator or staff account has none.
    "GET /volunteers/me/":                                          (401, 200, 200, 404, 404, 404),
    "PATCH /volunteers/me/":                                        (401, 200, 200, 404, 404, 404),
    "DELETE /volunteers/me/":                                       (401, 204, 204, 404, 404, 404),
    "GET /volunteers/me/export/":                                   (401, 200, 200, 404, 404, 404),
    "POST /volunteers/me/calendar/reset/":                          (401, 200, 200, 404, 404, 404),
    # Verifying a volunteer: platform staff (for every role), or a coordinator of a verified
    # organization the volunteer is matched with (for its own roles); staff alone confirm a
    # coordinator's verification or correct a date of birth. Nobody else even finds the profile.
    "POST /volunteers/{profile_id}/background-check/":              (401, 404, 404, 200, 404, 200),
    "POST /volunteers/{profile_id}/trainings/{training_slug}/verify/": (401, 404, 404, 200, 404, 200),
    "POST /volunteers/{profile_id}/background-check/confirm/":      (401, 404, 404, 404, 404, 200),
    "POST /volunteers/{profile_id}/date-of-birth/":                 (401, 404, 404, 404, 404, 201),
    # Matching runs: staff and any coordinator start one; its requester and staff follow it.
    "POST /matching/runs/":                                         (401, 403, 403, 202, 202, 202),
    "GET /matching/runs/{id}/":                                     (401, 404, 404, 200, 404, 200),
    # The scoring model scores every organization's queues: platform staff only. Rolling back
    # with the hand-set weights current is a 409 (tests/suggestions/test_scoring_model_api.py).
    "GET /matching/scoring-models/":                                (401, 403, 403, 403, 403, 200),
    "POST /matching/scoring-models/{id}/promote/":                  (401, 403, 403, 403, 403, 200),
    "POST /matching/scoring-models/rollback/":                      (401, 403, 403, 403, 403, 409),
    # The review queue and the coordinator's actions: Harbor's members only.
    "GET /matches/":                                                (401, 200, 200, 200, 200, 200),
    "GET /matches/{id}/":                                           (401, 404, 404, 200, 404, 404),
    "POST /matches/{id}/approve/":                                  (401, 404, 404, 200, 404, 404),
    "POST /matches/{id}/reject/":                                   (401, 404, 404, 200, 404, 404),
    "POST /matches/{id}/start/":                                    (401, 404, 404, 200, 404, 404),
    "POST /matches/{id}/complete/":                                 (401, 404, 404, 200, 404, 404),
    "POST /matches/{id}/withdraw/":                                 (401, 404, 404, 200, 404, 404),
    # A match on hold whose check was renewed resumes by Harbor's coordinator.
    "POST /matches/{id}/resume/":                                   (401, 404, 404, 200, 404, 404),
    "GET /matches/{id}/history/":                                   (401, 200, 404, 200, 404, 404),
    "GET /matches/{id}/rating/":                                    (401, 404, 404, 200, 404, 404),
    "POST /matches/{id}/rating/":                                   (401, 404, 404, 201, 404, 404),
    # Bulk: 200 for every signed-in caller; each id another organization holds answers 404 inside.
    "POST /matches/bulk/":                                          (401, 200, 200, 200, 200, 200),
    # The volunteer's side of their own matches.
    "GET /volunteers/me/matches/":                                  (401, 200, 200, 200, 200, 200),
    "GET /volunteers/me/matches/{id}/":                             (401, 200, 404, 404, 404, 404),
    "POST /volunteers/me/matches/{id}/accept/":                     (401, 200, 404, 404, 404, 404),
    "POST /volunteers/me/matches/{id}/decline/":                    (401, 200, 404, 404, 404, 404),
    "POST /volunteers/me/matches/{id}/withdraw/":                   (401, 200, 404, 404, 404, 404),
    "POST /volunteers/me/matches/{id}/complete/":                   (401, 200, 404, 404, 404, 404),
    "POST /volunteers/me/matches/{id}/hours/":                      (401, 201, 404, 404, 404, 404),
    "GET /volunteers/me/matches/{id}/rating/":                      (401, 200, 404, 404, 404, 404),
    "POST /volunteers/me/matches/{id}/rating/":                     (401, 201, 404, 404, 404, 404),
    # Hours: the volunteer logs on their own match; the role's coordinators read and verify.
    "GET /volunteers/me/hours/":                                    (401, 200, 200, 200, 200, 200),
    "POST /volunteers/me/hours/":                                   (401, 201, 404, 404, 404, 404),
    "GET /volunteers/me/hours/totals/":                             (401, 200, 200, 200, 200, 200),
    "GET /hours/":                                                  (401, 200, 200, 200, 200, 200),
    "GET /hours/totals/":                                           (401, 200, 200, 200, 200, 200),
    "GET /hours/totals.csv":                                        (401, 200, 200, 200, 200, 200),
    "POST /hours/{id}/verify/":                                     (401, 404, 404, 200, 404, 404),
    # Who read the caller's lived experience: their own log (empty without a profile).
    "GET /volunteers/me/lived-experience/reads/":                   (401, 200, 200, 200, 200, 200),
    # Interest requests: a volunteer asks for a role and withdraws (Bo's profile fits no role:
    # 409 naming the rules; an account without a profile has none to ask with); the role's
    # coordinators list, accept (the pair's match is approved and offered) and decline.
    "GET /volunteers/me/interest-requests/":                        (401, 200, 200, 200, 200, 200),
    "POST /volunteers/me/interest-requests/":                       (401, 201, 409, 404, 404, 404),
    "GET /volunteers/me/interest-requests/{id}/":                   (401, 200, 404, 404, 404, 404),
    "DELETE /volunteers/me/interest-requests/{id}/":                (401, 204, 404, 404, 404, 404),
    "GET /volunteers/me/roles-for-you/":                            (401, 200, 200, 404, 404, 404),
    "GET /interest-requests/":                                      (401, 200, 200, 200, 200, 200),
    "POST /interest-requests/{id}/accept/":                         (401, 404, 404, 200, 404, 404),
    "POST /interest-requests/{id}/decline/":                        (401, 404, 404, 200, 404, 404),
    # Notifications: each person's own.
    "GET /notifications/":                                          (401, 200, 200, 200, 200, 200),
    "POST /notifications/{id}/read/":                               (401, 200, 404, 404, 404, 404),
    "POST /notifications/read-all/":                                (401, 200, 200, 200, 200, 200),
}
# fmt: on

#: Cells where the product answers otherwise than the table says is right: (operation, person)
#: -> the finding. Each runs as a strict xfail, so fixing the product makes it fail until the
#: entry is removed.
FINDINGS: dict[tuple[str, str], str] = {}

#: The main tables: a refused write, a read and an outsider's bulk review leave all their rows.
MAIN_TABLES: tuple[type[Model], ...] = (
    get_user_model(),
    DeviceToken,
    Organization,
    OrganizationVerification,
    Membership,
    Invitation,
    Opportunity,
    VolunteerProfile,
    TrainingRecord,
    DateOfBirthCorrection,
    Match,
    MatchTransition,
    MatchRun,
    MatchRunChunk,
    HoursLog,
    Rating,
    Notification,
    CalendarFeed,
    AuditEntry,
    InterestRequest,
)


def schema_operations() -> set[str]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = set()
    for path, item in schema["paths"].items():
        assert path.startswith(API), path
        for method in item:
            if method in {"get", "post", "put", "patch", "delete"}:
                operations.add(f"{method.upper()} {path.removeprefix(API)}")
    return operations


def rows_of_main_tables() -> dict[str, list[tuple]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in MAIN_TABLES
    }


def made_up(value: Any) -> Any:
    """An id of the same kind as ``value`` that names nothing (a slug is kept as it is)."""
    if isinstance(value, int):
        return MADE_UP_ID
    if isinstance(value, uuid.UUID):
        return uuid.UUID(int=1)
    return value


def call(client, operation: str, w: World, *, nothing: bool = False):
    """Make the request; with ``nothing``, every id in the path (and the match or the ids named in
    the body) is replaced by one that names nothing."""
    method, template = operation.split(" ", 1)
    params = PATH_PARAMS[template](w) if "{" in template else {}
    if nothing:
        params = {name: made_up(value) for name, value in params.items()}
    url = API + template.format(**params)
    if method == "GET":
        return client.get(url)
    body = BODIES[operation](w)
    if nothing and body and "match" in body:
        body = {**body, "match": MADE_UP_ID}
    if nothing and body and "ids" in body:
        body = {**body, "ids": [MADE_UP_ID]}
    return getattr(client, method.lower())(url, body, format="json")


def names_an_object(operation: str, w: World) -> bool:
    """The path has an id, or the body names a match."""
    return "{" in operation or "match" in (BODIES.get(operation, lambda w: None)(w) or {})


CASES = [
    pytest.param(
        operation,
        person,
        TABLE[operation][column],
        id=f"{operation}-{person}",
        marks=(
            [pytest.mark.xfail(strict=True, reason=FINDINGS[(operation, person)])]
            if (operation, person) in FINDINGS
            else []
        ),
    )
    for operation in TABLE
    for column, person in enumerate(PEOPLE)
]


def test_every_operation_in_the_schema_has_a_row():
    """Given the project's OpenAPI schema, when its operations are listed, then each has a row in
    TABLE and each row is an operation of the schema."""
    operations = schema_operations()

    assert sorted(operations - set(TABLE)) == [], "operations without a row in TABLE"
    assert sorted(set(TABLE) - operations) == [], "rows of TABLE the schema does not have"


def test_every_operation_says_its_parameters_and_body():
    """Given TABLE, when its operations are read, then each templated path has its parameters
    filled from the world, each write has a body (or says it takes none), and each finding names a
    cell of the table."""
    templates = {operation.split(" ", 1)[1] for operation in TABLE}
    writes = {operation for operation in TABLE if operation.split(" ", 1)[0] in WRITE_METHODS}

    assert sorted(t for t in templates if "{" in t and t not in PATH_PARAMS) == []
    assert sorted(set(PATH_PARAMS) - templates) == []
    assert sorted(writes ^ set(BODIES)) == []
    assert [cell for cell in FINDINGS if cell[0] not in TABLE or cell[1] not in PEOPLE] == []


@pytest.mark.parametrize(("operation", "person", "expected"), CASES)
def test_every_endpoint_answers_each_person_as_the_table_says(world, operation, person, expected):
    """Given a fresh world, when ``person`` calls ``operation`` with a valid body, then the answer
    is the table's; an error has the one error shape, a 404 reads as for an id that names nothing,
    and a refusal, a read or an outsider's bulk review changed no row."""
    client = client_for(world.users[person])
    before = rows_of_main_tables()

    response = call(client, operation, world)

    assert response.status_code == expected, response.content
    if expected >= 400:
        body = response.json()
        assert set(body) == {"error"}, body
        assert set(body["error"]) == {"code", "message", "fields"}, body
    bulk = operation == "POST /matches/bulk/" and expected == 200
    if bulk:
        # The one id is Harbor's: approved for Sam, not found for everyone else.
        statuses = [row["status"] for row in response.json()["results"]]
        assert statuses == ([200] if person == "sam" else [404]), response.json()
        if person != "sam":
            # An id of another organization reads as one that names nothing.
            made_up_result = call(client, operation, world, nothing=True).json()["results"][0]
            result = response.json()["results"][0]
            assert {**result, "id": None} == {**made_up_result, "id": None}
    if expected >= 400 or operation.startswith("GET ") or (bulk and person != "sam"):
        assert rows_of_main_tables() == before
    if expected == 404 and names_an_object(operation, world):
        # Not found says no more than for an id that names nothing: existence does not leak.
        assert call(client, operation, world, nothing=True).json() == response.json()


def test_the_world_is_what_the_table_assumes(world):
    """Given the world, when its matches are read, then each is in the state its row needs, on a
    Harbor role, and Riverside has no published role."""
    states = {
        name: getattr(world, name).status
        for name in ("suggested", "offered", "accepted", "active", "completed")
    }

    assert states == {name: name for name in states}
    assert {m.opportunity.organization_id for m in Match.objects.all()} == {world.harbor.pk}
    assert not Opportunity.objects.filter(
        organization=world.riverside, status=Opportunity.Status.PUBLISHED
    ).exists()
    assert world.accepted.opportunity.starts_on > days_from_today(0)
