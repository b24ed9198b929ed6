"""What the volunteer asked for, in a few of their own words: the text reason of a suggestion.

A coordinator learns more from "Wants to co-facilitate a peer-support group for adults with
anxiety" than from "their profile fits the description". The words come only from what the
volunteer wrote about what they want to do (``VolunteerRecord.wants``, their bio), never from
their lived experience or any other private field. The sentence chosen is the one sharing the most
words with the role, a sentence saying what they want winning ties; a sentence that looks like
contact details or a figure (an email, a link, a phone number, an age) is never quoted.
"""

from __future__ import annotations

import re

#: Longest excerpt shown, in characters; longer sentences are cut at a word and end with "...".
MAX_QUOTE = 90
#: Sentences end at a stop followed by a space (so "ada@example.org" stays in its sentence).
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_WORD = re.compile(r"[a-z][a-z'-]+")
#: A sentence with any of these is never quoted: an email, a link, or any figure (a phone or house
#: number, an age, a date).
_NOT_QUOTED = re.compile(r"@|https?:|www\.|\d", re.I)
_FIRST_PERSON = re.compile(r"\b(i|me|my|mine|myself|i'm|i've|i'd|i'll)\b", re.I)
#: How a sentence saying what someone wants may open, and the same in the third person.
_OPENINGS: tuple[tuple[str, str], ...] = (
    ("i would really like to ", "Would like to "),
    ("i would like to ", "Would like to "),
    ("i'd really like to ", "Would like to "),
    ("i'd like to ", "Would like to "),
    ("i would love to ", "Would love to "),
    ("i'd love to ", "Would love to "),
    ("i really want to ", "Wants to "),
    ("i want to ", "Wants to "),
    ("i want ", "Wants "),
    ("i hope to ", "Hopes to "),
    ("i'm hoping to ", "Hopes to "),
    ("i am hoping to ", "Hopes to "),
    ("i'm looking for ", "Looking for "),
    ("i am looking for ", "Looking for "),
    ("looking for ", "Looking for "),
    ("i'm interested in ", "Interested in "),
    ("i am interested in ", "Interested in "),
    ("interested in ", "Interested in "),
    ("i'm keen to ", "Keen to "),
    ("i am keen to ", "Keen to "),
    ("keen to ", "Keen to "),
    ("i love ", "Loves "),
    ("i enjoy ", "Enjoys "),
)
#: Words too common to say that a sentence is about the role.
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


def _opening(sentence: str) -> tuple[str, str] | None:
    lowered = sentence.lower()
    return next(((o, third) for o, third in _OPENINGS if lowered.startswith(o)), None)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 3].rsplit(" ", 1)[0].rstrip(",:- ") + "..."


def best_sentence(wants: str, role_text: str) -> str | None:
    """The sentence of ``wants`` sharing most words with the role (one saying what they want
    wins ties); None when no sentence shares a word with it and none says what they want."""
    role = _stems(role_text)
    best, best_key = None, (0.0, 0.0)
    for position, raw in enumerate(_SENTENCE_END.split(wants)):
        sentence = " ".join(raw.split()).rstrip(".!?;")
        if len(sentence.split()) < 3 or _NOT_QUOTED.search(sentence):
            continue
        shared = len(_stems(sentence) & role)
        wish = _opening(sentence) is not None
        if shared == 0 and not wish:
            continue
        key = (shared + 0.5 * wish, -position)
        if best is None or key > best_key:
            best, best_key = sentence, key
    return best


def in_their_words(wants: str, role_text: str) -> str | None:
    """ "Wants to run a peer-support group for adults with anxiety", or, when the sentence speaks
    in the first person beyond its opening, 'In their words: "..."'; None with nothing to quote."""
    sentence = best_sentence(wants, role_text)
    if sentence is None:
        return None
    opening = _opening(sentence)
    if opening is not None:
        rest = sentence[len(opening[0]) :]
        if rest and not _FIRST_PERSON.search(rest):
            return opening[1] + _cut(rest, MAX_QUOTE - len(opening[1]))
    return f'In their words: "{_cut(sentence, MAX_QUOTE)}"'
