"""Fit a logistic regression on past outcomes, and decide whether it may replace the current model.

Labels come from the Django side: 1 for suggestions a coordinator approved and the volunteer
accepted, 0 for rejected or declined ones; features are the stored ``Match.features`` in
FEATURE_NAMES order.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split

from matching.engine.features import FEATURE_NAMES
from matching.engine.scoring import ScoringModel

HELD_OUT_SHARE = 0.25
MIN_TRAINING_ROWS = 20
#: Metric -> True when higher is better.
METRICS: dict[str, bool] = {"roc_auc": True, "average_precision": True, "log_loss": False}


def evaluate(model: ScoringModel, features: NDArray, labels: NDArray) -> dict[str, float]:
    """ROC AUC, average precision and log loss of ``model`` on labelled pairs."""
    y = np.asarray(labels).astype(int)
    p = np.clip(model.score(features), 1e-6, 1 - 1e-6)
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "average_precision": float(average_precision_score(y, p)),
        "log_loss": float(log_loss(y, p, labels=[0, 1])),
    }


def fit_model(
    features: NDArray, labels: NDArray, *, version: str, seed: int = 0, C: float = 1.0
) -> ScoringModel:
    """Fit on 75% of the rows (stratified, seeded) and record metrics on the other 25%."""
    x = np.asarray(features, dtype=np.float64)
    y = np.asarray(labels).astype(int)
    if x.ndim != 2 or x.shape[1] != len(FEATURE_NAMES):
        raise ValueError(f"features must be (rows, {len(FEATURE_NAMES)}) in FEATURE_NAMES order")
    if len(y) < MIN_TRAINING_ROWS or len(np.unique(y)) < 2:
        raise ValueError(f"need at least {MIN_TRAINING_ROWS} rows and both outcomes")
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=HELD_OUT_SHARE, random_state=seed, stratify=y
    )
    regression = LogisticRegression(C=C, max_iter=1000).fit(x_train, y_train)
    model = ScoringModel(
        version=version,
        coefficients=tuple(float(c) for c in regression.coef_[0]),
        intercept=float(regression.intercept_[0]),
        link="logistic",
        training_size=len(y_train),
    )
    metrics = evaluate(model, x_test, y_test)
    return replace(model, metrics=metrics)


def is_at_least_as_good(
    candidate: ScoringModel,
    current: ScoringModel,
    *,
    features: NDArray | None = None,
    labels: NDArray | None = None,
    tolerance: float = 0.0,
) -> bool:
    """True when ``candidate`` does at least as well as ``current`` on every metric.

    Give ``features``/``labels`` (pairs neither model was fitted on) to compare both on the same
    rows, which is the fair test. Without them the stored held-out metrics are compared; a current
    model without metrics (the hand-set weights) is then replaced by any fitted model.
    """
    if features is not None and labels is not None:
        new, old = evaluate(candidate, features, labels), evaluate(current, features, labels)
    else:
        new, old = dict(candidate.metrics), dict(current.metrics)
        if not old:
            return bool(new)
        if not new:
            return False
    for name, higher_is_better in METRICS.items():
        if higher_is_better and new[name] < old[name] - tolerance:
            return False
        if not higher_is_better and new[name] > old[name] + tolerance:
            return False
    return True
