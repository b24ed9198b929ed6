"""The scoring model: which version is current, the nightly refit that learns from the decisions
people made, staff promotion and rollback, and the rescore that keeps one version per queue.

A refit learns from the earlier decisions and is judged on the later ones; it becomes current only
when it beats the current model beyond chance (matching/engine/training.py). Every change of the
current version emits an event (an audit row), and the suggestions app then rescores every open
suggestion with it (``matching.scoring_model_rescore``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from backend.errors import ConflictError, NotFoundError
from backend.events import emit
from backend.filters import MAX_OBJECT_ID
from matching.engine import (
    DEFAULT_MODEL,
    FEATURE_NAMES,
    Decisions,
    RefitRules,
    ScoringModel,
    compare_on_later,
    evaluate,
    fit_model,
    refit_refusal,
    time_split,
)
from matching.engine.training import FEATURES_THAT_MUST_HELP
from matching.models import Match, MatchStatus, MatchTransition, ScoringModelVersion
from suggestions.events import ScoringModelPromoted, ScoringModelRolledBack

logger = logging.getLogger(__name__)

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

VERSION_NOT_FOUND = "No scoring model version with this id."
ALREADY_CURRENT = "This version already scores the queues."
NOTHING_TO_ROLL_BACK = "The hand-set weights score the queues; there is nothing to roll back."
SIGNS_BROKEN = (
    "This version learned a negative weight for {features}: a better fit would lower the score. "
    "It cannot score the queues."
)

#: Open suggestions rescored per transaction: a few MB of features in memory and a short lock on
#: those rows only, so a coordinator deciding meanwhile waits for one batch at most. A choice, not
#: yet a measurement.
RESCORE_BATCH = 2000


def _model_of(row: ScoringModelVersion | None) -> ScoringModel:
    return DEFAULT_MODEL if row is None else ScoringModel.from_dict(row.parameters)


def scoring_model_current() -> ScoringModel:
    """The fitted model marked current, or the engine's hand-set weights."""
    return _model_of(ScoringModelVersion.objects.filter(is_current=True).first())


def broken_signs(model: ScoringModel) -> list[str]:
    """Features that must help but were given a negative weight (stored before the bounds)."""
    return [
        name
        for name, weight in zip(FEATURE_NAMES, model.coefficients, strict=True)
        if name in FEATURES_THAT_MUST_HELP and weight < 0
    ]


@dataclass
class RefitResult:
    version: ScoringModelVersion | None
    promoted: bool
    labels: int
    message: str


def refit_rules() -> RefitRules:
    return RefitRules(
        min_decisions=settings.SCORING_REFIT_MIN_DECISIONS,
        min_per_outcome=settings.SCORING_REFIT_MIN_PER_OUTCOME,
        min_organizations=settings.SCORING_REFIT_MIN_ORGANIZATIONS,
    )


def decisions_to_learn_from() -> Decisions:
    """Every decided suggestion with the features stored when it was shown, the organization that
    decided, its queue position and when it left the queue (its first transition out of
    suggested; the row's last change for a match made without one)."""
    left_queue = MatchTransition.objects.filter(
        match=OuterRef("pk"), from_status=MatchStatus.SUGGESTED
    ).order_by("created_at", "id")
    rows = (
        Match.objects.filter(status__in=REVIEWED_STATUSES)
        .annotate(decided_at=Subquery(left_queue.values("created_at")[:1]))
        .order_by("id")
        .values_list(
            "features",
            "status",
            "opportunity__organization_id",
            "shown_position",
            "decided_at",
            "updated_at",
        )
    )
    x, y, organizations, positions, when = [], [], [], [], []
    for features, status, organization, position, decided_at, updated_at in rows:
        if not features or any(name not in features for name in FEATURE_NAMES):
            continue  # made by hand or by an older engine: no features to learn from
        x.append([float(features[name]) for name in FEATURE_NAMES])
        y.append(1 if status in POSITIVE_STATUSES else 0)
        organizations.append(organization)
        positions.append(position or 0)
        when.append((decided_at or updated_at).timestamp())
    return Decisions.of(
        np.asarray(x, dtype=np.float64).reshape(-1, len(FEATURE_NAMES)),
        y,
        organizations=organizations,
        positions=positions,
        decided_at=when,
    )


def _make_current(
    row: ScoringModelVersion, *, previous: ScoringModelVersion | None, actor: Any
) -> None:
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    row.is_current, row.promoted_at = True, timezone.now()
    row.save(update_fields=["is_current", "promoted_at"])
    emit(
        ScoringModelPromoted(
            actor_id=getattr(actor, "pk", None),
            version_id=row.pk,
            previous_version_id=getattr(previous, "pk", None),
        )
    )


