"""Trainings a coordinator verified, as arrays: each counts for that organization's roles only.

A volunteer's trainings verified by platform staff are a dense (volunteers, trainings) matrix of
expiry ordinals in :class:`matching.engine.pairs.VolunteerTable`; the few verified by an
organization's coordinator (``VolunteerRecord.scoped_trainings``) are kept here as sorted keys
(volunteer row, organization, training column), so a pair's lookup is two binary searches.
Mirrors :func:`matching.engine.eligibility.trainings_for` (tests hold them equal).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matching.engine.records import VolunteerRecord

#: "Never expires" and "not held" as ordinals; shared with :mod:`matching.engine.pairs`.
NEVER = np.iinfo(np.int64).max // 4
NOT_HELD = -1


@dataclass(frozen=True)
class ScopedTrainings:
    organizations: NDArray[np.int64]  # sorted ids of the organizations that verified any
    keys: NDArray[np.int64]  # sorted (row * n_orgs + org code) * n_trainings + column
    until: NDArray[np.int64]  # expiry ordinal of each key
    n_trainings: int

    @classmethod
    def build(
        cls, volunteers: Sequence[VolunteerRecord], columns: Mapping[str, int]
    ) -> ScopedTrainings:
        """``columns``: training slug -> column (trainings no role requires are left out)."""
        entries: dict[tuple[int, int, int], int] = {}
        for row, v in enumerate(volunteers):
            for organization_id, held in v.scoped_trainings.items():
                for slug, expires_on in held.items():
                    col = columns.get(slug)
                    if col is not None:
                        until = NEVER if expires_on is None else expires_on.toordinal()
                        key = (row, organization_id, col)
                        entries[key] = max(entries.get(key, NOT_HELD), until)
        organizations = np.unique(np.array([o for _, o, _ in entries], dtype=np.int64))
        n_orgs = len(organizations)
        keys = np.array(
            [
                (row * n_orgs + int(np.searchsorted(organizations, o))) * len(columns) + col
                for row, o, col in entries
            ],
            dtype=np.int64,
        )
        expiries = np.array(list(entries.values()), dtype=np.int64)
        order = np.argsort(keys)
        return cls(organizations, keys[order], expiries[order], len(columns))

    def until_for(
        self, vi: NDArray[np.intp], organization: NDArray[np.int64], col: int
    ) -> NDArray[np.int64]:
        """Expiry ordinal of training ``col`` for volunteer rows ``vi`` as verified by each
        pair's ``organization``; NOT_HELD where that organization verified none."""
        out = np.full(len(vi), NOT_HELD, dtype=np.int64)
        if len(self.keys) == 0 or len(vi) == 0:
            return out
        n_orgs = len(self.organizations)
        code = np.searchsorted(self.organizations, organization)
        known = self.organizations[np.minimum(code, n_orgs - 1)] == organization
        key = (np.asarray(vi, dtype=np.int64) * n_orgs + code) * self.n_trainings + col
        pos = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
        hit = known & (self.keys[pos] == key)
        out[hit] = self.until[pos[hit]]
        return out

    def any_until(self, n_rows: int) -> NDArray[np.int64]:
        """(rows, trainings) latest expiry verified by any organization: a bound for rules that
        ignore the scope (the fused prefilter may be looser than the rules, never stricter)."""
        out = np.full((n_rows, self.n_trainings), NOT_HELD, dtype=np.int64)
        if len(self.keys):
            n_orgs = len(self.organizations)
            col = self.keys % self.n_trainings
            row = self.keys // self.n_trainings // n_orgs
            np.maximum.at(out, (row, col), self.until)
        return out
