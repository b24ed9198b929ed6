"""Storing suggestions: an idempotent upsert of Match rows in status suggested, and the
withdrawal (with its audit row) of suggestions that left the open set.

The store is the only writer of ``Match.facts`` (suggestions/services/facts.py): what the
organization is told of the volunteer is computed here, from the role as it is when the engine
makes the suggestion, and stays as it was until the engine suggests the pair again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from matching.models import (
    Match,
    MatchRun,
    MatchStatus,
    MatchTransition,
)
from suggestions.services.facts import pair_facts

logger = logging.getLogger(__name__)

REASON_NO_LONGER_ELIGIBLE = "no_longer_eligible"
REASON_OUTRANKED = "outranked"


@dataclass
class StoreResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_reviewed: int = 0
    withdrawn: int = 0
    match_ids: list[int] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.created + self.updated + self.unchanged


def _rounded_features(features: dict[str, float]) -> dict[str, float]:
    # Six decimals: enough for a refit, and an unchanged suggestion compares equal on re-store.
    return {name: round(float(value), 6) for name, value in features.items()}


def suggestions_store(
    *,
    suggestions: Sequence[Any],
    model_version: str,
    run: MatchRun | None = None,
    today: dt.date | None = None,
) -> StoreResult:
    """Upsert suggestions as Match rows with status suggested; idempotent.

    An open suggested row of the pair is refreshed in place (same id), an unchanged one is left
    alone; a pair with a reviewed match (approved, rejected, ... anything but suggested or
    withdrawn) is skipped untouched; otherwise a new row is created. Two workers storing the same
    pair at once cannot both insert it: ``match_one_open_per_pair`` refuses the second row and
    ``ignore_conflicts`` lets that insert go quietly.

    Each stored row gets its frozen ``facts`` (distance band, minimum age met, check cleared),
    computed now against the role's place and start date (``today``: the server's date).
    """
    result = StoreResult()
    by_pair = {(s.volunteer_id, s.opportunity_id): s for s in suggestions}
    if not by_pair:
        return result
    now = timezone.now()
    today = today or timezone.localdate()
    volunteer_ids = {v for v, _ in by_pair}
    opportunity_ids = {o for _, o in by_pair}
    with transaction.atomic():
        open_rows = {
            (m.volunteer_id, m.opportunity_id): m
            for m in Match.objects.select_for_update()
            .filter(volunteer_id__in=volunteer_ids, opportunity_id__in=opportunity_ids)
            .exclude(status=MatchStatus.WITHDRAWN)
            .order_by()
        }
        facts_by_pair = pair_facts(by_pair, today=today)
        to_update: list[Match] = []
        to_create: list[Match] = []
        for pair, suggestion in by_pair.items():
            score = min(max(float(suggestion.score), 0.0), 1.0)
            features = _rounded_features(suggestion.features)
            reasons = list(suggestion.reasons)
            facts = facts_by_pair.get(pair, {})
            row = open_rows.get(pair)
            if row is None:
                to_create.append(
                    Match(
                        volunteer_id=pair[0],
                        opportunity_id=pair[1],
                        status=MatchStatus.SUGGESTED,
                        score=score,
                        features=features,
                        reasons=reasons,
                        facts=facts,
                        model_version=model_version,
                        run=run,
                    )
                )
            elif row.status != MatchStatus.SUGGESTED:
                result.skipped_reviewed += 1
            elif (
                abs(row.score - score) < 1e-9
                and row.features == features
                and row.reasons == reasons
                and row.facts == facts
                and row.model_version == model_version
            ):
                result.unchanged += 1
                result.match_ids.append(row.id)
            else:
                row.score, row.features, row.reasons = score, features, reasons
                row.facts = facts
                row.model_version, row.updated_at = model_version, now
                if run is not None:
                    row.run = run
                to_update.append(row)
        if to_update:
            Match.objects.bulk_update(
                to_update,
                ["score", "features", "reasons", "facts", "model_version", "run", "updated_at"],
                batch_size=500,
            )
            result.updated = len(to_update)
            result.match_ids += [m.id for m in to_update]
        if to_create:
            Match.objects.bulk_create(to_create, ignore_conflicts=True, batch_size=500)
            created = Match.objects.filter(
                volunteer_id__in={m.volunteer_id for m in to_create},
                opportunity_id__in={m.opportunity_id for m in to_create},
                status=MatchStatus.SUGGESTED,
            ).values_list("id", "volunteer_id", "opportunity_id")
            wanted = {(m.volunteer_id, m.opportunity_id) for m in to_create}
            ids = [pk for pk, v, o in created if (v, o) in wanted]
            result.created = len(ids)
            result.match_ids += ids
    return result


def suggestions_withdraw(reasons_by_match_id: dict[int, str], *, now: dt.datetime) -> int:
    """Withdraw suggested matches (and only those still suggested) with one transition each."""
    if not reasons_by_match_id:
        return 0
    ids = list(
        Match.objects.select_for_update()
        .filter(id__in=list(reasons_by_match_id), status=MatchStatus.SUGGESTED)
        .order_by()
        .values_list("id", flat=True)
    )
    if not ids:
        return 0
    Match.objects.filter(id__in=ids).update(status=MatchStatus.WITHDRAWN, updated_at=now)
    MatchTransition.objects.bulk_create(
        [
            MatchTransition(
                match_id=pk,
                from_status=MatchStatus.SUGGESTED,
                to_status=MatchStatus.WITHDRAWN,
                actor=None,
                reason=reasons_by_match_id[pk],
            )
            for pk in ids
        ],
        batch_size=500,
    )
    return len(ids)
