"""Retention of withdrawn suggestions: the engine's churn moves out of the hot ``Match`` table.

Every rematch withdraws the suggestions that left a volunteer's or a role's open set (``outranked``,
``no_longer_eligible``), and each withdrawn row stays in ``matching_match`` beside the open ones.
After SUGGESTION_RETENTION_DAYS they move to ``matching_archivedsuggestion``
(``suggestions_archive_withdrawn``; daily beat task, ``manage.py suggestions_archive``).

Which rows move, and why only those (who reads what):

* the scoring model's refit learns from decided matches only (approved and further, rejected,
  declined: ``scoring_model.REVIEWED_STATUSES``), and ``candidates.excluded_pairs`` reads the same
  statuses: a rejected match never moves, nor does anything a person decided;
* a match withdrawn by a person (a coordinator, the volunteer, staff on a safeguarding concern) is
  the organization's record, read by the match history and the audit: it stays. So does one that
  went further than suggested before it was withdrawn (any transition but the engine's own
  ``suggested -> withdrawn``), one with a queue position recorded (someone decided on it), one a
  notification points at (someone was told), one with hours or ratings;
* what moves is a suggestion the engine made and the engine withdrew, with no other step: its one
  transition (the withdrawal, system actor) goes with it, folded into the archive row's ``reason``
  and ``note``. Nothing in the product reads these rows; the archive keeps what the engine
  computed (score, features, facts) for analysis, and erasure deletes them with the volunteer.

A pair suggested again after its old row moved gets a new ``Match`` row, as it would have anyway:
the unique index ``match_one_open_per_pair`` only covers rows that are not withdrawn, and the store's
merge never looks at withdrawn ones.

Each batch is one transaction: the rows are locked (``SKIP LOCKED`` on PostgreSQL, so a rematch
withdrawing or a coordinator acting on a row is never waited for), copied with one
``INSERT ... SELECT`` and deleted with their transitions; a crash leaves every row either still
in ``Match`` or in the archive, never both, never neither.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, ForeignObjectRel, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from matching.models import ArchivedSuggestion, Match, MatchStatus, MatchTransition

#: Rows per transaction. Measured on PostgreSQL with 50,000 withdrawn suggestions (2-core box, load
#: average ~6): 1,000 a batch moved them in 8.2 s (163 ms a batch, 6,100 rows/s), 5,000 a batch in
#: 11.7 s (1.2 s a batch): the larger batch is no faster and holds its locks seven times as long.
ARCHIVE_BATCH = 1000

_COLUMNS = (
    "id, volunteer_id, opportunity_id, score, features, reasons, facts, model_version, run_id, "
    "suggested_at, withdrawn_at, reason, note, archived_at"
)
# The withdrawal's reason and note: the match's one transition (the engine's own). Table names
# come from the models, the ids and the time are parameters.
_INSERT = f"""
INSERT INTO {ArchivedSuggestion._meta.db_table} ({_COLUMNS})
SELECT m.id, m.volunteer_id, m.opportunity_id, m.score, m.features, m.reasons, m.facts,
    m.model_version, m.run_id, m.created_at, m.updated_at,
    coalesce((SELECT t.reason FROM {MatchTransition._meta.db_table} AS t
              WHERE t.match_id = m.id ORDER BY t.created_at DESC, t.id DESC LIMIT 1), ''),
    coalesce((SELECT t.note FROM {MatchTransition._meta.db_table} AS t
              WHERE t.match_id = m.id ORDER BY t.created_at DESC, t.id DESC LIMIT 1), ''),
    %s
