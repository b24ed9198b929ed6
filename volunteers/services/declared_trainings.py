"""The trainings a volunteer declares in an edit: checked against each other and the stored
ones, then stored as the whole new set (``profile_update``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from taxonomy.models import TrainingType
from volunteers.models import TrainingRecord, VolunteerProfile

TRAINING_DUPLICATE_MESSAGE = "Training '{slug}' is listed more than once."
TRAINING_COMPLETED_FUTURE_MESSAGE = (
    "Training '{slug}': the completion date cannot be in the future."
)
TRAINING_EXPIRES_BEFORE_COMPLETED_MESSAGE = (
    "Training '{slug}': the expiry date cannot be before the completion date."
)
TRAINING_VERIFY_STAFF_ONLY_MESSAGE = (
    "Training '{slug}': only platform staff or a coordinator can mark a training verified."
)


@dataclass
class TrainingPlan:
    training_type: TrainingType
    completed_on: dt.date | None
    expires_on: dt.date | None
    existing: TrainingRecord | None

    @property
    def unchanged(self) -> bool:
        return (
            self.existing is not None
            and self.existing.completed_on == self.completed_on
            and self.existing.expires_on == self.expires_on
        )


def plan_trainings(
    profile: VolunteerProfile, declared: Iterable[dict[str, Any]], errors: dict[str, list[str]]
) -> list[TrainingPlan]:
    existing = {record.training_type_id: record for record in profile.trainings.all()}
    today = timezone.localdate()
    plans: list[TrainingPlan] = []
    problems: list[str] = []
    seen: set[int] = set()
    for item in declared:
        training_type: TrainingType = item["training_type"]
        slug = training_type.slug
        if training_type.pk in seen:
            problems.append(TRAINING_DUPLICATE_MESSAGE.format(slug=slug))
            continue
        seen.add(training_type.pk)
        plan = TrainingPlan(
            training_type=training_type,
            completed_on=item.get("completed_on"),
            expires_on=item.get("expires_on"),
            existing=existing.get(training_type.pk),
        )
        if plan.completed_on is not None and plan.completed_on > today:
            problems.append(TRAINING_COMPLETED_FUTURE_MESSAGE.format(slug=slug))
        if (
            plan.completed_on is not None
            and plan.expires_on is not None
            and plan.expires_on < plan.completed_on
        ):
            problems.append(TRAINING_EXPIRES_BEFORE_COMPLETED_MESSAGE.format(slug=slug))
        stays_verified = plan.unchanged and plan.existing is not None and plan.existing.verified
        if item.get("verified") is True and not stays_verified:
            problems.append(TRAINING_VERIFY_STAFF_ONLY_MESSAGE.format(slug=slug))
        plans.append(plan)
    if problems:
        errors["trainings"] = problems
    return plans


def replace_trainings(profile: VolunteerProfile, plans: list[TrainingPlan]) -> None:
    kept = {plan.training_type.pk for plan in plans}
    profile.trainings.exclude(training_type_id__in=kept).delete()
    for plan in plans:
        if plan.unchanged:
            continue  # keeps its verification
        if plan.existing is None:
            TrainingRecord.objects.create(
                profile=profile,
                training_type=plan.training_type,
                completed_on=plan.completed_on,
                expires_on=plan.expires_on,
            )
            continue
        # New dates are a new claim: whoever verified the old certificate has not seen this one.
        record = plan.existing
        record.completed_on, record.expires_on = plan.completed_on, plan.expires_on
        record.verified, record.verified_by, record.verified_at = False, None, None
        record.save(
            update_fields=[
                "completed_on",
                "expires_on",
                "verified",
                "verified_by",
                "verified_at",
                "updated_at",
            ]
        )
