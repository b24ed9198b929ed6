"""The data migration that brings rows stored before the expiry rule into line with it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tests.factories import TrainingRecordFactory, VolunteerProfileFactory, training_type
from tests.support.dates import days_from_today
from volunteers.expiry import add_months
from volunteers.models import TrainingRecord

pytestmark = pytest.mark.django_db

migration = importlib.import_module("volunteers.migrations.0004_cap_training_expiries")


def test_stored_expiries_are_capped_and_filled_and_verifications_kept(ada, bo):
    """Given an MHFA "completed seven years ago, expires in 73 years" (verified), one with no
    expiry, one expiring before its cap, and one without a completion date, when the migration
    runs, then the first two count 36 months after completion, still verified, and the others are
    unchanged."""
    completed = days_from_today(-7 * 365)
    capped = TrainingRecordFactory.create(
        profile=ada, completed_on=completed, expires_on=days_from_today(73 * 365)
    )
    filled = TrainingRecordFactory.create(profile=bo, completed_on=completed, expires_on=None)
    early = TrainingRecordFactory.create(
        profile=VolunteerProfileFactory.create(),
        completed_on=days_from_today(-30),
        expires_on=days_from_today(30),
    )
    undated = TrainingRecordFactory.create(
        profile=VolunteerProfileFactory.create(), completed_on=None, expires_on=None
    )

    migration.cap_expiries(apps, None)

    expiries = dict(TrainingRecord.objects.values_list("pk", "expires_on"))
    assert expiries[capped.pk] == expiries[filled.pk] == add_months(completed, 36)
    assert (expiries[early.pk], expiries[undated.pk]) == (days_from_today(30), None)
    assert TrainingRecord.objects.get(pk=capped.pk).verified is True
    assert training_type("mhfa").valid_for_months == 36
