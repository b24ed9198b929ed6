"""Ranking: which eligible roles to suggest to whom, best first.

Three entry points share one exact definition of score and eligibility:

* :func:`rank_for_volunteer` - one volunteer against a prepared :class:`MatchIndex` (milliseconds);
* :func:`rank_for_opportunity` - one role against a list of volunteers;
* :func:`rank_all` / :func:`rank_all_arrays` - the full run, top ``k`` roles per volunteer.

How the full run stays fast (figures in docs/benchmarks.md). The score is a monotone function of a
linear combination of features, and every feature except distance is a dot product of a volunteer
vector and a role vector (TF-IDF rows, skill/cause/slot/language indicators divided by the role's
counts). So one sparse product of two "augmented" matrices gives the linear part for every pair,
and sparse_dot_topn keeps only each volunteer's best ``N`` while multiplying. Static hard rules
(mode, languages, trainings held, check cleared) ride along as a penalty: the volunteer holds
a column worth ``-PEN`` per thing they lack and the role marks what it requires, so a pair
missing anything goes negative and the ``threshold=0`` drops it inside the product. Geography cuts the candidates
before multiplying: remote/phone roles form one block, and roles on site are fetched per spatial
cell of volunteers with a haversine BallTree radius query, with an upper bound of the distance
feature folded into the role's constant column. Then every retrieved pair is checked exactly (dates,
age, hours, the volunteer's own radius, excluded pairs) and scored exactly. A volunteer is done when
their k-th exact score is at least the bound on anything not retrieved; the rare others go through
the exact one-volunteer path.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.neighbors import BallTree
from sparse_dot_topn import sp_matmul_topn

from matching.engine import fairness
from matching.engine.features import DISTANCE_HALF_KM, FEATURE_NAMES
from matching.engine.geo import haversine_km_radians, km_to_radians
from matching.engine.pairs import (
    MODE_CODES,
    RoleTable,
    Vocabularies,
    VolunteerTable,
    pair_distance_km,
    pair_eligible,
    pair_features,
    popcount,
)
from matching.engine.reasons import build_reasons
from matching.engine.records import Labels, OpportunityRecord, VolunteerRecord
from matching.engine.results import Suggestion
from matching.engine.scoring import DEFAULT_MODEL, ScoringModel
from matching.engine.text import DEFAULT_TEXT_CONFIG, TextConfig, TextVectorizer

_I_TEXT, _I_REQ, _I_PREF, _I_CAUSE, _I_SLOTS, _I_DIST, _I_LANG = range(len(FEATURE_NAMES))
NO_PAIRS: frozenset[tuple[int, int]] = frozenset()
NO_LABELS: dict[str, str] = {}

#: Each volunteer's pool of eligible candidates is POOL_FACTOR * k: room for fair exposure to
#: prefer a less-shown role without reaching far down the list.
POOL_FACTOR = 2
#: Extra candidates fetched per block beyond the pool, absorbing pairs that the exact check drops
#: (radius, dates, hours). With 20 the one-volunteer fallback ran for <1% of volunteers.
FETCH_MARGIN = 10
#: Volunteers are grouped by travel band and by a spatial cell whose side grows with the band, so
#: every group queries the BallTree once with (largest radius + cell spread). Band edges (km) and
#: cell sides (degrees of latitude; about 0.9 of that east-west in km terms at 40.7N):
#: small cells for short radii keep the wasted ring small; one group for the widest band because
#: a 25 km radius covers most of the metro anyway. Per-group overhead is a gather and transpose of
#: the candidate roles (about 10 ns per stored value), so groups must hold many volunteers: with
#: fixed 0.01-degree cells the 100k x 20k run took 232 s, with these bands about a tenth of that.
TRAVEL_BANDS_KM = np.array([3.0, 6.0, 12.0])
CELL_DEGREES_BY_BAND = np.array([0.02, 0.03, 0.04, 0.05])
#: Volunteers per sparse_dot_topn call in the remote block; peak memory grows with it.
REMOTE_CHUNK = 25_000
N_THREADS = 2
#: Equal scores are common (two roles sharing no words with a profile and the same coverage), so
#: the order is score, then role row: ranking keys are ``linear - row * TIE_STEP``. The fused
#: product carries the same step, so it keeps the same tied roles the exact path would. Products
#: run in float64 so the cosine read back from them is exact to ~1e-14, far below this step.
TIE_STEP = 1e-12


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
            BallTree(np.column_stack([roles.lat[travel_rows], roles.lon[travel_rows]]),
                     metric="haversine")
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
            home_rows={m: np.flatnonzero(roles.mode == MODE_CODES.index(m))
                       for m in ("remote", "phone")},
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


@dataclass
class _Pool:
    """Scored eligible candidates of one or many volunteers, as parallel arrays."""

    vi: NDArray[np.int64]
    ri: NDArray[np.int64]
    linear: NDArray[np.float64]
    text: NDArray[np.float64]
    distance: NDArray[np.float64]

    @classmethod
    def empty(cls) -> _Pool:
        e = np.empty(0)
        return cls(e.astype(np.int64), e.astype(np.int64), e, e, e)

    @classmethod
    def concat(cls, pools: Sequence[_Pool]) -> _Pool:
        if not pools:
            return cls.empty()
        return cls(*(np.concatenate([getattr(p, f) for p in pools]) for f in
                     ("vi", "ri", "linear", "text", "distance")))

    def take(self, keep: NDArray) -> _Pool:
        return _Pool(self.vi[keep], self.ri[keep], self.linear[keep], self.text[keep],
                     self.distance[keep])


def _excluded_mask(
    vt: VolunteerTable, rt: RoleTable, vi: NDArray, ri: NDArray, excluded: Collection[tuple[int, int]]
) -> NDArray[np.bool_]:
    if not excluded or len(vi) == 0:
        return np.zeros(len(vi), dtype=bool)
    keys = np.array([(v << 32) | o for v, o in excluded], dtype=np.int64)
    return np.isin((vt.ids[vi] << 32) | rt.ids[ri], keys)


def _candidates_for(index: MatchIndex, vt: VolunteerTable, row: int) -> NDArray[np.int64]:
    """Roles worth checking for one volunteer: home roles of accepted modes, and roles on site
    within their travel radius."""
    parts = [index.home_rows[m] for m in ("remote", "phone") if vt.accepts(m)[row]]
    if vt.accepts("in_person")[row] or vt.accepts("hybrid")[row]:
        parts.append(index.within_reach(vt.lat[row], vt.lon[row], vt.max_travel_km[row]))
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def _exact_pool(
    index: MatchIndex,
    vt: VolunteerTable,
    vtext: sp.csr_matrix,
    row: int,
    *,
    size: int,
    excluded: Collection[tuple[int, int]],
    model: ScoringModel,
) -> _Pool:
    """The ``size`` best eligible roles of one volunteer, checked and scored exactly."""
    if not vt.is_available[row]:
        return _Pool.empty()
    ri = np.sort(_candidates_for(index, vt, row))  # role order breaks ties, as in the full run
    vi = np.full(len(ri), row, dtype=np.int64)
    distance = pair_distance_km(vt, index.roles, vi, ri)
    ok = pair_eligible(vt, index.roles, vi, ri, distance) & ~_excluded_mask(
        vt, index.roles, vi, ri, excluded
    )
    vi, ri, distance = vi[ok], ri[ok], distance[ok]
    text = (vtext[row] @ index.role_text_t).toarray().ravel()[ri].astype(np.float64)
    features = pair_features(vt, index.roles, vi, ri, text_similarity=text, distance_km=distance)
    linear = model.linear(features)
    best = _top_indices(rank_key(linear, ri), size)
    return _Pool(vi[best], ri[best], linear[best], text[best], distance[best])


def rank_key(linear: NDArray, rows: NDArray) -> NDArray[np.float64]:
    """Score first, then the lower row: see TIE_STEP."""
    return linear - rows * TIE_STEP


def _top_indices(values: NDArray, k: int) -> NDArray[np.int64]:
    """Indices of the k largest, best first; ties broken by position for determinism."""
    if len(values) > k:
        part = np.argpartition(-values, k - 1)[:k]
        return part[np.lexsort((part, -values[part]))]
    return np.lexsort((np.arange(len(values)), -values))


# ---------------------------------------------------------------------------- one volunteer / role


def rank_for_volunteer(
    volunteer: VolunteerRecord,
    index: MatchIndex,
    *,
    k: int = 10,
    labels: Labels = NO_LABELS,
    excluded: Collection[tuple[int, int]] = NO_PAIRS,
    model: ScoringModel | None = None,
) -> list[Suggestion]:
    """Top ``k`` eligible roles for one volunteer, best first (single rematch; no fairness pass)."""
    vt, vtext = index.encode([volunteer])
    pool = _exact_pool(index, vt, vtext, 0, size=k, excluded=excluded,
                       model=model or index.model)
    return list(_suggestions(index, vt, pool, np.arange(1, len(pool.vi) + 1), labels,
                             model or index.model))


def rank_for_opportunity(
    opportunity: OpportunityRecord,
    volunteers: Sequence[VolunteerRecord],
    *,
    today: date,
    k: int = 10,
    model: ScoringModel | None = None,
    labels: Labels = NO_LABELS,
    excluded: Collection[tuple[int, int]] = NO_PAIRS,
    index: MatchIndex | None = None,
) -> list[Suggestion]:
    """Top ``k`` eligible volunteers for one role, best first.

    Pass the run's ``index`` to reuse its fitted vectorizer (same text scores as the full run);
    otherwise one is fitted on this role and the volunteers' texts.
    """
    model = model or (index.model if index else DEFAULT_MODEL)
    one = MatchIndex.build(
        [opportunity],
        today=today,
        model=model,
        vectorizer=index.vectorizer if index else None,
        extra_texts=[] if index else [v.text for v in volunteers],
    )
    if len(one.roles) == 0 or not volunteers:
        return []
    vt, vtext = one.encode(volunteers)
    vi = np.arange(len(vt), dtype=np.int64)
    ri = np.zeros(len(vt), dtype=np.int64)
    distance = pair_distance_km(vt, one.roles, vi, ri)
    ok = pair_eligible(vt, one.roles, vi, ri, distance) & ~_excluded_mask(
        vt, one.roles, vi, ri, excluded
    )
    text = (vtext @ one.role_text_t.T).toarray().ravel().astype(np.float64)
    features = pair_features(vt, one.roles, vi, ri, text_similarity=text, distance_km=distance)
    linear = np.where(ok, model.linear(features), -np.inf)
    best = _top_indices(rank_key(linear, vi), k)
    best = best[np.isfinite(linear[best])]
    pool = _Pool(vi[best], ri[best], linear[best], text[best], distance[best])
    return list(_suggestions(one, vt, pool, np.arange(1, len(best) + 1), labels, model))


def _suggestions(
    index: MatchIndex,
    vt: VolunteerTable,
    pool: _Pool,
    ranks: NDArray[np.int64],
    labels: Labels,
    model: ScoringModel,
) -> Iterator[Suggestion]:
    features = pair_features(vt, index.roles, pool.vi, pool.ri, text_similarity=pool.text,
                             distance_km=pool.distance)
    scores = model.score_from_linear(pool.linear)
    for i in range(len(pool.vi)):
        volunteer = vt.records[pool.vi[i]]
        role = index.roles.records[pool.ri[i]]
        named = {name: round(float(x), 4) for name, x in zip(FEATURE_NAMES, features[i],
                                                             strict=True)}
        km = None if np.isnan(pool.distance[i]) else float(pool.distance[i])
        yield Suggestion(
            volunteer_id=volunteer.id,
            opportunity_id=role.id,
            score=round(float(scores[i]), 6),
            rank=int(ranks[i]),
            features=named,
            reasons=build_reasons(volunteer, role, named, distance_km=km, today=index.today,
                                  labels=labels),
        )


# ---------------------------------------------------------------------------------------- full run


@dataclass
class RankedMatches:
    """A full run's result as arrays; :meth:`suggestions` turns rows into :class:`Suggestion`."""

    index: MatchIndex
    volunteers: VolunteerTable
    pool: _Pool  # the shown pairs, grouped by volunteer, in rank order
    ranks: NDArray[np.int64]
    labels: Labels
    stats: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.pool.vi)

    @property
    def scores(self) -> NDArray[np.float64]:
        return self.index.model.score_from_linear(self.pool.linear)

    @property
    def volunteer_ids(self) -> NDArray[np.int64]:
        return self.volunteers.ids[self.pool.vi]

    @property
    def opportunity_ids(self) -> NDArray[np.int64]:
        return self.index.roles.ids[self.pool.ri]

    def suggestions(self, start: int = 0, stop: int | None = None) -> Iterator[Suggestion]:
        """Build Suggestion objects (with reasons) for rows [start, stop): persist in batches."""
        part = slice(start, stop)
        pool = _Pool(self.pool.vi[part], self.pool.ri[part], self.pool.linear[part],
                     self.pool.text[part], self.pool.distance[part])
        return _suggestions(self.index, self.volunteers, pool, self.ranks[part], self.labels,
                            self.index.model)


