"""A volunteer with something in every place the database holds personal data, for the data-rights
tests: every field a model marks personal (backend/personal.py) has a value that is not its erased
value, and every marked model has a row about her."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta
from typing import Any

from celery import current_app
from celery.utils.saferepr import saferepr
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_celery_results.models import TaskResult
from rest_framework.test import APIClient

from accounts.services import user_token_issue
from audit.models import AuditEntry
from engagement.models import CalendarFeed, HoursLog, Rating
from matching.models import ArchivedSuggestion, MatchStatus, MatchTransition
from notifications.models import Notification
from organizations.models import Invitation
from placements.models import InterestRequest
from tests.factories import (
    OpportunityFactory,
    TrainingRecordFactory,
    UserFactory,
    VolunteerProfileFactory,
    cause,
    language,
    skill,
    training_type,
)
from tests.placements.lifecycle_helpers import suggestion
from tests.support.dates import days_from_today
from volunteers.models import DateOfBirthCorrection

NAME = "Ada Quillfeather"
EMAIL = "ada.quillfeather@example.org"
FIRST_NAME, LAST_NAME = "Adaline", "Quillfeather-Marsh"
POSTCODE = "11201"
LATITUDE, LONGITUDE = 40.6932, -73.9897
LIVED_EXPERIENCE = "Lived through a long winter of depression in Brooklyn"
BIO = "Former night-shift nurse who listens well"


@dataclasses.dataclass
class World:
    profile: Any
    match: Any
    coordinator: Any
    date_of_birth: Any
    #: Task results that name her by id (a rematch of her profile, an email to her account).
    task_results: list[str]
    session_key: str


def build_world(harbor: Any, sam: Any, *, matches: int = 1) -> World:
    user = UserFactory.create(email=EMAIL, first_name=FIRST_NAME, last_name=LAST_NAME)
    date_of_birth = days_from_today(-(34 * 365 + 17))
    profile = VolunteerProfileFactory.create(
        user=user,
        display_name=NAME,
        bio=BIO,
        postcode=POSTCODE,
        latitude=LATITUDE,
        longitude=LONGITUDE,
        modes=["remote", "phone"],
        availability=["tue-evening"],
        max_hours_per_week=4,
        max_commitments=3,
        date_of_birth=date_of_birth,
        background_check_status="cleared",
        background_check_cleared_on=days_from_today(-30),
        background_check_expires_on=days_from_today(300),
        background_check_verified_by=sam,
        background_check_verified_at=timezone.now(),
        background_check_verified_for=harbor,
        background_check_note=f"Certificate of {NAME} seen",
        lived_experience=LIVED_EXPERIENCE,
        share_lived_experience=True,
    )
    profile.skills.set([skill("active-listening")])
    profile.causes.set([cause("mental-health")])
    profile.languages.set([language("es")])
    TrainingRecordFactory.create(
        profile=profile,
        training_type=training_type("mhfa"),
        completed_on=days_from_today(-60),
        expires_on=days_from_today(600),
        verification_note=f"Card of {NAME} seen",
    )
    DateOfBirthCorrection.objects.create(profile=profile, note=f"Passport of {NAME} seen")
    CalendarFeed.objects.create(volunteer=profile, token_hash="f" * 64)
    user_token_issue(user=user, name="Phone")
    # One mistyped password: django-axes records the attempt under her address.
    wrong = {"email": EMAIL, "password": "mistyped-password"}
    assert APIClient().post("/api/v1/auth/token/", wrong, format="json").status_code == 400
    first = add_match(profile, harbor, sam, index=0)
    for index in range(1, matches):
        add_match(profile, harbor, sam, index=index)
    # A suggestion of hers the engine withdrew long ago, since moved out of the Match table.
    ArchivedSuggestion.objects.create(
        id=10_000_000,
        volunteer=profile,
        opportunity=first.opportunity,
        facts={"distance_band": "under_5km", "min_age_met": True},
        suggested_at=timezone.now() - timedelta(days=120),
        withdrawn_at=timezone.now() - timedelta(days=100),
        reason="outranked",
        archived_at=timezone.now(),
    )
    # She said she is interested in another role, with a word that names her.
    InterestRequest.objects.create(
        volunteer=profile,
        opportunity=OpportunityFactory.create(organization=harbor, title="Letter writing"),
        message=f"{NAME} here: I write letters every week",
    )
    AuditEntry.objects.create(
        event="lived_experience_read",
        actor=sam,
        subject_type="profile",
        subject_id=str(profile.pk),
        data={"profile_id": profile.pk, "opportunity_id": first.opportunity_id},
    )
    AuditEntry.objects.create(
        event="volunteer_profile_updated",
        actor=user,
        subject_type="profile",
        subject_id=str(profile.pk),
        data={"profile_id": profile.pk, "fields": ["bio"]},
    )
    # Beyond the marked models: an invitation a coordinator sent to her address, her browser
    # session, and task results stored with her ids (issue 9's erasure gaps).
    Invitation.objects.create(
        organization=harbor,
        email=EMAIL,
        invited_by=sam,
        expires_at=timezone.now() + timedelta(days=7),
    )
    browser = Client()
    browser.force_login(user)
    results = [
        stored_task_result("matching.volunteer_rematch", profile.pk),
        stored_task_result("lifecycle.volunteer_recheck", profile_id=profile.pk),
        stored_task_result("accounts.email_verification", user.pk),
    ]
    return World(
        profile=profile,
        match=first,
        coordinator=sam,
        date_of_birth=date_of_birth,
        task_results=results,
        session_key=browser.session.session_key or "",
    )


def stored_task_result(task_name: str, *args: Any, **kwargs: Any) -> str:
    """Store a finished task's result as the worker does (django-celery-results, with the
    extended columns: the arguments' repr); returns its task id."""

    class Request:
        id = str(uuid.uuid4())
        task = task_name
        hostname = "worker@test"
        argsrepr = saferepr(args)
        kwargsrepr = saferepr(kwargs)
        periodic_task_name = None
        ignore_result = False
        group = None
        parent_id = None
        root_id = None
        delivery_info: dict[str, Any] = {}

    Request.args = args  # type: ignore[attr-defined]
    Request.kwargs = kwargs  # type: ignore[attr-defined]
    current_app.backend.store_result(Request.id, {"done": 1}, "SUCCESS", request=Request())
    assert TaskResult.objects.filter(task_id=Request.id).exists()
    return Request.id


