"""Scored candidate pairs as parallel arrays, and the orderings every ranking path shares."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matching.engine.fused import rank_key
from matching.engine.pairs import RoleTable, VolunteerTable


@dataclass
class Pool:
    """Scored eligible candidates of one or many volunteers, as parallel arrays."""

    vi: NDArray[np.int64]
    ri: NDArray[np.int64]
    linear: NDArray[np.float64]
    text: NDArray[np.float64]
    distance: NDArray[np.float64]

    @classmethod
    def empty(cls) -> Pool:
        e = np.empty(0)
        return cls(e.astype(np.int64), e.astype(np.int64), e, e, e)

    @classmethod
    def concat(cls, pools: Sequence[Pool]) -> Pool:
        if not pools:
            return cls.empty()
        return cls(
            *(
                np.concatenate([getattr(p, f) for p in pools])
                for f in ("vi", "ri", "linear", "text", "distance")
            )
        )

    def take(self, keep: NDArray) -> Pool:
        return Pool(
            self.vi[keep], self.ri[keep], self.linear[keep], self.text[keep], self.distance[keep]
        )


def excluded_mask(
    vt: VolunteerTable,
    rt: RoleTable,
    vi: NDArray,
    ri: NDArray,
    excluded: Collection[tuple[int, int]],
) -> NDArray[np.bool_]:
    if not excluded or len(vi) == 0:
        return np.zeros(len(vi), dtype=bool)
    keys = np.array([(v << 32) | o for v, o in excluded], dtype=np.int64)
    return np.isin((vt.ids[vi] << 32) | rt.ids[ri], keys)


def top_indices(values: NDArray, k: int) -> NDArray[np.int64]:
    """Indices of the k largest, best first; ties broken by position for determinism."""
    if len(values) > k:
        part = np.argpartition(-values, k - 1)[:k]
        return part[np.lexsort((part, -values[part]))]
    return np.lexsort((np.arange(len(values)), -values))


def by_volunteer_best_first(pool: Pool) -> NDArray[np.int64]:
    """Order grouping pairs by volunteer, best score first; ties by role row (deterministic).

    Two stable sorts instead of one lexsort (the volunteer sort is a radix sort): measured about
    1 s vs 4.6 s for lexsort on 8 million pairs."""
    order = np.argsort(-rank_key(pool.linear, pool.ri), kind="stable")
    return order[np.argsort(pool.vi[order], kind="stable")]
