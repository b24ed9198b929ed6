"""The scoring model: which fitted model is current, and the nightly refit that learns from the
decisions people made and is promoted only when it does at least as well on held-out rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from matching.engine import (
    DEFAULT_MODEL,
    FEATURE_NAMES,
    ScoringModel,
    fit_model,
    is_at_least_as_good,
)
from matching.engine.training import HELD_OUT_SHARE
from matching.models import (
    Match,
    MatchStatus,
    ScoringModelVersion,
)

logger = logging.getLogger(__name__)

REFIT_MIN_LABELS = 40

#: Labels for refits: statuses a person chose after seeing the suggestion.
POSITIVE_STATUSES = frozenset(
    {
        MatchStatus.APPROVED,
        MatchStatus.OFFERED,
        MatchStatus.ACCEPTED,
        MatchStatus.ACTIVE,
        MatchStatus.COMPLETED,
    }
)
NEGATIVE_STATUSES = frozenset({MatchStatus.REJECTED, MatchStatus.DECLINED})
#: Pairs a person has decided on (either way): never suggested again while that match is open.
REVIEWED_STATUSES = POSITIVE_STATUSES | NEGATIVE_STATUSES


def scoring_model_current() -> ScoringModel:
    """The fitted model marked current, or the engine's hand-set weights."""
    row = ScoringModelVersion.objects.filter(is_current=True).first()
    return DEFAULT_MODEL if row is None else ScoringModel.from_dict(row.parameters)


@dataclass
class RefitResult:
    version: ScoringModelVersion | None
    promoted: bool
    labels: int
    message: str


def _labelled_matches() -> tuple[np.ndarray, np.ndarray]:
    rows = (
        Match.objects.filter(status__in=REVIEWED_STATUSES)
        .order_by("id")
        .values_list("features", "status")
    )
    x, y = [], []
    for features, status in rows:
        if not features or any(name not in features for name in FEATURE_NAMES):
            continue  # made by hand or by an older engine: no features to learn from
        x.append([float(features[name]) for name in FEATURE_NAMES])
        y.append(1 if status in POSITIVE_STATUSES else 0)
    return np.asarray(x, dtype=np.float64).reshape(-1, len(FEATURE_NAMES)), np.asarray(y)


def scoring_model_refit(*, min_labels: int = REFIT_MIN_LABELS, seed: int = 0) -> RefitResult:
    """Fit a logistic regression on the decisions people made, store it, and make it current only
    if it does at least as well as the current model on the same held-out rows.

    Labels: approved, offered, accepted, active, completed = 1; rejected, declined = 0; features are
    the ones stored with the suggestion when it was shown.
    """
    from sklearn.model_selection import train_test_split

    x, y = _labelled_matches()
    if len(y) < min_labels or len(set(y.tolist())) < 2:
        message = f"Not enough decisions to learn from: {len(y)} labelled, {min_labels} needed."
        return RefitResult(version=None, promoted=False, labels=len(y), message=message)
    version = f"logistic-{timezone.now():%Y%m%d-%H%M%S}-n{len(y)}"
    candidate = fit_model(x, y, version=version, seed=seed)
    # The same split fit_model used: the current model is judged on the rows the candidate never
    # saw, so the comparison is fair to both.
    _, x_test, _, y_test = train_test_split(
        x, y, test_size=HELD_OUT_SHARE, random_state=seed, stratify=y
    )
    with transaction.atomic():
        current_row = (
            ScoringModelVersion.objects.select_for_update().filter(is_current=True).first()
        )
        current = (
            DEFAULT_MODEL if current_row is None else ScoringModel.from_dict(current_row.parameters)
        )
        promoted = is_at_least_as_good(candidate, current, features=x_test, labels=y_test)
        if promoted:
            ScoringModelVersion.objects.filter(is_current=True).update(is_current=False)
        stored = ScoringModelVersion.objects.create(
            version=candidate.version,
            parameters=candidate.to_dict(),
            training_size=candidate.training_size,
            metrics=dict(candidate.metrics),
            is_current=promoted,
        )
    verdict = "now current" if promoted else f"kept {current.version}"
    return RefitResult(
        version=stored,
        promoted=promoted,
        labels=len(y),
        message=f"Fitted {stored.version} on {len(y)} decisions; {verdict}.",
    )
