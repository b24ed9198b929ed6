"""Pool rows as :class:`Suggestion` objects: score, rank, named features and readable reasons."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from matching.engine.features import FEATURE_NAMES
from matching.engine.index import MatchIndex
from matching.engine.pairs import VolunteerTable, pair_features
from matching.engine.pool import Pool
from matching.engine.reasons import build_reasons
from matching.engine.records import Labels
from matching.engine.results import Suggestion
from matching.engine.scoring import ScoringModel


def suggestions_from_pool(
    index: MatchIndex,
    vt: VolunteerTable,
    pool: Pool,
    ranks: NDArray[np.int64],
    labels: Labels,
    model: ScoringModel,
) -> Iterator[Suggestion]:
    features = pair_features(
        vt, index.roles, pool.vi, pool.ri, text_similarity=pool.text, distance_km=pool.distance
    )
    scores = model.score_from_linear(pool.linear)
    for i in range(len(pool.vi)):
        volunteer = vt.records[pool.vi[i]]
        role = index.roles.records[pool.ri[i]]
        named = {
            name: round(float(x), 4) for name, x in zip(FEATURE_NAMES, features[i], strict=True)
        }
        km = None if np.isnan(pool.distance[i]) else float(pool.distance[i])
        yield Suggestion(
            volunteer_id=volunteer.id,
            opportunity_id=role.id,
            score=round(float(scores[i]), 6),
            rank=int(ranks[i]),
            features=named,
            reasons=build_reasons(
                volunteer, role, named, distance_km=km, today=index.today, labels=labels
            ),
        )
