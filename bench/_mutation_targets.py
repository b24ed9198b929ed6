"""What bench/mutation.py mutates and tests, per target, and the surviving mutants known to be
equivalent (each with the reason it cannot change behaviour)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    modules: tuple[str, ...]
    tests: tuple[str, ...]
    slow_tests: tuple[str, ...] = ()
    #: Tests that fail on the unmutated code (mutmut refuses to start then), with the reason.
    deselect: tuple[tuple[str, str], ...] = ()


TARGETS: dict[str, Target] = {
    "engine": Target(
        # rules.py: the building blocks eligibility.py delegates to (age, expiry, check, travel).
        modules=("matching/engine/eligibility.py", "matching/engine/rules.py"),
        tests=(
            "tests/matching/engine/test_engine_eligibility.py",
            "tests/matching/engine/test_engine_eligibility_edges.py",
        ),
        slow_tests=("tests/matching/engine/test_engine_properties.py",),
    ),
    "placements": Target(
        modules=(
            "placements/services/transitions.py",
            "placements/services/eligibility.py",
            "placements/states.py",
            "placements/permissions.py",
        ),
        tests=(
            "tests/placements/test_lifecycle_services.py",
            "tests/placements/test_lifecycle_permissions.py",
            "tests/placements/test_lifecycle_story.py",
            "tests/placements/test_lifecycle_concurrency.py",
            "tests/placements/test_lifecycle_guards.py",
        ),
    ),
}

#: Surviving mutants that cannot change behaviour, and why. They stay in the figures as
#: survivors: none is excluded with ``# pragma: no mutate``, so the production code carries no
#: marks for the tool. A survivor not listed here is a gap in the tests.
EQUIVALENT: dict[str, dict[str, str]] = {
    "engine": {},
    "placements": {
        **{
            f"placements.services.transitions.x_{service}__mutmut_6": (
                "`required=False` -> `required=None`: `check_reason` only tests `if required:`, "
                "and None is as false as False"
            )
            for service in ("match_decline", "match_complete")
        },
        "placements.services.transitions.x_match_approve__mutmut_23": (
            "`holding_place=False` -> `holding_place=None`: `pair_records` only tests "
            "`if holding_place:`"
        ),
        **{
            f"placements.services.transitions.x_{name}": (
                "`conflict=...` -> `conflict=None`: the message is used only when the move is not "
                f"allowed, and {why}"
            )
            for name, why in (
                (
                    "match_withdraw_if_ineligible__mutmut_21",
                    "the function has just returned for every status outside SWEPT_STATUSES "
                    "(suggested, approved, offered), all of which may move to withdrawn",
                ),
                (
                    "match_approve__mutmut_59",
                    "the status was checked to be suggested just above, and suggested may move to "
                    "approved",
                ),
                (
                    "match_approve__mutmut_68",
                    "the match was moved to approved on the line before, and approved may move to "
                    "offered",
                ),
                (
                    "match_accept__mutmut_34",
                    "the status was checked to be offered just above, and offered may move to "
                    "accepted",
                ),
                (
                    "match_accept__mutmut_45",
                    "the match was moved to accepted on the line before, and accepted may move to "
                    "active",
                ),
            )
        },
        **{
            f"placements.services.{name}": (
                "`today=today` -> `today=None` for the record builders: "
                "`matching/records.py` accepts `today` and drops it (`del today`), dates are "
                "compared by the engine"
            )
            for name in (
                "eligibility.x_match_ineligibility__mutmut_3",
                "transitions.x_match_approve__mutmut_22",
                "eligibility.x_pair_records__mutmut_3",
                "eligibility.x_pair_records__mutmut_8",
            )
        },
    },
}
