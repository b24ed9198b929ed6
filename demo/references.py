"""Taxonomy named by slug in the demo specs, resolved to ids and linked to rows in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models

from taxonomy.models import Cause, Language, Skill, TrainingType

UNKNOWN_REFERENCE_MESSAGE = "The demo data names {kind} that the database does not have: {missing}."


class References:
    """Taxonomy ids by slug, loaded once; a slug the database lacks is an error, not a silent gap."""

    def __init__(self, tables: dict[str, dict[str, Any]]) -> None:
        self.tables = tables

    @classmethod
    def load(cls) -> References:
        return cls(
            {
                "skills": dict(Skill.objects.values_list("slug", "id")),
                "causes": dict(Cause.objects.values_list("slug", "id")),
                "trainings": dict(TrainingType.objects.values_list("slug", "id")),
                "languages": {
                    code: code for code in Language.objects.values_list("code", flat=True)
                },
            }
        )

    def ids(self, kind: str, slugs: Iterable[str]) -> list[Any]:
        table = self.tables[kind]
        missing = [slug for slug in slugs if slug not in table]
        if missing:
            raise ValueError(
                UNKNOWN_REFERENCE_MESSAGE.format(kind=kind, missing=", ".join(missing))
            )
        return [table[slug] for slug in slugs]


def link_references(
    model: type[models.Model],
    created: Sequence[tuple[models.Model, Any]],
    references: References,
    **kinds: str,
) -> None:
    """Link each created row to the taxonomy its spec names, in bulk.

    ``kinds`` maps a many-to-many field to its reference table (``required_skills="skills"``); the
    spec carries the slugs under the field's name.
    """
    for field_name, kind in kinds.items():
        _link(
            model,
            field_name,
            [
                (row.pk, target)
                for row, spec in created
                for target in references.ids(kind, getattr(spec, field_name))
            ],
        )


def _link(model: type[models.Model], field_name: str, pairs: Iterable[tuple[int, Any]]) -> None:
    """Bulk-insert many-to-many rows ``(owner id, target id)`` into ``field_name``'s through table."""
    field = model._meta.get_field(field_name)
    if not isinstance(field, models.ManyToManyField):
        raise TypeError(f"{model.__name__}.{field_name} is not a many-to-many field.")
    through: Any = field.remote_field.through
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    through.objects.bulk_create(through(**{source: owner, target: item}) for owner, item in pairs)
