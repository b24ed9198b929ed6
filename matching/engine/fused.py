"""Candidate retrieval for the full run: one sparse product per block of volunteers and roles.

The score is a monotone function of a linear combination of features, and every feature except
distance is a dot product of a volunteer vector and a role vector (TF-IDF rows; skill, cause, slot
and language indicators divided by the role's counts). So the product of two "augmented" matrices
gives every pair's linear score, and sparse_dot_topn keeps each volunteer's best ``fetch`` while
multiplying. Static hard rules ride along as a penalty (see :func:`rule_columns`) so that
``threshold=0`` drops breaking pairs inside the product. Roles on site are fetched per spatial
group of volunteers (:func:`spatial_groups`), with an upper bound of the distance feature folded
into each role's constant column, so that what was not retrieved has a known upper bound.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sparse_dot_topn import sp_matmul_topn

from matching.engine.features import FEATURE_NAMES
from matching.engine.index import MatchIndex
from matching.engine.pairs import VolunteerTable, popcount
from matching.engine.records import DAYS, PARTS
from matching.engine.scoring import ScoringModel

_I_TEXT, _I_REQ, _I_PREF, _I_CAUSE, _I_SLOTS, _I_DIST, _I_LANG = range(len(FEATURE_NAMES))

#: Volunteers are grouped by travel band and by a spatial cell whose side grows with the band, so
#: every group queries the BallTree once with (largest radius + cell spread). Band edges (km) and
#: cell sides (degrees; 0.01 degree is about 1.1 km north-south, 0.84 km east-west at 40.7N).
#: Small cells for short radii keep the wasted ring small, and a small cell also keeps the
#: distance-feature bound tight (wide cells made 4% of volunteers fall back to the exact path).
#: Per-group overhead is a gather and transpose of the candidate roles (about 10 ns per stored
#: value), so groups must hold many volunteers: with fixed 0.01-degree cells the 100k x 20k run
#: took 232 s, with these about 15 s.
TRAVEL_BANDS_KM = np.array([3.0, 6.0, 12.0])
CELL_DEGREES_BY_BAND = np.array([0.02, 0.03, 0.04, 0.05])
#: Threads of the candidate product outside a worker; a worker process gives its own share of the
#: cores in KINDRED_ENGINE_THREADS (backend/celery.py), so processes on one machine do not fight.
N_THREADS = 2


def product_threads() -> int:
    """Threads for sparse-dot-topn's product (its ``n_threads`` overrides OpenMP's own cap)."""
    return max(1, int(os.environ.get("KINDRED_ENGINE_THREADS") or N_THREADS))


#: Equal scores are common (two roles sharing no words with a profile and the same coverage), so
#: the order is score, then role row: ranking keys are ``linear - row * TIE_STEP``. The fused
#: product carries the same step, so it keeps the same tied roles the exact path would. Products
#: run in float64 so the cosine read back from them is exact to ~1e-14, far below this step.
TIE_STEP = 1e-12
#: Fixed schedules with a penalty column of their own (the most common sets of slots); a role
#: with a rarer set is caught by the smallest of _FAMILIES holding it (see schedule_columns).
MAX_SCHEDULE_SETS = 64
_EVERY_DAY, _WEEKDAYS, _WEEKEND = DAYS, DAYS[:5], DAYS[5:]
_FAMILIES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    *((_EVERY_DAY, (part,)) for part in PARTS),
    (_WEEKDAYS, PARTS),
    (_WEEKEND, PARTS),
    (_EVERY_DAY, PARTS),
)


def rank_key(linear: NDArray, rows: NDArray) -> NDArray[np.float64]:
    """Score first, then the lower row: see TIE_STEP."""
    return linear - rows * TIE_STEP


def spatial_keys(
    lat: NDArray[np.float64], lon: NDArray[np.float64], max_travel_km: NDArray[np.float64]
) -> NDArray[np.int64]:
    """(travel band, cell row, cell column) of each located volunteer (radians): the volunteers
    with one key share a candidate query (:func:`spatial_groups`)."""
    band = np.searchsorted(TRAVEL_BANDS_KM, max_travel_km)
    cell = np.radians(CELL_DEGREES_BY_BAND[band])
    return np.column_stack([band, np.floor(lat / cell), np.floor(lon / cell)]).astype(np.int64)


def spatial_groups(vt: VolunteerTable, rows: NDArray[np.int64]) -> Iterator[NDArray[np.int64]]:
    """Volunteers of one travel band in one cell (sized by the band) share a candidate query."""
    if len(rows) == 0:
        return
    keys = spatial_keys(vt.lat[rows], vt.lon[rows], vt.max_travel_km[rows])
    order = np.lexsort(keys.T[::-1])
    sorted_keys = keys[order]
    breaks = np.flatnonzero(np.any(np.diff(sorted_keys, axis=0) != 0, axis=1)) + 1
    yield from np.split(rows[order], breaks)


class FusedProduct:
    """The augmented matrices whose product is every pair's linear score plus penalties.

    Column blocks (volunteer side x role side):
      text:      w_text * tfidf          x tfidf
      skills:    skills                  x w_req * required / n_required
                                           (+ PEN * required where the skills are a rule)
                 w_pref * skills         x preferred / n_preferred
      causes:    w_cause * causes        x causes / n_causes
      slots:     w_slots * slots         x slots / n_slots
      languages: w_lang * languages      x required languages / n_languages
      rules:     -PEN * shortfalls       x requirements (see rule_columns)
      constant:  1                       x OFFSET + intercept + empty-set defaults + distance
                                           bound (- PEN * n_required where the skills are a rule)

    Required skills that are a rule (the role does not teach them on the job) ride in the skill
    block itself: a role's column of a required skill holds its share of the feature plus PEN,
    and its constant subtracts PEN per required skill, so a pair loses PEN for each required skill
    the volunteer lacks and nothing when they hold them all, at no extra work in the product (a
    separate "lacks skill" block did the work of every missing skill; see rule_columns).
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
        v_skills, v_causes = (
            indicator(vt.skills, len(index.vocab.skills)),
            indicator(vt.causes, len(index.vocab.causes)),
        )
        v_slots = indicator(vt.slots, len(index.vocab.slots))
        v_langs = indicator(vt.languages, len(index.vocab.languages))
        v_lacks, r_reqs = rule_columns(index, vt)
        # Only words that some volunteer of this call uses can add to a product, so the text block
        # keeps those columns alone, in their order (every sum adds the same terms in the same
        # order: results are identical). Each spatial group gathers and transposes its roles' rows
        # (see roles()), at a cost that grows with the columns and values kept. Measured on
        # 100k x 20k: a chunk of 1,000 volunteers uses 1,432 of 35,022 columns and 26% of the
        # roles' stored values; building the role side of its ~400 groups went from 0.50 s to
        # 0.14 s, the chunk from 0.78 s to 0.33 s (the whole run in one call: 13.9 s -> 12.8 s).
        words = np.unique(vtext.indices)
        vtext = vtext[:, words]
        self.volunteers = sp.hstack(
            [
                w[_I_TEXT] * vtext,
                v_skills,
                w[_I_PREF] * v_skills,
                w[_I_CAUSE] * v_causes,
                w[_I_SLOTS] * v_slots,
                w[_I_LANG] * v_langs,
                -self.penalty * v_lacks,
                sp.csr_matrix(np.ones((len(vt), 1), dtype=np.float32)),
            ],
            format="csr",
            dtype=np.float64,
        )

        def share(bits: NDArray[np.uint64], n: int) -> sp.csr_matrix:
            counts = popcount(bits).astype(np.float64)
            return sp.diags(1.0 / np.maximum(counts, 1)) @ indicator(bits, n)

        n_skills = len(index.vocab.skills)
        skill_rule = rt.skills_required & (popcount(rt.required_skills) > 0)
        self.role_columns = sp.hstack(
            [
                index.role_text[:, words],
                w[_I_REQ] * share(rt.required_skills, n_skills)
                + sp.diags(self.penalty * skill_rule.astype(np.float64))
                @ indicator(rt.required_skills, n_skills),
                share(rt.preferred_skills, len(index.vocab.skills)),
                share(rt.causes, len(index.vocab.causes)),
                share(rt.slots, len(index.vocab.slots)),
                share(rt.languages, len(index.vocab.languages)),
                r_reqs,
                sp.csr_matrix(np.ones((len(rt), 1))),  # constant, set per block
            ],
            format="csr",
            dtype=np.float64,
        )
        # Constant part without distance: intercept, empty-set defaults, penalty.
        self.role_constant = (
            self.offset
            + self.intercept
            + w[_I_REQ] * (popcount(rt.required_skills) == 0)
            + w[_I_SLOTS] * (popcount(rt.slots) == 0)
            - self.penalty * skill_rule * popcount(rt.required_skills)
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
    ) -> Retrieved:
        """Each volunteer's ``fetch`` best in this block; updates ``bound`` for full rows."""
        product = sp_matmul_topn(
            self.volunteers[vol_rows],
            role_matrix,
            top_n=fetch,
            threshold=0.0,
            n_threads=product_threads(),
        )
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
        return Retrieved(
            vi,
            role_rows[product.indices],
            values,
            np.asarray(distance_bound, dtype=np.float64)[product.indices],
        )

    def text_from_value(
        self, retrieved: Retrieved, features: NDArray[np.float64]
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
class Retrieved:
    """Pairs out of the fused product: ``value`` = linear score (with the distance bound)."""

    vi: NDArray
    ri: NDArray
    value: NDArray
    fused_distance: NDArray

    def take(self, keep: NDArray) -> Retrieved:
        return Retrieved(self.vi[keep], self.ri[keep], self.value[keep], self.fused_distance[keep])


def rule_columns(index: MatchIndex, vt: VolunteerTable) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Shortfalls (volunteers) x requirements (roles): their product counts broken static rules.

    Each column is a *sufficient* sign of ineligibility (so the penalty never drops an eligible
    pair); what depends on the pair's start date is left to the exact check afterwards. Columns
    mark what a volunteer *lacks*, not what they hold: the product then only does work for pairs
    that break a rule (a volunteer who accepts every mode costs nothing in the mode columns).
    Measured on 100k x 20k: holding-encoding 22 s of products, lacking-encoding about half.
      modes:     refuses mode m                      x role's mode is m
      languages: does not speak l                    x role requires l
      trainings: lacks t valid today or later, verified by anyone  x role requires t
      check:     no verified check valid today or later (any scope)  x role needs a check
      age:       too young for a even on the latest start date  x role's age rule is a
                 (min_age, 18 at least for roles serving minors)
      hours:     free hours < h                      x role's hours >= h (h: thresholds)
      schedule:  free at none of the slots S         x role's fixed times are S (or within S)
                 (see schedule_columns)

    Required skills (the role does not teach them) are a rule too, but they ride in the skill
    block of :class:`FusedProduct`, not here: a "lacks skill s" column does the work of every
    skill a volunteer does not have, which is most of them.
    """
    rt = index.roles
    today = index.today.toordinal()
    latest = date.fromordinal(int(rt.start_ord.max()) if len(rt) else today)
    ages = np.unique(rt.min_age[rt.min_age > 0])
    age_then = latest.year - vt.birth_year - (latest.month * 100 + latest.day < vt.birth_md)
    known_hours = rt.hours[~np.isnan(rt.hours)]
    thresholds = (
        np.unique(np.quantile(known_hours, np.linspace(0, 1, 16)))
        if len(known_hours)
        else np.empty(0)
    )
    free = np.where(np.isnan(vt.max_hours), np.inf, vt.max_hours - vt.committed_hours)
    n_langs = len(index.vocab.languages)
    v_schedule, r_schedule = schedule_columns(index, vt)

    def sparse(a: NDArray) -> sp.csr_matrix:
        return sp.csr_matrix(np.asarray(a, dtype=np.float32).reshape(len(a), -1))

    lacks = sp.hstack(
        [
            sparse(((vt.modes[:, None] >> np.arange(4, dtype=np.uint8)) & 1) == 0),
            sparse(1 - indicator(vt.languages, n_langs).toarray())
            if n_langs
            else sparse(np.zeros((len(vt), 0))),
            # Held verified by staff or by any organization: the scope is left to the exact check.
            sparse(np.maximum(vt.training_valid_until, vt.scoped.any_until(len(vt))) < today),
            sparse(vt.check_valid_until < today),
            sparse(age_then[:, None] < ages[None, :]),
            sparse(free[:, None] < thresholds[None, :] - 1e-9),
            v_schedule,
        ],
        format="csr",
    )
    requires = sp.hstack(
        [
            sparse(np.eye(4)[rt.mode]),
            indicator(rt.languages, n_langs),
            indicator(rt.trainings, len(index.vocab.trainings)),
            sparse(rt.needs_check),
            sparse(rt.min_age[:, None] == ages[None, :]),
            # A role of h hours breaks the limit of anyone with fewer than t free, for every t <= h.
            sparse(np.nan_to_num(rt.hours, nan=-1.0)[:, None] >= thresholds[None, :]),
            r_schedule,
        ],
        format="csr",
    )
    return lacks, requires


def schedule_columns(index: MatchIndex, vt: VolunteerTable) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """NO_SHARED_TIME as penalty columns: volunteers free at none of a set of slots x roles at
    fixed times within that set.

    "Free in at least one of the role's slots" is not a sum, so each column is a set of slots S:
    a volunteer free at none of S breaks the rule of every role whose fixed times lie within S.
    The role's own set is exact; the MAX_SCHEDULE_SETS most common sets get a column each, and a
    role with a rarer set takes the smallest of SCHEDULE_FAMILIES that holds it (every morning,
    ..., every weekday, the weekend, the whole week: a sufficient sign, the exact check does the
    rest). A volunteer who said nothing about their time is free at none of any set.
    """
    rt, slots = index.roles, index.vocab.slots
    fixed = np.flatnonzero(rt.needs_slot)
    # The 28 slots fit in one word.
    role_sets = rt.slots[fixed, 0]
    sets, counts = np.unique(role_sets, return_counts=True)
    common = sets[np.argsort(-counts, kind="stable")[:MAX_SCHEDULE_SETS]]
    families = slots.bits([[f"{d}-{p}" for d in days for p in parts] for days, parts in _FAMILIES])
    families = families[:, 0]
    columns = np.concatenate([common, families[~np.isin(families, common)]])
    # Each fixed role takes the smallest column holding its set: its own when it is common.
    width = np.bitwise_count(columns).astype(np.int64)
    holds = (role_sets[:, None] & ~columns[None, :]) == 0
    best = np.argmin(np.where(holds, width[None, :], np.iinfo(np.int64).max), axis=1)
    used, column = np.unique(best, return_inverse=True)
    columns = columns[used]  # no column that no role needs: it would only cost work
    requires = sp.csr_matrix(
        (np.ones(len(fixed), dtype=np.float32), (fixed, column)), shape=(len(rt), len(columns))
    )
    lacks = sp.csr_matrix(((vt.slots[:, :1] & columns[None, :]) == 0).astype(np.float32))
    return lacks, requires


def indicator(bits: NDArray[np.uint64], n: int) -> sp.csr_matrix:
    """(rows, n) 0/1 float32 CSR from a (rows, words) bitmask."""
    shifts = np.arange(64, dtype=np.uint64)
    dense = ((bits[:, :, None] >> shifts) & np.uint64(1)).reshape(len(bits), -1)[:, :n]
    return sp.csr_matrix(dense.astype(np.float32))
