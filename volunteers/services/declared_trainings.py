"""The trainings a volunteer declares in an edit: checked against each other and the stored
ones, then stored as the whole new set (``profile_update``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from taxonomy.models import TrainingType
from volunteers.expiry import effective_expiry
from volunteers.models import TrainingRecord, VolunteerProfile

TRAINING_DUPLICATE_MESSAGE = gettext_noop("Training '{slug}' is listed more than once.")
TRAINING_COMPLETED_FUTURE_MESSAGE = gettext_noop(
    "Training '{slug}': the completion date cannot be in the future."
)
TRAINING_EXPIRES_BEFORE_COMPLETED_MESSAGE = gettext_noop(
    "Training '{slug}': the expiry date cannot be before the completion date."
)
TRAINING_VERIFY_STAFF_ONLY_MESSAGE = gettext_noop(
    "Training '{slug}': only platform staff or a coordinator can mark a training verified."
)
TRAINING_EXPIRY_CAPPED_NOTICE = (
    "Training '{slug}': {name} is valid for {months} months after completion, so it counts "
    "until {latest}, not {typed}."
)
TRAINING_EXPIRY_FILLED_NOTICE = (
    "Training '{slug}': no expiry date was given; {name} is valid for {months} months after "
    "completion, so it counts until {latest}."
)


def expiry_notice(
    training_type: TrainingType, completed_on: dt.date | None, typed: dt.date | None
) -> str | None:
    """What to tell the volunteer (or the verifier) when the stored expiry is not the one typed:
    capped at, or filled with, completion + the type's ``valid_for_months``."""
    expiry = effective_expiry(
        valid_for_months=training_type.valid_for_months,
        completed_on=completed_on,
        expires_on=typed,
    )
    values = {
        "slug": training_type.slug,
        "name": training_type.name,
        "months": training_type.valid_for_months,
        "latest": expiry.latest.isoformat() if expiry.latest else None,
        "typed": typed.isoformat() if typed else None,
    }
    if expiry.capped(typed):
        return TRAINING_EXPIRY_CAPPED_NOTICE.format(**values)
    if expiry.filled(typed):
        return TRAINING_EXPIRY_FILLED_NOTICE.format(**values)
    return None


def expiry_notices(declared: Iterable[dict[str, Any]]) -> list[str]:
    """``expiry_notice`` for each declared training (the items of a profile edit)."""
    notices = (
        expiry_notice(item["training_type"], item.get("completed_on"), item.get("expires_on"))
        for item in declared
        if "training_type" in item
    )
    return [notice for notice in notices if notice]


@dataclass
class TrainingPlan:
    training_type: TrainingType
    completed_on: dt.date | None
    expires_on: dt.date | None
    existing: TrainingRecord | None

    @property
    def unchanged(self) -> bool:
        """The same claim as the stored one. A row stored before expiries were capped compares
        by the expiry the rule gives it, so sending it back keeps its verification."""
        if self.existing is None or self.existing.completed_on != self.completed_on:
            return False
        stored = effective_expiry(
            valid_for_months=self.training_type.valid_for_months,
            completed_on=self.existing.completed_on,
            expires_on=self.existing.expires_on,
        )
        return stored.expires_on == self.expires_on


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
            problems.append(gettext(TRAINING_DUPLICATE_MESSAGE).format(slug=slug))
            continue
        seen.add(training_type.pk)
        completed_on, typed_expiry = item.get("completed_on"), item.get("expires_on")
        # A typed expiry later than the type's validity is capped; a missing one is filled in.
        plan = TrainingPlan(
            training_type=training_type,
            completed_on=completed_on,
            expires_on=effective_expiry(
                valid_for_months=training_type.valid_for_months,
                completed_on=completed_on,
                expires_on=typed_expiry,
            ).expires_on,
            existing=existing.get(training_type.pk),
        )
        if completed_on is not None and completed_on > today:
            problems.append(gettext(TRAINING_COMPLETED_FUTURE_MESSAGE).format(slug=slug))
        if completed_on is not None and typed_expiry is not None and typed_expiry < completed_on:
            problems.append(gettext(TRAINING_EXPIRES_BEFORE_COMPLETED_MESSAGE).format(slug=slug))
        stays_verified = plan.unchanged and plan.existing is not None and plan.existing.verified
        if item.get("verified") is True and not stays_verified:
            problems.append(gettext(TRAINING_VERIFY_STAFF_ONLY_MESSAGE).format(slug=slug))
        plans.append(plan)
    if problems:
        errors["trainings"] = problems
    return plans


def replace_trainings(profile: VolunteerProfile, plans: list[TrainingPlan]) -> None:
    kept = {plan.training_type.pk for plan in plans}
    profile.trainings.exclude(training_type_id__in=kept).delete()
    for plan in plans:
        if plan.unchanged:
            # Keeps its verification; only an expiry stored before the rule is capped or filled.
            if plan.existing is not None and plan.existing.expires_on != plan.expires_on:
                plan.existing.expires_on = plan.expires_on
                plan.existing.save(update_fields=["expires_on", "updated_at"])
            continue
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
        record.verified_for, record.verification_note = None, ""
        record.save(
            update_fields=[
                "completed_on",
                "expires_on",
                *TrainingRecord.VERIFICATION_FIELDS,
                "updated_at",
            ]
        )
