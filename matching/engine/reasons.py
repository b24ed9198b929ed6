"""Plain-language reasons for a suggestion: sentences a coordinator reads without a glossary.

Every suggestion gets 2 to 4: first how the volunteer would get there (a distance band or remote),
then the strongest of what they asked for in their own words, skills, trainings, causes, time,
language and check, and last what is missing (a skill the role teaches on the job, a flexible
role's usual times they are not free at), so a coordinator sees the gap before approving:

    "1¼-3 mi away"
    "Wants peer-support work with adults living with anxiety"
    "Free Tue and Thu evenings, when the role meets"
    "Has not done Active listening yet; the role teaches it"

Reasons name real values through ``labels`` ("Mental Health First Aid", not "mhfa") and never
show a score or a similarity figure. Distances are only ever a band, never a figure: reasons are
shown to the organization, and a figure read again after moving the role would locate a home. The
band is cut in kilometres (``rules.distance_band``) and worded in the deployment's unit through
``labels`` (the Django side adds ``rules.band_names(settings.DISTANCE_UNIT)``); the engine reads
no settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from matching.engine import rules
from matching.engine.eligibility import check_is_valid_for, trainings_for
from matching.engine.quotes import in_their_words
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
#: Below this cosine the profile text says little about the role; the generic sentence is only a
#: fallback when nothing the volunteer wrote can be quoted.
_TEXT_WORTH_MENTIONING = 0.15
TEXT_REASON = "What they wrote about themselves fits the role's description"
FITS_EVERY_RULE = "Meets everything the role requires"
NO_SET_TIMES = "The role has no set times"
DISTANCE_UNKNOWN = "Distance unknown"
#: At most this many reasons say what is missing (they take the places of the weakest others).
_MAX_GAPS = 2
_MODE_NAMES = {"remote": "Remote", "phone": "Phone"}
_DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
_WEEKDAYS, _WEEKEND = DAYS[:5], DAYS[5:]


def label(slug: str, labels: Labels) -> str:
    return labels.get(slug, slug.replace("-", " ").replace("_", " "))


def _names(slugs: frozenset[str], labels: Labels, conjunction: str = "and") -> str:
    names = sorted(label(s, labels) for s in slugs)
    if len(names) > _MAX_NAMES:
        return f"{', '.join(names[:_MAX_NAMES])} {conjunction} {len(names) - _MAX_NAMES} more"
    return _join(names, conjunction)


def _join(items: list[str], conjunction: str = "and") -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def _days(days: list[str]) -> str:
    """Short day names, or "every", "weekday", "weekend" for those whole sets."""
    if days == list(DAYS):
        return "every"
    if days == list(_WEEKDAYS):
        return "weekday"
    if days == list(_WEEKEND):
        return "weekend"
    return _join([d.capitalize() for d in days])


def describe_slots(slots: frozenset[str]) -> str:
    """{"tue-evening", "thu-evening"} -> "Tue and Thu evenings"; every day -> "every evening"."""
    phrases = []
    for part in PARTS:
        days = [d for d in DAYS if f"{d}-{part}" in slots]
        if days:
            words = _days(days)
            plural = len(days) > 1 and words != "every"
            phrases.append(f"{words} {part}{'s' if plural else ''}")
    return "; ".join(phrases[:2]) + (" and more" if len(phrases) > 2 else "")


def shown_band(distance_km: float | None, labels: Labels) -> str | None:
    """The distance's band in the deployment's words ("2-5 km", or "1¼-3 mi" when ``labels``
    carry the mile names); None when unknown."""
    band = rules.distance_band(distance_km)
    return None if band is None else labels.get(band, band)


def distance_phrase(distance_km: float | None, labels: Labels | None = None) -> str:
    """ "under 2 km away", "2-5 km away" ... "over 25 km away": the band, never the figure."""
    band = shown_band(distance_km, labels or {})
    return "unknown distance" if band is None else f"{band} away"


def logistics_reason(
    opportunity: OpportunityRecord, distance_km: float | None, labels: Labels | None = None
) -> str:
    if opportunity.mode in _MODE_NAMES:
        mode = opportunity.mode
        return f"{_MODE_NAMES[mode]} role; they accept {mode} work"
    if distance_km is None:
        return DISTANCE_UNKNOWN
    where = distance_phrase(distance_km, labels)
    return f"Hybrid role, {where}" if opportunity.mode == "hybrid" else where.capitalize()


def time_reason(volunteer: VolunteerRecord, opportunity: OpportunityRecord) -> str | None:
    """When they are free at the role's times, by day: "Free Tue and Thu evenings, when the role
    meets"; None when they are free at none of them (a gap, see :func:`missing_reasons`)."""
    wanted = opportunity.availability
    if not wanted:
        return NO_SET_TIMES
    free = wanted & volunteer.availability
    if not free:
        return None
    usual = "the role's usual time" + ("s" if len(wanted) > 1 else "")
    when = "when the role meets" if opportunity.schedule_fixed else usual
    if free == wanted:
        return f"Free {describe_slots(free)}, {when}"
    if not opportunity.schedule_fixed:
        when = "one of the role's usual times"
    return f"Free {describe_slots(free)}, {when}; not free {describe_slots(wanted - free)}"


