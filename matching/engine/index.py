"""Open roles prepared once per run: fitted vectorizer, role TF-IDF, encoded rules, BallTree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.neighbors import BallTree

from matching.engine.geo import km_to_radians
from matching.engine.pairs import MODE_CODES, RoleTable, Vocabularies, VolunteerTable
from matching.engine.records import OpportunityRecord, VolunteerRecord
from matching.engine.scoring import DEFAULT_MODEL, ScoringModel
from matching.engine.text import DEFAULT_TEXT_CONFIG, TextConfig, TextVectorizer


@dataclass
class MatchIndex:
    """Open roles prepared once: fitted vectorizer, role TF-IDF, encoded rules, BallTree.

    Build it once per run (or cache it in a worker) and reuse it for every volunteer.
    """

    today: date
    model: ScoringModel
    vectorizer: TextVectorizer
    vocab: Vocabularies
    roles: RoleTable  # open roles only (published, not ended, a place left)
    role_text: sp.csr_matrix
    role_text_t: sp.csr_matrix  # transposed once: one volunteer's row times this = all cosines
    travel_rows: NDArray[np.int64]  # rows of on-site roles with coordinates, in BallTree order
    ball_tree: BallTree | None
    home_rows: dict[str, NDArray[np.int64]]  # "remote"/"phone" -> rows
    n_published: int  # published roles given, open or not, for coverage figures

    @classmethod
    def build(
        cls,
        opportunities: Sequence[OpportunityRecord],
        *,
        today: date,
        model: ScoringModel | None = None,
        text_config: TextConfig = DEFAULT_TEXT_CONFIG,
        vectorizer: TextVectorizer | None = None,
        extra_texts: Sequence[str] = (),
    ) -> MatchIndex:
        """``vectorizer``: reuse a fitted one; else fit on role texts (+ ``extra_texts``)."""
        all_roles = RoleTable.build(opportunities, Vocabularies.from_roles(()), today=today)
        open_roles = [o for o, ok in zip(opportunities, all_roles.is_open, strict=True) if ok]
        vocab = Vocabularies.from_roles(open_roles)
        roles = RoleTable.build(open_roles, vocab, today=today)
        texts = [o.text for o in open_roles]
        if vectorizer is None:
            vectorizer = TextVectorizer(text_config).fit([*texts, *extra_texts])
        role_text = vectorizer.transform(texts).astype(np.float64)
        on_site = ~roles.is_home & ~np.isnan(roles.lat)
        travel_rows = np.flatnonzero(on_site)
        tree = (
            BallTree(
                np.column_stack([roles.lat[travel_rows], roles.lon[travel_rows]]),
                metric="haversine",
            )
            if len(travel_rows)
            else None
        )
        return cls(
            today=today,
            model=model or DEFAULT_MODEL,
            vectorizer=vectorizer,
            vocab=vocab,
            roles=roles,
            role_text=role_text,
            role_text_t=role_text.T.tocsr(),
            travel_rows=travel_rows,
            ball_tree=tree,
            home_rows={
                m: np.flatnonzero(roles.mode == MODE_CODES.index(m)) for m in ("remote", "phone")
            },
            n_published=sum(o.status == "published" for o in opportunities),
        )

    def encode(self, volunteers: Sequence[VolunteerRecord]) -> tuple[VolunteerTable, sp.csr_matrix]:
        text = self.vectorizer.transform(v.text for v in volunteers).astype(np.float64)
        return VolunteerTable.build(volunteers, self.vocab), text

    def within_reach(self, lat: float, lon: float, radius_km: float) -> NDArray[np.int64]:
        """Role rows on site within ``radius_km`` of a point given in radians."""
        if self.ball_tree is None or np.isnan(lat):
            return np.empty(0, dtype=np.int64)
        hits = self.ball_tree.query_radius([[lat, lon]], r=km_to_radians(radius_km))[0]
        return self.travel_rows[hits]

    def within_reach_many(
        self, points: NDArray[np.float64], radii_km: NDArray[np.float64]
    ) -> list[NDArray[np.int64]]:
        """:meth:`within_reach` for many points (rows of lat, lon in radians) in one query; each
        point's rows are those :meth:`within_reach` returns, in the same order."""
        if self.ball_tree is None or len(points) == 0:
            return [np.empty(0, dtype=np.int64) for _ in range(len(points))]
        hits = self.ball_tree.query_radius(points, r=km_to_radians(radii_km))
        return [self.travel_rows[h] for h in hits]
