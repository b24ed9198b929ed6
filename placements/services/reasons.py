"""Reason codes people and the system give for a transition (a fixed list: the refit and the
reports group by them), the words a volunteer reads for each engine rule, and the one check of a
reason given."""

from __future__ import annotations

from backend.errors import ApplicationError
from matching.engine import eligibility

#: Why a coordinator rejects a suggestion or withdraws a match (a fixed list: the refit uses them).
COORDINATOR_REASONS: dict[str, str] = {
    "not_a_fit": "Not a fit",
    "schedule": "Schedule",
    "location": "Location",
    "skills": "Skills",
    "safety": "Safety",
    "capacity": "Capacity",
    "other": "Other",
}
#: Why a volunteer declines or withdraws.
VOLUNTEER_REASONS: dict[str, str] = {
    "schedule": "Schedule",
    "location": "Location",
    "not_a_fit": "Not a fit",
    "personal": "Personal reasons",
    "found_another": "Found another role",
    "other": "Other",
}
#: Why a coordinator approved a pair the engine had not put in their queue: the volunteer asked
#: for the role ("I'm interested", placements/services/interest.py).
VOLUNTEER_ASKED = "volunteer_asked"
APPROVE_REASONS: dict[str, str] = {VOLUNTEER_ASKED: "The volunteer asked for this role"}
#: Reasons the system records on its own transitions.
SYSTEM_NO_LONGER_ELIGIBLE = "no_longer_eligible"
SYSTEM_ROLE_STARTED = "role_started"
SYSTEM_CREDENTIAL_LAPSED = "credential_lapsed"
SYSTEM_CREDENTIAL_RENEWED = "credential_renewed"
SYSTEM_REASONS: dict[str, str] = {
    SYSTEM_NO_LONGER_ELIGIBLE: "No longer eligible",
    SYSTEM_ROLE_STARTED: "The role started",
    SYSTEM_CREDENTIAL_LAPSED: "A background check or training the role needs is no longer valid",
    SYSTEM_CREDENTIAL_RENEWED: "The background check or training is valid again",
}
#: Why platform staff withdraw a match: they act only on a safeguarding concern, with a note.
STAFF_SAFEGUARDING = "safeguarding"
STAFF_REASONS: dict[str, str] = {
    STAFF_SAFEGUARDING: "Withdrawn by platform staff for a safeguarding concern",
}
COMPLETE_REASONS: dict[str, str] = {
    "finished": "The role finished",
    "term_ended": "The agreed term ended",
    "other": "Other",
}

#: What a volunteer reads for each engine ineligibility code.
INELIGIBILITY_TEXT: dict[str, str] = {
    eligibility.ROLE_NOT_OPEN: "the role is no longer open or has no place left",
    eligibility.VOLUNTEER_UNAVAILABLE: "the volunteer is paused or already holds the most "
    "commitments they asked for",
    eligibility.MODE_NOT_ACCEPTED: "the volunteer does not accept this way of volunteering",
    eligibility.TOO_FAR: "the role is farther than the volunteer travels",
    eligibility.TOO_YOUNG: "the volunteer is younger than the role's minimum age",
    eligibility.BACKGROUND_CHECK_MISSING: "a valid background check is needed on the start date",
    eligibility.TRAINING_MISSING: "a required training is missing or expires before the start",
    eligibility.LANGUAGE_MISSING: "a required language is missing",
    eligibility.HOURS_EXCEEDED: "the role's hours exceed the volunteer's weekly limit",
    eligibility.SKILL_MISSING: "the volunteer lacks a skill the role requires",
    eligibility.NO_SHARED_TIME: "the volunteer is not free at any of the role's fixed times",
    eligibility.PAIR_EXCLUDED: "this pair was closed before",
}


REASON_REQUIRED = "Give a reason."
REASON_UNKNOWN = "Choose one of: {choices}."


def check_reason(reason: str, choices: dict[str, str], *, required: bool) -> str:
    """The reason, stripped; refused (400 on the ``reason`` field) when it is missing but required
    or not one of ``choices``."""
    reason = (reason or "").strip()
    if not reason:
        if required:
            raise ApplicationError(REASON_REQUIRED, fields={"reason": [REASON_REQUIRED]})
        return ""
    if reason not in choices:
        message = REASON_UNKNOWN.format(choices=", ".join(choices))
        raise ApplicationError(message, fields={"reason": [message]})
    return reason
