"""Factories make the smallest valid object; each test spells out what it relies on.

Each factory is typed with its model, so ``UserFactory.create()`` is a ``User`` to mypy (calling
the class itself, ``UserFactory()``, does the same at runtime but types as the factory).
"""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from matching.models import Match
from opportunities.models import Opportunity
from organizations.models import Membership, Organization, VerificationStatus
from taxonomy.models import Cause, Language, Skill, TrainingType
from volunteers.models import TrainingRecord, VolunteerProfile

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.django.Password(PASSWORD)
    # Most stories are about people who already confirmed their address; a story about
    # verification passes ``email_verified_at=None``.
    email_verified_at = factory.LazyFunction(timezone.now)


class VolunteerProfileFactory(DjangoModelFactory[VolunteerProfile]):
    class Meta:
        model = VolunteerProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Volunteer {n}")


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Community Org {n}")
    contact_email = factory.LazyAttribute(lambda o: f"hello@{o.name.lower().replace(' ', '')}.org")
    # Most stories are about a verified organization; a pending one says so.
    verification_status = VerificationStatus.VERIFIED


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.COORDINATOR


class OpportunityFactory(DjangoModelFactory[Opportunity]):
    class Meta:
        model = Opportunity

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Peer support co-facilitator {n}")
    mode = "remote"
    status = Opportunity.Status.PUBLISHED


def skill(slug: str) -> Skill:
    return Skill.objects.get(slug=slug)


def cause(slug: str) -> Cause:
    return Cause.objects.get(slug=slug)


def language(code: str) -> Language:
    return Language.objects.get(code=code)


def training_type(slug: str) -> TrainingType:
    return TrainingType.objects.get(slug=slug)


class TrainingRecordFactory(DjangoModelFactory[TrainingRecord]):
    class Meta:
        model = TrainingRecord

    profile = factory.SubFactory(VolunteerProfileFactory)
    training_type = factory.LazyFunction(lambda: TrainingType.objects.get(slug="mhfa"))
    completed_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=30))
    # Verified by platform staff (counts for every role) unless a story says otherwise.
    verified = True
    verified_at = factory.LazyFunction(timezone.now)


class MatchFactory(DjangoModelFactory[Match]):
    class Meta:
        model = Match

    volunteer = factory.SubFactory(VolunteerProfileFactory)
    opportunity = factory.SubFactory(OpportunityFactory)
    status = "suggested"
    score = 0.5
    reasons = factory.LazyFunction(lambda: ["Shares skills: active listening", "Remote role"])