def not_free_reason(opportunity: OpportunityRecord) -> str:
    """A flexible role's times the volunteer is free at none of: "Not free on Tuesdays, the role's
    evening"; "Not free at any of the role's usual times: Tue evenings; Sat mornings"."""
    slots = opportunity.availability
    parts = [p for p in PARTS if any(f"{d}-{p}" in slots for d in DAYS)]
    if len(parts) == 1:
        days = [d for d in DAYS if f"{d}-{parts[0]}" in slots]
        if len(days) == len(DAYS):
            return f"Not free on any {parts[0]}, when the role usually meets"
        plural = "s" if len(days) > 1 else ""
        named = _join([f"{_DAY_NAMES[d]}s" for d in days], "or")
        return f"Not free on {named}, the role's {parts[0]}{plural}"
    return f"Not free at any of the role's usual times: {describe_slots(slots)}"


def text_reason(
    volunteer: VolunteerRecord, opportunity: OpportunityRecord, features: Mapping[str, float]
) -> str | None:
    """What they asked for in their own words; the generic sentence when nothing can be quoted
    but the texts agree; None otherwise."""
    quoted = in_their_words(volunteer.wants, f"{opportunity.title}. {opportunity.text}")
    if quoted is not None:
        return quoted
    if features.get("text_similarity", 0.0) >= _TEXT_WORTH_MENTIONING:
        return TEXT_REASON
    return None


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
    reasons = [logistics_reason(opportunity, distance_km, labels)]
    optional: list[str] = []

    required = opportunity.required_skills & volunteer.skills
    preferred = (opportunity.preferred_skills - opportunity.required_skills) & volunteer.skills
    if required and required == opportunity.required_skills:
        optional.append(f"Has every skill the role requires: {_names(required, labels)}")
    elif required or preferred:
        optional.append(f"Has skills the role asks for: {_names(required | preferred, labels)}")

    day = start_date(opportunity, today)
    held = trainings_for(volunteer, opportunity.organization_id)
    for slug in sorted(opportunity.required_trainings):
        expires_on = held.get(slug)
        validity = "with no expiry" if expires_on is None else f"valid until {expires_on:%B %Y}"
        optional.append(f"Holds {label(slug, labels)}, {validity}")
        break  # one training is enough to show; the rest are guaranteed by eligibility

    when = time_reason(volunteer, opportunity)
    if when is not None:
        optional.append(when)

    languages = opportunity.languages & volunteer.languages
    if languages:
        optional.append(f"Speaks {_names(languages, labels)}, which the role needs")

    causes = opportunity.causes & volunteer.causes
    if causes:
        optional.append(f"Cares about {_names(causes, labels)}")

    if opportunity.needs_background_check and check_is_valid_for(volunteer, opportunity, day):
        optional.append("Background check cleared for this role")

    # Their own words first; the generic sentence only after what can be named.
    wrote = text_reason(volunteer, opportunity, features)
    if wrote == TEXT_REASON:
        optional.insert(min(3, len(optional)), wrote)
    elif wrote is not None:
        optional.insert(0, wrote)

    gaps = missing_reasons(volunteer, opportunity, labels)[:_MAX_GAPS]
    reasons += optional[: MAX_REASONS - 1 - len(gaps)] + gaps
    if len(reasons) < MIN_REASONS:
        reasons.append(FITS_EVERY_RULE)
    return reasons


def missing_reasons(
    volunteer: VolunteerRecord, opportunity: OpportunityRecord, labels: Labels
) -> list[str]:
    """What the volunteer lacks that the rules let through, in words: skills the role teaches on
    the job ("Has not done Active listening yet; the role teaches it"), and a flexible role's
    usual times when they are free at none of them ("Not free on Tuesdays, the role's evening")."""
    gaps = []
    to_learn = opportunity.required_skills - volunteer.skills
    if to_learn:
        them = "it" if len(to_learn) == 1 else "them"
        gaps.append(f"Has not done {_names(to_learn, labels, 'or')} yet; the role teaches {them}")
    if opportunity.availability and not opportunity.availability & volunteer.availability:
        gaps.append(not_free_reason(opportunity))
    return gaps
