"""What the product could reach on the judged set, and why not more (``bench/relevance.py``).

The product only ever suggests roles its hard rules allow (eligibility.RULES: distance, mode, age,
checks, trainings, skills, shared time...), while the judges grade what a persona asked for and
could plausibly do: the grading rules accept an in-person role "roughly within twice their travel
distance" and a training "they do not hold yet" as a good fit (grade 2). So some relevant roles can
never be suggested, and the product's nDCG@10 has a ceiling below 1 that the baselines, which rank
the whole catalogue without rules, do not share.

This module measures, inside the product path's throwaway database:

* each persona's **eligible roles** with the features the engine computes for them (every role,
  not only the suggested ones), so rankers can be compared on the same candidates;
* the **ceiling**: the best possible ranking of the eligible roles (judged grades, best first);
* for each relevant role (grade >= 2) that is not eligible, the rule(s) that keep it out.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench._relevance_data import RELEVANT, Persona, Ranking

CEILING = "ceiling: best order of the product's eligible roles"
SCORE_ALONE = "product score alone, before the assignment"
WITHIN_ELIGIBLE = " (eligible roles only)"


@dataclass
class EligibleView:
    """Per persona: eligible role keys -> feature values, and why relevant roles are left out."""

    features: list[dict[str, dict[str, float]]] = field(default_factory=list)
    blocked: list[dict[str, list[str]]] = field(default_factory=list)


def eligible_view(
    profile_ids: Sequence[int],
    key_of: Mapping[int, str],
    judgments: Mapping[tuple[str, str], int],
    personas: Sequence[Persona],
) -> EligibleView:
    """Inside the product path's database, after its run (Django set up)."""
    from django.utils import timezone

    from matching import records as record_builders
    from matching.engine import rank_for_volunteer
    from matching.engine.eligibility import ineligibility_reasons
    from suggestions.services import candidates
    from volunteers.models import VolunteerProfile

    snapshot = candidates.role_snapshot()
    today = timezone.localdate()
    records = record_builders.volunteer_records(
        VolunteerProfile.objects.filter(id__in=list(profile_ids)).order_by("id"), today=today
    )
    by_id = {record.id: record for record in records}
    view = EligibleView()
    index = snapshot.index
    for profile_id, persona in zip(profile_ids, personas, strict=True):
        volunteer = by_id[profile_id]
        ranked = (
            []
            if index is None
            else rank_for_volunteer(volunteer, index, k=len(snapshot.roles), labels=snapshot.labels)
        )
        view.features.append({key_of[s.opportunity_id]: dict(s.features) for s in ranked})
        blocked = {}
        for role_id, role in snapshot.roles.items():
            key = key_of[role_id]
            if judgments.get((persona.id, key), 0) >= RELEVANT and key not in view.features[-1]:
                blocked[key] = ineligibility_reasons(volunteer, role, today=today)
        view.blocked.append(blocked)
    return view


def ceiling_rankings(
    view: EligibleView, personas: Sequence[Persona], judgments: Mapping[tuple[str, str], int]
) -> list[Ranking]:
    """The judged-best order of each persona's eligible roles: the most any product order can do."""

    def best_first(eligible: Mapping[str, object], persona: Persona) -> Ranking:
        return sorted(eligible, key=lambda key: (-judgments.get((persona.id, key), 0), key))

    return [
        best_first(eligible, persona)
        for eligible, persona in zip(view.features, personas, strict=True)
    ]


def score_alone_rankings(view: EligibleView) -> list[Ranking]:
    """Each persona's eligible roles by the product's score alone (``rank_for_volunteer`` without
    the run's assignment): what the persona would see if nobody else were matched."""
    return [list(eligible) for eligible in view.features]


def restricted_to_eligible(
    rankings: Mapping[str, list[Ranking]], view: EligibleView
) -> dict[str, list[Ranking]]:
    """Each baseline's order with every role the product could not suggest taken out."""
    return {
        name + WITHIN_ELIGIBLE: [
            [key for key in ranking if key in eligible]
            for ranking, eligible in zip(per_persona, view.features, strict=True)
        ]
        for name, per_persona in rankings.items()
    }


def blocked_table(view: EligibleView, personas: Sequence[Persona]) -> str:
    """How many relevant (grade >= 2) pairs each rule keeps out; "sole" = the only rule broken."""
    sole: Counter[str] = Counter()
    any_: Counter[str] = Counter()
    pairs = 0
    for blocked in view.blocked:
        for codes in blocked.values():
            pairs += 1
            any_.update(codes)
            if len(codes) == 1:
                sole[codes[0]] += 1
    lines = [
        f"{pairs} relevant pairs (grade >= {RELEVANT}) the product cannot suggest, over "
        f"{sum(bool(b) for b in view.blocked)} of {len(personas)} personas:",
        "",
        "| rule that keeps the role out | pairs (sole reason) | pairs (among others) |",
        "| --- | --- | --- |",
    ]
    for code, n in any_.most_common():
        lines.append(f"| {code} | {sole[code]} | {n} |")
    return "\n".join(lines)


def eligible_counts(view: EligibleView) -> tuple[int, int, int]:
    """Median, min and max eligible roles per persona."""
    sizes = [len(eligible) for eligible in view.features]
    return int(np.median(sizes)), min(sizes), max(sizes)


def relevant_reachable_share(
    view: EligibleView, personas: Sequence[Persona], judgments: Mapping[tuple[str, str], int]
) -> float:
    """Share of the judged relevant pairs that are eligible (the rest can never be suggested)."""
    eligible_relevant = sum(
        judgments.get((persona.id, key), 0) >= RELEVANT
        for eligible, persona in zip(view.features, personas, strict=True)
        for key in eligible
    )
    blocked = sum(len(b) for b in view.blocked)
    total = eligible_relevant + blocked
    return eligible_relevant / total if total else 1.0


def dump_features(path: Path, view: EligibleView, personas: Sequence[Persona]) -> None:
    """Every persona's eligible roles and their features as JSON: what a weight change is tried on
    (tune personas only: the holdout ones are in the file for the final report)."""
    rows = [
        {"persona": persona.id, "split": persona.split, "eligible": eligible}
        for persona, eligible in zip(personas, view.features, strict=True)
    ]
    path.write_text(json.dumps(rows), encoding="utf-8")
