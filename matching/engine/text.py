"""Text similarity: TF-IDF cosine between a volunteer's profile text and a role's text.

Tokens are words (English stop words dropped), word bigrams, and each word's first four letters
("tuto~" for tutor/tutoring/tutors, "ment~" for mentor/mentoring): a crude stemmer with no extra
package. Sublinear tf, L2-normalised rows.

Chosen with ``bench/quality.py`` on the NYC Service roles (figures in docs/benchmarks.md): it beat
plain TF-IDF words and BM25 on both tasks and matched character 3-5-grams, while keeping rows short.
Row length matters for speed: a product of two TF-IDF matrices costs the sum of posting-list
lengths, and adding character 3-5-grams took synthetic profiles from 35 to 229 stored values and
roles from 87 to 414, which would put the full 100,000 x 20,000 run out of reach for a gain of
0.006 nDCG. Character n-grams stay available in :class:`TextConfig` for comparison.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

_WORD = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True, slots=True)
class TextConfig:
    bigrams: bool = True
    prefix_chars: int | None = 4  # None: no prefix tokens
    stop_words: bool = True
    char_ngrams: tuple[int, int] | None = None  # e.g. (3, 5): char_wb n-grams stacked beside words
    min_df: int = 1
    # Tokens in more than half of the roles ("volunteer") carry little signal but have the
    # longest posting lists, which is what a sparse product pays for. The bound used to be a
    # tenth, which dropped the words that matter in this field ("mental", "health", "support",
    # "older", "adults"); at a half they stay (bench/relevance.py, docs/benchmarks.md).
    # Only applied from MAX_DF_FROM_DOCS texts up: in a handful of roles every word is "common".
    max_df: float = 0.5


MAX_DF_FROM_DOCS = 200


DEFAULT_TEXT_CONFIG = TextConfig()


@dataclass(frozen=True, slots=True)
class WordAnalyzer:
    """Callable for TfidfVectorizer(analyzer=...): words, prefixes and bigrams of one text."""

    bigrams: bool
    prefix_chars: int | None
    stop_words: bool

    def __call__(self, text: str) -> list[str]:
        words = _WORD.findall(text.lower())
        if self.stop_words:
            words = [w for w in words if w not in ENGLISH_STOP_WORDS]
        tokens = list(words)
        n = self.prefix_chars
        if n:
            tokens += [w[:n] + "~" for w in words if len(w) > n]
        if self.bigrams:
            tokens += [f"{a} {b}" for a, b in pairwise(words)]
        return tokens


class TextVectorizer:
    """Fit on role texts, then transform any text into an L2-normalised float32 CSR row."""

    def __init__(self, config: TextConfig = DEFAULT_TEXT_CONFIG) -> None:
        self.config = config
        analyzer = WordAnalyzer(config.bigrams, config.prefix_chars, config.stop_words)
        self._parts: list[TfidfVectorizer] = [
            TfidfVectorizer(
                analyzer=analyzer,
                sublinear_tf=True,
                min_df=config.min_df,
                max_df=config.max_df,
                dtype=np.float32,
            )
        ]
        if config.char_ngrams is not None:
            self._parts.append(
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=config.char_ngrams,
                    sublinear_tf=True,
                    min_df=config.min_df,
                    max_df=config.max_df,
                    dtype=np.float32,
                )
            )

    def fit(self, texts: Iterable[str]) -> TextVectorizer:
        corpus = list(texts)
        max_df = self.config.max_df if len(corpus) >= MAX_DF_FROM_DOCS else 1.0
        for vectorizer in self._parts:
            vectorizer.set_params(max_df=max_df)
            try:
                vectorizer.fit(corpus)
            except ValueError:
                # "empty vocabulary": every text is blank or stop words. Fit a placeholder so the
                # engine still runs (text similarity is then 0 everywhere) instead of failing.
                vectorizer.set_params(max_df=1.0).fit(["placeholder"])
        return self

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        texts = list(texts)
        if not texts:
            width = sum(len(v.vocabulary_) for v in self._parts)
            return sp.csr_matrix((0, width), dtype=np.float32)
        blocks = [normalize(v.transform(texts)) for v in self._parts]
        stacked = blocks[0] if len(blocks) == 1 else sp.hstack(blocks, format="csr")
        return sp.csr_matrix(normalize(stacked), dtype=np.float32)

    def fit_transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        texts = list(texts)
        return self.fit(texts).transform(texts)