def sessions_of(user: Any) -> list[str]:
    return [
        session.session_key
        for session in Session.objects.all()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]


def add_match(profile: Any, harbor: Any, sam: Any, *, index: int) -> Any:
    """An active match of ``profile`` with its history, hours, both ratings and notifications."""
    user = profile.user
    role = OpportunityFactory.create(
        organization=harbor, title=f"Peer line {index}", postcode="10001"
    )
    match = suggestion(profile, role, status=MatchStatus.ACTIVE)
    MatchTransition.objects.create(
        match=match,
        from_status="suggested",
        to_status="approved",
        actor=sam,
        note=f"{NAME} ({EMAIL}) is a good fit",
    )
    MatchTransition.objects.create(
        match=match, from_status="offered", to_status="accepted", actor=user
    )
    HoursLog.objects.create(
        match=match, date=days_from_today(-1), hours=2, note=f"Call with {NAME}"
    )
    Rating.objects.create(match=match, side="volunteer", rater=user, score=5, comment="Kind team")
    Rating.objects.create(
        match=match, side="organization", rater=sam, score=4, comment=f"{NAME} was great"
    )
    Notification.objects.create(
        recipient=user,
        kind="match_offered",
        match=match,
        title=f"Hello {NAME}",
        body="You have an offer",
        key=f"test:ada:{index}",
    )
    Notification.objects.create(
        recipient=sam,
        kind="match_accepted",
        match=match,
        title=f"{NAME} accepted",
        body=f"{NAME} ({EMAIL}) accepted",
        key=f"test:sam:{index}",
    )
    return match