def rank_all(
    volunteers: Sequence[VolunteerRecord],
    opportunities: Sequence[OpportunityRecord],
    *,
    today: date,
    k: int = 10,
    model: ScoringModel | None = None,
    labels: Labels = NO_LABELS,
    excluded: Collection[tuple[int, int]] = NO_PAIRS,
    fair: bool = True,
) -> list[Suggestion]:
    """Top ``k`` eligible roles per volunteer for a full run, grouped by volunteer, best first."""
    ranked = rank_all_arrays(volunteers, opportunities, today=today, k=k, model=model,
                             labels=labels, excluded=excluded, fair=fair)
    return list(ranked.suggestions())


def rank_all_arrays(
    volunteers: Sequence[VolunteerRecord],
    opportunities: Sequence[OpportunityRecord] | None = None,
    *,
    today: date,
    k: int = 10,
    model: ScoringModel | None = None,
    labels: Labels = NO_LABELS,
    excluded: Collection[tuple[int, int]] = NO_PAIRS,
    fair: bool = True,
    index: MatchIndex | None = None,
    fair_strength: float = fairness.DEFAULT_STRENGTH,
) -> RankedMatches:
    """The full run as arrays (what ``rank_all`` wraps). Give ``index`` to reuse a built one."""
    if index is None:
        if opportunities is None:
            raise ValueError("give opportunities or a built index")
        index = MatchIndex.build(opportunities, today=today, model=model)
    model = model or index.model
    vt, vtext = index.encode(volunteers)
    pool_size = POOL_FACTOR * k
    if len(index.roles) == 0 or not vt.is_available.any() or k < 1:
        empty = _Pool.empty()
        return RankedMatches(index, vt, empty, np.empty(0, dtype=np.int64), labels,
                             {"suggestions": 0.0, "share_published_roles_shown": 0.0})
    candidates = _fetch_candidates(index, vt, vtext, model, fetch=pool_size + FETCH_MARGIN,
                                   excluded=excluded)
    pool, fallbacks = _certified_pools(index, vt, vtext, candidates, model, k=k,
                                       pool_size=pool_size, excluded=excluded)
    shown, ranks = _pick(pool, len(vt), index.roles.capacity_left, model, k=k, fair=fair,
                         strength=fair_strength)
    scores = model.score_from_linear(shown.linear)
    stats = {
        "volunteers": float(len(vt)),
        "open_roles": float(len(index.roles)),
        "published_roles": float(index.n_published),
        "suggestions": float(len(shown.vi)),
        "fallback_volunteers": float(fallbacks),
        "roles_shown": float(len(np.unique(shown.ri))),
        "share_published_roles_shown": len(np.unique(shown.ri)) / max(index.n_published, 1),
        "mean_score_shown": float(scores.mean()) if len(scores) else 0.0,
    }
    return RankedMatches(index, vt, shown, ranks, labels, stats)


