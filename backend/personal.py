"""Personal data: which rows are about a person, which of their fields are personal, and what
erasing them means. Each model that holds data about a person says so with class attributes (no
schema): this module walks the models for them, so a data export and an erasure cover a new model
or field as soon as it is marked, and a test that walks the same markers fails until it is.

* ``PERSONAL_OWNER``: ORM lookup paths from a row to the user it is about (``("profile__user",)``);
  a row belongs to the person when any path leads to them. Export and erasure both use them.
* ``PERSONAL_ABOUT``: further paths used by erasure only (a coordinator's notification about the
  volunteer's match is not the volunteer's to read, but it names them, so it goes too).
* ``PERSONAL_FIELDS``: the fields that are personal data (many-to-many fields included).
* ``PERSONAL_ERASURE``: ``"delete"`` (the rows go), ``"blank"`` (the rows stay for others' records
  and the personal fields take their erased values), ``"keep"`` (no personal field: the rows stay
  as they are) or ``"account"`` (the user row: erased by ``accounts.services.user_erase``).
* ``PERSONAL_ERASED_VALUES``: a personal field's erased value when not its default/empty/null.
* ``PERSONAL_EXPORT_EXCLUDE``: columns never exported (a password hash is no data about anyone).
* ``PERSONAL_EXPORT_KEY``: the exported column that tells the rows apart, when the primary key is
  excluded (a token's digest): ``token_key``, the token's visible start.
* ``PERSONAL_MENTIONS``: text fields other people write about the person on rows that stay (a
  coordinator's note on a match step): erasure replaces the person's name and email in them.

The kernel imports no app: models are found through the app registry.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Replace

ERASURE_KINDS = ("delete", "blank", "keep", "account")


def personal_models() -> Iterator[type[models.Model]]:
    """Every installed model that says whose data it holds, in a stable order."""
    found = [model for model in apps.get_models() if getattr(model, "PERSONAL_OWNER", None)]
    yield from sorted(found, key=lambda model: model._meta.label_lower)


def personal_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The model's personal fields (``PERSONAL_FIELDS``)."""
    return tuple(getattr(model, "PERSONAL_FIELDS", ()))


def export_key(model: type[models.Model]) -> str:
    """The exported column that identifies a row (``PERSONAL_EXPORT_KEY``, else the primary key)."""
    return str(getattr(model, "PERSONAL_EXPORT_KEY", model._meta.pk.attname))


def erasure_kind(model: type[models.Model]) -> str:
    """What erasing the person means for this model's rows (``PERSONAL_ERASURE``)."""
    return str(getattr(model, "PERSONAL_ERASURE", "keep"))


def owned_by(model: type[models.Model], user: Any, *, for_erasure: bool = False) -> Q:
    paths = tuple(model.PERSONAL_OWNER)  # type: ignore[attr-defined]
    if for_erasure:
        paths += tuple(getattr(model, "PERSONAL_ABOUT", ()))
    condition = Q()
    for path in paths:
        condition |= Q(**{path: user.pk})
    return condition


def _many_to_many(model: type[models.Model]) -> list[str]:
    personal = set(getattr(model, "PERSONAL_FIELDS", ()))
    return [f.name for f in model._meta.many_to_many if f.name in personal]


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def export_rows(model: type[models.Model], user: Any) -> list[dict[str, Any]]:
    """Every row of ``model`` about ``user``, every column (many-to-many personal fields as the
    names of what they point to). One query, plus one per many-to-many field."""
    excluded = set(getattr(model, "PERSONAL_EXPORT_EXCLUDE", ()))
    columns = [f for f in model._meta.concrete_fields if f.name not in excluded]
    related = _many_to_many(model)
    rows = model._default_manager.filter(owned_by(model, user)).distinct().order_by("pk")
    if related:
        rows = rows.prefetch_related(*related)
    return [
        {
            **{f.name: _json_value(getattr(row, f.attname)) for f in columns},
            **{name: sorted(str(item) for item in getattr(row, name).all()) for name in related},
        }
        for row in rows
    ]


def erased_value(model: type[models.Model], name: str) -> Any:
    overrides = getattr(model, "PERSONAL_ERASED_VALUES", {})
    if name in overrides:
        return overrides[name]
    field = model._meta.get_field(name)
    if field.has_default():  # type: ignore[union-attr]
        return field.get_default()  # type: ignore[union-attr]
    if field.null:
        return None
    return ""


def erase_rows(model: type[models.Model], user: Any) -> int:
    """Delete or blank the rows of ``model`` about ``user`` as the model's marker says; returns
    how many rows were touched. The caller holds the transaction."""
    kind = getattr(model, "PERSONAL_ERASURE", "keep")
    if kind not in ERASURE_KINDS:
        raise ValueError(f"{model._meta.label}: unknown PERSONAL_ERASURE {kind!r}")
    if kind in ("keep", "account"):
        return 0
    rows = model._default_manager.filter(owned_by(model, user, for_erasure=True))
    if kind == "delete":
        # Deleting through the ORM (not a raw DELETE) so cascades and SET_NULLs still apply.
        touched = list(rows.values_list("pk", flat=True).distinct())
        model._default_manager.filter(pk__in=touched).delete()
        return len(touched)
    pks = list(rows.values_list("pk", flat=True).distinct())
    related = _many_to_many(model)
    plain = {
        name: erased_value(model, name)
        for name in model.PERSONAL_FIELDS  # type: ignore[attr-defined]
        if name not in related
    }
    targets = model._default_manager.filter(pk__in=pks)
    if plain:
        targets.update(**plain)
    for name in related:
        for row in targets:
            getattr(row, name).clear()
    return len(pks)


def scrub_mentions(model: type[models.Model], user: Any, replacements: dict[str, str]) -> int:
    """Replace each key of ``replacements`` (the person's name, email...) by its value in the
    model's ``PERSONAL_MENTIONS`` fields of the rows about ``user``; returns how many rows held
    one. The caller holds the transaction."""
    fields = tuple(getattr(model, "PERSONAL_MENTIONS", ()))
    # Longest first, so a full name goes before a part of it.
    found = sorted((key for key in replacements if key), key=len, reverse=True)
    if not fields or not found:
        return 0
    rows = model._default_manager.filter(owned_by(model, user, for_erasure=True))
    touched = 0
    for name in fields:
        for key in found:
            holding = rows.filter(**{f"{name}__contains": key})
            touched += holding.update(**{name: Replace(name, Value(key), Value(replacements[key]))})
    return touched
