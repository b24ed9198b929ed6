"""How features become one score in [0, 1]: hand-set weights or a fitted logistic regression.

Both are a linear function of the features followed by a monotone link (clip or sigmoid), so the
ranking is decided by the linear part alone. The full run relies on that: it folds the linear part
into one sparse matrix product (see :mod:`matching.engine.ranking`).

Stored as a small JSON dict (never pickle): Django keeps it in the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching.engine.features import FEATURE_NAMES

LINKS = ("identity", "logistic")

#: Hand-set weights, summing to 1 so the score is a weighted average of features in [0, 1].
#: The hard rules (eligibility.RULES) already say whether someone can do the role: distance within
#: their own radius, required skills unless the role teaches them, a shared slot for fixed times,
#: checks, trainings, age. Among the roles that pass, what decides whether a suggestion is right
#: is whether it is the work the person asked for, so the text fit carries most of the weight
#: (0.70), the causes they picked come next (0.12), and the rest only break ties: skills the role
#: teaches or prefers, distance within reach, slots of a flexible role, a language.
#:
#: Why: with the former weights (text 0.30, skills 0.20, time 0.15, cause 0.15, distance 0.10)
#: the text moved a score by about 0.05 between a pair judged irrelevant and one judged excellent
#: while distance and causes swung it by 0.1-0.15, so the queue ordered by distance and tags. On
#: the tune half of bench/relevance.py's personas, ordering each persona's eligible roles by
#: these weights scores nDCG@10 0.53 against 0.49 before (text alone: 0.50); figures and the
#: holdout half in docs/benchmarks.md, "Relevance of the shipped score".
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "text_similarity": 0.70,
    "required_skill_coverage": 0.05,
    "preferred_skill_coverage": 0.02,
    "cause_overlap": 0.12,
    "availability_overlap": 0.03,
    "distance_fit": 0.05,
    "language_fit": 0.03,
}


@dataclass(frozen=True)
class ScoringModel:
    version: str
    coefficients: tuple[float, ...]
    intercept: float = 0.0
    link: str = "identity"
    feature_names: tuple[str, ...] = FEATURE_NAMES
    training_size: int = 0
    metrics: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if tuple(self.feature_names) != FEATURE_NAMES:
            raise ValueError(
                f"model {self.version!r} was built for features {list(self.feature_names)}, "
                f"the engine computes {list(FEATURE_NAMES)}"
            )
        if len(self.coefficients) != len(FEATURE_NAMES):
            raise ValueError("one coefficient per feature expected")
        if self.link not in LINKS:
            raise ValueError(f"link must be one of {LINKS}")

    @property
    def weights(self) -> NDArray[np.float64]:
        return np.asarray(self.coefficients, dtype=np.float64)

    def linear(self, features: NDArray[np.floating]) -> NDArray[np.float64]:
        return np.asarray(features, dtype=np.float64) @ self.weights + self.intercept

    def score_from_linear(self, linear: NDArray[np.floating]) -> NDArray[np.float64]:
        linear = np.asarray(linear, dtype=np.float64)
        if self.link == "logistic":
            return 1.0 / (1.0 + np.exp(-linear))
        return np.clip(linear, 0.0, 1.0)

    def score(self, features: NDArray[np.floating]) -> NDArray[np.float64]:
        """Scores in [0, 1] for a (pairs, features) matrix."""
        return self.score_from_linear(self.linear(features))

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "feature_names": list(self.feature_names),
            "coefficients": [float(c) for c in self.coefficients],
            "intercept": float(self.intercept),
            "link": self.link,
            "training_size": int(self.training_size),
            "metrics": {k: float(v) for k, v in self.metrics.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoringModel:
        return cls(
            version=str(data["version"]),
            feature_names=tuple(data["feature_names"]),
            coefficients=tuple(float(c) for c in data["coefficients"]),
            intercept=float(data.get("intercept", 0.0)),
            link=str(data.get("link", "identity")),
            training_size=int(data.get("training_size", 0)),
            metrics={k: float(v) for k, v in data.get("metrics", {}).items()},
        )


DEFAULT_MODEL = ScoringModel(
    version="default-weights-2",
    coefficients=tuple(DEFAULT_WEIGHTS[name] for name in FEATURE_NAMES),
)