@dataclass
class _Candidates:
    """Pairs retrieved by the fused product, with each block's bound on what it left out."""

    pool: _Pool  # checked and exactly scored
    bound: NDArray[np.float64]  # per volunteer row: max linear of anything not retrieved


def _fetch_candidates(
    index: MatchIndex,
    vt: VolunteerTable,
    vtext: sp.csr_matrix,
    model: ScoringModel,
    *,
    fetch: int,
    excluded: Collection[tuple[int, int]],
) -> _Candidates:
    fused = _FusedProduct(index, vt, vtext, model)
    bound = np.full(len(vt), -np.inf)
    pools: list[_Retrieved] = []
    available = vt.is_available

    # Remote and phone roles: no geography. Volunteers are split by which of the two modes they
    # accept, so nobody is multiplied against roles of a mode they refuse.
    accepts_remote, accepts_phone = vt.accepts("remote"), vt.accepts("phone")
    for wants_remote, wants_phone in ((True, False), (False, True), (True, True)):
        vols = np.flatnonzero(available & (accepts_remote == wants_remote)
                              & (accepts_phone == wants_phone))
        parts = [index.home_rows[m] for m, wanted in (("remote", wants_remote),
                                                      ("phone", wants_phone)) if wanted]
        home_roles = np.concatenate(parts)
        if len(home_roles) == 0 or len(vols) == 0:
            continue
        ones = np.ones(len(home_roles))
        role_matrix = fused.roles(home_roles, distance_bound=ones)
        for start in range(0, len(vols), REMOTE_CHUNK):
            rows = vols[start : start + REMOTE_CHUNK]
            pools.append(fused.top(rows, home_roles, ones, role_matrix, fetch, bound))

    travel_vols = np.flatnonzero(
        available & ~np.isnan(vt.lat) & (vt.accepts("in_person") | vt.accepts("hybrid"))
    )
    for rows in _spatial_groups(vt, travel_vols):
        center_lat, center_lon = vt.lat[rows].mean(), vt.lon[rows].mean()
        spread = haversine_km_radians(vt.lat[rows], vt.lon[rows], center_lat, center_lon).max()
        reach = float(vt.max_travel_km[rows].max() + spread)
        roles = index.within_reach(center_lat, center_lon, reach)
        if len(roles) == 0:
            continue
        # Nearest a role can be to any volunteer of the group, for the distance-feature bound.
        nearest = np.maximum(
            haversine_km_radians(index.roles.lat[roles], index.roles.lon[roles], center_lat,
                                 center_lon) - spread,
            0.0,
        )
        distance_bound = 0.5 ** (nearest / DISTANCE_HALF_KM)
        role_matrix = fused.roles(roles, distance_bound=distance_bound)
        pools.append(fused.top(rows, roles, distance_bound, role_matrix, fetch, bound))
    retrieved = _Retrieved(*(np.concatenate([getattr(p, f) for p in pools]) if pools else
                             np.empty(0) for f in ("vi", "ri", "value", "fused_distance")))
    exact = _check_and_score(index, vt, retrieved, fused, model, excluded)
    return _Candidates(exact, bound)


