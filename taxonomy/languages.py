"""Every ISO 639-1 language with its English name, read from pycountry.

pycountry ships the ISO 639-3 tables that the Debian iso-codes project keeps up to date, so the list
of languages is maintained there rather than typed in here. Each ISO 639-3 entry that has a
two-letter code is an ISO 639-1 language (184 of them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pycountry

#: ISO 639-3 qualifies some names for its own disambiguation ("Swahili (macrolanguage)",
#: "Modern Greek (1453-)"); a volunteer looks for "Swahili", so the qualifier is dropped.
_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")


@dataclass(frozen=True)
class IsoLanguage:
    """One ISO 639-1 language: its code, its English name and any other English names."""

    code: str
    name: str
    other_names: tuple[str, ...] = ()


def plain_name(name: str) -> str:
    """The name without the standard's trailing qualifier: 'Malay (macrolanguage)' -> 'Malay'."""
    return _QUALIFIER.sub("", name)


def _iso_language(entry: Any) -> IsoLanguage:
    """pycountry's entries are untyped records; read the fields ISO 639-1 entries carry."""
    name = plain_name(entry.name)
    # common_name is the name most speakers use where it differs ("Bangla" for Bengali).
    common = getattr(entry, "common_name", None)
    others = tuple(n for n in (common,) if n and n != name)
    return IsoLanguage(code=entry.alpha_2, name=name, other_names=others)


def iso_639_1_languages() -> list[IsoLanguage]:
    """Every ISO 639-1 language, by code."""
    entries = [entry for entry in pycountry.languages if hasattr(entry, "alpha_2")]
    return sorted((_iso_language(entry) for entry in entries), key=lambda lang: lang.code)
