"""Demo specs written as rows with the ORM, in bulk; each kind is found again first, so a second
run adds only what is missing (how each kind is recognised: ``demo.seeding``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from demo.references import References, link_references
from demo.specs import OrganizationSpec, RoleSpec, VolunteerSpec
from opportunities.models import Opportunity
from organizations.models import Organization, OrganizationVerification, VerificationStatus
from taxonomy.availability import normalise_slots
from volunteers.models import BackgroundCheckStatus, TrainingRecord, VolunteerProfile


def ensure_organizations(specs: Sequence[OrganizationSpec]) -> tuple[dict[str, Organization], int]:
    names = [spec.name for spec in specs]

    def by_name() -> dict[str, Organization]:
        found: dict[str, Organization] = {}
        for organization in Organization.objects.filter(name__in=names).order_by("id"):
            found.setdefault(organization.name, organization)
        return found

    existing = by_name()
    missing = [spec for spec in specs if spec.name not in existing]
    Organization.objects.bulk_create(
        Organization(
            name=spec.name,
            contact_email=spec.contact_email,
            description=spec.description,
            website=spec.website,
            address=spec.address,
            postcode=spec.postcode,
            latitude=spec.latitude,
            longitude=spec.longitude,
            verification_status=(
                VerificationStatus.VERIFIED if spec.verified else VerificationStatus.PENDING
            ),
        )
        for spec in missing
    )
    return by_name(), len(missing)


#: The evidence a demo organization's verification records: it is made up, and says so.
DEMO_VERIFICATION_NOTE = "Demo data: verified by the seeding on behalf of platform staff."


def record_demo_verifications(*, staff: Any, organizations: Sequence[Organization]) -> int:
    """Every verified demo organization without a decision gets one by the demo's staff login,
    as staff would have recorded it (the seeding writes in bulk, so not through the service)."""
    now = timezone.now()
    decided = set(
        OrganizationVerification.objects.filter(
            organization__in=[o.pk for o in organizations]
        ).values_list("organization_id", flat=True)
    )
    undecided = [o for o in organizations if o.is_verified and o.pk not in decided]
    OrganizationVerification.objects.bulk_create(
        OrganizationVerification(
            organization=organization,
            decision=OrganizationVerification.Decision.VERIFIED,
            decided_by=staff,
            registration_number=organization.registration_number,
            website=organization.website,
            contact=organization.contact_email,
            note=DEMO_VERIFICATION_NOTE,
        )
        for organization in undecided
    )
    Organization.objects.filter(pk__in=[o.pk for o in undecided]).update(
        verified_by=staff, verified_at=now, updated_at=now
    )
    return len(undecided)


def create_missing_roles(
    specs: Sequence[RoleSpec], organizations: dict[str, Organization], references: References
) -> int:
    already = Counter(
        Opportunity.objects.filter(organization__in=list(organizations.values())).values_list(
            "organization_id", "title"
        )
    )
    seen: Counter[tuple[int, str]] = Counter()
    missing: list[RoleSpec] = []
    for spec in specs:
        key = (organizations[spec.organization].pk, spec.title)
        seen[key] += 1
        if seen[key] > already[key]:
            missing.append(spec)

    now = timezone.now()
    roles = Opportunity.objects.bulk_create(
        Opportunity(
            organization=organizations[spec.organization],
            title=spec.title,
            description=spec.description,
            mode=spec.mode,
            address=spec.address,
            postcode=spec.postcode,
            latitude=spec.latitude,
            longitude=spec.longitude,
            hide_address=spec.hide_address,
            availability=normalise_slots(spec.availability),
            hours_per_week=spec.hours_per_week,
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            capacity=spec.capacity,
            min_age=spec.min_age,
            background_check_required=spec.background_check_required,
            audience=list(spec.audience),
            lived_experience_valued=spec.lived_experience_valued,
            status=Opportunity.Status.PUBLISHED,
            published_at=now,
        )
        for spec in missing
    )
    link_references(
        Opportunity,
        list(zip(roles, missing, strict=True)),
        references,
        causes="causes",
        required_skills="skills",
        preferred_skills="skills",
        languages="languages",
        required_trainings="trainings",
    )
    return len(missing)


def create_missing_volunteers(specs: Sequence[VolunteerSpec], references: References) -> int:
    User = get_user_model()
    emails = [spec.email for spec in specs]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = [spec for spec in specs if spec.email not in existing]
    # Generated volunteers cannot sign in (unusable password): only the demo logins share the
    # printed password, and hashing 300 passwords with Argon2 would take most of a minute. Their
    # (demo) addresses count as verified, since only verified volunteers are matched.
    verified_at = timezone.now()
    User.objects.bulk_create(
        User(
            email=spec.email,
            first_name=spec.first_name,
            last_name=spec.last_name,
            password=make_password(None),
            email_verified_at=verified_at,
        )
        for spec in missing
    )
    user_ids = dict(
        User.objects.filter(email__in=[spec.email for spec in missing]).values_list("email", "id")
    )
    seeded_at = timezone.now()
    profiles = VolunteerProfile.objects.bulk_create(
        VolunteerProfile(
            user_id=user_ids[spec.email],
            display_name=spec.display_name,
            bio=spec.bio,
            postcode=spec.postcode,
            latitude=spec.latitude,
            longitude=spec.longitude,
            max_travel_km=spec.max_travel_km,
            modes=list(spec.modes),
            availability=list(spec.availability),
            max_hours_per_week=spec.max_hours_per_week,
            max_commitments=spec.max_commitments,
            date_of_birth=spec.date_of_birth,
            background_check_status=spec.background_check_status,
            background_check_cleared_on=spec.background_check_cleared_on,
            background_check_expires_on=spec.background_check_expires_on,
            # A demo check that is cleared was seen by staff: it counts only once verified.
            background_check_verified_at=(
                seeded_at if spec.background_check_status == BackgroundCheckStatus.CLEARED else None
            ),
            lived_experience=spec.lived_experience,
            share_lived_experience=spec.share_lived_experience,
            paused=spec.paused,
        )
        for spec in missing
    )
    pairs = list(zip(profiles, missing, strict=True))
    link_references(
        VolunteerProfile, pairs, references, skills="skills", causes="causes", languages="languages"
    )
    now = timezone.now()
    TrainingRecord.objects.bulk_create(
        TrainingRecord(
            profile_id=profile.pk,
            training_type_id=training_id,
            completed_on=training.completed_on,
            expires_on=training.expires_on,
            verified=training.verified,
            verified_at=now if training.verified else None,
        )
        for profile, spec in pairs
        for training in spec.trainings
        for training_id in references.ids("trainings", [training.training])
    )
    return len(missing)
