"""The Spanish catalogue is complete: every string of the pages has a translation, none is fuzzy,
and the compiled catalogue Django reads (committed, so the two commands need no gettext) says
the same as the source."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _unquote(lines: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', lines)).replace('\\"', '"')


def entries() -> list[tuple[str, list[str], str]]:
    """(msgid, [msgstr...], the block) for every message but the header."""
    found = []
    for block in PO.read_text().split("\n\n"):
        msgid = re.search(r"^msgid ((?:\".*\"\n?)+)", block, re.M)
        if msgid is None or _unquote(msgid.group(1)) == "":
            continue
        strings = re.findall(r"^msgstr(?:\[\d\])? ((?:\".*\"\n?)+)", block, re.M)
        found.append((_unquote(msgid.group(1)), [_unquote(s) for s in strings], block))
    return found


def test_every_message_has_a_spanish_translation_and_none_is_fuzzy():
    assert len(entries()) > 100
    empty = [msgid for msgid, strings, _ in entries() if not all(strings)]
    fuzzy = [msgid for msgid, _, block in entries() if "#, fuzzy" in block]
    assert empty == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_source():
    with MO.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for msgid, strings, block in entries():
        if "msgid_plural" in block:
            assert catalogue.ngettext(msgid, msgid, 1) == strings[0].encode().decode()
        else:
            assert catalogue.gettext(msgid) == strings[0], msgid


def test_each_translation_keeps_the_placeholders_of_its_message():
    """A translation with another message's placeholders (a guess gettext's merge made) is wrong."""
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    wrong = [
        msgid
        for msgid, strings, _ in entries()
        if any(set(placeholder.findall(s)) != set(placeholder.findall(msgid)) for s in strings)
    ]
    assert wrong == []
