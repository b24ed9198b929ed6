"""Reads of volunteer profiles. Visibility is a queryset filter: a profile the caller may not see
is simply not found (404), so its existence is never confirmed to them."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext, gettext_noop

from backend.errors import NotFoundError
from backend.related_lists import related_lists
from organizations.membership import verified_organization_ids_of

from .models import TrainingRecord, VolunteerProfile

NO_PROFILE_MESSAGE = gettext_noop("You do not have a volunteer profile.")
PROFILE_NOT_FOUND_MESSAGE = gettext_noop("No volunteer profile found.")
TRAINING_NOT_FOUND_MESSAGE = gettext_noop("This volunteer has not declared that training.")


def _with_details(queryset: QuerySet[VolunteerProfile]) -> QuerySet[VolunteerProfile]:
    # The trainings with their types in one query (a nested prefetch took two).
    trainings = Prefetch(
        "trainings", queryset=TrainingRecord.objects.select_related("training_type")
    )
    return queryset.select_related("user").prefetch_related(
        "skills", "causes", "languages", trainings, "date_of_birth_corrections"
    )


def profiles_verifiable_by(user: object) -> QuerySet[VolunteerProfile]:
    """Profiles whose background check and trainings ``user`` may look at in order to verify
    them: every profile for platform staff; for a coordinator or admin, the volunteers with a
    match (any status) on a role of one of their organizations that platform staff verified;
    none for anyone else."""
    if not getattr(user, "is_active", False):
        return VolunteerProfile.objects.none()
    if getattr(user, "is_staff", False):
        return VolunteerProfile.objects.all()
    matched = VolunteerProfile.objects.filter(
        matches__opportunity__organization_id__in=verified_organization_ids_of(user)
    ).values("pk")
    return VolunteerProfile.objects.filter(pk__in=matched)


def profiles_for_staff(user: object) -> QuerySet[VolunteerProfile]:
    """Every profile for active platform staff (date-of-birth corrections, confirmations), none
    for anyone else."""
    if getattr(user, "is_active", False) and getattr(user, "is_staff", False):
        return VolunteerProfile.objects.all()
    return VolunteerProfile.objects.none()


def volunteer_profile_of(*, user: object) -> VolunteerProfile:
    """The caller's own profile; a coordinator-only account has none (404)."""
    user_id = getattr(user, "pk", None)
    profile = None
    if isinstance(user_id, int):  # an anonymous user has no pk
        profile = _with_details(VolunteerProfile.objects.filter(user_id=user_id)).first()
    if profile is None:
        raise NotFoundError(gettext(NO_PROFILE_MESSAGE))
    return profile


#: The profile's lists the owner's API answer shows as keys: (relation, the key field).
_OWNER_LISTS = (("skills", ("slug",)), ("causes", ("slug",)), ("languages", ("code",)))


def volunteer_profile_shown_to_owner(*, user: object) -> VolunteerProfile:
    """``volunteer_profile_of`` for the owner's API answer: the trainings and date-of-birth
    corrections prefetched, the skill, cause and language keys in one query as
    ``_reference_keys`` (what ``VolunteerProfileSerializer`` shows of them), in their models'
    order."""
    user_id = getattr(user, "pk", None)
    profile = None
    if isinstance(user_id, int):
        trainings = Prefetch(
            "trainings", queryset=TrainingRecord.objects.select_related("training_type")
        )
        profile = (
            VolunteerProfile.objects.filter(user_id=user_id)
            .select_related("user")
            .prefetch_related(trainings, "date_of_birth_corrections")
            .first()
        )
    if profile is None:
        raise NotFoundError(gettext(NO_PROFILE_MESSAGE))
    profile._reference_keys = related_lists(VolunteerProfile, _OWNER_LISTS, [profile.pk])[  # type: ignore[attr-defined]
        profile.pk
    ]
    return profile


def volunteer_profile_row_of(*, user: object) -> VolunteerProfile:
    """The caller's own profile row alone (404 as ``volunteer_profile_of``), for a service that
    reads it again under its own lock: none of the six queries of its related lists."""
    user_id = getattr(user, "pk", None)
    profile = None
    if isinstance(user_id, int):
        profile = VolunteerProfile.objects.filter(user_id=user_id).first()
    if profile is None:
        raise NotFoundError(gettext(NO_PROFILE_MESSAGE))
    return profile


def volunteer_profile_for_verification(*, user: object, profile_id: int) -> VolunteerProfile:
    profile = _with_details(profiles_verifiable_by(user)).filter(pk=profile_id).first()
    if profile is None:
        raise NotFoundError(gettext(PROFILE_NOT_FOUND_MESSAGE))
    return profile


def volunteer_profile_for_staff(*, user: object, profile_id: int) -> VolunteerProfile:
    profile = profiles_for_staff(user).filter(pk=profile_id).first()
    if profile is None:
        raise NotFoundError(gettext(PROFILE_NOT_FOUND_MESSAGE))
    return profile


def training_record_for_verification(
    *, user: object, profile_id: int, training_slug: str
) -> TrainingRecord:
    profile = volunteer_profile_for_verification(user=user, profile_id=profile_id)
    record = (
        TrainingRecord.objects.select_related("training_type", "profile")
        .filter(profile=profile, training_type__slug=training_slug)
        .first()
    )
    if record is None:
        raise NotFoundError(gettext(TRAINING_NOT_FOUND_MESSAGE))
    return record
