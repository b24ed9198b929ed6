"""Storing suggestions: an idempotent upsert of Match rows in status suggested, and the
withdrawal (with its audit row) of suggestions that left the open set.

The store is the only writer of ``Match.facts`` (suggestions/services/facts.py): what the
organization is told of the volunteer is computed here, from the role as it is when the engine
makes the suggestion, and stays as it was until the engine suggests the pair again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from matching.models import (
    Match,
    MatchRun,
    MatchStatus,
    MatchTransition,
)
from suggestions.services.facts import pair_facts

logger = logging.getLogger(__name__)

REASON_NO_LONGER_ELIGIBLE = "no_longer_eligible"
REASON_OUTRANKED = "outranked"


@dataclass
class StoreResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_reviewed: int = 0
    withdrawn: int = 0
    match_ids: list[int] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.created + self.updated + self.unchanged


def _rounded_features(features: dict[str, float]) -> dict[str, float]:
    # Six decimals: enough for a refit, and an unchanged suggestion compares equal on re-store.
    return {name: round(float(value), 6) for name, value in features.items()}


#: The staging table of one store (temporary: this connection's own, dropped at commit).
_STAGE = "kindred_match_stage"
_STAGE_COLUMNS = (
    "volunteer_id",
    "opportunity_id",
    "score",
    "features",
    "reasons",
    "facts",
    "model_version",
    "run_id",
)
_STAGE_TYPES = {
    "postgresql": "integer, integer, double precision, jsonb, jsonb, jsonb, varchar(64), uuid",
    "sqlite": "integer, integer, real, text, text, text, text, text",
}
_STAGE_INSERT = "INSERT INTO kindred_match_stage VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
# One set-based merge: a new open row for a pair that has none; the pair's suggested row refreshed
# only when something changed; a reviewed row (the same unique index) left as it is. The conflict
# target names match_one_open_per_pair, a partial unique index, by its columns and predicate.
_MERGE = """
INSERT INTO matching_match AS m (
    volunteer_id, opportunity_id, score, features, reasons, facts, model_version,
    status, run_id, created_at, updated_at
)
SELECT s.volunteer_id, s.opportunity_id, s.score, s.features, s.reasons, s.facts, s.model_version,
    %(suggested)s, s.run_id, %(now)s, %(now)s
FROM kindred_match_stage AS s WHERE true ORDER BY s.volunteer_id, s.opportunity_id
ON CONFLICT (volunteer_id, opportunity_id) WHERE NOT (status = 'withdrawn') DO UPDATE SET
    score = excluded.score, features = excluded.features, reasons = excluded.reasons,
    facts = excluded.facts, model_version = excluded.model_version,
    run_id = coalesce(excluded.run_id, m.run_id), updated_at = excluded.updated_at
