"""Judgments, pooling and the metrics of ``bench/relevance.py``: nDCG@10 (gains 2^g - 1),
P@10, Recall@50 (over the judged relevant) and MRR, relevant meaning grade >= 2; unjudged = 0.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

from bench._relevance_data import (
    JUDGMENTS,
    POOL,
    POOL_DEPTH,
    POOL_RANDOM,
    RANDOM_SEED,
    RELEVANT,
    Persona,
    Ranking,
    Role,
)


def load_judgments(path: Path = JUDGMENTS) -> dict[tuple[str, str], int]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            (row["persona_id"], row["role_key"]): int(row["grade"])
            for row in csv.DictReader(handle)
        }


def pool_for(rankings: Mapping[str, Ranking], all_keys: Sequence[str], seed: int) -> list[str]:
    """Top POOL_DEPTH of every ranker plus POOL_RANDOM random roles not already pooled."""
    pooled = list(dict.fromkeys(key for ranking in rankings.values() for key in ranking[:10]))
    rest = [key for key in all_keys if key not in set(pooled)]
    rng = np.random.default_rng(seed)
    extra = rng.choice(len(rest), size=min(POOL_RANDOM, len(rest)), replace=False)
    return pooled + [rest[i] for i in sorted(extra)]


def dcg(gains: Sequence[float]) -> float:
    return float(sum(g / np.log2(i + 2) for i, g in enumerate(gains)))


def ndcg_at(ranking: Ranking, grades: Mapping[str, int], k: int = 10) -> float:
    gain = [2 ** grades.get(key, 0) - 1 for key in ranking[:k]]
    ideal = sorted((2**g - 1 for g in grades.values()), reverse=True)[:k]
    best = dcg(ideal)
    return dcg(gain) / best if best > 0 else 0.0


def precision_at(ranking: Ranking, grades: Mapping[str, int], k: int = 10) -> float:
    return sum(grades.get(key, 0) >= RELEVANT for key in ranking[:k]) / k


def recall_at(ranking: Ranking, grades: Mapping[str, int], k: int = 50) -> float:
    relevant = {key for key, g in grades.items() if g >= RELEVANT}
    return len(relevant & set(ranking[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranking: Ranking, grades: Mapping[str, int]) -> float:
    for i, key in enumerate(ranking):
        if grades.get(key, 0) >= RELEVANT:
            return 1.0 / (i + 1)
    return 0.0


METRICS: dict[str, Callable[[Ranking, Mapping[str, int]], float]] = {
    "nDCG@10": ndcg_at,
    "P@10": precision_at,
    "Recall@50": recall_at,
    "MRR": reciprocal_rank,
}


def evaluate(
    rankings: Mapping[str, Sequence[Ranking]],
    personas: Sequence[Persona],
    judgments: Mapping[tuple[str, str], int],
) -> dict[str, dict[str, dict[str, float]]]:
    """ranker -> group -> metric -> mean over the group's personas (each persona counts once)."""
    grades = {p.id: {r: g for (pid, r), g in judgments.items() if pid == p.id} for p in personas}
    groups = {
        "all": [i for i, _ in enumerate(personas)],
        "mental health": [i for i, p in enumerate(personas) if p.mental_health],
        "tune": [i for i, p in enumerate(personas) if p.split == "tune"],
        "holdout": [i for i, p in enumerate(personas) if p.split == "holdout"],
        "holdout, mental health": [
            i for i, p in enumerate(personas) if p.split == "holdout" and p.mental_health
        ],
    }
    out: dict[str, dict[str, dict[str, float]]] = {}
    for ranker, lists in rankings.items():
        out[ranker] = {
            group: {
                name: float(np.mean([metric(lists[i], grades[personas[i].id]) for i in members]))
                for name, metric in METRICS.items()
            }
            for group, members in groups.items()
        }
    return out


