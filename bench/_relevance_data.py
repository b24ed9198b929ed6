"""Personas, the demo catalogue with stable role keys, and the lexical baselines of
``bench/relevance.py`` (issue 10). No database: the catalogue is built from the seed's own specs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
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


def baseline_rankings(personas: Sequence[Persona], roles: Sequence[Role]) -> dict[str, list]:
    queries = [persona_query(p) for p in personas]
    corpus = [role.text for role in roles]
    keys = np.array([role.key for role in roles])
    out: dict[str, list[Ranking]] = {}
    for name, scorer in BASELINE_SCORERS.items():
        scores = scorer(queries, corpus)
        out[name] = [list(keys[np.argsort(-row, kind="stable")]) for row in scores]
    return out
