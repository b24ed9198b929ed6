"""A full run's assignment as compact bytes, one slice per chunk, and back to suggestions.

The assignment of a run is solved once over every volunteer (:mod:`matching.engine.allocation`)
and each chunk then stores its own volunteers' part. A slice holds, per shown pair, the ids, the
scored parts (linear score, text similarity, distance) and the rank: 48 bytes a pair, about
0.5 MB for a chunk of 1,000 volunteers with 10 suggestions each. The chunk rebuilds the
suggestions (features and reasons) from its own records, so the solve never builds 1.5 million
Suggestion objects in one process.

Before the assignment, each chunk computes its own volunteers' pools (:mod:`matching.engine.parts`)
and stores them as a pool part: per pair the ids and the scored parts, 40 bytes a pair (up to 20
pairs a volunteer: about 0.8 MB for a chunk of 1,000). The assignment reads every chunk's part.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from matching.engine.index import MatchIndex
from matching.engine.parts import PoolPart, rows_of
from matching.engine.pool import Pool
from matching.engine.records import Labels, VolunteerRecord
from matching.engine.results import Suggestion
from matching.engine.suggesting import suggestions_from_pool

PAIR = np.dtype(
    [
        ("volunteer_id", "<i8"),
        ("opportunity_id", "<i8"),
        ("linear", "<f8"),
        ("text", "<f8"),
        ("distance", "<f8"),
        ("rank", "<i8"),
    ]
)


POOL_PAIR = np.dtype(
    [
        ("volunteer_id", "<i8"),
        ("opportunity_id", "<i8"),
        ("linear", "<f8"),
        ("text", "<f8"),
        ("distance", "<f8"),
    ]
)


def pool_part_bytes(part: PoolPart) -> bytes:
    """A pool part as bytes (fields of ``POOL_PAIR``, in the part's order)."""
    rows = np.empty(len(part), dtype=POOL_PAIR)
    rows["volunteer_id"], rows["opportunity_id"] = part.volunteer_ids, part.opportunity_ids
    rows["linear"], rows["text"], rows["distance"] = part.linear, part.text, part.distance
    return rows.tobytes()


def pool_part(data: bytes) -> PoolPart:
    """A pool part back from :func:`pool_part_bytes` (``fallbacks`` is not stored)."""
    rows = np.frombuffer(data, dtype=POOL_PAIR)
    return PoolPart(
        rows["volunteer_id"].copy(),
        rows["opportunity_id"].copy(),
        rows["linear"].copy(),
        rows["text"].copy(),
        rows["distance"].copy(),
    )


def slices(
    volunteer_ids: NDArray[np.int64],
    opportunity_ids: NDArray[np.int64],
    pool: Pool,
    ranks: NDArray[np.int64],
    groups: dict[int, int],
) -> dict[int, bytes]:
    """{group: bytes} of the shown pairs, split by ``groups`` ({volunteer id: group}); every group
    named in ``groups`` gets a slice, empty if none of its volunteers is shown anything."""
    rows = np.empty(len(volunteer_ids), dtype=PAIR)
    rows["volunteer_id"], rows["opportunity_id"] = volunteer_ids, opportunity_ids
    rows["linear"], rows["text"], rows["distance"] = pool.linear, pool.text, pool.distance
    rows["rank"] = ranks
    group_of = np.array([groups[int(v)] for v in volunteer_ids], dtype=np.int64)
    out = dict.fromkeys(set(groups.values()), b"")
    order = np.argsort(group_of, kind="stable")
    bounds = np.flatnonzero(np.diff(group_of[order])) + 1
    for part in np.split(order, bounds) if len(order) else []:
        out[int(group_of[part[0]])] = rows[part].tobytes()
    return out


def pairs(data: bytes) -> NDArray:
    """A slice back as a structured array (fields of ``PAIR``)."""
    return np.frombuffer(data, dtype=PAIR)


def suggestions_from_slice(
    data: bytes,
    index: MatchIndex,
    volunteers: Sequence[VolunteerRecord],
    *,
    labels: Labels,
) -> Iterator[Suggestion]:
    """The slice's pairs as suggestions, scored and explained against this process's ``index`` and
    records: pairs of a volunteer or a role that is no longer there are left out."""
    rows = pairs(data)
    if len(rows) == 0 or not volunteers:
        return iter(())
    vt, _ = index.encode(volunteers)
    vi, v_ok = rows_of(vt.ids, rows["volunteer_id"])
    ri, r_ok = rows_of(index.roles.ids, rows["opportunity_id"])
    ok = v_ok & r_ok
    pool = Pool(
        vi[ok],
        ri[ok],
        rows["linear"][ok].copy(),
        rows["text"][ok].copy(),
        rows["distance"][ok].copy(),
    )
    return suggestions_from_pool(
        index, vt, pool, rows["rank"][ok].astype(np.int64), labels, index.model
    )
