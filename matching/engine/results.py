"""The engine's output: one suggested pair with its score, named features and readable reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Suggestion:
    volunteer_id: int
    opportunity_id: int
    score: float  # in [0, 1]
    rank: int  # 1 = first shown to this volunteer (or for this role)
    features: dict[str, float] = field(default_factory=dict)  # FEATURE_NAMES -> value, JSON-ready
    reasons: list[str] = field(default_factory=list)  # 2 to 4 sentences a coordinator can read

    def to_dict(self) -> dict[str, Any]:
        return {
            "volunteer_id": self.volunteer_id,
            "opportunity_id": self.opportunity_id,
            "score": self.score,
            "rank": self.rank,
            "features": dict(self.features),
            "reasons": list(self.reasons),
        }