def scoring_model_refit(*, seed: int = 0) -> RefitResult:
    """Learn from the decisions people made; store the fit, and make it current only when it is
    better than the current model beyond chance on the later decisions.

    Labels: approved, offered, accepted, active, completed = 1; rejected, declined = 0.
    """
    data = decisions_to_learn_from()
    refusal = refit_refusal(data, refit_rules())
    if refusal is not None:
        return RefitResult(version=None, promoted=False, labels=len(data), message=refusal)
    earlier, later = time_split(data)
    if len(np.unique(earlier.labels)) < 2:
        message = "The earlier decisions hold one outcome only: nothing to learn from."
        return RefitResult(version=None, promoted=False, labels=len(data), message=message)
    version = f"logistic-{timezone.now():%Y%m%d-%H%M%S}-n{len(data)}"
    eta = settings.SCORING_POSITION_ETA
    fitted = fit_model(earlier, version=version, eta=eta)
    candidate = fitted.model
    with transaction.atomic():
        current_row = (
            ScoringModelVersion.objects.select_for_update().filter(is_current=True).first()
        )
        current = _model_of(current_row)
        verdict = compare_on_later(
            candidate, current, later, margin=settings.SCORING_PROMOTION_MARGIN, seed=seed
        )
        metrics: dict[str, Any] = {
            **evaluate(candidate, later.features, later.labels),
            **verdict.as_metrics(),
            "earlier_decisions": float(len(earlier)),
            "position_eta": float(eta),
            "compared_with": current.version,
            "verdict": verdict.reason,
        }
        stored = ScoringModelVersion.objects.create(
            version=candidate.version,
            parameters=candidate.to_dict(),
            training_size=candidate.training_size,
            metrics=metrics,
            organization_offsets={str(k): v for k, v in fitted.organization_offsets.items()},
        )
        if verdict.promote:
            _make_current(stored, previous=current_row, actor=None)
    outcome = "now current" if verdict.promote else f"kept {current.version}"
    return RefitResult(
        version=stored,
        promoted=verdict.promote,
        labels=len(data),
        message=f"Fitted {stored.version} on {len(earlier)} decisions; {outcome}. {verdict.reason}",
    )


def scoring_model_promote(*, version_id: int, actor: Any) -> ScoringModelVersion:
    """Platform staff make a stored version current (say, one a rollback took back)."""
    if not 1 <= version_id <= MAX_OBJECT_ID:  # SQLite cannot even bind it
        raise NotFoundError(VERSION_NOT_FOUND)
    with transaction.atomic():
        row = ScoringModelVersion.objects.select_for_update().filter(pk=version_id).first()
        if row is None:
            raise NotFoundError(VERSION_NOT_FOUND)
        if row.is_current:
            raise ConflictError(ALREADY_CURRENT, code="already_current")
        broken = broken_signs(_model_of(row))
        if broken:
            raise ConflictError(SIGNS_BROKEN.format(features=", ".join(broken)), code="signs")
        previous = ScoringModelVersion.objects.select_for_update().filter(is_current=True).first()
        _make_current(row, previous=previous, actor=actor)
    return row


def scoring_model_rollback(*, actor: Any) -> ScoringModelVersion | None:
    """Take the current version back: the one promoted before it scores again (None: the hand-set
    weights). Each rollback goes one promotion further back."""
    with transaction.atomic():
        current = ScoringModelVersion.objects.select_for_update().filter(is_current=True).first()
        if current is None:
            raise ConflictError(NOTHING_TO_ROLL_BACK, code="nothing_to_roll_back")
        earlier = ScoringModelVersion.objects.filter(promoted_at__isnull=False).exclude(
            pk=current.pk
        )
        if current.promoted_at is not None:
            earlier = earlier.filter(promoted_at__lt=current.promoted_at)
        target = next(
            (
                row
                for row in earlier.order_by("-promoted_at", "-id")
                if not broken_signs(_model_of(row))
            ),
            None,
        )
        current.is_current = False
        current.save(update_fields=["is_current"])
        if target is not None:
            target.is_current = True
            target.save(update_fields=["is_current"])
        emit(
            ScoringModelRolledBack(
                actor_id=getattr(actor, "pk", None),
                version_id=current.pk,
                to_version_id=getattr(target, "pk", None),
            )
        )
    return target


@dataclass
class RescoreResult:
    version: str
    rescored: int
    skipped: bool = False


def scoring_model_rescore(*, version_id: int | None) -> RescoreResult:
    """Rescore every open suggestion with version ``version_id`` (None: the hand-set weights), in
    batches, from the features stored with it; decided matches keep the score they were decided
    on. Skipped when that version is no longer current (a later change queued its own rescore).
    Safe to run twice: a row already scored by the version is left alone."""
    rescored = 0
    while True:
        with transaction.atomic():
            current = ScoringModelVersion.objects.filter(is_current=True).first()
            if getattr(current, "pk", None) != version_id:
                return RescoreResult(_model_of(current).version, rescored, skipped=True)
            model = _model_of(current)
            batch = list(
                Match.objects.select_for_update()
                .filter(status=MatchStatus.SUGGESTED)
                .exclude(model_version=model.version)
                .order_by("id")[:RESCORE_BATCH]
            )
            if not batch:
                return RescoreResult(model.version, rescored)
            features = np.asarray(
                [[float((m.features or {}).get(n, 0.0)) for n in FEATURE_NAMES] for m in batch],
                dtype=np.float64,
            )
            now = timezone.now()
            for match, score in zip(batch, model.score(features), strict=True):
                match.score = round(min(max(float(score), 0.0), 1.0), 6)
                match.model_version, match.updated_at = model.version, now
            Match.objects.bulk_update(
                batch, ["score", "model_version", "updated_at"], batch_size=500
            )
            rescored += len(batch)
