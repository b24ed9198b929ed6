"""What the volunteer asked for, in a few of their own words: the text reason of a suggestion.

A coordinator learns more from "Wants to co-facilitate a peer-support group for adults with
anxiety" than from "their profile fits the description". The words come only from what the
volunteer wrote about what they want to do (``VolunteerRecord.wants``, their bio), never from
their lived experience or any other private field, and only the clause that says what they want:
from "want to", "would like to", "looking for"... to the end of that clause, so the rest of the
sentence ("I moved to Washington Heights five years ago and") is never shown. The clause chosen is
the one sharing the most words with the role (none shared: nothing is quoted); a sentence with a
figure, an email or a link (a phone or house number, an age) is never quoted.
"""

from __future__ import annotations

import re

#: Longest reason, in characters; a longer clause is cut at a word and ends with "...".
MAX_QUOTE = 90
#: Sentences end at a stop followed by a space (so "ada@example.org" stays in its sentence).
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
#: A clause ends at a comma, colon or dash, or where a new reason starts.
_CLAUSE_END = re.compile(r"\s*(?:[,:()]|\s-\s|\b(?:because|but|so that|although)\b)", re.I)
_WORD = re.compile(r"[a-z][a-z'-]+")
#: A sentence with any of these is never quoted: an email, a link, or any figure.
_NOT_QUOTED = re.compile(r"@|https?:|www\.|\d", re.I)
_FIRST_PERSON = re.compile(r"\b(i|me|my|mine|myself|i'm|i've|i'd|i'll)\b", re.I)
#: Words that say what someone wants, and the same in the third person (longest first).
_WISHES: tuple[tuple[str, str], ...] = (
    ("would really like to", "Would like to"),
    ("would like to", "Would like to"),
    ("i'd really like to", "Would like to"),
    ("i'd like to", "Would like to"),
    ("would love to", "Would love to"),
    ("i'd love to", "Would love to"),
    ("really want to", "Wants to"),
    ("want to", "Wants to"),
    ("hoping to", "Hopes to"),
    ("hope to", "Hopes to"),
    ("looking for", "Looking for"),
    ("interested in", "Interested in"),
    ("keen to", "Keen to"),
    ("want", "Wants"),
)
_WISH = re.compile(
    r"(?:\b(?:i|i'm|i am)\s+)?(?<![a-z])(" + "|".join(re.escape(w) for w, _ in _WISHES) + r")\b",
    re.I,
)
_THIRD_PERSON = dict(_WISHES)
#: A wish right after these words is a refusal.
_NEGATED = re.compile(
    r"\b(?:not|never|no longer|don't|do not|doesn't|won't)\s+(?:really\s+)?$|n't\s+$", re.I
)
#: Words too common to say that a clause is about the role.
_COMMON = frozenset(
    [
        "about",
        "also",
        "and",
        "are",
        "been",
        "being",
        "can",
        "could",
        "for",
        "from",
        "have",
        "help",
        "helping",
        "into",
        "just",
        "like",
        "more",
        "other",
        "people",
        "some",
        "that",
        "the",
        "their",
        "them",
        "then",
        "they",
        "this",
        "those",
        "want",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "work",
        "would",
        "year",
        "years",
        "your",
    ]
)
#: Words are compared by their first letters, so "listening" meets "listener".
_STEM = 5


def _stems(text: str) -> set[str]:
    return {w[:_STEM] for w in _WORD.findall(text.lower()) if len(w) > 3 and w not in _COMMON}


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 3].rsplit(" ", 1)[0].rstrip(",:- ") + "..."


def _wish_clause(sentence: str) -> tuple[str, str, str] | None:
    """(what opens the wish as written, the wish words, what follows to the clause's end)."""
    for found in _WISH.finditer(sentence):
        if _NEGATED.search(sentence[: found.start()]):
            continue  # "I don't want to do crisis work" is not a wish to do it
        rest = sentence[found.end() :].strip()
        rest = _CLAUSE_END.split(rest, maxsplit=1)[0].strip()
        if rest:
            return sentence[found.start() : found.end()], found.group(1).lower(), rest
    return None


def best_clause(wants: str, role_text: str) -> tuple[str, str, str] | None:
    """The wish clause of ``wants`` sharing most words with the role (the earlier on ties); None
    when no clause says what they want and shares a word with the role."""
    role = _stems(role_text)
    best, best_key = None, (0, 0)
    for position, raw in enumerate(_SENTENCE_END.split(wants)):
        sentence = " ".join(raw.split()).rstrip(".!?;")
        if _NOT_QUOTED.search(sentence):
            continue
        clause = _wish_clause(sentence)
        if clause is None:
            continue
        shared = len(_stems(clause[2]) & role)
        if shared and (best is None or (shared, -position) > best_key):
            best, best_key = clause, (shared, -position)
    return best


def in_their_words(wants: str, role_text: str) -> str | None:
    """ "Wants to run a peer-support group for adults with anxiety", or, when what follows speaks
    in the first person, 'In their words: "I'd like to put my listening to use"'; None with
    nothing to quote."""
    clause = best_clause(wants, role_text)
    if clause is None:
        return None
    written, wish, rest = clause
    if _FIRST_PERSON.search(rest):
        return f'In their words: "{_cut(f"{written} {rest}", MAX_QUOTE - 18)}"'
    opening = _THIRD_PERSON[wish]
    return f"{opening} {_cut(rest, MAX_QUOTE - len(opening) - 1)}"
