"""Sentences: splitting a paragraph into sentences and repairing sentences broken in two.

Splitting is pysbd's job (rule-based, no model download). pysbd costs about a millisecond per
paragraph, which a thousand-article build cannot afford for every paragraph, so a paragraph whose
only full stops are plain sentence ends (no abbreviation from pysbd's own list, no initials,
decimal points, ellipses, list numbers or punctuation inside brackets or quotes) is split at
those ends directly; anything else goes to pysbd. ``tests/domain/test_articles.py`` checks that
both ways agree on every fixture paragraph.

Repair handles what copy-pasted web articles do to sentences: "The connection between IGF-1 and
muscle. Development begins at the cellular level." is one sentence with a stray full stop. A
verbless piece without a comma, followed by a sentence whose first word is a noun and whose
second is a verb ("Development begins"), or by one starting in lower case, is joined to it. A
fragment that cannot be joined stays in the paragraph text but is never offered as a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .words import can_be_finite_verb, has_finite_verb, is_stop, lower_first, words

_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=\S)")
# What makes a full stop ambiguous; pysbd decides those paragraphs.
_DOT = re.compile(r"(\w*)\.(\w)?(?:\s+(\S))?")
_PAREN_STOP = re.compile(r"\([^)]*[.!?][^)]*\)")
_QUOTE_STOP = re.compile(r"[\"“][^\"”]*[.!?][^\"”]*[\"”]")
_LOWER_AFTER = re.compile(r"[?!][\"'”’)]?\s+[a-z]")


def split(text: str) -> list[str]:
    """The sentences of one paragraph, in order, without surrounding whitespace."""
    if "  " in text or "\n" in text or "\t" in text or text[:1].isspace() or text[-1:].isspace():
        text = " ".join(text.split())
    if not text:
        return []
    if not _BOUNDARY.search(text):
        return [text]
    if _needs_pysbd(text):
        return [s.strip() for s in _segmenter().segment(text) if s.strip()]
    return [s for s in _BOUNDARY.split(text) if s]


def _needs_pysbd(text: str) -> bool:
    """True when a full stop in ``text`` might not end a sentence (see the module doc)."""
    if "..." in text or "…" in text or "@" in text or "://" in text or "www." in text:
        return True
    if (
        "(" in text
        and _PAREN_STOP.search(text)
        or ('"' in text or "“" in text)
        and _QUOTE_STOP.search(text)
        or ("?" in text or "!" in text)
        and _LOWER_AFTER.search(text)
    ):
        return True
    always, before_lower = _abbreviations()
    for m in _DOT.finditer(text):
        word, glued, after = m.group(1), m.group(2), m.group(3) or ""
        if glued:
            return True  # "2.5", "e.g", "U.S"
        if len(word) == 1 and word.isalpha():
            return True  # an initial: "J. Smith"
        if word.isdigit() and (
            m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "-")
        ):
            return True  # "1. " a list number
        low = word.lower()
        if low in always or low in before_lower and (after.islower() or after.isdigit()):
            return True
    return False


@dataclass
class Piece:
    """One sentence of a section and the paragraph it belongs to."""

    text: str
    paragraph: int
    usable: bool = True


def repair(paragraphs: list[list[str]]) -> list[Piece]:
    """Join sentences broken in two across a section's paragraphs (in order).

    Returns every sentence with its paragraph index; ``usable`` is False for a fragment that
    could not be joined (it stays in the text, but no question is made from it).
    """
    flat = [Piece(s, i) for i, sentences in enumerate(paragraphs) for s in sentences]
    out: list[Piece] = []
    i = 0
    while i < len(flat):
        piece = flat[i]
        nxt = flat[i + 1] if i + 1 < len(flat) else None
        if is_fragment(piece.text):
            if nxt is not None and joinable(piece.text, nxt.text):
                joined = piece.text.rstrip(". ") + " " + lower_first(nxt.text)
                flat[i + 1] = Piece(joined, piece.paragraph)
                i += 1
                continue
            piece.usable = False
        out.append(piece)
        i += 1
    return out


def is_fragment(sentence: str) -> bool:
    """A piece ending in a full stop with no finite verb, or one starting in lower case."""
    if sentence[:1].islower():
        return True
    if not sentence.endswith("."):
        return False
    return not has_finite_verb(sentence)


#: A one-word or short answer that opens a reply ("False.", "Not at all.", "Yes."): a sentence
#: of its own, never the head of a broken one ("False controlled studies ...").
_ANSWER_WORDS = re.compile(
    r"^(?:no|yes|true|false|nope|not at all|not really|not quite|"
    r"not exactly|absolutely not|correct|wrong|myth|fact|fiction|"
    r"partly true|it depends)\.$",
    re.I,
)


def joinable(fragment: str, following: str) -> bool:
    """Whether ``fragment`` + ``following`` read as one sentence broken by a stray full stop."""
    if (
        "," in fragment
        or ";" in fragment
        or not fragment.endswith(".")
        or _ANSWER_WORDS.match(fragment)
    ):
        return False
    if following[:1].islower():
        return True
    head = words(following[:80])
    if len(head) < 2 or is_stop(head[0]) or not head[0][:1].isupper():
        return False
    return can_be_finite_verb(head[1])


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    """pysbd's English abbreviations: those that never end a sentence (Dr., No.) and those
    that only matter before a lower-case word or a number."""
    from pysbd.lang.english import English

    abbr = English.Abbreviation
    always = frozenset(
        a.lower() for a in (*abbr.PREPOSITIVE_ABBREVIATIONS, *abbr.NUMBER_ABBREVIATIONS)
    )
    return always, frozenset(a.lower() for a in abbr.ABBREVIATIONS)


__all__ = ["Piece", "is_fragment", "joinable", "repair", "split"]
