"""The exact one-volunteer path: every role within reach checked and scored, no retrieval.

:func:`matching.engine.ranking.rank_for_volunteer` ranks with it, and the full run sends here the
volunteers whose retrieved candidates it cannot certify, so both return the same pools.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from matching.engine.fused import rank_key
from matching.engine.index import MatchIndex
from matching.engine.pairs import VolunteerTable, pair_distance_km, pair_eligible, pair_features
from matching.engine.pool import Pool, excluded_mask, top_indices
from matching.engine.scoring import ScoringModel


def candidates_for(index: MatchIndex, vt: VolunteerTable, row: int) -> NDArray[np.int64]:
    """Roles worth checking for one volunteer: home roles of accepted modes, and roles on site
    within their travel radius."""
    parts = [index.home_rows[m] for m in ("remote", "phone") if vt.accepts(m)[row]]
    if vt.accepts("in_person")[row] or vt.accepts("hybrid")[row]:
        parts.append(index.within_reach(vt.lat[row], vt.lon[row], vt.max_travel_km[row]))
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def exact_pool(
    index: MatchIndex,
    vt: VolunteerTable,
    vtext: sp.csr_matrix,
    row: int,
    *,
    size: int,
    excluded: Collection[tuple[int, int]],
    model: ScoringModel,
) -> Pool:
    """The ``size`` best eligible roles of one volunteer, checked and scored exactly."""
    if not vt.is_available[row]:
        return Pool.empty()
    ri = np.sort(candidates_for(index, vt, row))  # role order breaks ties, as in the full run
    vi = np.full(len(ri), row, dtype=np.int64)
    distance = pair_distance_km(vt, index.roles, vi, ri)
    ok = pair_eligible(vt, index.roles, vi, ri, distance) & ~excluded_mask(
        vt, index.roles, vi, ri, excluded
    )
    vi, ri, distance = vi[ok], ri[ok], distance[ok]
    text = (vtext[row] @ index.role_text_t).toarray().ravel()[ri].astype(np.float64)
    features = pair_features(vt, index.roles, vi, ri, text_similarity=text, distance_km=distance)
    linear = model.linear(features)
    best = top_indices(rank_key(linear, ri), size)
    return Pool(vi[best], ri[best], linear[best], text[best], distance[best])