def _spatial_groups(vt: VolunteerTable, rows: NDArray[np.int64]) -> Iterator[NDArray[np.int64]]:
    """Volunteers of one travel band in one cell (sized by the band) share a candidate query."""
    if len(rows) == 0:
        return
    band = np.searchsorted(TRAVEL_BANDS_KM, vt.max_travel_km[rows])
    cell = np.radians(CELL_DEGREES_BY_BAND[band])
    keys = np.column_stack(
        [band, np.floor(vt.lat[rows] / cell), np.floor(vt.lon[rows] / cell)]
    ).astype(np.int64)
    order = np.lexsort(keys.T[::-1])
    sorted_keys = keys[order]
    breaks = np.flatnonzero(np.any(np.diff(sorted_keys, axis=0) != 0, axis=1)) + 1
    yield from np.split(rows[order], breaks)


class _FusedProduct:
    """The augmented matrices whose product is every pair's linear score plus penalties.

    Column blocks (volunteer side x role side):
      text:      w_text * tfidf          x tfidf
      skills:    w_req * skills          x required / n_required
                 w_pref * skills         x preferred / n_preferred
      causes:    w_cause * causes        x causes / n_causes
      slots:     w_slots * slots         x slots / n_slots
      languages: w_lang * languages      x required languages / n_languages
      rules:     -PEN * shortfalls       x requirements (see _rule_columns)
      constant:  1                       x OFFSET + intercept + empty-set defaults + distance
                                           bound
    """

    def __init__(
        self, index: MatchIndex, vt: VolunteerTable, vtext: sp.csr_matrix, model: ScoringModel
    ) -> None:
        w = model.weights
        self.weights = w
        self.intercept = model.intercept
        total = float(np.abs(w).sum() + abs(model.intercept))
        # Eligible pairs land in [1, 2 * total + 1]; one missing requirement pushes below zero.
        self.offset = total + 1.0
        self.penalty = float(2 * np.ceil(total) + 2)
        rt = index.roles
        v_skills, v_causes = _indicator(vt.skills, len(index.vocab.skills)), _indicator(
            vt.causes, len(index.vocab.causes))
        v_slots = _indicator(vt.slots, len(index.vocab.slots))
        v_langs = _indicator(vt.languages, len(index.vocab.languages))
        v_lacks, r_reqs = _rule_columns(index, vt)
        self.volunteers = sp.hstack([
            w[_I_TEXT] * vtext,
            w[_I_REQ] * v_skills,
            w[_I_PREF] * v_skills,
            w[_I_CAUSE] * v_causes,
            w[_I_SLOTS] * v_slots,
            w[_I_LANG] * v_langs,
            -self.penalty * v_lacks,
            sp.csr_matrix(np.ones((len(vt), 1), dtype=np.float32)),
        ], format="csr", dtype=np.float64)

        def share(bits: NDArray[np.uint64], n: int) -> sp.csr_matrix:
            counts = popcount(bits).astype(np.float64)
            return sp.diags(1.0 / np.maximum(counts, 1)) @ _indicator(bits, n)

        self.role_columns = sp.hstack([
            index.role_text,
            share(rt.required_skills, len(index.vocab.skills)),
            share(rt.preferred_skills, len(index.vocab.skills)),
            share(rt.causes, len(index.vocab.causes)),
            share(rt.slots, len(index.vocab.slots)),
            share(rt.languages, len(index.vocab.languages)),
            r_reqs,
            sp.csr_matrix(np.ones((len(rt), 1))),  # constant, set per block
        ], format="csr", dtype=np.float64)
        # Constant part without distance: intercept, empty-set defaults, penalty.
        self.role_constant = (
            self.offset
            + self.intercept
            + w[_I_REQ] * (popcount(rt.required_skills) == 0)
            + w[_I_SLOTS] * (popcount(rt.slots) == 0)
            - np.arange(len(rt)) * TIE_STEP
        )
        self.is_home = rt.is_home

    def roles(self, rows: NDArray[np.int64], distance_bound: NDArray) -> sp.csr_matrix:
        """Role side for ``rows``, transposed for the product. ``distance_bound`` = upper bound of
        the distance feature per row for this group of volunteers (1 for remote/phone roles)."""
        constant = self.role_constant[rows] + self.weights[_I_DIST] * distance_bound
        block = self.role_columns[rows]
        # The constant is the last stored entry of every row; a stored 0 would vanish in the
        # transpose, and a pair worth exactly OFFSET is still eligible, so nudge it.
        block.data[block.indptr[1:] - 1] = np.where(constant == 0, 1e-30, constant)
        return block.T.tocsr()

    def top(
        self,
        vol_rows: NDArray[np.int64],
        role_rows: NDArray[np.int64],
        distance_bound: NDArray,
        role_matrix: sp.csr_matrix,
        fetch: int,
        bound: NDArray[np.float64],
    ) -> _Retrieved:
        """Each volunteer's ``fetch`` best in this block; updates ``bound`` for full rows."""
        product = sp_matmul_topn(self.volunteers[vol_rows], role_matrix, top_n=fetch,
                                 threshold=0.0, n_threads=N_THREADS)
        counts = np.diff(product.indptr)
        vi = np.repeat(vol_rows, counts)
        values = product.data.astype(np.float64) - self.offset
        full = counts >= fetch
        if full.any():
            # The least value kept bounds everything this block left out for that volunteer.
            row_min = np.minimum.reduceat(values, product.indptr[:-1][counts > 0])
            row_min_all = np.full(len(vol_rows), -np.inf)
            row_min_all[counts > 0] = row_min
            rows = vol_rows[full]
            bound[rows] = np.maximum(bound[rows], row_min_all[full])
        return _Retrieved(vi, role_rows[product.indices], values,
                          np.asarray(distance_bound, dtype=np.float64)[product.indices])

    def text_from_value(
        self, retrieved: _Retrieved, features: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Read the text cosine back out of the fused value: subtract the exactly computed other
        terms (with the distance bound and tie step the product used). Exact to ~1e-14."""
        w = self.weights
        if w[_I_TEXT] == 0:
            return np.zeros(len(retrieved.vi))
        as_fused = features.copy()
        as_fused[:, _I_TEXT] = 0.0
        as_fused[:, _I_DIST] = retrieved.fused_distance
        rest = as_fused @ w + self.intercept - retrieved.ri * TIE_STEP
        return np.clip((retrieved.value - rest) / w[_I_TEXT], 0.0, 1.0)


@dataclass
class _Retrieved:
    """Pairs out of the fused product: ``value`` = linear score (with the distance bound)."""

    vi: NDArray
    ri: NDArray
    value: NDArray
    fused_distance: NDArray

    def take(self, keep: NDArray) -> _Retrieved:
        return _Retrieved(self.vi[keep], self.ri[keep], self.value[keep],
                          self.fused_distance[keep])


def _rule_columns(index: MatchIndex, vt: VolunteerTable) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Shortfalls (volunteers) x requirements (roles): their product counts broken static rules.

    Each column is a *sufficient* sign of ineligibility (so the penalty never drops an eligible
    pair); what depends on the pair's start date is left to the exact check afterwards. Columns
    mark what a volunteer *lacks*, not what they hold: the product then only does work for pairs
    that break a rule (a volunteer who accepts every mode costs nothing in the mode columns).
    Measured on 100k x 20k: holding-encoding 22 s of products, lacking-encoding about half.
      modes:     refuses mode m                      x role's mode is m
      languages: does not speak l                    x role requires l
      trainings: lacks t valid today or later        x role requires t
      check:     no check valid today or later       x role needs a check
      age:       too young for a even on the latest start date  x role's min_age is a
      hours:     free hours < h                      x role's hours >= h (h: thresholds)
    """
    rt = index.roles
    today = index.today.toordinal()
    latest = date.fromordinal(int(rt.start_ord.max()) if len(rt) else today)
    ages = np.unique(rt.min_age[rt.min_age > 0])
    age_then = latest.year - vt.birth_year - (latest.month * 100 + latest.day < vt.birth_md)
    known_hours = rt.hours[~np.isnan(rt.hours)]
    thresholds = (np.unique(np.quantile(known_hours, np.linspace(0, 1, 16)))
                  if len(known_hours) else np.empty(0))
    free = np.where(np.isnan(vt.max_hours), np.inf, vt.max_hours - vt.committed_hours)
    n_langs = len(index.vocab.languages)

    def sparse(a: NDArray) -> sp.csr_matrix:
        return sp.csr_matrix(np.asarray(a, dtype=np.float32).reshape(len(a), -1))

    lacks = sp.hstack([
        sparse(((vt.modes[:, None] >> np.arange(4, dtype=np.uint8)) & 1) == 0),
        sparse(1 - _indicator(vt.languages, n_langs).toarray()) if n_langs else sparse(
            np.zeros((len(vt), 0))),
        sparse(vt.training_valid_until < today),
        sparse(vt.check_valid_until < today),
        sparse(age_then[:, None] < ages[None, :]),
        sparse(free[:, None] < thresholds[None, :] - 1e-9),
    ], format="csr")
    requires = sp.hstack([
        sparse(np.eye(4)[rt.mode]),
        _indicator(rt.languages, n_langs),
        _indicator(rt.trainings, len(index.vocab.trainings)),
        sparse(rt.needs_check),
        sparse(rt.min_age[:, None] == ages[None, :]),
        # A role of h hours breaks the limit of anyone with fewer than t free, for every t <= h.
        sparse(np.nan_to_num(rt.hours, nan=-1.0)[:, None] >= thresholds[None, :]),
    ], format="csr")
    return lacks, requires


def _indicator(bits: NDArray[np.uint64], n: int) -> sp.csr_matrix:
    """(rows, n) 0/1 float32 CSR from a (rows, words) bitmask."""
    shifts = np.arange(64, dtype=np.uint64)
    dense = ((bits[:, :, None] >> shifts) & np.uint64(1)).reshape(len(bits), -1)[:, :n]
    return sp.csr_matrix(dense.astype(np.float32))


def _check_and_score(
    index: MatchIndex,
    vt: VolunteerTable,
    retrieved: _Retrieved,
    fused: _FusedProduct,
    model: ScoringModel,
    excluded: Collection[tuple[int, int]],
) -> _Pool:
    """Exact eligibility and exact linear score of every retrieved pair."""
    vi, ri = retrieved.vi.astype(np.int64), retrieved.ri.astype(np.int64)
    distance = pair_distance_km(vt, index.roles, vi, ri)
    ok = pair_eligible(vt, index.roles, vi, ri, distance) & ~_excluded_mask(
        vt, index.roles, vi, ri, excluded
    )
    kept = retrieved.take(ok)
    vi, ri, distance = vi[ok], ri[ok], distance[ok]
    features = pair_features(vt, index.roles, vi, ri, text_similarity=np.zeros(len(vi)),
                             distance_km=distance)
    features[:, _I_TEXT] = np.round(fused.text_from_value(kept, features), 5)
    return _Pool(vi, ri, model.linear(features), features[:, _I_TEXT].copy(), distance)


def _certified_pools(
    index: MatchIndex,
    vt: VolunteerTable,
    vtext: sp.csr_matrix,
    candidates: _Candidates,
    model: ScoringModel,
    *,
    k: int,
    pool_size: int,
    excluded: Collection[tuple[int, int]],
) -> tuple[_Pool, int]:
    """Each volunteer's best ``pool_size`` checked candidates, grouped by volunteer, best first.

    A volunteer is certified when nothing left out could beat their k-th: their k-th exact linear
    score is >= the bound of every block that was cut off (or no block was cut off). The others
    are redone by the exact one-volunteer path.
    """
    pool = candidates.pool.take(_by_volunteer_best_first(candidates.pool))
    starts = np.searchsorted(pool.vi, np.arange(len(vt)))
    position = np.arange(len(pool.vi)) - starts[pool.vi]
    pool = pool.take(position < pool_size)
    position = position[position < pool_size]
    counts = np.bincount(pool.vi, minlength=len(vt))
    kth = np.full(len(vt), -np.inf)
    at_k = position == min(k, pool_size) - 1
    kth[pool.vi[at_k]] = rank_key(pool.linear[at_k], pool.ri[at_k])
    cut = np.isfinite(candidates.bound)
    certified = ~cut | ((counts >= k) & (kth >= candidates.bound))
    redo = np.flatnonzero(~certified & vt.is_available)
    if len(redo) == 0:
        return pool, 0
    pool = pool.take(~np.isin(pool.vi, redo))
    again = [
        _exact_pool(index, vt, vtext, int(row), size=pool_size, excluded=excluded, model=model)
        for row in redo
    ]
    merged = _Pool.concat([pool, *again])
    return merged.take(_by_volunteer_best_first(merged)), len(redo)


def _by_volunteer_best_first(pool: _Pool) -> NDArray[np.int64]:
    """Order grouping pairs by volunteer, best score first; ties by role row (deterministic).

    Two stable sorts instead of one lexsort (the volunteer sort is a radix sort): measured about
    1 s vs 4.6 s for lexsort on 8 million pairs."""
    order = np.argsort(-rank_key(pool.linear, pool.ri), kind="stable")
    return order[np.argsort(pool.vi[order], kind="stable")]


def _pick(
    pool: _Pool,
    n_volunteers: int,
    capacity_left: NDArray[np.int64],
    model: ScoringModel,
    *,
    k: int,
    fair: bool,
    strength: float,
) -> tuple[_Pool, NDArray[np.int64]]:
    """Choose k per volunteer from their pool (fair exposure or plain top-k); rank 1 = first."""
    width = int(np.bincount(pool.vi, minlength=n_volunteers).max()) if len(pool.vi) else 0
    starts = np.searchsorted(pool.vi, np.arange(n_volunteers))
    position = np.arange(len(pool.vi)) - starts[pool.vi]
    grid = np.full((n_volunteers, width), -1, dtype=np.int64)  # pool row per (volunteer, column)
    grid[pool.vi, position] = np.arange(len(pool.vi))
    has = grid >= 0
    roles = np.where(has, pool.ri[np.maximum(grid, 0)], -1)
    scores = np.where(has, model.score_from_linear(pool.linear[np.maximum(grid, 0)]), -np.inf)
    if fair:
        cols = fairness.pick_fair(roles, scores, capacity_left, k=k, strength=strength)
    else:
        cols = fairness.pick_top(scores, k=k)
    volunteer_rows = np.repeat(np.arange(n_volunteers)[:, None], cols.shape[1], axis=1)
    chosen = cols >= 0
    pool_rows = grid[volunteer_rows[chosen], cols[chosen]]
    ranks = np.broadcast_to(np.arange(1, cols.shape[1] + 1), cols.shape)[chosen]
    return pool.take(pool_rows), ranks.astype(np.int64)
