"""Plain-language reasons for a suggestion, e.g. "Shares skills: Active listening, Spanish".

Every suggestion gets 2 to 4: first how the volunteer would get there (a distance band or remote), then
the strongest of skills, trainings, causes, time, language and profile text, and last what is
missing (a skill the role teaches on the job, none of a flexible role's usual times), so a
coordinator sees the gap before approving. Reasons name real values through ``labels`` so a
coordinator reads "Mental Health First Aid", not "mhfa", and never show a raw score.

Distances are only ever a band ("2-5 km away", ``rules.distance_band``), never a figure: reasons
are shown to the organization, and a figure read again after moving the role would locate a home.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from matching.engine import rules
from matching.engine.eligibility import check_is_valid_for, trainings_for
from matching.engine.records import (
    DAYS,
    PARTS,
    Labels,
    OpportunityRecord,
    VolunteerRecord,
    start_date,
)

MIN_REASONS = 2
MAX_REASONS = 4
_MAX_NAMES = 3
#: Below this cosine the profile text says little about the role; the reason is only a fallback.
_TEXT_WORTH_MENTIONING = 0.15
TEXT_REASON = "What they wrote about themselves fits the role's description"
FITS_EVERY_RULE = "Meets everything the role requires"
#: At most this many reasons say what is missing (they take the places of the weakest others).
_MAX_GAPS = 2
_MODE_NAMES = {"remote": "Remote", "phone": "Phone"}


def label(slug: str, labels: Labels) -> str:
    return labels.get(slug, slug.replace("-", " ").replace("_", " "))


def _names(slugs: frozenset[str], labels: Labels) -> str:
    names = sorted(label(s, labels) for s in slugs)
    shown = ", ".join(names[:_MAX_NAMES])
    return shown if len(names) <= _MAX_NAMES else f"{shown} and {len(names) - _MAX_NAMES} more"


def _join_and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe_slots(slots: frozenset[str]) -> str:
    """{"tue-evening", "thu-evening"} -> "Tue and Thu evenings"."""
    phrases = []
    for part in PARTS:
        days = [d.capitalize() for d in DAYS if f"{d}-{part}" in slots]
        if days:
            phrases.append(f"{_join_and(days)} {part}{'s' if len(days) > 1 else ''}")
    return "; ".join(phrases[:2]) + (" and more" if len(phrases) > 2 else "")


def distance_phrase(distance_km: float | None) -> str:
    """ "under 2 km away", "2-5 km away" ... "over 25 km away": the band, never the figure."""
    band = rules.distance_band(distance_km)
    return "unknown distance" if band is None else f"{band} away"


def logistics_reason(opportunity: OpportunityRecord, distance_km: float | None) -> str:
    if opportunity.mode in _MODE_NAMES:
        mode = opportunity.mode
        return f"{_MODE_NAMES[mode]} role; accepts {mode}"
    where = distance_phrase(distance_km)
    return f"Hybrid role, {where}" if opportunity.mode == "hybrid" else where.capitalize()


def build_reasons(
    volunteer: VolunteerRecord,
    opportunity: OpportunityRecord,
    features: Mapping[str, float],
    *,
    distance_km: float | None,
    today: date,
    labels: Labels,
) -> list[str]:
    """2 to 4 reasons, logistics first, then by how much each says about the fit."""
    reasons = [logistics_reason(opportunity, distance_km)]
    optional: list[str] = []

    required = opportunity.required_skills & volunteer.skills
    preferred = (opportunity.preferred_skills - opportunity.required_skills) & volunteer.skills
    if required and required == opportunity.required_skills:
        optional.append(f"Has every required skill: {_names(required, labels)}")
    elif required or preferred:
        optional.append(f"Shares skills: {_names(required | preferred, labels)}")

    day = start_date(opportunity, today)
    held = trainings_for(volunteer, opportunity.organization_id)
    for slug in sorted(opportunity.required_trainings):
        expires_on = held.get(slug)
        validity = "no expiry" if expires_on is None else f"valid to {expires_on:%Y-%m}"
        optional.append(f"{label(slug, labels)}, {validity}")
        break  # one training is enough to show; the rest are guaranteed by eligibility

    causes = opportunity.causes & volunteer.causes
    if causes:
        optional.append(f"Cares about {_names(causes, labels)}")

    free = opportunity.availability & volunteer.availability
    if free:
        optional.append(f"Free {describe_slots(free)}")
    elif not opportunity.availability:
        optional.append("Flexible schedule")

    languages = opportunity.languages & volunteer.languages
    if languages:
        optional.append(f"Speaks {_names(languages, labels)}, which the role needs")

    if opportunity.needs_background_check and check_is_valid_for(volunteer, opportunity, day):
        optional.append("Background check cleared")

    if features.get("text_similarity", 0.0) >= _TEXT_WORTH_MENTIONING:
        optional.insert(1, TEXT_REASON)

    gaps = missing_reasons(volunteer, opportunity, labels)[:_MAX_GAPS]
    reasons += optional[: MAX_REASONS - 1 - len(gaps)] + gaps
    if len(reasons) < MIN_REASONS:
        reasons.append(FITS_EVERY_RULE)
    return reasons


def missing_reasons(
    volunteer: VolunteerRecord, opportunity: OpportunityRecord, labels: Labels
) -> list[str]:
    """What the volunteer lacks that the rules let through: skills the role teaches on the job,
    and a flexible role's usual times when they are free at none of them."""
    gaps = []
    to_learn = opportunity.required_skills - volunteer.skills
    if to_learn:
        gaps.append(f"Would learn on the job: {_names(to_learn, labels)}")
    if opportunity.availability and not opportunity.availability & volunteer.availability:
        gaps.append(
            f"Not free at the role's usual times ({describe_slots(opportunity.availability)})"
        )
    return gaps
