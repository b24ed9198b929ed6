"""Issue 8, finding 5 and 6 from the database's side: what ``matching/records.py`` hands the engine,
and what the stored suggestions then are.

Only verified credentials reach the engine: a training staff verified counts everywhere
(``trainings``), one a coordinator of a verified organization verified counts for that
organization's roles only (``scoped_trainings``), a declared one counts nowhere; a background
check counts once verified (``background_check_verified``), for its ``check_scope``.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from matching.models import Match
from matching.records import volunteer_record
from suggestions.services.rematch import volunteer_rematch
from tests.factories import OrganizationFactory, TrainingRecordFactory, training_type
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer
from tests.support.dates import days_from_today
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def record(profile: VolunteerProfile):
    return volunteer_record(profile, today=timezone.localdate())


def suggested_roles(profile: VolunteerProfile) -> set[int]:
    volunteer_rematch(profile_id=profile.pk)
    return set(
        Match.objects.filter(volunteer=profile, status="suggested").values_list(
            "opportunity_id", flat=True
        )
    )


def mhfa_line(organization, **changes):
    role = peer_line(organization, **changes)
    role.required_trainings.add(training_type("mhfa"))
    return role


def test_a_declared_unverified_training_is_not_in_the_record(ada):
    """Given Ada typed MHFA "completed 2019, expires in ten years" and nobody verified it, then the
    engine is given no MHFA at all, so no role requiring it is suggested."""
    TrainingRecordFactory.create(
        profile=ada, expires_on=days_from_today(3650), verified=False, verified_at=None
    )
    got = record(ada)
    assert (got.trainings, got.scoped_trainings) == ({}, {})


def test_a_staff_verified_training_counts_everywhere(ada):
    expires = days_from_today(300)
    TrainingRecordFactory.create(profile=ada, expires_on=expires)
    got = record(ada)
    assert (got.trainings, got.scoped_trainings) == ({"mhfa": expires}, {})


def test_a_training_harbor_verified_counts_for_harbor_only(ada, harbor, sam):
    expires = days_from_today(300)
    TrainingRecordFactory.create(
        profile=ada, expires_on=expires, verified_by=sam, verified_for=harbor
    )
    got = record(ada)
    assert (got.trainings, got.scoped_trainings) == ({}, {harbor.pk: {"mhfa": expires}})


def test_a_training_verified_for_an_organization_not_yet_verified_counts_nowhere(ada):
    pending = OrganizationFactory.create(name="Newly Registered", verification_status="pending")
    TrainingRecordFactory.create(profile=ada, verified_for=pending)
    got = record(ada)
    assert (got.trainings, got.scoped_trainings) == ({}, {})


def test_a_cleared_check_counts_only_once_verified_and_for_its_scope(ada, harbor, sam):
    VolunteerProfile.objects.filter(pk=ada.pk).update(
        background_check_status="cleared", background_check_cleared_on=days_from_today(-10)
    )
    assert record(ada).background_check_verified is False

    VolunteerProfile.objects.filter(pk=ada.pk).update(
        background_check_verified_by=sam,
        background_check_verified_at=timezone.now(),
        background_check_verified_for=harbor,
    )
    got = record(ada)
    assert (got.background_check_verified, got.check_scope) == (True, harbor.pk)

    VolunteerProfile.objects.filter(pk=ada.pk).update(background_check_verified_for=None)
    assert record(ada).check_scope is None


def test_harbors_verification_of_mhfa_gets_ada_suggested_for_harbors_role_not_riversides(
    ada, harbor, sam, riverside
):
    """Given Ada's MHFA verified by Sam at Harbor House, when her suggestions are made, then
    Harbor's line requiring MHFA is suggested and Riverside's is not; an unverified MHFA gets
    Bo neither (issue 8, finding 5)."""
    ready_volunteer(ada)
    harbor_line, riverside_line = mhfa_line(harbor), mhfa_line(riverside)
    TrainingRecordFactory.create(profile=ada, verified_by=sam, verified_for=harbor)

    assert suggested_roles(ada) == {harbor_line.pk}
    assert riverside_line.pk not in suggested_roles(ada)


def test_an_unverified_training_gets_no_suggestion_for_a_role_requiring_it(bo, harbor):
    ready_volunteer(bo)
    mhfa_line(harbor)
    TrainingRecordFactory.create(profile=bo, verified=False, verified_at=None)
    assert suggested_roles(bo) == set()


def minors_line(organization):
    """A role serving minors whose organization left min_age empty and ticked no check."""
    return peer_line(
        organization,
        title="Homework help line for teens",
        audience=["minors"],
        min_age=None,
        background_check_required=False,
    )


def verified_check(profile: VolunteerProfile) -> None:
    VolunteerProfile.objects.filter(pk=profile.pk).update(
        background_check_status="cleared",
        background_check_cleared_on=days_from_today(-30),
        background_check_expires_on=days_from_today(700),
        background_check_verified_at=timezone.now(),
    )


def born_years_ago(years: int):
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@pytest.mark.parametrize("age", [16, 17])
def test_a_16_or_17_year_old_is_not_suggested_a_role_serving_minors(ada, harbor, age):
    """Given a role serving minors with no min_age, and a 16- or 17-year-old with a verified
    cleared check, when their suggestions are made, then the role is not suggested (finding 6)."""
    ready_volunteer(ada, date_of_birth=born_years_ago(age))
    verified_check(ada)
    minors_line(harbor)
    assert suggested_roles(ada) == set()


def test_an_adult_with_a_verified_cleared_check_is_suggested_a_role_serving_minors(ada, bo, harbor):
    """Given the same role, an 18-year-old with a verified cleared check is suggested it and an
    adult with no check is not."""
    role = minors_line(harbor)
    ready_volunteer(ada, date_of_birth=born_years_ago(18))
    verified_check(ada)
    ready_volunteer(bo, date_of_birth=born_years_ago(40))

    assert suggested_roles(ada) == {role.pk}
    assert suggested_roles(bo) == set()
