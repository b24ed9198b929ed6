"""Weekly availability: day x part of day, 28 slots such as ``mon-morning`` or ``sun-night``."""

from collections.abc import Iterable

from django.utils.translation import gettext_noop

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS_OF_DAY = ("morning", "afternoon", "evening", "night")
SLOTS: tuple[str, ...] = tuple(f"{day}-{part}" for day in DAYS for part in PARTS_OF_DAY)
SLOT_SET = frozenset(SLOTS)

INVALID_SLOT_MESSAGE = gettext_noop(
    "Unknown availability slot {slot!r}: use day-part such as 'mon-morning' or 'sun-night'."
)


def invalid_slots(slots: Iterable[object]) -> list[str]:
    """The entries that are not one of the 28 slot names."""
    return [str(slot) for slot in slots if slot not in SLOT_SET]


def normalise_slots(slots: Iterable[str]) -> list[str]:
    """Deduplicated, in calendar order, so stored lists compare equal whatever the input order."""
    wanted = set(slots)
    return [slot for slot in SLOTS if slot in wanted]