WHERE m.status = %(suggested)s AND (
    abs(m.score - excluded.score) >= 1e-9 OR m.features <> excluded.features
    OR m.reasons <> excluded.reasons OR m.facts <> excluded.facts
    OR m.model_version <> excluded.model_version
)
RETURNING id, created_at = updated_at
"""
# After the merge: the staged pairs it left alone, unchanged suggestions and reviewed rows.
_UNTOUCHED = """
SELECT m.id, m.status = %(suggested)s FROM matching_match AS m
JOIN kindred_match_stage AS s ON m.volunteer_id = s.volunteer_id AND m.opportunity_id = s.opportunity_id
WHERE NOT (m.status = 'withdrawn') AND m.updated_at <> %(now)s
"""


def _staged_rows(
    by_pair: dict[tuple[int, int], Any], *, model_version: str, run_id: Any, today: dt.date
) -> list[tuple[Any, ...]]:
    """One staging row per pair; the facts, features and reasons serialized once, here."""
    facts_by_pair = pair_facts(by_pair, today=today)
    return [
        (
            pair[0],
            pair[1],
            min(max(float(suggestion.score), 0.0), 1.0),
            json.dumps(_rounded_features(suggestion.features)),
            json.dumps(list(suggestion.reasons)),
            json.dumps(facts_by_pair.get(pair, {})),
            model_version,
            run_id,
        )
        for pair, suggestion in sorted(by_pair.items())
    ]


def _stage(cursor: Any, rows: list[tuple[Any, ...]]) -> None:
    """Load the rows into a fresh staging table: COPY on PostgreSQL, one executemany on SQLite."""
    vendor = connection.vendor
    columns = ", ".join(
        f"{name} {kind}"
        for name, kind in zip(_STAGE_COLUMNS, _STAGE_TYPES[vendor].split(", "), strict=True)
    )
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
    if vendor == "postgresql":
        cursor.execute(f"CREATE TEMPORARY TABLE {_STAGE} ({columns}) ON COMMIT DROP")
        with cursor.copy(f"COPY {_STAGE} ({', '.join(_STAGE_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.execute(f"CREATE TEMPORARY TABLE {_STAGE} ({columns})")
        cursor.executemany(_STAGE_INSERT, rows)


def suggestions_store(
    *,
    suggestions: Sequence[Any],
    model_version: str,
    run: MatchRun | None = None,
    today: dt.date | None = None,
) -> StoreResult:
    """Upsert suggestions as Match rows with status suggested; idempotent.

    An open suggested row of the pair is refreshed in place (same id), an unchanged one is left
    alone (not even its ``updated_at``); a pair with a reviewed match (approved, rejected, ...
    anything but suggested or withdrawn) is skipped untouched; otherwise a new row is created.

    In bulk, whatever the number of pairs: the rows go into a temporary staging table (COPY on
    PostgreSQL) and one ``INSERT ... ON CONFLICT ... DO UPDATE ... WHERE changed`` merges them
    against ``match_one_open_per_pair``, so two workers storing the same pair at once cannot both
    insert it (the second waits for the first and then updates or leaves its row).

    Each stored row gets its frozen ``facts`` (distance band, minimum age met, check cleared),
    computed now against the role's place and start date (``today``: the server's date).
    """
    result = StoreResult()
    by_pair = {(s.volunteer_id, s.opportunity_id): s for s in suggestions}
    if not by_pair:
        return result
    run_id = None if run is None else MatchRun._meta.pk.get_db_prep_value(run.pk, connection)
    rows = _staged_rows(
        by_pair, model_version=model_version, run_id=run_id, today=today or timezone.localdate()
    )
    params = {
        "suggested": MatchStatus.SUGGESTED.value,
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        _stage(cursor, rows)
        cursor.execute(_MERGE, params)
        for pk, created in cursor.fetchall():
            if created:
                result.created += 1
            else:
                result.updated += 1
            result.match_ids.append(pk)
        cursor.execute(_UNTOUCHED, params)
        for pk, suggested in cursor.fetchall():
            if suggested:
                result.unchanged += 1
                result.match_ids.append(pk)
            else:
                result.skipped_reviewed += 1
        cursor.execute(f"DROP TABLE {_STAGE}")
    return result


def suggestions_withdraw(reasons_by_match_id: dict[int, str], *, now: dt.datetime) -> int:
    """Withdraw suggested matches (and only those still suggested) with one transition each."""
    if not reasons_by_match_id:
        return 0
    ids = list(
        Match.objects.select_for_update()
        .filter(id__in=list(reasons_by_match_id), status=MatchStatus.SUGGESTED)
        .order_by()
        .values_list("id", flat=True)
    )
    if not ids:
        return 0
    Match.objects.filter(id__in=ids).update(status=MatchStatus.WITHDRAWN, updated_at=now)
    MatchTransition.objects.bulk_create(
        [
            MatchTransition(
                match_id=pk,
                from_status=MatchStatus.SUGGESTED,
                to_status=MatchStatus.WITHDRAWN,
                actor=None,
                reason=reasons_by_match_id[pk],
            )
            for pk in ids
        ],
        batch_size=500,
    )
    return len(ids)
