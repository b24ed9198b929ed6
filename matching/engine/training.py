"""Learn the score from coordinators' decisions, in a way that cannot run away.

Labels come from the Django side: 1 for suggestions people said yes to, 0 for rejected or declined
ones; features are the stored ``Match.features`` in FEATURE_NAMES order, with the position the
suggestion held in its role's queue when it was decided and the organization that decided it.

Five guards, each against something that once went wrong:

* **Enough decisions, from enough organizations** (:func:`refit_refusal`): a refit on 99
  decisions by one coordinator learned a negative weight for distance.
* **Signs that must hold** (:data:`FEATURES_THAT_MUST_HELP`): a logistic regression fitted with
  L-BFGS-B under bounds, so a better text fit, more skills, a nearer place, a shared cause, shared
  hours or a spoken language can never lower a score.
* **Per-organization offsets**: each organization gets its own intercept, zero unless its
  decisions lean beyond chance (L1, then refitted without it), that absorbs how often its
  coordinators say yes, so the shared weights and intercept follow the organizations that do not
  lean. The offsets are never used to score (a queue belongs to one role of one organization, so
  an offset could not reorder it anyway).
* **Position debiasing**: people decide more often on what sits at the top of a queue, so a
  decision at position k stands for more unseen ones. Each decision is weighed by the inverse of
  the propensity of being examined there, ``position ** -eta`` (Joachims, Swaminathan and
  Schnabel, "Unbiased learning-to-rank with biased feedback", 2017), clipped so one decision far
  down cannot dominate.
* **Validated on later decisions, promoted only outside chance** (:func:`compare_on_later`): the
  fit learns from the earlier decisions and is judged on the later ones; it replaces the current
  model only when the paired-bootstrap 95% interval of the AUC difference lies above a margin.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize
from scipy.stats import rankdata
from sklearn.metrics import average_precision_score, log_loss, roc_auc_score

from matching.engine.features import FEATURE_NAMES
from matching.engine.scoring import ScoringModel

#: Features whose weight may not be negative: each says the pair fits better. All seven today; a
#: feature that may cut either way would be left out of this set.
FEATURES_THAT_MUST_HELP: frozenset[str] = frozenset(
    {
        "text_similarity",
        "required_skill_coverage",
        "preferred_skill_coverage",
        "distance_fit",
        "cause_overlap",
        "availability_overlap",
        "language_fit",
    }
)
#: Examination propensity ~ position ** -eta. 1.0 is the usual starting value for ranked lists
#: (Joachims et al. 2017 estimate eta close to 1 for web results); a queue of ten that a
#: coordinator scrolls through is flatter than a page of search results, so 1.0 errs on the side
#: of correcting too much, which the clip below bounds.
POSITION_ETA = 1.0
#: No decision weighs more than this many times one at the top (position 10 with eta = 1).
MAX_POSITION_WEIGHT = 10.0
#: Share of the decisions, the latest ones, kept to judge the fit.
VALIDATION_SHARE = 0.25
#: Inverse L2 strength of the shared weights (as scikit-learn's C, whose default it is).
C_WEIGHTS = 1.0
#: L1 strength of an organization's offset per square root of its decisions (see fit_model): 1.0
#: is twice the largest standard deviation of the residual sum of decisions that do not lean.
OFFSET_PENALTY = 1.0
#: A touch of L2 on the offsets, so that the split into intercept and offsets is unique.
OFFSET_RIDGE = 1e-3
BOOTSTRAP_SAMPLES = 1000
#: Fewer later decisions than this (or than this share of each outcome) cannot tell two models
#: apart: an AUC of 1.0 on 30 rows was once enough to promote.
MIN_VALIDATION_ROWS = 50
MIN_VALIDATION_PER_OUTCOME = 10


@dataclass(frozen=True)
class Decisions:
    """Decided suggestions, one row each, in any order (``decided_at`` orders them)."""

    features: NDArray[np.float64]  # (n, len(FEATURE_NAMES))
    labels: NDArray[np.int64]  # 1 = yes, 0 = no
    organizations: NDArray[np.int64]
    positions: NDArray[np.int64]  # 1 = top of the queue; 0 = not logged (weighed as the top)
    decided_at: NDArray[np.float64]  # seconds, any epoch

    def __post_init__(self) -> None:
        n = len(self.labels)
        if np.asarray(self.features).shape != (n, len(FEATURE_NAMES)):
            raise ValueError(
                f"features must be (rows, {len(FEATURE_NAMES)}) in FEATURE_NAMES order"
            )
        for name in ("organizations", "positions", "decided_at"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name} must have one value per decision")

    @classmethod
    def of(
        cls,
        features: object,
        labels: object,
        *,
        organizations: object,
        positions: object | None = None,
        decided_at: object | None = None,
    ) -> Decisions:
        y = np.asarray(labels, dtype=np.int64)
        n = len(y)
        return cls(
            features=np.asarray(features, dtype=np.float64).reshape(n, len(FEATURE_NAMES)),
            labels=y,
            organizations=np.asarray(organizations, dtype=np.int64),
            positions=np.zeros(n, np.int64) if positions is None else np.asarray(positions, int),
            decided_at=np.arange(n, dtype=np.float64)
            if decided_at is None
            else np.asarray(decided_at, dtype=np.float64),
        )

    def __len__(self) -> int:
        return len(self.labels)

    def take(self, rows: NDArray[np.int64]) -> Decisions:
        return Decisions(
            features=self.features[rows],
            labels=self.labels[rows],
            organizations=self.organizations[rows],
            positions=self.positions[rows],
            decided_at=self.decided_at[rows],
        )


@dataclass(frozen=True)
class RefitRules:
    min_decisions: int = 200
    min_per_outcome: int = 50
    min_organizations: int = 3


def refit_refusal(decisions: Decisions, rules: RefitRules) -> str | None:
    """Why there is not enough to learn from, in words, or None."""
    n = len(decisions)
    yes = int(decisions.labels.sum())
    no = n - yes
    organizations = len(np.unique(decisions.organizations))
    if n < rules.min_decisions:
        return f"Not enough decisions to learn from: {n} decided, {rules.min_decisions} needed."
    if min(yes, no) < rules.min_per_outcome:
        return (
            f"Not enough of each outcome to learn from: {yes} yes and {no} no, "
            f"{rules.min_per_outcome} of each needed."
        )
    if organizations < rules.min_organizations:
        return (
            f"Decisions from too few organizations to learn from: {organizations}, "
            f"{rules.min_organizations} needed, so one coordinator's habits do not steer everyone."
        )
    return None


def time_split(
    decisions: Decisions, *, validation_share: float = VALIDATION_SHARE
) -> tuple[Decisions, Decisions]:
    """The earlier decisions to learn from, the later ones to judge on (ties kept in row order)."""
    order = np.argsort(decisions.decided_at, kind="stable")
    cut = len(order) - round(len(order) * validation_share)
    return decisions.take(order[:cut]), decisions.take(order[cut:])


def propensity_weights(
    positions: NDArray[np.integer],
    *,
    eta: float = POSITION_ETA,
    max_weight: float = MAX_POSITION_WEIGHT,
) -> NDArray[np.float64]:
    """1 / propensity = position ** eta, clipped at ``max_weight``, scaled to mean 1; a position
    not logged (0) counts as the top."""
    position = np.maximum(np.asarray(positions, dtype=np.float64), 1.0)
    weights = np.minimum(position**eta, max_weight)
    return weights / weights.mean() if len(weights) else weights


@dataclass(frozen=True)
class FittedModel:
    """The model that scores (shared weights and intercept) and the offsets it learned beside."""

    model: ScoringModel
    organization_offsets: Mapping[int, float] = field(default_factory=dict)


def fit_model(
    decisions: Decisions,
    *,
    version: str,
    eta: float = POSITION_ETA,
    c_weights: float = C_WEIGHTS,
    offset_penalty: float = OFFSET_PENALTY,
) -> FittedModel:
    """Position-weighted logistic regression with sign bounds and per-organization offsets.

    Minimises ``sum_i s_i logloss(y_i, w.x_i + b + o[org_i]) + |w|^2 / 2C + sum_k l_k |o_k|``
    with L-BFGS-B (``o = o+ - o-``, both >= 0, makes the L1 term smooth), ``w_j >= 0`` for
    FEATURES_THAT_MUST_HELP, ``b`` unpenalised and ``l_k = offset_penalty * sqrt(n_k)``.

    Why L1 and that scale: an organization earns an offset only when its decisions lean further
    than chance would make ``n_k`` of them lean (the sum of their residuals, whose standard
    deviation is at most ``sqrt(n_k) / 2``). The offsets so chosen are then refitted without the
    L1 term (a "relaxed lasso"): the penalty would otherwise leave part of a lenient
    organization's lean in the shared intercept, which scores everyone. The shared intercept so
    describes the organizations that do not lean. Deterministic.
    """
    x, y = decisions.features, decisions.labels.astype(np.float64)
    if len(y) == 0 or len(np.unique(y)) < 2:
        raise ValueError("need decisions of both outcomes")
    s = propensity_weights(decisions.positions, eta=eta)
    organizations, group = np.unique(decisions.organizations, return_inverse=True)
    d, k = x.shape[1], len(organizations)
    sign_bounds = [
        (0.0, None) if name in FEATURES_THAT_MUST_HELP else (None, None) for name in FEATURE_NAMES
    ]

    def solve(penalty: NDArray[np.float64], free: NDArray[np.bool_]) -> NDArray[np.float64]:
        def objective(theta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
            w, b = theta[:d], theta[d]
            up, down = theta[d + 1 : d + 1 + k], theta[d + 1 + k :]
            offsets = up - down
            z = x @ w + b + offsets[group]
            # log(1 + e^z) - y z, computed without overflow.
            loss = float(np.sum(s * (np.logaddexp(0.0, z) - y * z)))
            loss += float(w @ w) / (2 * c_weights) + float(penalty @ (up + down))
            loss += OFFSET_RIDGE * float(offsets @ offsets) / 2
            residual = s * (1.0 / (1.0 + np.exp(-z)) - y)
            per_organization = (
                np.asarray(np.bincount(group, weights=residual, minlength=k), dtype=np.float64)
                + OFFSET_RIDGE * offsets
            )
            gradient = np.empty_like(theta)
            gradient[:d] = x.T @ residual + w / c_weights
            gradient[d] = residual.sum()
            gradient[d + 1 : d + 1 + k] = per_organization + penalty
            gradient[d + 1 + k :] = -per_organization + penalty
            return loss, gradient

        offset_bounds = [(0.0, None) if f else (0.0, 0.0) for f in free]
        result = minimize(
            objective,
            np.zeros(d + 1 + 2 * k),
            jac=True,
            method="L-BFGS-B",
            bounds=[*sign_bounds, (None, None), *offset_bounds, *offset_bounds],
            options={"maxiter": 5000},
        )
        return np.asarray(result.x)

    counts = np.bincount(group, minlength=k).astype(np.float64)
    selecting = solve(offset_penalty * np.sqrt(counts), np.ones(k, dtype=bool))
    leaning = np.abs(selecting[d + 1 : d + 1 + k] - selecting[d + 1 + k :]) > 1e-6
    theta = solve(np.zeros(k), leaning) if leaning.any() else selecting
    # L-BFGS-B keeps every iterate inside the bounds; the clip only removes a -0.0.
    coefficients = tuple(
        max(float(c), 0.0) if name in FEATURES_THAT_MUST_HELP else float(c)
        for name, c in zip(FEATURE_NAMES, theta[:d], strict=True)
    )
    model = ScoringModel(
        version=version,
        coefficients=coefficients,
        intercept=float(theta[d]),
        link="logistic",
        training_size=len(y),
    )
    learned = theta[d + 1 : d + 1 + k] - theta[d + 1 + k :]
    # Rounded: an offset the penalty pinned at zero reads as 0.0, not 1e-9.
    offsets = {int(org): round(float(learned[i]), 6) for i, org in enumerate(organizations)}
    return FittedModel(model=model, organization_offsets=offsets)


def evaluate(model: ScoringModel, features: NDArray, labels: NDArray) -> dict[str, float]:
    """ROC AUC, average precision and log loss of ``model`` on labelled pairs."""
    y = np.asarray(labels).astype(int)
    p = np.clip(model.score(features), 1e-6, 1 - 1e-6)
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "average_precision": float(average_precision_score(y, p)),
        "log_loss": float(log_loss(y, p, labels=[0, 1])),
    }


def _auc(scores: NDArray[np.float64], labels: NDArray[np.int64]) -> float:
    """ROC AUC by ranks (ties half), fast enough to repeat a thousand times."""
    ranks = rankdata(scores)
    positives = labels == 1
    n_pos, n_neg = int(positives.sum()), int((~positives).sum())
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


@dataclass(frozen=True)
class Comparison:
    """A candidate against the current model on the same later decisions."""

    promote: bool
    reason: str
    rows: int
    candidate_auc: float | None = None
    current_auc: float | None = None
    difference_low: float | None = None
    difference_high: float | None = None

    def as_metrics(self) -> dict[str, float]:
        values = {
            "later_decisions": self.rows,
            "roc_auc": self.candidate_auc,
            "current_roc_auc": self.current_auc,
            "auc_difference_low": self.difference_low,
            "auc_difference_high": self.difference_high,
        }
        return {k: float(v) for k, v in values.items() if v is not None}


def compare_on_later(
    candidate: ScoringModel,
    current: ScoringModel,
    later: Decisions,
    *,
    margin: float = 0.0,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = 0,
) -> Comparison:
    """Promote only when the 95% paired-bootstrap interval of AUC(candidate) - AUC(current) on the
    later decisions lies above ``margin``. Too few later decisions (or of one outcome) refuse."""
    y = later.labels.astype(np.int64)
    n, yes = len(y), int(y.sum())
    if n < MIN_VALIDATION_ROWS or min(yes, n - yes) < MIN_VALIDATION_PER_OUTCOME:
        reason = (
            f"Too few later decisions to tell the models apart: {n} ({yes} yes), "
            f"{MIN_VALIDATION_ROWS} needed with {MIN_VALIDATION_PER_OUTCOME} of each outcome."
        )
        return Comparison(promote=False, reason=reason, rows=n)
    new, old = candidate.score(later.features), current.score(later.features)
    rng = np.random.default_rng(seed)
    differences = []
    for _ in range(samples):
        rows = rng.integers(0, n, n)
        if 0 < y[rows].sum() < n:
            differences.append(_auc(new[rows], y[rows]) - _auc(old[rows], y[rows]))
    low, high = (float(v) for v in np.percentile(differences, [2.5, 97.5]))
    new_auc, old_auc = _auc(new, y), _auc(old, y)
    promote = low > margin
    interval = (
        f"AUC {new_auc:.3f} against {old_auc:.3f}, difference 95% interval [{low:.3f}, {high:.3f}]"
    )
    reason = (
        f"Better on {n} later decisions: {interval}."
        if promote
        else f"Not better by more than chance on {n} later decisions: {interval}."
    )
    return Comparison(promote, reason, n, new_auc, old_auc, low, high)
