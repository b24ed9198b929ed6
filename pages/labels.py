"""Words the pages show for the project's codes (modes, statuses, slots, reason codes, distance
bands), translatable. The codes and their English labels stay where they are defined; these are
what a person reads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MODES = {
    "in_person": _("In person"),
    "remote": _("Remote"),
    "phone": _("Phone"),
    "hybrid": _("Hybrid"),
}
MATCH_STATUSES = {
    "suggested": _("Suggested"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "offered": _("Offered to you"),
    "accepted": _("Accepted"),
    "declined": _("Declined"),
    "active": _("Active"),
    "on_hold": _("On hold"),
    "completed": _("Completed"),
    "withdrawn": _("Withdrawn"),
}
DAYS = {
    "mon": _("Monday"),
    "tue": _("Tuesday"),
    "wed": _("Wednesday"),
    "thu": _("Thursday"),
    "fri": _("Friday"),
    "sat": _("Saturday"),
    "sun": _("Sunday"),
}
PARTS_OF_DAY = {
    "morning": _("Morning"),
    "afternoon": _("Afternoon"),
    "evening": _("Evening"),
    "night": _("Night"),
}
VOLUNTEER_REASONS = {
    "schedule": _("Schedule"),
    "location": _("Location"),
    "not_a_fit": _("Not a fit"),
    "personal": _("Personal reasons"),
    "found_another": _("Found another role"),
    "other": _("Other"),
}
COORDINATOR_REASONS = {
    "not_a_fit": _("Not a fit"),
    "schedule": _("Schedule"),
    "location": _("Location"),
    "skills": _("Skills"),
    "safety": _("Safety"),
    "capacity": _("Capacity"),
    "other": _("Other"),
}
CHECK_STATUSES = {
    "none": _("None"),
    "pending": _("Pending"),
    "cleared": _("Cleared"),
    "expired": _("Expired"),
}
#: matching.engine.rules.DISTANCE_BANDS, as a person reads them.
DISTANCE_BANDS = {
    "under 2 km": _("under 2 km"),
    "2-5 km": _("2 to 5 km"),
    "5-10 km": _("5 to 10 km"),
    "10-25 km": _("10 to 25 km"),
    "over 25 km": _("over 25 km"),
}
#: The same bands as a deployment in miles says them (matching.engine.rules.BANDS_IN_MILES).
DISTANCE_BANDS_IN_MILES = {
    "under 2 km": _("under 1¼ mi"),
    "2-5 km": _("1¼ to 3 mi"),
    "5-10 km": _("3 to 6 mi"),
    "10-25 km": _("6 to 15 mi"),
    "over 25 km": _("over 15 mi"),
}


def label(table: dict, code: str) -> str:
    return str(table.get(code, code))