FROM {Match._meta.db_table} AS m WHERE m.id IN ({{ids}})
"""  # noqa: S608
# Raw deletes: the rows chosen have nothing pointing at them but their own transitions (no
# notification names those either), so the ORM's collector would only fetch them to find that.
_DELETE_TRANSITIONS = f"DELETE FROM {MatchTransition._meta.db_table} WHERE match_id IN ({{ids}})"  # noqa: S608
_DELETE = f"DELETE FROM {Match._meta.db_table} WHERE id IN ({{ids}})"  # noqa: S608


@dataclass
class ArchiveResult:
    archived: int = 0
    batches: int = 0


def retention_cutoff(*, now: dt.datetime | None = None) -> dt.datetime:
    """Suggestions withdrawn before this moment move (SUGGESTION_RETENTION_DAYS ago)."""
    return (now or timezone.now()) - dt.timedelta(days=settings.SUGGESTION_RETENTION_DAYS)


def _reverse_relations(model: type[Model]) -> list[ForeignObjectRel]:
    """The relations of other tables pointing at ``model`` (hidden ones too: a notification's
    ``related_name="+"``)."""
    return [
        rel
        for rel in model._meta.get_fields(include_hidden=True)
        if isinstance(rel, ForeignObjectRel) and (rel.one_to_many or rel.one_to_one)
    ]


def _referenced_elsewhere() -> list[Exists]:
    """One ``EXISTS`` per table that points at a match (hours, ratings, notifications, interest
    requests, whatever a later app adds), or at one of its transitions: read from the models'
    reverse relations, so this app imports none of the apps above it and a new one is covered at
    once. The match's own transitions are the one exception: they move with it."""
    checks = [
        Exists(rel.related_model._default_manager.filter(**{rel.field.name: OuterRef("pk")}))
        for rel in _reverse_relations(Match)
        if rel.related_model is not MatchTransition
    ]
    checks += [
        Exists(
            rel.related_model._default_manager.filter(
                **{f"{rel.field.name}__match": OuterRef("pk")}
            )
        )
        for rel in _reverse_relations(MatchTransition)
    ]
    return checks


def archivable_suggestions(*, before: dt.datetime) -> QuerySet[Match]:
    """Suggestions the engine made and withdrew before ``before`` that no person ever acted on
    (the rule in this module's docstring)."""
    engine_withdrawal = Q(
        from_status=MatchStatus.SUGGESTED, to_status=MatchStatus.WITHDRAWN, actor__isnull=True
    )
    other_step = MatchTransition.objects.filter(match=OuterRef("pk")).exclude(engine_withdrawal)
    rows = Match.objects.filter(
        status=MatchStatus.WITHDRAWN, updated_at__lt=before, shown_position__isnull=True
    ).exclude(Exists(other_step))
    for referenced in _referenced_elsewhere():
        rows = rows.exclude(referenced)
    return rows


def _archive_batch(*, before: dt.datetime, batch_size: int, now: dt.datetime) -> int:
    with transaction.atomic():
        rows = archivable_suggestions(before=before).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        ids = list(rows.values_list("id", flat=True)[:batch_size])
        if not ids:
            return 0
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            archived_at = connection.ops.adapt_datetimefield_value(now)
            cursor.execute(_INSERT.format(ids=marks), [archived_at, *ids])
            cursor.execute(_DELETE_TRANSITIONS.format(ids=marks), ids)
            cursor.execute(_DELETE.format(ids=marks), ids)
        return len(ids)


def suggestions_archive_withdrawn(
    *,
    now: dt.datetime | None = None,
    batch_size: int = ARCHIVE_BATCH,
    max_batches: int | None = None,
) -> ArchiveResult:
    """Move every archivable suggestion withdrawn more than SUGGESTION_RETENTION_DAYS ago into
    ``ArchivedSuggestion``, ``batch_size`` rows per transaction (at most ``max_batches``). Safe
    to run twice, or two at once: a row moves once."""
    now = now or timezone.now()
    before = retention_cutoff(now=now)
    result = ArchiveResult()
    while max_batches is None or result.batches < max_batches:
        moved = _archive_batch(before=before, batch_size=batch_size, now=now)
        if not moved:
            break
        result.archived += moved
        result.batches += 1
        if moved < batch_size:
            break
    return result
