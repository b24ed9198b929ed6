"""A full run's assignment as compact bytes, one slice per chunk, and back to suggestions.

The assignment of a run is solved once over every volunteer (:mod:`matching.engine.allocation`)
and each chunk then stores its own volunteers' part. A slice holds, per shown pair, the ids, the
scored parts (linear score, text similarity, distance) and the rank: 48 bytes a pair, about
0.5 MB for a chunk of 1,000 volunteers with 10 suggestions each. The chunk rebuilds the
suggestions (features and reasons) from its own records, so the solve never builds 1.5 million
Suggestion objects in one process.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from matching.engine.index import MatchIndex
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
    vi, v_ok = _rows_of(vt.ids, rows["volunteer_id"])
    ri, r_ok = _rows_of(index.roles.ids, rows["opportunity_id"])
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


def _rows_of(
    ids: NDArray[np.int64], wanted: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    if len(ids) == 0:
        return np.zeros(len(wanted), np.int64), np.zeros(len(wanted), bool)
    sorter = np.argsort(ids)
    at = np.minimum(np.searchsorted(ids, wanted, sorter=sorter), len(ids) - 1)
    return sorter[at], ids[sorter[at]] == wanted