def table(
    results: Mapping[str, Mapping[str, Mapping[str, float]]], not_run: Mapping[str, str]
) -> str:
    """The main table; ``not_run``: ranker -> why it has no figures (a row saying so)."""
    groups = ["all", "mental health", "tune", "holdout", "holdout, mental health"]
    lines = [
        "| ranker | nDCG@10 | P@10 | Recall@50 | MRR | nDCG@10 mental health "
        "| nDCG@10 tune | nDCG@10 holdout | nDCG@10 holdout, mental health |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for ranker, by_group in results.items():
        overall = by_group["all"]
        cells = [f"{overall[m]:.3f}" for m in METRICS]
        cells += [f"{by_group[g]['nDCG@10']:.3f}" for g in groups[1:]]
        lines.append(f"| {ranker} | " + " | ".join(cells) + " |")
    for ranker, why in not_run.items():
        lines.append(f"| {ranker} | {why} |" + " |" * 7)
    return "\n".join(lines)


def group_table(results: Mapping[str, Mapping[str, Mapping[str, float]]], group: str) -> str:
    lines = ["| ranker | " + " | ".join(METRICS) + " |", "| --- |" + " --- |" * len(METRICS)]
    for ranker, by_group in results.items():
        lines.append(
            f"| {ranker} | " + " | ".join(f"{by_group[group][m]:.3f}" for m in METRICS) + " |"
        )
    return "\n".join(lines)


def write_pool(
    personas: Sequence[Persona],
    roles: Sequence[Role],
    rankings: Mapping[str, Sequence[Ranking]],
    judgments: Mapping[tuple[str, str], int],
) -> list[tuple[str, str]]:
    """Grow pool.csv, never shrink it: the first time, every persona's top POOL_DEPTH of every
    ranker plus POOL_RANDOM random roles; afterwards only the top-POOL_DEPTH roles not pooled yet
    (a changed ranker's new roles), marked with the day they were added. Returns the pooled pairs
    not judged yet."""
    titles = {role.key: role.title for role in roles}
    keys = [role.key for role in roles]
    rows: list[list[str]] = []
    if POOL.exists():
        with POOL.open(encoding="utf-8", newline="") as handle:
            rows = [list(r.values()) for r in csv.DictReader(handle)]
    pooled = {(r[0], r[1]) for r in rows}
    first = not rows
    today = dt.date.today().isoformat()
    for i, persona in enumerate(personas):
        mine = {ranker: lists[i] for ranker, lists in rankings.items()}
        wanted = (
            pool_for(mine, keys, seed=RANDOM_SEED + i)
            if first
            else [k for ranking in mine.values() for k in ranking[:POOL_DEPTH]]
        )
        for key in dict.fromkeys(wanted):
            if (persona.id, key) in pooled:
                continue
            by = "; ".join(r for r, ranking in mine.items() if key in ranking[:POOL_DEPTH])
            by = by or "random extra"
            rows.append([persona.id, key, titles[key], by if first else f"{by} (added {today})"])
            pooled.add((persona.id, key))
    with POOL.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["persona_id", "role_key", "title", "pooled_by"])
        writer.writerows(rows)
    return [(r[0], r[1]) for r in rows if (r[0], r[1]) not in judgments]


def coverage(
    rankings: Mapping[str, Sequence[Ranking]],
    personas: Sequence[Persona],
    judgments: Mapping[tuple[str, str], int],
) -> dict[str, float]:
    """Share of each ranker's top-10 entries that carry a judgment (1.0 = fully judged)."""
    out = {}
    for ranker, lists in rankings.items():
        pairs = [
            (p.id, key) for p, ranking in zip(personas, lists, strict=True) for key in ranking[:10]
        ]
        out[ranker] = sum(pair in judgments for pair in pairs) / len(pairs) if pairs else 1.0
    return out


def per_persona_table(
    rankings: Mapping[str, Sequence[Ranking]],
    personas: Sequence[Persona],
    judgments: Mapping[tuple[str, str], int],
) -> str:
    """nDCG@10 per tune persona and ranker; holdout personas are left out on purpose."""
    names = list(rankings)
    lines = ["| persona | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]
    for i, persona in enumerate(personas):
        if persona.split != "tune":
            continue
        grades = {r: g for (pid, r), g in judgments.items() if pid == persona.id}
        cells = [f"{ndcg_at(rankings[n][i], grades):.2f}" for n in names]
        lines.append(f"| {persona.id} {persona.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
